"""shared.params: values no row could match are refused before a query is built (issue 11)."""

import base64
import json
import uuid
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from shared.pagination import Cursor, decode_cursor, encode_cursor
from shared.params import ClueIdPath, ClueIdQuery, Day, DeliveryIdPath, DivisionQuery, Moment, PrincipalQuery
from shared.problems import MEDIA_TYPE, ProblemError, install_problem_handlers

app = FastAPI()
install_problem_handlers(app)


@app.get("/things")
async def things(
    clue_id: ClueIdQuery = None,
    division: DivisionQuery = None,
    subscriber: PrincipalQuery = None,
    day: Day | None = None,
    since: Moment | None = None,
    cursor: Cursor = None,
) -> dict[str, Any]:
    return {"clue_id": clue_id, "division": division, "subscriber": subscriber, "day": day}


@app.get("/clues/{clue_id}")
async def clue(clue_id: ClueIdPath) -> dict[str, str]:
    return {"clue_id": clue_id}


@app.get("/deliveries/{delivery_id}")
async def delivery(delivery_id: DeliveryIdPath) -> dict[str, str]:
    return {"delivery_id": delivery_id}


async def get(path: str, **params: str) -> httpx.Response:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as http:
        return await http.get(path, params=params)


def refused(response: httpx.Response, field: str) -> str:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == MEDIA_TYPE
    errors = response.json()["errors"]
    assert [e["field"] for e in errors] == [field], errors
    message: str = errors[0]["message"]
    return message


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("clue_id", "\x00f \x1b\x0bv)ß\x07s"),
        ("clue_id", "not-a-uuid"),
        ("division", "\x00\x01"),
        ("division", "33010"),
        ("subscriber", "P\x00"),
        ("subscriber", "agency:330106.gov\n"),
        ("day", "0001-07-04"),
        ("day", "2101-01-01"),
        ("since", "0001-01-01T00:00:00+08:00"),
        ("since", "2026-01-01T00:00:00"),
        ("cursor", "\x00"),
    ],
)
async def test_a_query_value_of_the_wrong_shape_is_422_naming_it(field: str, value: str) -> None:
    refused(await get("/things", **{field: value}), f"query.{field}")


async def test_the_message_says_what_is_wrong_in_words() -> None:
    assert refused(await get("/things", division="3301\x00"), "query.division") == (
        "must be a six-digit division code, e.g. 330106"
    )


async def test_well_formed_values_pass() -> None:
    clue_id = str(uuid.uuid4())
    response = await get(
        "/things",
        clue_id=clue_id,
        division="330106",
        subscriber="agency:330106.gov",
        day="2026-07-04",
        since="2026-07-04T08:00:00+08:00",
        cursor=encode_cursor(datetime(2026, 7, 4, tzinfo=UTC), str(uuid.uuid4())),
    )
    assert response.status_code == 200, response.text
    assert response.json()["clue_id"] == clue_id


async def test_a_path_id_with_control_characters_is_422_and_of_another_shape_404() -> None:
    refused(await get("/clues/a%00b"), "path.clue_id")
    for path in ("/clues/not-a-uuid", "/deliveries/msg_nothex"):
        response = await get(path)
        assert response.status_code == 404, response.text
        assert response.headers["content-type"] == MEDIA_TYPE
    assert (await get(f"/clues/{uuid.uuid4()}")).status_code == 200
    assert (await get(f"/deliveries/msg_{uuid.uuid4().hex}")).status_code == 200


@pytest.mark.parametrize(
    "forged",
    [
        ["2026-07-04T00:00:00+00:00", "key\x00"],
        ["0001-01-01T00:00:00+08:00", "key"],
        ["2026-07-04T00:00:00", "key"],
        ["2026-07-04T00:00:00+00:00", 7],
    ],
)
def test_a_forged_cursor_is_refused_before_it_reaches_a_query(forged: list[Any]) -> None:
    cursor = base64.urlsafe_b64encode(json.dumps(forged).encode()).decode()
    with pytest.raises(ProblemError) as refused:
        decode_cursor(cursor)
    assert refused.value.status == 400
