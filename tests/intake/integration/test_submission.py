"""Submitting clues over HTTP: who may submit, validation, limits, idempotency and concurrency."""

import asyncio
import json
import uuid

import httpx
import pytest

from tests.intake.integration.helpers import (
    clues_with_external_id,
    get_clue,
    post_clue,
    stored_rows,
    submit,
)
from tests.support.clues import clue_payload
from tests.support.stack import INTAKE, auth

PLATFORMS = ["national", "provincial", "city", "police110", "petition", "opinion", "onsite"]


@pytest.mark.parametrize("source", PLATFORMS)
async def test_each_source_submits_with_its_own_key(source: str) -> None:
    payload = clue_payload(source=source, division="330105")
    response = await post_clue(f"source:{source}", payload)
    assert response.status_code == 201, response.text
    assert response.json()["status"] == "received"
    clue = (await get_clue(f"source:{source}", response.json()["clue_id"])).json()
    assert (clue["source"], clue["submitted_by"], clue["external_id"]) == (
        source,
        f"source:{source}",
        payload["external_id"],
    )


@pytest.mark.parametrize(
    ("key_of", "source"), [("national", "provincial"), ("police110", "petition"), ("city", "onsite")]
)
async def test_a_key_may_not_submit_another_source(key_of: str, source: str) -> None:
    payload = clue_payload(source=source, division="330105")
    response = await post_clue(f"source:{key_of}", payload)
    assert response.status_code == 403, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert await clues_with_external_id(source, payload["external_id"]) == 0


async def test_onsite_clue_by_hrss_is_its_own_and_a_gov_agency_is_refused() -> None:
    payload = clue_payload(source="onsite", division="330106")
    refused = await post_clue("agency:330106.gov", payload)
    assert refused.status_code == 403, refused.text
    assert await clues_with_external_id("onsite", payload["external_id"]) == 0

    clue_id = await submit("agency:330106.hrss", payload)
    clue = (await get_clue("agency:330106.hrss", clue_id)).json()
    assert clue["submitted_by"] == "agency:330106.hrss"
    assert clue["complainant"]["phone"] == payload["complainant"]["phone"]  # the submitter sees it in full


async def test_another_agency_reusing_an_onsite_external_id_gets_409_without_the_clue_id() -> None:
    payload = clue_payload(source="onsite", division="330106")
    await submit("agency:330106.hrss", payload)
    response = await post_clue("agency:330106.construction", payload)
    assert response.status_code == 409, response.text
    assert "clue_id" not in response.json()
    assert await clues_with_external_id("onsite", payload["external_id"]) == 1


@pytest.mark.parametrize("principal", ["admin", "agency:330106.office"])
async def test_principals_that_are_no_submitters_are_refused(principal: str) -> None:
    payload = clue_payload(division="330106")
    assert (await post_clue(principal, payload)).status_code == 403


async def test_the_raw_body_is_stored_verbatim_and_source_payload_returned() -> None:
    payload = clue_payload(division="330102")
    payload["source_payload"] = {"z_last": 1, "a_first": {"y": [3, 1, 2], "x": "原文"}, "m": None}
    raw = json.dumps(payload, ensure_ascii=False, indent=3).encode()
    async with httpx.AsyncClient(base_url=INTAKE, headers=auth("source:national")) as intake:
        response = await intake.post("/v1/clues", content=raw, headers={"content-type": "application/json"})
    assert response.status_code == 201, response.text
    clue_id = response.json()["clue_id"]
    rows = await stored_rows("select raw_body from intake.clues where clue_id = :clue_id", clue_id=clue_id)
    assert rows[0]["raw_body"] == raw.decode()
    clue = (await get_clue("source:national", clue_id)).json()
    assert clue["source_payload"] == payload["source_payload"]
    assert list(clue["source_payload"]) == ["z_last", "a_first", "m"]


async def test_a_bad_submission_stores_nothing_and_the_corrected_one_is_created() -> None:
    payload = clue_payload(division="330106")
    bad = {**payload, "workers": 0, "amount_owed": "12.345", "division": "999999"}
    rejected = await post_clue("source:national", bad)
    assert rejected.status_code == 422
    problem = rejected.json()
    assert rejected.headers["content-type"].startswith("application/problem+json")
    assert {"type", "title", "status", "detail"} <= set(problem)
    assert sorted(e["field"] for e in problem["errors"]) == ["amount_owed", "division", "workers"]
    assert all(e["message"] for e in problem["errors"])
    assert await clues_with_external_id("national", payload["external_id"]) == 0

    created = await post_clue("source:national", payload)
    assert created.status_code == 201, created.text
    assert await clues_with_external_id("national", payload["external_id"]) == 1


