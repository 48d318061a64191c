"""Property: no payload a client can send makes intake answer with a server error."""

import json
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.clues import clue_payload
from tests.support.stack import INTAKE, auth

TEMPLATE = clue_payload(division="330105", received_at="2026-09-24T10:15:00+08:00")
FIELDS = [
    *TEMPLATE,
    "employer.name",
    "employer.uscc",
    "project.kind",
    "complainant.phone",
    "complainant.id_number",
]

odd_text = st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=40) | st.sampled_from(
    ["\x00", "\ud800", "﷽" * 50, "\u202e", " ", "9" * 5000, "1e309", "-0", "NaN"]
)
scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.just(10**400)
    | st.floats(allow_nan=False)
    | odd_text
)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(odd_text, inner, max_size=4),
    max_leaves=12,
)


@st.composite
def bodies(draw: st.DrawFn) -> bytes:
    """Mostly a valid clue with some fields replaced or removed; sometimes any JSON at all. Lone
    surrogates go out either escaped or as bytes that are not UTF-8."""
    payload: Any
    if draw(st.integers(0, 9)) == 0:
        payload = draw(json_values)
    else:
        payload = json.loads(json.dumps(TEMPLATE))
        payload["external_id"] = f"FUZZ-{draw(st.uuids())}"
        payload["project"]["name"] = f"fuzz-{draw(st.uuids())}"
        for path in draw(st.lists(st.sampled_from(FIELDS), max_size=3, unique=True)):
            *parents, last = path.split(".")
            target = payload
            for part in parents:
                target = target[part] if isinstance(target.get(part), dict) else {}
            if draw(st.booleans()):
                target.pop(last, None)
            else:
                target[last] = draw(json_values)
    text = json.dumps(payload, ensure_ascii=draw(st.booleans()))
    return text.encode("utf-8", "surrogatepass")


@pytest.fixture(scope="module")
def intake() -> Iterator[httpx.Client]:
    with httpx.Client(base_url=INTAKE, headers=auth("source:national"), timeout=30) as session:
        yield session


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=bodies())
def test_no_payload_yields_a_server_error(intake: httpx.Client, body: bytes) -> None:
    response = intake.post("/v1/clues", content=body, headers={"content-type": "application/json"})
    assert response.status_code < 500, (response.status_code, response.text)
    if response.status_code >= 400:
        problem = response.json()
        assert problem["status"] == response.status_code
        assert {"type", "title", "detail"} <= set(problem)
    else:
        assert uuid.UUID(response.json()["clue_id"])
