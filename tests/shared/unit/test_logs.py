"""JSON log lines carry the clue id and never personal data."""

import json
import logging

import pytest
from starlette.types import Receive, Scope, Send

from shared.logs import ClueIdLogContext, JsonFormatter, current_clue_id

CLUE = "6dfe1e0d-e153-4555-a58a-f4cfe6a359f2"


def line(message: str) -> dict[str, object]:
    record = logging.LogRecord("test", logging.INFO, __file__, 1, message, None, None)
    parsed: dict[str, object] = json.loads(JsonFormatter("intake").format(record))
    return parsed


def test_a_line_carries_the_clue_id_and_masks_phones_and_id_numbers() -> None:
    token = current_clue_id.set(CLUE)
    try:
        logged = line("complainant 13812345678, id 33010619900101123X")
    finally:
        current_clue_id.reset(token)
    assert logged["clue_id"] == CLUE
    assert "13812345678" not in str(logged["message"])
    assert "33010619900101123X" not in str(logged["message"])
    assert logged["service"] == "intake"


@pytest.mark.parametrize(
    ("path", "query", "expected"),
    [
        (f"/v1/clues/{CLUE}", b"", CLUE),
        (f"/v1/cases/{CLUE}/verify", b"", CLUE),
        ("/v1/tasks", f"state=open&clue_id={CLUE}".encode(), CLUE),
        ("/v1/agencies", b"", None),
    ],
)
async def test_requests_about_a_clue_log_with_its_id(path: str, query: bytes, expected: str | None) -> None:
    seen: list[str | None] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        seen.append(current_clue_id.get())

    async def receive() -> dict[str, object]:
        return {"type": "http.request"}

    async def send(message: dict[str, object]) -> None:
        return None

    scope = {"type": "http", "path": path, "query_string": query}
    await ClueIdLogContext(app)(scope, receive, send)  # type: ignore[arg-type]
    assert seen == [expected]
