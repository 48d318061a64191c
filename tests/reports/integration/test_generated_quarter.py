"""A generated quarter (2,500 clues across divisions, sources and outcomes) through the projector,
in a random order that keeps Kafka's per-clue order, some events delivered twice; the summary and
the index must agree with figures computed from the generated stories alone."""

import random
from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from routing.reports.store.tables import report_inbox
from shared.messaging import Inbox
from tests.reports.app import client, project, reports_app
from tests.reports.generated import TZ, Story, generate, interleave

CLUES = 2500
Q_START, Q_END = date(2026, 7, 1), date(2026, 9, 30)
Q_FROM = datetime.combine(Q_START, time.min, TZ)
Q_TO = datetime.combine(Q_END + timedelta(days=1), time.min, TZ)
YEAR_FROM, YEAR_TO = Q_FROM.replace(year=2025), Q_TO.replace(year=2025)
INCIDENCE_BASE = {"330102": 400, "330106": 1250}


def in_quarter(moment: datetime | None) -> bool:
    return moment is not None and Q_FROM <= moment < Q_TO


def four(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.0001'), ROUND_HALF_UP):.4f}"


@pytest.fixture(scope="module")
async def stories(sessions: async_sessionmaker[AsyncSession]) -> list[Story]:
    generated = generate(CLUES, seed=20260930)
    events = interleave(generated, seed=7)
    rng = random.Random(11)
    inbox = Inbox(report_inbox)
    async with sessions() as session, session.begin():
        for event in events:
            deliveries = 2 if rng.random() < 0.03 else 1  # Kafka redelivers: the inbox must absorb it
            for _ in range(deliveries):
                if await inbox.claim(session, event_id=event.id, topic="generated", event_type=event.type):
                    await project(session, event)
    return generated


@pytest.fixture(scope="module")
async def admin(sessions: async_sessionmaker[AsyncSession]) -> httpx.AsyncClient:
    return client(reports_app(sessions), "admin")


def expected_by(stories: list[Story], key: Callable[[Story], str | None]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = defaultdict(lambda: defaultdict(int) | {"by_source": Counter()})
    for s in stories:
        group = key(s)
        if group is None:
            continue
        e = out[group]
        if in_quarter(s.received_at):
            e["received"] += 1
            e["by_source"][s.source] += 1
            e["emergencies"] += s.emergency
            if s.lead is None:
                e["workers"] += s.workers
                e["amount_owed"] += s.amount_owed
        if in_quarter(s.closed_at):
            e["closed"] += 1
            e["amount_recovered"] += s.amount_paid or Decimal(0)
        if s.received_at < Q_TO and (s.closed_at is None or s.closed_at >= Q_TO):
            e["open"] += 1
        transfer = s.first("industry_resolve")
        if transfer is not None and in_quarter(transfer.created_at):
            e["transfers"] += 1
            seven = [d for d in s.deadlines if d.rule == "transfer_7d" and d.met_at is not None]
            e["with_7d_rule"] += bool(seven)
            e["within_7d"] += bool(seven) and not seven[0].late
        for t in s.tasks:
            if t.kind == "industry_resolve" and in_quarter(t.done_at):
                e["industry_results"] += 1
                e["industry_resolved"] += bool(t.resolved)
            if t.kind == "investigate" and t.outcome == "credit_referral" and in_quarter(t.done_at):
                e["credit"] += 1
        for kind, name in (("investigate", "cases"), ("criminal", "criminal")):
            first = s.first(kind)
            e[name] += first is not None and in_quarter(first.created_at)
        e["disputes"] += sum(1 for _, _, opened, _ in s.disputes if in_quarter(opened))
        for d in s.deadlines:
            if d.rule == "industry_15d" and in_quarter(d.met_at):
                e["settled_15d"] += 1
                e["within_15d"] += not d.late
            if d.rule.endswith(":cancelled") or not in_quarter(d.due_at):
                continue
            e["met_on_time"] += d.state == "met"
            e["breached"] += d.state == "breached"
            e["overdue"] += d.state == "breached" and d.met_at is None
    return out


def enforcement_actions(story: Story) -> int:
    """Cases filed, criminal referrals and credit punishments of the story in the quarter."""
    firsts = [story.first("investigate"), story.first("criminal")]
    made = sum(1 for t in firsts if t is not None and in_quarter(t.created_at))
    return made + sum(1 for t in story.tasks if t.outcome == "credit_referral" and in_quarter(t.done_at))


def assert_group(group: dict[str, Any], e: dict[str, Any]) -> None:
    assert group["received"] == e["received"]
    assert {k: v for k, v in group["received_by_source"].items() if v} == dict(e["by_source"])
    assert group["emergencies"] == e["emergencies"]
    assert group["workers"] == e["workers"]
    assert group["amount_owed"] == f"{Decimal(e['amount_owed']):.2f}"
    assert group["closed"] == e["closed"]
    assert group["amount_recovered"] == f"{Decimal(e['amount_recovered']):.2f}"
    assert group["open"] == e["open"]
    assert group["transfers"]["count"] == e["transfers"]
    assert group["transfers"]["with_7d_rule"] == e["with_7d_rule"]
    assert group["transfers"]["within_7d"] == e["within_7d"]
    assert group["industry_results"]["count"] == e["industry_results"]
    assert group["industry_results"]["resolved"] == e["industry_resolved"]
    assert group["industry_results"]["settled_15d"] == e["settled_15d"]
    assert group["industry_results"]["within_15d"] == e["within_15d"]
    assert group["cases_filed"] == e["cases"]
    assert group["criminal_referrals"] == e["criminal"]
    assert group["credit_referrals"] == e["credit"]
    assert group["disputes"] == e["disputes"]
    assert group["deadlines"]["met_on_time"] == e["met_on_time"]
    assert group["deadlines"]["breached"] == e["breached"]
    assert group["deadlines"]["still_overdue"] == e["overdue"]


async def test_the_generated_data_covers_every_figure(stories: list[Story]) -> None:
    everything = expected_by(stories, lambda _: "city")["city"]
    for figure in (
        "received",
        "closed",
        "transfers",
        "within_7d",
        "settled_15d",
        "cases",
        "criminal",
        "credit",
    ):
        assert everything[figure] > 10, figure
    for figure in ("disputes", "emergencies", "met_on_time", "breached", "overdue"):
        assert everything[figure] > 0, figure
    assert everything["within_7d"] < everything["with_7d_rule"], "some transfers must be late"
    assert any(s.moved_to for s in stories)
    assert any(s.lead for s in stories)


async def test_summary_by_division_matches_the_stories(
    stories: list[Story], admin: httpx.AsyncClient
) -> None:
    response = await admin.get("/v1/reports/summary", params={"from": "2026-07-01", "to": "2026-09-30"})
    assert response.status_code == 200, response.text
    groups = {g["key"]: g for g in response.json()["groups"]}
    expected = expected_by(stories, lambda s: s.current_division)
    assert set(groups) == {k for k, e in expected.items() if any(v for v in e.values())}
    for key, e in expected.items():
        assert_group(groups[key], e)


async def test_summary_by_industry_authority_matches_the_stories(
    stories: list[Story], admin: httpx.AsyncClient
) -> None:
    response = await admin.get(
        "/v1/reports/summary", params={"from": "2026-07-01", "to": "2026-09-30", "group_by": "industry"}
    )
    assert response.status_code == 200, response.text
    groups = {g["key"]: g for g in response.json()["groups"]}
    expected = expected_by(stories, lambda s: s.industry_agency)
    assert groups.keys() >= {k for k, e in expected.items() if e["received"]}
    for key, e in expected.items():
        if key in groups:
            assert groups[key]["received"] == e["received"]
            assert groups[key]["transfers"]["within_7d"] == e["within_7d"]
            assert groups[key]["deadlines"]["breached"] == e["breached"]


async def test_growth_compares_the_previous_period_and_the_year_before(
    stories: list[Story], admin: httpx.AsyncClient
) -> None:
    response = await admin.get("/v1/reports/summary", params={"from": "2026-07-01", "to": "2026-09-30"})
    previous_from = datetime.combine(date(2026, 3, 31), time.min, TZ)  # 92 days, like the quarter
    for group in response.json()["groups"]:
        mine = [s for s in stories if s.current_division == group["key"]]
        now = sum(1 for s in mine if in_quarter(s.received_at))
        before = sum(1 for s in mine if previous_from <= s.received_at < Q_FROM)
        a_year_ago = sum(1 for s in mine if YEAR_FROM <= s.received_at < YEAR_TO)
        assert group["previous_period"]["from"] == "2026-03-31"
        assert group["previous_period"]["received"] == before
        assert group["year_earlier"]["received"] == a_year_ago
        expected = four(Decimal(now - a_year_ago) / a_year_ago) if a_year_ago else None
        assert group["year_earlier"]["received_growth"] == expected


async def test_index_components_match_the_stories(stories: list[Story], admin: httpx.AsyncClient) -> None:
    loaded = await admin.put(
        "/v1/reports/reference/incidence-base",
        json={"items": [{"scope": "division", "division": d, "base": b} for d, b in INCIDENCE_BASE.items()]},
    )
    assert loaded.status_code == 200, loaded.text
    response = await admin.get("/v1/reports/index", params={"quarter": "2026Q3"})
    assert response.status_code == 200, response.text
    body = response.json()
    by_key = {u["key"]: u for u in body["divisions"]}
    assert len(by_key) == 13
    for key, unit in by_key.items():
        mine = [s for s in stories if s.current_division == key]
        received = sum(1 for s in mine if in_quarter(s.received_at))
        earlier = sum(1 for s in mine if YEAR_FROM <= s.received_at < YEAR_TO)
        actions = sum(enforcement_actions(s) for s in mine)
        closed = [s for s in mine if in_quarter(s.closed_at) and s.outcome != "unsubstantiated"]
        effective = sum(1 for s in closed if s.outcome == "resolved")
        components = unit["components"]
        assert components["volume"]["raw"] == str(received)
        assert components["growth"]["raw"] == (
            four(Decimal(received - earlier) / earlier) if earlier else None
        )
        assert components["enforcement"]["raw"] == (
            four(Decimal(actions * 100) / received) if received else None
        )
        assert components["resolution"]["raw"] == (four(Decimal(effective) / len(closed)) if closed else None)
        base = INCIDENCE_BASE.get(key)
        assert components["incidence"]["raw"] == (four(Decimal(received * 100) / base) if base else None)
        assert ("incidence" in unit["missing"]) is (base is None)
    ranked = [u for u in body["divisions"] if u["rank"] is not None]
    scores = [Decimal(u["score"]) for u in ranked]
    assert scores == sorted(scores, reverse=True)
    assert ranked[0]["rank"] == 1


async def test_index_scores_industry_authorities_by_their_own_results(
    stories: list[Story], admin: httpx.AsyncClient
) -> None:
    response = await admin.get("/v1/reports/index", params={"quarter": "2026Q3"})
    units = response.json()["units"]["330106"]
    assert {u["key"] for u in units["industry_authorities"]} == {
        "330106.construction",
        "330106.transport",
        "330106.water",
    }
    for unit in units["industry_authorities"]:
        done = [
            t
            for s in stories
            for t in s.tasks
            if t.kind == "industry_resolve" and t.agency_id == unit["key"] and in_quarter(t.done_at)
        ]
        resolved = sum(1 for t in done if t.resolved)
        assert unit["components"]["resolution"]["raw"] == (
            four(Decimal(resolved) / len(done)) if done else None
        )
        received = sum(1 for s in stories if s.industry_agency == unit["key"] and in_quarter(s.received_at))
        assert unit["components"]["volume"]["raw"] == str(received)
    townships = {u["label"]: u for u in units["townships"]}
    for name, unit in townships.items():
        received = sum(
            1
            for s in stories
            if s.current_division == "330106" and s.township == name and in_quarter(s.received_at)
        )
        assert unit["components"]["volume"]["raw"] == str(received)
