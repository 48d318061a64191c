"""Reports at scale: 1,000,000 clues (three years) in the report tables. Times the quarter's summary by
division, by agency and by industry authority, the quarter's index, and the briefing's HTML, beside a
baseline count(*) over the clue table. Uses a database of its own (anxin_bench_reports), which it
recreates; needs PostgreSQL (`make up`). BENCH_REPORT_CLUES sets the size."""

import asyncio
import os
import statistics
import time
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, create_async_engine

from bench.results import write_section
from routing.reports.app.briefing import render_briefing
from routing.reports.app.commands import ShowIndex, ShowSummary
from routing.reports.app.index import build_index
from routing.reports.app.summary import summarise
from routing.reports.domain.figures import GroupBy
from routing.reports.domain.periods import Quarter
from routing.reports.settings import ReportsSettings
from routing.reports.store.tables import metadata
from routing.reports.store.unit_of_work import SqlUnitOfWork
from shared.db import make_engine, make_session_factory

DATABASE = "anxin_bench_reports"
SERVER = "postgresql+asyncpg://postgres@127.0.0.1:5433/postgres"
URL = f"postgresql+asyncpg://anxin:anxin@127.0.0.1:5433/{DATABASE}"
CLUES = int(os.environ.get("BENCH_REPORT_CLUES", "1000000"))
QUARTER = Quarter.parse("2026Q2")
REPEATS = 5

# Three years of clues, spread evenly; facts drawn so that every figure has data.
LOAD = [
    """
    INSERT INTO routing.report_clues (clue_id, source, received_division, township, project_kind, received_at,
        emergency, workers, amount_owed, lead_clue_id, status_division, division, status, outcome, amount_paid,
        closed_at, industry_agency, transfer_at, transfer_on_time, case_filed_at, criminal_referral_at,
        credit_referral_at)
    SELECT md5(i::text)::uuid::text, (ARRAY['national','provincial','city','police110','petition','opinion',
           'onsite'])[1 + i % 7], d, t, k, r, w >= 30, w, a, CASE WHEN i % 20 = 0 THEN md5((i - 1)::text) END,
           NULL, d, CASE WHEN closed THEN 'closed' ELSE 'in_progress' END,
           CASE WHEN closed THEN (ARRAY['resolved','resolved','resolved','unsubstantiated','unresolved',
                'case_filed','criminal_referral'])[1 + i % 7] END,
           CASE WHEN closed THEN round(a * 0.8, 2) END,
           CASE WHEN closed THEN r + (1 + i % 40) * interval '1 day' END,
           CASE WHEN k IN ('building','municipal') THEN d || '.construction'
                WHEN k = 'transport' THEN d || '.transport' WHEN k = 'water' THEN d || '.water' END,
           CASE WHEN i % 5 = 0 THEN r + (1 + i % 10) * interval '1 day' END,
           CASE WHEN i % 5 = 0 AND i % 7 < 2 THEN (i % 10) < 7 END,
           CASE WHEN i % 10 = 1 THEN r + interval '3 days' END,
           CASE WHEN i % 50 = 1 THEN r + interval '20 days' END,
           CASE WHEN i % 70 = 1 THEN r + interval '25 days' END
      FROM generate_series(1::bigint, :n) AS i,
           LATERAL (SELECT (ARRAY['330102','330105','330106','330108','330109','330110','330111','330112',
                                  '330113','330114','330122','330127','330182'])[1 + (i * 7919) % 13] AS d,
                           (ARRAY['东街道','西街道','南镇',NULL])[1 + i % 4] AS t,
                           (ARRAY['building','municipal','transport','water','other','none'])[1 + (i / 7) % 6] AS k,
                           timestamptz '2024-01-01 00:00+08' + (i::float / :n) * interval '1095 days' AS r,
                           1 + (i * 31) % 60 AS w, round(((i * 7717) % 2000000)::numeric / 3, 2) AS a,
                           (i % 10) < 8 AS closed) AS f
    """,
    """
    INSERT INTO routing.report_clue_agencies (clue_id, agency_id)
    SELECT clue_id, division || '.gov' FROM routing.report_clues WHERE lead_clue_id IS NULL
    UNION ALL
    SELECT clue_id, industry_agency FROM routing.report_clues WHERE transfer_at IS NOT NULL
           AND industry_agency IS NOT NULL
    """,
    """
    INSERT INTO routing.report_tasks (task_id, clue_id, kind, agency_id, state, created_at, done_at, resolved)
    SELECT md5('t' || clue_id)::uuid::text, clue_id, 'industry_resolve', industry_agency,
           CASE WHEN closed_at IS NULL THEN 'open' ELSE 'done' END, transfer_at,
           CASE WHEN closed_at IS NOT NULL THEN transfer_at + interval '9 days' END,
           CASE WHEN closed_at IS NOT NULL THEN outcome = 'resolved' END
      FROM routing.report_clues WHERE transfer_at IS NOT NULL AND industry_agency IS NOT NULL
    """,
    """
    INSERT INTO routing.report_deadlines (deadline_id, clue_id, task_id, rule, agency_id, due_at, state, late,
        settled_at)
    SELECT md5('d' || clue_id), clue_id, NULL, 'overall', NULL, received_at + interval '30 days',
           CASE WHEN closed_at IS NULL THEN (CASE WHEN received_at + interval '30 days' < now() THEN 'breached'
                ELSE 'running' END)
                WHEN closed_at <= received_at + interval '30 days' THEN 'met' ELSE 'breached' END,
           coalesce(closed_at > received_at + interval '30 days', false), closed_at
      FROM routing.report_clues WHERE lead_clue_id IS NULL
    UNION ALL
    SELECT md5('i' || clue_id), clue_id, md5('t' || clue_id)::uuid::text, 'industry_15d', industry_agency,
           transfer_at + interval '15 days', CASE WHEN closed_at IS NULL THEN 'running' ELSE 'met' END, false,
           CASE WHEN closed_at IS NOT NULL THEN transfer_at + interval '9 days' END
      FROM routing.report_clues WHERE transfer_at IS NOT NULL AND industry_agency IS NOT NULL
    """,
    """
    INSERT INTO routing.report_disputes (dispute_id, clue_id, from_agency, opened_at, decided_at)
    SELECT md5('p' || clue_id)::uuid::text, clue_id, division || '.gov', received_at + interval '2 hours',
           received_at + interval '1 day'
      FROM routing.report_clues WHERE abs(hashtext(clue_id)) % 33 = 0
    """,
]


