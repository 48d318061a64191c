"""Issue 19 item 9: anxin-ops takes the admin key from ANXIN_OPS_KEY or a file, never as a flag value."""

from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from shared.ops.cli import admin_key, app

runner = CliRunner()


def test_a_key_given_as_a_flag_value_is_refused() -> None:
    result = runner.invoke(app, ["audit", "verify", "330182", "--key", "dev-admin"])
    assert result.exit_code == 2
    assert "--key" in result.output


def test_the_key_comes_from_a_file_first_then_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ANXIN_OPS_KEY", "from-env")
    assert admin_key(None) == "from-env"
    key_file = tmp_path / "admin.key"
    key_file.write_text("from-file\n", encoding="utf-8")
    assert admin_key(key_file) == "from-file"


def test_no_key_at_all_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ANXIN_OPS_KEY", raising=False)
    with pytest.raises(typer.BadParameter, match="ANXIN_OPS_KEY"):
        admin_key(None)
    with pytest.raises(typer.BadParameter, match="cannot read"):
        admin_key(tmp_path / "missing.key")
