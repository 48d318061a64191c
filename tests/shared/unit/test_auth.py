"""Principals and keys (CONTRACT.md, Principals and Authentication)."""

from pathlib import Path

import pytest

from shared.auth import KeyRegistry, Principal, PrincipalKind, build_key_registry, load_development_keys
from shared.settings import CommonSettings, Mode

PRINCIPALS_FILE = Path(__file__).resolve().parents[3] / "deploy" / "local" / "principals.yaml"
SOURCES = ["national", "provincial", "city", "police110", "petition", "opinion", "onsite"]
DIVISIONS = ["330102", "330105", "330106", "330108", "330109", "330110", "330111", "330112", "330113", "330114",
             "330122", "330127", "330182"]  # fmt: skip
KINDS = ["gov", "office", "hrss", "construction", "transport", "water", "police", "petition"]


@pytest.mark.parametrize(
    ("text", "kind", "name"),
    [
        ("source:national", PrincipalKind.SOURCE, "national"),
        ("agency:330106.hrss", PrincipalKind.AGENCY, "330106.hrss"),
        ("admin", PrincipalKind.ADMIN, "admin"),
    ],
)
def test_principals_parse_and_print_as_written_in_the_contract(
    text: str, kind: PrincipalKind, name: str
) -> None:
    principal = Principal.parse(text)
    assert (principal.kind, principal.name, str(principal)) == (kind, name, text)


@pytest.mark.parametrize("text", ["", "source", "agency:330106", "user:bob", "source:"])
def test_malformed_principals_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="not a"):
        Principal.parse(text)


def test_offices_oversee_their_division_and_the_city_office_everything() -> None:
    office = Principal.parse("agency:330106.office")
    assert office.oversees_division("330106")
    assert not office.oversees_division("330105")
    assert Principal.parse("agency:330100.office").oversees_division("330105")
    assert Principal.parse("admin").oversees_division("330105")
    assert not Principal.parse("agency:330106.gov").oversees_division("330106")


def test_development_keys_cover_every_principal_the_contract_lists() -> None:
    registry = load_development_keys(PRINCIPALS_FILE)
    wanted = [f"source:{s}" for s in SOURCES] + ["admin", "agency:330100.office"]
    wanted += [f"agency:{d}.{k}" for d in DIVISIONS for k in KINDS]
    for text in wanted:
        key = "dev-" + text.replace(":", "-")
        assert registry.lookup(key) == Principal.parse(text), text
    assert registry.lookup("not-a-key") is None


def test_development_keys_work_only_in_development_mode(tmp_path: Path) -> None:
    keys_file = tmp_path / "keys.yaml"
    keys_file.write_text("[]\n", encoding="utf-8")
    development = CommonSettings(mode=Mode.DEVELOPMENT, principals_file=PRINCIPALS_FILE)
    production = CommonSettings(
        mode=Mode.PRODUCTION,
        principals_file=PRINCIPALS_FILE,
        keys_file=keys_file,
        database_url="postgresql+asyncpg://anxin:s3cret@db/anxin?ssl=verify-full",
    )
    assert build_key_registry(development).lookup("dev-admin") == Principal.parse("admin")
    assert build_key_registry(production).lookup("dev-admin") is None
    assert len(build_key_registry(production)) == 0


def test_the_registry_keeps_hashes_not_keys() -> None:
    registry = KeyRegistry()
    registry.add("s3cret-key", Principal.parse("admin"))
    assert "s3cret-key" not in repr(vars(registry))
