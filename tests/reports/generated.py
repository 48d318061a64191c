"""A generated quarter of realistic report events, with the truth kept beside them.

Every clue is a :class:`Story`: what happened to it, decided by a seeded random generator. The
events a story produces are what intake, routing and deadlines emit; the expected figures are
computed from the stories alone, never from the read model.
"""

import random
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from shared.events import CloudEvent, new_event
from shared.places import DIVISIONS

TZ = ZoneInfo("Asia/Shanghai")
AS_OF = datetime(2026, 10, 20, 12, 0, tzinfo=TZ)
SOURCES = ("national", "provincial", "city", "police110", "petition", "opinion", "onsite")
SOURCE_WEIGHTS = (30, 15, 20, 10, 10, 5, 10)
PROJECT_KINDS = ("building", "municipal", "transport", "water", "other", "none")
KIND_WEIGHTS = (40, 10, 12, 8, 20, 10)
INDUSTRY = {
    "building": "construction",
    "municipal": "construction",
    "transport": "transport",
    "water": "water",
}
TOWNSHIPS = ("东街道", "西街道", "南镇")
# Period of receipt: 2026Q3 (reported), 2026Q2 (previous), 2025Q3 (a year earlier).
WINDOWS = (
    ((date(2026, 7, 1), date(2026, 9, 30)), 70),
    ((date(2026, 4, 1), date(2026, 6, 30)), 18),
    ((date(2025, 7, 1), date(2025, 9, 30)), 12),
)


def end_of(day: date) -> datetime:
    return datetime.combine(day, time(23, 59, 59), TZ)


@dataclass
class Task:
    task_id: str
    kind: str
    agency_id: str
    created_at: datetime
    done_at: datetime | None = None
    resolved: bool | None = None
    outcome: str | None = None


@dataclass
class Deadline:
    deadline_id: str
    rule: str
    agency_id: str | None
    task_id: str | None
    starts_on: date
    due_at: datetime
    met_at: datetime | None

    @property
    def late(self) -> bool:
        return self.met_at is not None and self.met_at > self.due_at

    @property
    def state(self) -> str:
        if self.met_at is not None:
            return "breached" if self.late else "met"
        return "breached" if self.due_at < AS_OF else "running"


@dataclass
class Story:
    clue_id: str
    source: str
    division: str
    township: str | None
    project_kind: str
    received_at: datetime
    workers: int
    amount_owed: Decimal
    lead: "Story | None" = None
    moved_to: str | None = None
    moved_at: datetime | None = None
    tasks: list[Task] = field(default_factory=list)
    deadlines: list[Deadline] = field(default_factory=list)
    disputes: list[tuple[str, str, datetime, datetime]] = field(default_factory=list)
    closed_at: datetime | None = None
    outcome: str | None = None
    amount_paid: Decimal | None = None

    @property
    def emergency(self) -> bool:
        return self.workers >= 30 or self.amount_owed >= Decimal("1000000.00")

    @property
    def current_division(self) -> str:
        return self.moved_to or self.division

    @property
    def industry_agency(self) -> str | None:
        kind = INDUSTRY.get(self.project_kind)
        return f"{self.current_division}.{kind}" if kind else None

    def first(self, kind: str) -> Task | None:
        found = [t for t in self.tasks if t.kind == kind]
        return min(found, key=lambda t: t.created_at) if found else None