async def fresh_database() -> AsyncEngine:
    server = create_async_engine(SERVER, isolation_level="AUTOCOMMIT")
    async with server.connect() as connection:
        await connection.execute(text(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)"))
        await connection.execute(text(f"CREATE DATABASE {DATABASE} OWNER anxin"))
    await server.dispose()
    engine = make_engine(URL)
    async with engine.begin() as connection:
        await connection.execute(text("CREATE SCHEMA routing"))
        await connection.run_sync(metadata.create_all)
    return engine


async def load(engine: AsyncEngine) -> tuple[float, dict[str, int]]:
    started = time.perf_counter()
    async with engine.begin() as connection:
        for statement in LOAD:
            await connection.execute(text(statement), {"n": CLUES})
    async with engine.connect() as connection:
        await connection.execution_options(isolation_level="AUTOCOMMIT")
        await connection.execute(text("VACUUM ANALYZE"))
        counts = {
            table: int((await connection.execute(text(f"SELECT count(*) FROM routing.{table}"))).scalar_one())
            for table in (
                "report_clues",
                "report_clue_agencies",
                "report_tasks",
                "report_deadlines",
                "report_disputes",
            )
        }
    return time.perf_counter() - started, counts


async def timed(engine: AsyncEngine, run: Callable[[AsyncSession], Awaitable[Any]]) -> tuple[float, float]:
    """Median and worst seconds over REPEATS runs, after one warm-up."""
    sessions = make_session_factory(engine)
    samples = []
    for attempt in range(REPEATS + 1):
        async with sessions() as session:
            started = time.perf_counter()
            await run(session)
            if attempt:
                samples.append(time.perf_counter() - started)
    return statistics.median(samples), max(samples)


async def measure() -> str:
    engine = await fresh_database()
    seconds, counts = await load(engine)
    settings = ReportsSettings()
    period = QUARTER.period

    async def baseline(session: AsyncSession) -> None:
        await session.execute(text("SELECT count(*) FROM routing.report_clues"))

    def summary(group_by: GroupBy) -> Callable[[AsyncSession], Awaitable[Any]]:
        async def run(session: AsyncSession) -> None:
            await summarise(ShowSummary(period, group_by, None), uow=SqlUnitOfWork(session))

        return run

    async def index(session: AsyncSession) -> None:
        await build_index(ShowIndex(QUARTER, None), uow=SqlUnitOfWork(session), settings=settings)

    async def briefing(session: AsyncSession) -> None:
        await render_briefing(ShowIndex(QUARTER, None), uow=SqlUnitOfWork(session), settings=settings)

    async def division_office(session: AsyncSession) -> None:
        await summarise(ShowSummary(period, GroupBy.DIVISION, "330106"), uow=SqlUnitOfWork(session))

    cases = {
        "baseline: `count(*)` over report_clues": baseline,
        f"summary {QUARTER} by division (with both growth comparisons)": summary(GroupBy.DIVISION),
        f"summary {QUARTER} by industry authority": summary(GroupBy.INDUSTRY),
        f"summary {QUARTER} by agency": summary(GroupBy.AGENCY),
        f"summary {QUARTER} for one division office": division_office,
        f"index {QUARTER} (divisions, industry authorities, townships)": index,
        f"briefing {QUARTER} (index and HTML)": briefing,
    }
    results = {name: await timed(engine, run) for name, run in cases.items()}
    await engine.dispose()
    base = results["baseline: `count(*)` over report_clues"][0]
    rows = "\n".join(
        f"| {name} | {median * 1000:.0f} | {worst * 1000:.0f} | {median / base:.1f}× |"
        for name, (median, worst) in results.items()
    )
    loaded = ", ".join(f"{table} {count:,}" for table, count in counts.items())
    return (
        f"{CLUES:,} clues received evenly over 2024-2026 (a quarter holds about {CLUES // 12:,}); "
        f"loaded in {seconds:.0f} s with VACUUM ANALYZE ({loaded}).\n"
        f"Median and worst of {REPEATS} runs after a warm-up, in a fresh session each.\n\n"
        "| query | median ms | worst ms | × baseline |\n|---|---:|---:|---:|\n" + rows
    )


def main() -> None:
    body = asyncio.run(measure())
    print(body)
    write_section("reports", body)


if __name__ == "__main__":
    main()
