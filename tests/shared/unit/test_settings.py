"""Issue 19 items 4 and 9: production mode by default, and a production database reached over TLS."""

from pathlib import Path

import pytest

from shared.settings import CommonSettings, Mode


@pytest.fixture
def keys_file(tmp_path: Path) -> Path:
    path = tmp_path / "keys.yaml"
    path.write_text("[]\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "url",
    [
        "postgresql+asyncpg://anxin:s3cret@db:5432/anxin",
        "postgresql+asyncpg://anxin:s3cret@db:5432/anxin?ssl=disable",
        "postgresql+asyncpg://anxin:s3cret@db:5432/anxin?ssl=prefer",
    ],
)
def test_production_refuses_a_remote_database_without_tls(keys_file: Path, url: str) -> None:
    problems = CommonSettings(
        mode=Mode.PRODUCTION, database_url=url, keys_file=keys_file
    ).production_problems()
    assert any("TLS" in p for p in problems), problems


@pytest.mark.parametrize(
    "url",
    [
        "postgresql+asyncpg://anxin:s3cret@db:5432/anxin?ssl=verify-full",
        "postgresql+asyncpg://anxin:s3cret@db:5432/anxin?ssl=require",
        "postgresql+asyncpg://anxin:s3cret@db:5432/anxin?sslmode=verify-ca",
        "postgresql+asyncpg://anxin:s3cret@127.0.0.1:5433/anxin?ssl=disable",  # never leaves the machine
    ],
)
def test_production_accepts_tls_or_loopback(keys_file: Path, url: str) -> None:
    settings = CommonSettings(mode=Mode.PRODUCTION, database_url=url, keys_file=keys_file)
    assert settings.production_problems() == []


def test_the_default_database_url_does_not_turn_tls_off() -> None:
    assert "ssl=disable" not in CommonSettings.model_fields["database_url"].default