def generate(count: int, seed: int) -> list[Story]:
    rng = random.Random(seed)
    division_weights = [rng.randint(2, 12) for _ in DIVISIONS]
    stories: list[Story] = []
    for _ in range(count):
        (start, end), _w = rng.choices(WINDOWS, weights=[w for _, w in WINDOWS])[0]
        day = start + timedelta(days=rng.randrange((end - start).days + 1))
        # A few clues arrive in the last half hour of a day: business-time boundaries must hold.
        minute = (
            rng.randrange(23 * 60 + 30, 24 * 60) if rng.random() < 0.05 else rng.randrange(8 * 60, 20 * 60)
        )
        received_at = datetime.combine(day, time(minute // 60, minute % 60), TZ)
        if received_at > AS_OF:
            received_at = AS_OF - timedelta(days=1)
        story = Story(
            clue_id=str(uuid.UUID(int=rng.getrandbits(128))),
            source=rng.choices(SOURCES, weights=SOURCE_WEIGHTS)[0],
            division=rng.choices(list(DIVISIONS), weights=division_weights)[0],
            township=rng.choice(TOWNSHIPS) if rng.random() < 0.9 else None,
            project_kind=rng.choices(PROJECT_KINDS, weights=KIND_WEIGHTS)[0],
            received_at=received_at,
            workers=rng.choice([rng.randint(1, 29), rng.randint(1, 29), rng.randint(30, 80)]),
            amount_owed=Decimal(rng.randint(100_000, 60_000_000 if rng.random() < 0.97 else 200_000_000))
            / 100,
        )
        leads = [
            s
            for s in stories[-200:]
            if s.lead is None and s.moved_to is None and s.division == story.division
        ]
        if leads and rng.random() < 0.05:
            story.lead = rng.choice(leads)
        else:
            _handle(story, rng)
        stories.append(story)
    for story in stories:  # linked clues close with their lead (rule 8)
        lead = story.lead
        if lead is not None and lead.closed_at is not None:
            story.closed_at = max(lead.closed_at, story.received_at + timedelta(minutes=1))
            story.outcome = lead.outcome
    return stories


def _handle(story: Story, rng: random.Random) -> None:
    division, clock = story.division, story.received_at + timedelta(hours=1)

    def task(kind: str, agency_kind: str, at: datetime) -> Task:
        made = Task(
            str(uuid.UUID(int=rng.getrandbits(128))), kind, f"{story.current_division}.{agency_kind}", at
        )
        story.tasks.append(made)
        return made

    def deadline(rule: str, owner: Task | None, starts: datetime, days: int, met_at: datetime | None) -> None:
        starts_on = starts.astimezone(TZ).date()
        story.deadlines.append(
            Deadline(
                str(uuid.UUID(int=rng.getrandbits(128))),
                rule,
                owner.agency_id if owner else None,
                owner.task_id if owner else None,
                starts_on,
                end_of(starts_on + timedelta(days=days)),
                met_at if met_at is not None and met_at <= AS_OF else None,
            )
        )

    platform = story.source in ("national", "provincial")
    first = task("verify" if platform else "resolve", "gov", clock)
    if rng.random() < 0.05:  # returned: a dispute, decided a day later, sometimes to another division
        opened = clock + timedelta(hours=2)
        decided = opened + timedelta(days=1)
        story.disputes.append((str(uuid.UUID(int=rng.getrandbits(128))), first.agency_id, opened, decided))
        if rng.random() < 0.4:
            story.moved_to = rng.choice([d for d in DIVISIONS if d != division])
            story.moved_at = decided
        first = task(first.kind, "gov", decided)
    clock = first.created_at + timedelta(hours=rng.randint(2, 72))
    first.done_at = clock
    if platform:
        review = task("review", "hrss", clock)
        clock = clock + timedelta(hours=rng.randint(2, 48))
        review.done_at = clock
    finished = clock
    industry_kind = INDUSTRY.get(story.project_kind)
    transferred: Task | None = None
    if industry_kind and rng.random() < 0.4:
        transfer_at = story.received_at + timedelta(days=rng.randint(1, 11), hours=rng.randint(0, 12))
        transferred = task("industry_resolve", industry_kind, max(transfer_at, clock))
        if rng.random() < 0.88:
            transferred.done_at = transferred.created_at + timedelta(days=rng.randint(2, 22))
            transferred.resolved = rng.random() < 0.6
            finished = max(finished, transferred.done_at)
        deadline("industry_15d", transferred, transferred.created_at, 15, transferred.done_at)
    if platform:
        deadline("transfer_7d", None, story.received_at, 7, transferred.created_at if transferred else None)
        if transferred is None:  # the review created no industry task: cancelled
            story.deadlines[-1].met_at = None
            story.deadlines[-1].rule = "transfer_7d:cancelled"
    investigate: Task | None = None
    if rng.random() < 0.2:
        investigate = task("investigate", "hrss", finished + timedelta(hours=3))
        if rng.random() < 0.85:
            investigate.done_at = investigate.created_at + timedelta(days=rng.randint(3, 20))
            investigate.outcome = rng.choices(
                ["paid", "order_issued", "penalty", "criminal_referral", "credit_referral"],
                weights=[40, 20, 15, 15, 10],
            )[0]
            finished = investigate.done_at
            if investigate.outcome == "criminal_referral":
                criminal = task("criminal", "police", investigate.done_at)
                criminal.done_at = criminal.created_at + timedelta(days=rng.randint(5, 30))
                finished = criminal.done_at
    unfinished = any(t.done_at is None or t.done_at > AS_OF for t in story.tasks)
    if not unfinished and rng.random() < 0.9:
        story.closed_at = finished + timedelta(minutes=5)
        if investigate is not None and investigate.outcome == "criminal_referral":
            story.outcome = "criminal_referral"
        elif investigate is not None:
            story.outcome = "case_filed"
        else:
            story.outcome = rng.choices(["resolved", "unsubstantiated", "unresolved"], weights=[70, 15, 15])[
                0
            ]
        paid = story.outcome in ("resolved", "case_filed", "criminal_referral") and rng.random() < 0.8
        story.amount_paid = (
            (story.amount_owed * Decimal(rng.randint(50, 100)) / 100).quantize(Decimal("0.01"))
            if paid
            else Decimal("0.00")
        )
    for t in story.tasks:
        if t.done_at is not None and t.done_at > AS_OF:
            t.done_at, t.resolved, t.outcome = None, None, None
    deadline("overall", None, story.received_at, 30, story.closed_at)


def events(story: Story) -> dict[str, list[CloudEvent]]:
    """The story's events per topic, each topic in the order its service emits them."""
    by_topic: dict[str, list[tuple[datetime, CloudEvent]]] = defaultdict(list)

    def emit(topic: str, event_type: str, at: datetime, data: dict[str, Any]) -> None:
        data = {"clue_id": story.clue_id, **data}
        by_topic[topic].append(
            (
                at,
                new_event(
                    source=f"/anxin/{topic}", type=event_type, subject=story.clue_id, data=data, time=at
                ),
            )
        )

    received = story.received_at + timedelta(seconds=30)
    emit(
        "intake",
        "clue.received",
        received,
        {
            "source": story.source,
            "external_id": f"G-{story.clue_id}",
            "submitted_by": f"source:{story.source}",
            "received_at": story.received_at.isoformat(),
            "division": story.division,
            "township": story.township,
            "employer": {"name": "杭州生成建设有限公司"},
            "project": {"name": "生成项目", "kind": story.project_kind},
            "workers": story.workers,
            "amount_owed": f"{story.amount_owed:.2f}",
            "summary": "拖欠工资",
            "flags": [],
            "emergency": story.emergency,
            "emergency_reasons": ["workers"] if story.emergency else [],
            "lead_clue_id": story.lead.clue_id if story.lead else None,
        },
    )
    if story.lead is not None:
        emit(
            "intake",
            "clue.linked",
            received,
            {"lead_clue_id": story.lead.clue_id, "division": story.division, "matched_on": {"employer": "x"}},
        )
    if story.emergency:
        emit(
            "intake",
            "clue.emergency",
            received,
            {
                "source": story.source,
                "division": story.division,
                "project_kind": story.project_kind,
                "workers": story.workers,
                "amount_owed": f"{story.amount_owed:.2f}",
                "flags": [],
                "reasons": ["workers"],
            },
        )

    def status(at: datetime, state: str) -> None:
        division = story.moved_to if story.moved_at is not None and at >= story.moved_at else story.division
        closed = state == "closed"
        emit(
            "routing",
            "clue.status",
            at,
            {
                "source": story.source,
                "submitted_by": f"source:{story.source}",
                "status": state,
                "stage": [],
                "outcome": story.outcome if closed else None,
                "amount_paid": f"{story.amount_paid:.2f}"
                if closed and story.amount_paid is not None
                else None,
                "division": division,
                "closed_at": at.isoformat() if closed else None,
            },
        )

    for t in story.tasks:
        emit(
            "routing",
            "task.assigned",
            t.created_at,
            {
                "task_id": t.task_id,
                "kind": t.kind,
                "agency_id": t.agency_id,
                "state": "open",
                "reason": "generated",
                "division": t.agency_id.split(".")[0],
                "created_at": t.created_at.isoformat(),
            },
        )
        if t.done_at is not None:
            result: dict[str, Any] = {"note": "generated"}
            if t.resolved is not None:
                result["resolved"] = t.resolved
            if t.outcome is not None:
                result["outcome"] = t.outcome
            emit(
                "routing",
                "task.updated",
                t.done_at,
                {
                    "task_id": t.task_id,
                    "kind": t.kind,
                    "agency_id": t.agency_id,
                    "state": "done",
                    "previous_state": "accepted",
                    "updated_at": t.done_at.isoformat(),
                    "result": result,
                },
            )
    if story.tasks:
        status(story.tasks[0].created_at, "in_progress")
    for dispute_id, from_agency, opened, decided in story.disputes:
        common = {"dispute_id": dispute_id, "task_id": story.tasks[0].task_id, "from_agency": from_agency}
        common |= {"reason": "not ours", "arbiter": f"{story.division}.office"}
        emit("routing", "dispute.opened", opened, common | {"state": "pending"})
        moved = {"moved_to_division": story.moved_to} if story.moved_to else {}
        emit("routing", "dispute.decided", decided, common | {"state": "decided"} | moved)
        if story.moved_to:
            status(decided, "in_progress")
    if story.closed_at is not None:
        status(story.closed_at, "closed")
    for d in story.deadlines:
        cancelled = d.rule.endswith(":cancelled")
        rule = d.rule.split(":")[0]

        def deadline_event(
            event_type: str, at: datetime, state: str, late: bool, d: Deadline = d, rule: str = rule
        ) -> None:
            emit(
                "deadlines",
                event_type,
                at,
                {
                    "deadline_id": d.deadline_id,
                    "rule": rule,
                    "task_id": d.task_id,
                    "agency_id": d.agency_id,
                    "division": story.division,
                    "starts_on": d.starts_on.isoformat(),
                    "due_at": d.due_at.isoformat(),
                    "state": state,
                    "late": late,
                    "provisional": False,
                    "holders": [],
                },
            )

        deadline_event(
            "deadline.started",
            received if rule != "industry_15d" else d.due_at - timedelta(days=15),
            "running",
            False,
        )
        if cancelled:
            deadline_event("deadline.cancelled", story.received_at + timedelta(days=2), "cancelled", False)
            continue
        if d.due_at < AS_OF and (d.met_at is None or d.met_at > d.due_at):
            deadline_event("deadline.breached", d.due_at + timedelta(seconds=1), "breached", False)
        if d.met_at is not None:
            deadline_event("deadline.met", d.met_at, d.state, d.late)
    return {topic: [e for _, e in sorted(items, key=lambda p: p[0])] for topic, items in by_topic.items()}


def interleave(stories: list[Story], seed: int) -> list[CloudEvent]:
    """All events in a random order that keeps each clue's events of one topic in order, as Kafka does."""
    rng = random.Random(seed)
    queues = [queue for story in stories for queue in events(story).values()]
    positions = [0] * len(queues)
    live = list(range(len(queues)))
    out: list[CloudEvent] = []
    while live:
        pick = rng.randrange(len(live))
        q = live[pick]
        out.append(queues[q][positions[q]])
        positions[q] += 1
        if positions[q] == len(queues[q]):
            live[pick] = live[-1]
            live.pop()
    return out
