"""Who may do what on every routing endpoint (401/403/404), masking, and the timeline check (330114)."""

import asyncio
import itertools
import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from tests.routing.integration.flow import (
    Json,
    accept_and_complete,
    case,
    finding,
    submit,
    task_of,
    wait_open,
)
from tests.support.stack import DATABASE_NAME, PG_PORT, ROUTING, client

DIVISION = "330114"
GOV, HRSS, OFFICE = f"{DIVISION}.gov", f"{DIVISION}.hrss", f"{DIVISION}.office"
PHONE = "13812345678"
#: Tampering takes a superuser: the service's role may not rewrite the timeline (test_audit_trail.py).
SUPERUSER_DATABASE = f"postgresql+asyncpg://postgres@127.0.0.1:{PG_PORT}/{DATABASE_NAME}?ssl=disable"
REPO = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
async def scene() -> Json:
    """A clue whose verify is done by gov, with a review open for hrss and a pending dispute."""
    clue_id = await submit(division=DIVISION, summary=f"投诉人电话{PHONE}，工程完工后拖欠工资")
    verify = task_of(await wait_open(clue_id, [("verify", GOV)]), "verify", GOV)
    await accept_and_complete(verify, finding())
    review = task_of(await wait_open(clue_id, [("review", HRSS)]), "review", HRSS)
    other_clue = await submit("source:city", source="city", division=DIVISION)
    resolve = task_of(await wait_open(other_clue, [("resolve", GOV)]), "resolve", GOV)
    async with client(ROUTING, f"agency:{GOV}") as gov:
        returned = await gov.post(f"/v1/tasks/{resolve['task_id']}/return", json={"reason": "非本单位职责"})
    assert returned.status_code == 201
    return {"clue_id": clue_id, "verify": verify, "review": review, "dispute": returned.json()}


def endpoints(scene: Json) -> list[tuple[str, str, Json | None]]:
    clue_id, review, dispute = scene["clue_id"], scene["review"]["task_id"], scene["dispute"]["dispute_id"]
    return [
        ("GET", "/v1/tasks", None),
        ("GET", f"/v1/tasks/{review}", None),
        ("POST", f"/v1/tasks/{review}/accept", None),
        ("POST", f"/v1/tasks/{review}/complete", finding(substantiated=False)),
        ("POST", f"/v1/tasks/{review}/return", {"reason": "x"}),
        ("GET", "/v1/disputes", None),
        ("GET", f"/v1/disputes/{dispute}", None),
        ("POST", f"/v1/disputes/{dispute}/decision", {"assignee": GOV, "note": ""}),
        ("GET", f"/v1/cases/{clue_id}", None),
        ("GET", f"/v1/cases/{clue_id}/verify", None),
        ("POST", f"/v1/cases/{clue_id}/unlink", None),
        ("GET", "/v1/agencies", None),
    ]


@pytest.mark.parametrize("authorization", [None, "Bearer nope", "Basic dev-admin", "Bearer"])
async def test_every_endpoint_wants_a_known_key(scene: Json, authorization: str | None) -> None:
    headers = {"Authorization": authorization} if authorization is not None else {}
    async with client(ROUTING) as anonymous:
        for method, path, body in endpoints(scene):
            response = await anonymous.request(method, path, json=body, headers=headers)
            assert response.status_code == 401, (method, path)
            assert response.headers["content-type"].startswith("application/problem+json")


async def test_a_stranger_sees_nothing_of_the_clue(scene: Json) -> None:
    for stranger in (
        "agency:330102.gov",
        "agency:330102.office",
        f"agency:{DIVISION}.police",
        "source:police110",
    ):
        async with client(ROUTING, stranger) as other:
            for method, path, body in endpoints(scene):
                response = await other.request(method, path, json=body)
                if path in ("/v1/tasks", "/v1/disputes"):
                    listed = await other.get(path, params={"clue_id": scene["clue_id"]})
                    assert listed.json()["items"] == [], (stranger, path)
                elif path == "/v1/agencies":
                    assert response.status_code == 200
                else:
                    assert response.status_code == 404, (stranger, method, path, response.text)


async def test_seeing_is_not_holding(scene: Json) -> None:
    review = scene["review"]["task_id"]
    actions: list[tuple[str, Json | None]] = [
        ("accept", None),
        ("complete", finding(substantiated=False)),
        ("return", {"reason": "x"}),
    ]
    # The office sees its division, gov held the verify, the source submitted the clue, admin sees all.
    for viewer in (f"agency:{OFFICE}", f"agency:{GOV}", "source:national", "admin", "agency:330100.office"):
        async with client(ROUTING, viewer) as seer:
            assert (await seer.get(f"/v1/cases/{scene['clue_id']}")).status_code == 200, viewer
            for action, body in actions:
                response = await seer.post(f"/v1/tasks/{review}/{action}", json=body)
                assert response.status_code == 403, (viewer, action, response.text)
    async with client(ROUTING, f"agency:{GOV}") as gov:
        decision = await gov.post(
            f"/v1/disputes/{scene['dispute']['dispute_id']}/decision", json={"assignee": GOV, "note": ""}
        )
        assert decision.status_code == 403
        assert (await gov.post(f"/v1/cases/{scene['clue_id']}/unlink")).status_code == 403
    current = await case(scene["clue_id"])
    assert task_of(current, "review", HRSS)["state"] == "open"


