"""Production keys: issued once, stored hashed, listed, revoked, reloaded by the services."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from shared.auth import KeyFileRegistry, Principal, build_key_registry, hash_key
from shared.ops import keys as key_store
from shared.ops.cli import app
from shared.settings import CommonSettings, Mode, ProductionSettingsError

NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
PRODUCTION_DB = "postgresql+asyncpg://anxin:s3cret@db:5432/anxin?ssl=verify-full"


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_an_issued_key_is_stored_only_as_its_hash(tmp_path: Path) -> None:
    path = tmp_path / "keys.yaml"
    issued = key_store.issue_key(path, Principal.parse("agency:330106.gov"), now=NOW)
    text = path.read_text(encoding="utf-8")
    assert issued.key not in text
    assert hash_key(issued.key) in text
    assert [(e.key_id, str(e.principal), e.issued_at) for e in key_store.list_keys(path)] == [
        (issued.entry.key_id, "agency:330106.gov", NOW)
    ]
    assert path.stat().st_mode & 0o077 == 0


def test_the_registry_knows_issued_keys_and_forgets_revoked_ones_after_reload(tmp_path: Path) -> None:
    path = tmp_path / "keys.yaml"
    admin = key_store.issue_key(path, Principal.parse("admin"), now=NOW)
    clock = Clock()
    registry = KeyFileRegistry(path, reload_seconds=5, clock=clock)
    assert registry.lookup(admin.key) == Principal.parse("admin")
    assert registry.lookup("dev-admin") is None

    source = key_store.issue_key(path, Principal.parse("source:national"), now=NOW)
    key_store.revoke_key(path, admin.entry.key_id)
    clock.now = 4.9
    assert registry.lookup(admin.key) == Principal.parse("admin"), "checked at most every 5 s"
    clock.now = 5.0
    assert registry.lookup(admin.key) is None
    assert registry.lookup(source.key) == Principal.parse("source:national")


def test_a_broken_keys_file_keeps_the_keys_loaded_last(tmp_path: Path) -> None:
    path = tmp_path / "keys.yaml"
    admin = key_store.issue_key(path, Principal.parse("admin"), now=NOW)
    clock = Clock()
    registry = KeyFileRegistry(path, reload_seconds=1, clock=clock)
    path.write_text("- {principal: admin, key_id: x, sha256: nothex, issued_at: 2026-01-01T00:00:00+08:00}\n")
    clock.now = 2
    assert registry.lookup(admin.key) == Principal.parse("admin")


def test_revoking_an_unknown_key_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "keys.yaml"
    key_store.issue_key(path, Principal.parse("admin"), now=NOW)
    before = path.read_text(encoding="utf-8")
    with pytest.raises(LookupError):
        key_store.revoke_key(path, "k-unknown")
    assert path.read_text(encoding="utf-8") == before


def test_production_mode_refuses_to_start_without_a_keys_file() -> None:
    settings = CommonSettings(mode=Mode.PRODUCTION, database_url=PRODUCTION_DB, keys_file=None)
    with pytest.raises(ProductionSettingsError, match="ANXIN_KEYS_FILE is not set"):
        build_key_registry(settings)


def test_production_mode_refuses_a_keys_file_that_does_not_exist(tmp_path: Path) -> None:
    settings = CommonSettings(mode=Mode.PRODUCTION, database_url=PRODUCTION_DB, keys_file=tmp_path / "none")
    with pytest.raises(ProductionSettingsError, match="does not exist"):
        build_key_registry(settings)


@pytest.mark.parametrize(
    "url",
    ["postgresql+asyncpg://anxin:anxin@db:5432/anxin", "postgresql+asyncpg://anxin@db:5432/anxin"],
)
def test_production_mode_refuses_the_development_database_password(tmp_path: Path, url: str) -> None:
    path = tmp_path / "keys.yaml"
    key_store.issue_key(path, Principal.parse("admin"), now=NOW)
    settings = CommonSettings(mode=Mode.PRODUCTION, database_url=url, keys_file=path)
    with pytest.raises(ProductionSettingsError, match="ANXIN_DATABASE_URL"):
        build_key_registry(settings)


def test_production_mode_accepts_only_keys_from_the_keys_file(tmp_path: Path) -> None:
    path = tmp_path / "keys.yaml"
    issued = key_store.issue_key(path, Principal.parse("agency:330182.office"), now=NOW)
    registry = build_key_registry(
        CommonSettings(mode=Mode.PRODUCTION, database_url=PRODUCTION_DB, keys_file=path)
    )
    assert registry.lookup(issued.key) == Principal.parse("agency:330182.office")
    assert registry.lookup("dev-agency-330182.office") is None


def test_development_mode_needs_no_secrets() -> None:
    assert CommonSettings(mode=Mode.DEVELOPMENT).production_problems() == []


def test_the_cli_issues_lists_and_revokes(tmp_path: Path) -> None:
    path = tmp_path / "keys.yaml"
    runner = CliRunner()
    issued = runner.invoke(app, ["keys", "issue", "source:provincial", "--file", str(path)])
    assert issued.exit_code == 0, issued.output
    key = issued.stdout.strip().splitlines()[-1]
    (entry,) = key_store.list_keys(path)
    assert entry.sha256 == hash_key(key)

    listed = runner.invoke(app, ["keys", "list"], env={"ANXIN_KEYS_FILE": str(path)})
    assert listed.exit_code == 0
    assert f"{entry.key_id}\tsource:provincial" in listed.stdout
    assert key not in listed.stdout

    assert runner.invoke(app, ["keys", "revoke", entry.key_id, "--file", str(path)]).exit_code == 0
    assert key_store.list_keys(path) == []
    assert runner.invoke(app, ["keys", "revoke", entry.key_id, "--file", str(path)]).exit_code == 1


def test_the_cli_refuses_a_malformed_principal_and_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "keys.yaml"
    result = CliRunner().invoke(app, ["keys", "issue", "agency:nodot", "--file", str(path)])
    assert result.exit_code == 2
    assert not path.exists()
