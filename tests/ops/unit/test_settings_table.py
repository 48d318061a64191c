"""The README's settings table is every setting of every service, generated from the settings classes.

Regenerate it with ``.venv/bin/python -m tests.ops.unit.test_settings_table``."""

import json
from enum import Enum
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic_core import to_jsonable_python
from pydantic_settings import BaseSettings

from deadlines.settings import DeadlinesSettings
from intake.settings import IntakeSettings
from notify.settings import NotifySettings
from routing.reports.settings import ReportsSettings
from routing.settings import RoutingSettings
from shared.settings import REPO_ROOT, CommonSettings

README = Path(__file__).resolve().parents[3] / "README.md"
BEGIN, END = "<!-- settings:begin -->", "<!-- settings:end -->"
SETTINGS: list[tuple[str, type[BaseSettings]]] = [
    ("all services", CommonSettings),
    ("intake", IntakeSettings),
    ("routing", RoutingSettings),
    ("routing (reports)", ReportsSettings),
    ("deadlines", DeadlinesSettings),
    ("notify", NotifySettings),
]
# For fields whose class gives no description (keep short; prefer a description in the class).
DESCRIPTIONS = {
    "ANXIN_INTAKE_EMERGENCY_MIN_WORKERS": "a clue with at least this many workers is an emergency (rule 7)",
    "ANXIN_INTAKE_EMERGENCY_MIN_AMOUNT": "a clue owing at least this much (yuan) is an emergency (rule 7)",
    "ANXIN_NOTIFY_REQUEST_TIMEOUT_SECONDS": "how long one webhook request may take",
    "ANXIN_NOTIFY_PER_ENDPOINT_CONCURRENCY": "webhook requests in flight to one endpoint",
    "ANXIN_NOTIFY_MAX_IN_FLIGHT": "webhook requests in flight in all",
}


def _default(value: Any) -> str:
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, Path):
        return str(value.relative_to(REPO_ROOT)) if value.is_relative_to(REPO_ROOT) else str(value)
    if value is None:
        return "(none)"
    if isinstance(value, str | int | float):
        return str(value)
    if isinstance(value, BaseModel | dict | list):
        return json.dumps(to_jsonable_python(value), ensure_ascii=False, separators=(",", ":"))
    return str(value)


def settings_table() -> str:
    lines = ["| variable | service | default | what for |", "|---|---|---|---|"]
    for service, settings in SETTINGS:
        prefix = str(settings.model_config.get("env_prefix", ""))
        for name, field in settings.model_fields.items():
            variable = f"{prefix}{name}".upper()
            description = field.description or DESCRIPTIONS.get(variable)
            assert description, f"{variable} needs a description (in its settings class or DESCRIPTIONS)"
            default = field.get_default(call_default_factory=True)
            cell, purpose = _default(default).replace("|", "\\|"), description.replace("|", "\\|")
            lines.append(f"| `{variable}` | {service} | `{cell}` | {purpose} |")
    return "\n".join(lines)


def _readme_table() -> str:
    text = README.read_text(encoding="utf-8")
    return text[text.index(BEGIN) + len(BEGIN) : text.index(END)].strip()


def test_the_readme_lists_every_setting_with_its_default_and_purpose() -> None:
    assert _readme_table() == settings_table(), (
        "README settings table is out of date; run .venv/bin/python -m tests.ops.unit.test_settings_table"
    )


def test_every_setting_has_a_row() -> None:
    table = _readme_table()
    for _, settings in SETTINGS:
        prefix = str(settings.model_config.get("env_prefix", ""))
        for name in settings.model_fields:
            assert f"| `{prefix}{name}`".upper() in table.upper()


if __name__ == "__main__":
    readme = README.read_text(encoding="utf-8")
    start, end = readme.index(BEGIN) + len(BEGIN), readme.index(END)
    README.write_text(readme[:start] + "\n" + settings_table() + "\n" + readme[end:], encoding="utf-8")