async def test_personal_data_only_for_the_source_open_holders_and_offices(scene: Json) -> None:
    clue_id = scene["clue_id"]
    for viewer in ("source:national", f"agency:{HRSS}", f"agency:{OFFICE}", "agency:330100.office"):
        async with client(ROUTING, viewer) as full:
            assert (await full.get(f"/v1/cases/{clue_id}")).json()["clue"]["complainant"]["phone"] == PHONE
    async with client(ROUTING, "admin") as admin:
        assert (await admin.get(f"/v1/cases/{clue_id}")).json()["clue"]["complainant"][
            "phone"
        ] == "138****5678"
    async with client(ROUTING, f"agency:{GOV}") as former:
        masked = (await former.get(f"/v1/cases/{clue_id}")).json()["clue"]["complainant"]
        assert masked["phone"] == "138****5678"
        assert masked["name"] == "张*"
        assert "*" in masked["id_number"]
        summary = (await former.get(f"/v1/cases/{clue_id}")).json()["clue"]["summary"]
        assert PHONE not in summary
        assert "138****5678" in summary
        detail = (await former.get(f"/v1/tasks/{scene['verify']['task_id']}")).json()
        assert detail["clue"]["complainant"]["phone"] == "138****5678"
        assert PHONE not in detail["clue"]["summary"]
        # A former holder sees its own task but not the others' in the list.
        listed = (await former.get("/v1/tasks", params={"clue_id": clue_id})).json()["items"]
        assert [t["kind"] for t in listed] == ["verify"]


async def test_the_agency_registry_lists_every_division_and_kind() -> None:
    async with client(ROUTING, "source:opinion") as anyone:
        registry = (await anyone.get("/v1/agencies")).json()
    divisions = {a["division"] for a in registry}
    assert len(divisions) == 14
    assert "330100" in divisions
    ids = {a["agency_id"] for a in registry}
    assert {"330114.construction", "330114.politlegal", "330100.office", "330182.petition"} <= ids
    assert next(a for a in registry if a["agency_id"] == "330114.hrss")["division_name"] == "钱塘区"


@pytest.fixture
async def database() -> AsyncIterator[AsyncEngine]:
    engine = create_async_engine(SUPERUSER_DATABASE)
    yield engine
    await engine.dispose()


async def test_the_timeline_check_reports_a_tampered_entry(database: AsyncEngine) -> None:
    clue_id = await submit(division=DIVISION, external_id=f"TAMPER-{uuid.uuid4()}")
    verify = task_of(await wait_open(clue_id, [("verify", GOV)]), "verify", GOV)
    await accept_and_complete(verify, finding())
    timeline = (await wait_open(clue_id, [("review", HRSS)]))["timeline"]
    assert [e["seq"] for e in timeline] == list(range(1, len(timeline) + 1))
    assert all(e["prev_hash"] == p["hash"] for p, e in itertools.pairwise(timeline))
    async with client(ROUTING, f"agency:{OFFICE}") as office:
        check = (await office.get(f"/v1/cases/{clue_id}/verify")).json()
        assert check["valid"] is True
        assert check["entries"] == len(timeline)

        completed = next(e for e in timeline if e["action"] == "completed")
        async with database.begin() as connection:
            await connection.execute(text("set local session_replication_role = replica"))  # no triggers
            changed = await connection.execute(
                text(
                    "update routing.timeline set detail = jsonb_set(detail, '{substantiated}', 'false') "
                    "where clue_id = :clue_id and seq = :seq"
                ),
                {"clue_id": clue_id, "seq": completed["seq"]},
            )
            assert changed.rowcount == 1
        check = (await office.get(f"/v1/cases/{clue_id}/verify")).json()
    assert check["valid"] is False
    assert check["broken_at"] == completed["seq"]
    code, output = await check_timeline_command(clue_id)
    assert code == 1
    assert output.startswith(f"{clue_id}: broken at entry {completed['seq']}")


async def test_the_timeline_check_command_passes_an_intact_case() -> None:
    clue_id = await submit(division=DIVISION)
    await wait_open(clue_id, [("verify", GOV)])
    assert await check_timeline_command(clue_id) == (0, "")
    code, output = await check_timeline_command(f"{clue_id}-missing")
    assert (code, output.strip()) == (1, f"{clue_id}-missing: no timeline")


async def check_timeline_command(*clue_ids: str) -> tuple[int, str]:
    repo = REPO
    process = await asyncio.create_subprocess_exec(
        str(repo / ".venv/bin/python"),
        "-m",
        "routing.check_timeline",
        *clue_ids,
        env=os.environ | {"PYTHONPATH": f"{repo}:{repo / 'services/routing'}"},
        stdout=asyncio.subprocess.PIPE,
    )
    stdout, _ = await process.communicate()
    assert process.returncode is not None
    return process.returncode, stdout.decode()