async def test_a_future_received_at_is_listed_with_the_other_bad_fields() -> None:
    payload = clue_payload(division="330106", received_at="2099-01-01T00:00:00+08:00", workers=0)
    response = await post_clue("source:national", payload)
    assert response.status_code == 422
    assert sorted(e["field"] for e in response.json()["errors"]) == ["received_at", "workers"]


async def test_a_body_over_the_limit_gets_413_and_stores_nothing() -> None:
    payload = clue_payload(division="330106", source_payload={"blob": "x" * 300_000})
    response = await post_clue("source:national", payload)
    assert response.status_code == 413
    assert response.json()["status"] == 413
    assert await clues_with_external_id("national", payload["external_id"]) == 0


@pytest.mark.parametrize("body", [b"{not json", b"", b'{"source": "national",}', b"\xff\xfe{}"])
async def test_malformed_json_gets_400(body: bytes) -> None:
    async with httpx.AsyncClient(base_url=INTAKE, headers=auth("source:national")) as intake:
        response = await intake.post("/v1/clues", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 400, response.text
    assert response.json()["title"] == "Malformed JSON"


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer nope"}, {"Authorization": "Basic eA=="}])
async def test_no_or_unknown_key_gets_401(headers: dict[str, str]) -> None:
    payload = clue_payload(division="330106")
    async with httpx.AsyncClient(base_url=INTAKE, headers=headers) as intake:
        response = await intake.post("/v1/clues", json=payload)
        assert response.status_code == 401
        assert (await intake.get(f"/v1/clues/{uuid.uuid4()}")).status_code == 401
    assert await clues_with_external_id("national", payload["external_id"]) == 0


async def test_the_same_content_again_answers_200_with_the_same_clue() -> None:
    payload = clue_payload(division="330106")
    clue_id = await submit("source:national", payload)
    # Key order and an equivalent amount do not make different content.
    again = dict(reversed(list({**payload, "amount_owed": "86000"}.items())))
    response = await post_clue("source:national", again)
    assert response.status_code == 200, response.text
    assert response.json()["clue_id"] == clue_id
    assert response.json()["status"] in {"received", "in_progress"}  # routing may have started already


async def test_different_content_answers_409_naming_what_differs() -> None:
    payload = clue_payload(division="330106")
    clue_id = await submit("source:national", payload)
    changed = {
        **payload,
        "workers": 13,
        "employer": {**payload["employer"], "name": payload["employer"]["name"] + "分公司"},
    }
    response = await post_clue("source:national", changed)
    assert response.status_code == 409, response.text
    problem = response.json()
    assert problem["clue_id"] == clue_id
    assert problem["differences"] == ["employer.name", "workers"]
    assert "employer.name" in problem["detail"]
    assert await clues_with_external_id("national", payload["external_id"]) == 1


async def test_concurrent_identical_submissions_store_exactly_one_clue() -> None:
    payload = clue_payload(division="330106")
    async with httpx.AsyncClient(
        base_url=INTAKE, headers=auth("source:national"), timeout=30, limits=httpx.Limits(max_connections=20)
    ) as intake:
        responses = await asyncio.gather(*(intake.post("/v1/clues", json=payload) for _ in range(20)))
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200] * 19 + [201], [r.text for r in responses if r.status_code not in (200, 201)]
    assert len({r.json()["clue_id"] for r in responses}) == 1
    assert await clues_with_external_id("national", payload["external_id"]) == 1


async def test_timestamps_are_returned_in_business_time() -> None:
    payload = clue_payload(division="330106", received_at="2026-09-24T02:15:00+00:00")
    clue = (await get_clue("source:national", await submit("source:national", payload))).json()
    assert clue["received_at"] == "2026-09-24T10:15:00+08:00"
    assert clue["created_at"].endswith("+08:00")
    assert clue["updated_at"].endswith("+08:00")


async def test_an_unknown_or_malformed_clue_id_is_404() -> None:
    for clue_id in (str(uuid.uuid4()), "not-a-uuid"):
        response = await get_clue("admin", clue_id)
        assert response.status_code == 404
        assert response.json()["status"] == 404
