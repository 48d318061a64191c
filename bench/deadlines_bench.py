"""Deadlines at scale: 1,000,000 open deadlines in PostgreSQL. Measures the time to find and fire the
alarms due in the next minute (beside a scan of the deadlines table, the baseline an index avoids),
the time to recompute after an official calendar is loaded, and how late the scheduler fires alarms
after their moment. Uses a database of its own (anxin_bench); needs PostgreSQL (`make up`)."""

import asyncio
import os
import random
import statistics
import subprocess
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bench.results import write_section
from deadlines.app.alarms import fire_due_alarms
from deadlines.app.calendar_years import load_calendar_year
from deadlines.app.commands import FireDueAlarms, LoadCalendarYear
from deadlines.consumers.scheduler import AlarmScheduler
from deadlines.domain.calendar import YearSchedule
from deadlines.settings import DeadlinesSettings
from deadlines.store.tables import outbox
from deadlines.store.unit_of_work import SqlDeadlinesPorts
from shared.db import make_engine, make_session_factory
from shared.events import DEADLINES_TOPIC
from shared.messaging import Outbox

REPO_ROOT = Path(__file__).resolve().parent.parent
DATABASE = "anxin_bench"
URL = f"postgresql+asyncpg://anxin:anxin@127.0.0.1:5433/{DATABASE}"
OPEN_DEADLINES = int(os.environ.get("BENCH_DEADLINES", "1000000"))
DUE_NEXT_MINUTE = 1000
CROSSING_2027 = OPEN_DEADLINES // 10
LATENESS_SAMPLES = 300


def fresh_database() -> None:
    subprocess.run(["bash", str(REPO_ROOT / "deploy/local/stack.sh"), "fresh-db"], check=True,
                   env={**os.environ, "ANXIN_DB": DATABASE})  # fmt: skip
    subprocess.run([str(REPO_ROOT / ".venv/bin/alembic"), "-c", "alembic.ini", "upgrade", "head"], check=True,
                   cwd=REPO_ROOT / "services/deadlines", env={**os.environ, "ANXIN_DATABASE_URL": URL})  # fmt: skip


async def load(engine: AsyncEngine) -> float:
    """Bulk-load the deadlines and their alarms; returns seconds taken."""
    started = time.perf_counter()
    async with engine.begin() as connection:
        await connection.execute(
            text(
                """
                INSERT INTO deadlines.deadlines (deadline_id, clue_id, task_id, scope, rule, agency_id, division,
                    source, starts_on, start_at, "limit", last_day, due_at, provisional, state, late,
                    dispute_seconds, created_at, updated_at)
                SELECT md5(i::text), md5('c' || i), NULL, '', 'overall', NULL, '330106', 'national',
                       d::date, d, '{"days": 30, "mode": "calendar_days", "hours": null}',
                       (d + interval '30 days')::date, due, i <= :crossing, 'running', false, 0, now(), now()
                  FROM generate_series(1, :n) AS i,
                       LATERAL (SELECT CASE WHEN i <= :crossing THEN timestamptz '2026-12-15 10:00+08'
                                            ELSE now() - interval '1 day' END AS d) AS s,
                       LATERAL (SELECT CASE WHEN i > :n - :due THEN now() + (i % 50) * interval '1 second'
                                            ELSE now() + interval '2 days' + (i % 86400) * interval '1 minute'
                                       END AS due) AS t
                """
            ),
            {"n": OPEN_DEADLINES, "crossing": CROSSING_2027, "due": DUE_NEXT_MINUTE},
        )
        await connection.execute(
            text(
                """
                INSERT INTO deadlines.alarms (deadline_id, kind, fire_at)
                SELECT deadline_id, 'breached', due_at FROM deadlines.deadlines
                """
            )
        )
        await connection.execute(text("ANALYZE deadlines.deadlines"))
        await connection.execute(text("ANALYZE deadlines.alarms"))
    return time.perf_counter() - started


async def timed(engine: AsyncEngine, sql: str, repeats: int = 5) -> tuple[float, int]:
    """Best of ``repeats`` wall times in ms, and the count the query returned."""
    best, count = float("inf"), 0
    for _ in range(repeats):
        async with engine.connect() as connection:
            started = time.perf_counter()
            count = (await connection.execute(text(sql))).scalar_one()
            best = min(best, (time.perf_counter() - started) * 1000)
    return best, count


async def fire_next_minute(ports: SqlDeadlinesPorts) -> tuple[float, int]:
    moment = datetime.now(UTC) + timedelta(minutes=1)
    started, fired = time.perf_counter(), 0
    while True:
        async with ports.transaction() as uow:
            batch = await fire_due_alarms(FireDueAlarms(), uow=uow, now=moment)
        fired += batch
        if batch == 0:
            return time.perf_counter() - started, fired


