"""The reports API over httpx.ASGITransport: who may see what, bad input, the incidence base, exports."""

import csv
import io
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.reports.app import client, project, reports_app
from tests.reports.events import clue_received, clue_status

TZ = ZoneInfo("Asia/Shanghai")
RANGE = {"from": "2024-04-01", "to": "2024-06-30"}


@pytest.fixture(scope="module")
async def app(sessions: async_sessionmaker[AsyncSession]) -> FastAPI:
    """Two clues in 西湖区 (one closed), one in 余杭区, all in 2024Q2."""
    day = datetime(2024, 5, 6, 9, tzinfo=TZ)
    west, west_closed, yuhang = (str(uuid.uuid4()) for _ in range(3))
    async with sessions() as session, session.begin():
        for e in (
            clue_received(west, day, township="北山街道"),
            clue_received(west_closed, day, township="灵隐街道", amount_owed="1000.50"),
            clue_status(
                west_closed, day.replace(day=20), status="closed", outcome="resolved", paid="1000.50"
            ),
            clue_received(yuhang, day, division="330110", township="仓前街道"),
        ):
            await project(session, e)
    return reports_app(sessions)


@pytest.mark.parametrize(
    "principal", ["source:national", "agency:330106.gov", "agency:330106.hrss", "agency:330100.construction"]
)
async def test_only_offices_and_admin_may_read_reports(app: FastAPI, principal: str) -> None:
    async with client(app, principal) as caller:
        for path, params in (("/v1/reports/summary", RANGE), ("/v1/reports/index", {"quarter": "2024Q2"})):
            response = await caller.get(path, params=params)
            assert response.status_code == 403, (principal, path)
            assert response.headers["content-type"] == "application/problem+json"


async def test_no_key_is_401(app: FastAPI) -> None:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://r") as anonymous:
        response = await anonymous.get("/v1/reports/summary", params=RANGE)
    assert response.status_code == 401
    assert response.json()["status"] == 401


async def test_a_division_office_sees_its_division_and_the_city_office_everything(app: FastAPI) -> None:
    async with client(app, "agency:330106.office") as office, client(app, "agency:330100.office") as city:
        mine = (await office.get("/v1/reports/summary", params=RANGE)).json()["groups"]
        everything = (await city.get("/v1/reports/summary", params=RANGE)).json()["groups"]
    assert [g["key"] for g in mine] == ["330106"]
    assert [g["key"] for g in everything] == ["330106", "330110"]
    west = mine[0]
    assert west["label"] == "西湖区"
    assert west["received"] == 2
    assert west["closed"] == 1
    assert west["open"] == 1
    assert west["amount_owed"] == "87000.50"
    assert west["amount_recovered"] == "1000.50"
    assert west["received_by_source"]["national"] == 2
    assert west["year_earlier"]["received"] == 0
    assert west["year_earlier"]["received_growth"] is None


async def test_summary_by_agency_lists_agencies_that_held_tasks(app: FastAPI) -> None:
    async with client(app, "admin") as admin:
        response = await admin.get("/v1/reports/summary", params=RANGE | {"group_by": "agency"})
    assert response.status_code == 200
    assert response.json()["groups"] == []  # the seeded clues have no tasks


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "2024-06-30", "to": "2024-04-01"}, "to"),
        ({"from": "2014-01-01", "to": "2024-06-30"}, "to"),
        ({"from": "2024-04-31", "to": "2024-06-30"}, "query.from"),
        ({"to": "2024-06-30"}, "query.from"),
        (RANGE | {"group_by": "township"}, "query.group_by"),
    ],
)
async def test_bad_summary_requests_are_problems(app: FastAPI, params: dict[str, str], field: str) -> None:
    async with client(app, "admin") as admin:
        response = await admin.get("/v1/reports/summary", params=params)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert field in [e["field"] for e in response.json()["errors"]]


@pytest.mark.parametrize("quarter", ["2024Q5", "2024-2", ""])
async def test_a_bad_quarter_is_a_problem(app: FastAPI, quarter: str) -> None:
    async with client(app, "admin") as admin:
        for path in ("/v1/reports/index", "/v1/reports/briefing", "/v1/reports/briefing.csv"):
            response = await admin.get(path, params={"quarter": quarter})
            assert response.status_code == 422, path
            assert response.json()["errors"][0]["field"] == "quarter"


async def test_incidence_base_is_admin_only_and_validated(app: FastAPI) -> None:
    item = {"scope": "township", "division": "330106", "name": "北山街道", "base": 50}
    async with client(app, "agency:330100.office") as city, client(app, "admin") as admin:
        assert (
            await city.put("/v1/reports/reference/incidence-base", json={"items": [item]})
        ).status_code == 403
        bad = await admin.put(
            "/v1/reports/reference/incidence-base",
            json={
                "items": [
                    item | {"division": "999999"},
                    item | {"name": None},
                    item | {"scope": "industry", "name": "mining"},
                    item | {"base": 0},
                ]
            },
        )
        assert bad.status_code == 422
        assert {e["field"] for e in bad.json()["errors"]} >= {"items.0.division", "items.3.base"}
        assert (await admin.get("/v1/reports/reference/incidence-base")).json()[
            "items"
        ] == []  # nothing stored
        partly_bad = await admin.put(
            "/v1/reports/reference/incidence-base", json={"items": [item, item | {"name": " "}]}
        )
        assert partly_bad.status_code == 422
        assert partly_bad.json()["errors"] == [
            {"field": "items.1.name", "message": "give the township's name"}
        ]
        assert (await admin.get("/v1/reports/reference/incidence-base")).json()["items"] == []
        stored = await admin.put(
            "/v1/reports/reference/incidence-base",
            json={"items": [item, {"scope": "division", "division": "330110", "base": 300}]},
        )
        assert stored.status_code == 200
        assert len(stored.json()["items"]) == 2
    async with client(app, "agency:330106.office") as office:
        seen = (await office.get("/v1/reports/reference/incidence-base")).json()["items"]
    assert seen == [item | {"basis": "active_projects"}]


async def test_index_for_a_division_office_shows_its_division_only(app: FastAPI) -> None:
    async with client(app, "agency:330106.office") as office:
        response = await office.get("/v1/reports/index", params={"quarter": "2024Q2"})
    assert response.status_code == 200
    body = response.json()
    assert [u["key"] for u in body["divisions"]] == ["330106"]
    assert list(body["units"]) == ["330106"]
    west = body["divisions"][0]
    assert west["components"]["volume"]["raw"] == "2"
    assert west["components"]["growth"]["raw"] is None
    assert "growth" in west["missing"]
    townships = {u["label"] for u in body["units"]["330106"]["townships"]}
    assert {"北山街道", "灵隐街道"} <= townships
    assert body["comparison_from"] == "2023-04-01"
    assert body["policy"]["normalisation"] == "min_max"


async def test_briefing_csv_has_a_row_per_unit(app: FastAPI) -> None:
    async with client(app, "agency:330100.office") as city:
        response = await city.get("/v1/reports/briefing.csv", params={"quarter": "2024Q2"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    levels = [r["level"] for r in rows]
    assert levels.count("division") == 13
    assert levels.count("industry") == 39
    west = next(r for r in rows if r["level"] == "division" and r["key"] == "330106")
    assert west["volume_raw"] == "2"
    assert west["growth_raw"] == ""
    assert west["received"] == "2"


async def test_briefing_is_html(app: FastAPI) -> None:
    async with client(app, "admin") as admin:
        response = await admin.get("/v1/reports/briefing", params={"quarter": "2024Q2"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert 'id="ranking"' in response.text
    assert "<svg" in response.text