async def recompute(ports: SqlDeadlinesPorts) -> tuple[float, int]:
    schedule = YearSchedule(
        year=2027,
        holidays={date(2027, 1, 1): "元旦", date(2027, 1, 14): "测试假日", date(2027, 1, 15): "测试假日"},
        workdays=frozenset(),
    )
    started = time.perf_counter()
    async with ports.transaction() as uow:
        recomputed = await load_calendar_year(
            LoadCalendarYear(schedule=schedule, loaded_by="bench"),
            uow=uow,
            now=datetime.now(UTC),
            policy=ports.policy,
        )
    return time.perf_counter() - started, recomputed


async def lateness(ports: SqlDeadlinesPorts, engine: AsyncEngine) -> list[float]:
    """Run the real scheduler while alarms come due over ten seconds; lateness of each, in ms."""
    async with engine.begin() as connection:
        await connection.execute(
            text("DELETE FROM deadlines.alarms WHERE fired_at IS NULL AND fire_at < now() + interval '1 day'")
        )
        ids = (
            (
                await connection.execute(
                    text(f"SELECT deadline_id FROM deadlines.deadlines LIMIT {LATENESS_SAMPLES}")
                )
            )
            .scalars()
            .all()
        )
        start = datetime.now(UTC) + timedelta(seconds=2)
        for i, deadline_id in enumerate(ids):
            fire_at = start + timedelta(milliseconds=random.randrange(0, 10_000))
            await connection.execute(
                text("INSERT INTO deadlines.alarms (deadline_id, kind, fire_at) VALUES (:d, :k, :f)"),
                {"d": deadline_id, "k": f"due_soon:{1000 + i}", "f": fire_at},
            )
            await connection.execute(
                text("UPDATE deadlines.deadlines SET state = 'running', met_at = NULL WHERE deadline_id = :d"),
                {"d": deadline_id},
            )  # fmt: skip
    scheduler = AlarmScheduler(transaction=ports.transaction, max_sleep_seconds=30)
    task = asyncio.ensure_future(scheduler.run())
    await asyncio.sleep(14)
    task.cancel()
    async with engine.connect() as connection:
        rows = await connection.execute(
            text("SELECT extract(epoch FROM fired_at - fire_at) * 1000 FROM deadlines.alarms "
                 "WHERE kind ~ '^due_soon:1[0-9]{3}$' AND fired_at IS NOT NULL")
        )  # fmt: skip
        return sorted(float(r[0]) for r in rows)


async def measure() -> str:
    engine = make_engine(URL)
    ports = SqlDeadlinesPorts(
        make_session_factory(engine),
        Outbox(outbox, DEADLINES_TOPIC),
        policy=DeadlinesSettings().policy(),
        after_commit=lambda: None,
    )
    load_seconds = await load(engine)
    indexed_ms, due_count = await timed(
        engine,
        "SELECT count(*) FROM deadlines.alarms WHERE fired_at IS NULL AND fire_at <= now() + interval '1 minute'",
    )
    scan_ms, scan_count = await timed(
        engine,
        "SELECT count(*) FROM deadlines.deadlines WHERE state = 'running' AND due_at <= now() + interval '1 minute'",
    )
    fire_seconds, fired = await fire_next_minute(ports)
    recompute_seconds, recomputed = await recompute(ports)
    late = await lateness(ports, engine)
    await engine.dispose()
    p99 = late[min(len(late) - 1, int(0.99 * (len(late) - 1)))] if late else float("nan")
    return f"""
{OPEN_DEADLINES:,} running deadlines with one pending alarm each (bulk load took {load_seconds:.1f} s).

| step | result | time |
|---|---|---|
| find the alarms due in the next minute (partial index `ix_alarms_pending`) | {due_count} | {indexed_ms:.2f} ms |
| baseline: the same question asked of the deadlines table (sequential scan) | {scan_count} | {scan_ms:.1f} ms |
| ratio scan / index | | {scan_ms / indexed_ms:.0f}x |
| fire them: state change + `deadline.breached` into the outbox, batches of 500 | {fired} | {fire_seconds:.2f} s |
| load the 2027 calendar, recompute those crossing it | {recomputed} of {CROSSING_2027:,} | {recompute_seconds:.1f} s |

Scheduler lateness ({len(late)} alarms due at random moments over 10 s, real `AlarmScheduler`, wake at
the next moment from the index): p50 {statistics.median(late):.0f} ms, p99 {p99:.0f} ms, max {late[-1]:.0f} ms.
"""


def main() -> None:
    fresh_database()
    body = asyncio.run(measure())
    write_section("deadlines", body)
    print(body)


if __name__ == "__main__":
    main()
