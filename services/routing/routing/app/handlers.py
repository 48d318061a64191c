"""Routing's use cases: route a clue, act on tasks, decide disputes, close clues.

Each runs in the caller's transaction: it locks the clue row first, so one clue's changes are
serialised; then it asks the pure rules what follows, saves it, appends to the case timeline and
writes its events to the outbox.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from routing.app import handling
from routing.app.access import clue_access
from routing.app.handling import facts_of
from routing.app.results import parse_result
from routing.domain import rules
from routing.domain.agencies import division_of, is_known_agency
from routing.domain.errors import DomainError, IllegalTransition, UnknownAgencyError
from routing.domain.model import (
    CITY_DIVISION,
    ClueStatus,
    CompletedTask,
    TaskKind,
    TaskPlan,
    TaskState,
)
from routing.domain.timeline import GENESIS, entry_hash
from routing.settings import RoutingSettings
from routing.store.tables import ClueRow, DeadlineViewRow, DisputeRow, TaskRow, TimelineRow
from shared.auth import Principal
from shared.events import new_event
from shared.masking import scrub_free_text
from shared.messaging import Outbox
from shared.money import format_amount

EVENT_SOURCE = "/anxin/routing"


class NotFound(Exception):
    pass


class NotHolder(Exception):
    """The caller sees the task but does not hold it."""


class NotArbiter(Exception):
    pass


class InvalidCompletion(Exception):
    def __init__(self, errors: list[dict[str, str]]) -> None:
        super().__init__("invalid completion")
        self.errors = errors


@dataclass(frozen=True)
class Actor:
    """Who caused a change: a principal, or the system itself."""

    name: str

    @classmethod
    def of(cls, principal: Principal) -> "Actor":
        return cls(str(principal))


SYSTEM = Actor("system")


class Workflow:
    def __init__(self, settings: RoutingSettings, outbox: Outbox) -> None:
        self.settings = settings
        self.outbox = outbox

    # -- clues -------------------------------------------------------------------------------

    async def receive_clue(self, session: AsyncSession, data: dict[str, Any], now: datetime) -> None:
        """A new clue from intake: its first tasks (rule 1, rule 7), or joining its lead's handling (rule 8)."""
        if await session.get(ClueRow, data["clue_id"]) is not None:
            return
        project = data.get("project") or {}
        clue = ClueRow(
            clue_id=data["clue_id"],
            source=data["source"],
            submitted_by=data["submitted_by"],
            division=data["division"],
            original_division=data["division"],
            township=data.get("township"),
            project_kind=project.get("kind"),
            emergency=bool(data.get("emergency")),
            flags=list(data.get("flags", [])),
            received_at=datetime.fromisoformat(data["received_at"]),
            workers=int(data["workers"]),
            amount_owed=Decimal(data["amount_owed"]),
            snapshot=data,
            lead_clue_id=data.get("lead_clue_id"),
            status=ClueStatus.RECEIVED,
            created_at=now,
            updated_at=now,
        )
        session.add(clue)
        await session.flush()
        await self._append(session, clue.clue_id, SYSTEM, "received", now, detail={"source": clue.source})
        if clue.lead_clue_id is not None:
            # Locked, so the lead cannot close unseen while this clue joins it.
            lead = await session.get(ClueRow, clue.lead_clue_id, with_for_update=True)
            if lead is None:
                # The lead's clue.received is on another partition and not here yet: it adopts this one.
                detail = {"lead_clue_id": clue.lead_clue_id}
                await self._append(session, clue.clue_id, SYSTEM, "awaiting_lead", now, detail=detail)
                plans = rules.joining_tasks(facts_of(clue))  # rule 7 does not wait for the lead
                for plan in plans:
                    await self._assign(session, clue, plan, now, created_by=None)
                if plans:
                    await self._status_changed(session, clue, now)
                return
            if lead.lead_clue_id is not None:  # the lead joined another clue itself: join the root
                lead = await session.get(ClueRow, lead.lead_clue_id, with_for_update=True) or lead
            if lead.status != ClueStatus.CLOSED:
                await self._join_lead(session, clue, lead, now)
                return
            clue.lead_clue_id = None
        await self._start_handling(session, clue, now)
        waiting = (
            await session.execute(
                select(ClueRow)
                .where(ClueRow.lead_clue_id == clue.clue_id, ClueRow.status != ClueStatus.CLOSED)
                .with_for_update()
            )
        ).scalars()
        for follower in list(waiting):
            await self._join_lead(session, follower, clue, now)

    async def _start_handling(self, session: AsyncSession, clue: ClueRow, now: datetime) -> None:
        own = await handling.responding(session, clue.clue_id)  # an unlinked clue keeps its own
        for plan in rules.first_tasks(facts_of(clue), responding=own):
            await self._assign(session, clue, plan, now, created_by=None)
        await self._status_changed(session, clue, now)

    async def _join_lead(self, session: AsyncSession, clue: ClueRow, lead: ClueRow, now: datetime) -> None:
        """Rule 8, with rule 7 first: an emergency still gets its `respond` tasks (in the lead's
        division), and makes the lead an emergency too."""
        clue.lead_clue_id, clue.division = lead.clue_id, lead.division
        clue.status = lead.status if lead.status != ClueStatus.RECEIVED else ClueStatus.IN_PROGRESS
        await self._append(
            session,
            clue.clue_id,
            SYSTEM,
            "joined",
            now,
            detail={
                "lead_clue_id": lead.clue_id,
                "why": (clue.snapshot or {}).get("link_reason")
                or "rule 8: same employer, division and project",
            },
        )
        await self._append(session, lead.clue_id, SYSTEM, "related", now, detail={"clue_id": clue.clue_id})
        busy = await handling.responding(session, lead.clue_id)
        for plan in rules.joining_tasks(facts_of(clue), responding=busy):
            await self._assign(session, clue, plan, now, created_by=None)
        if clue.emergency and not lead.emergency:
            lead.emergency = True
            why = "rule 7 before rule 8: a clue linked to it is an emergency"
            detail = {"clue_id": clue.clue_id, "why": why}
            await self._append(session, lead.clue_id, SYSTEM, "emergency", now, detail=detail)
        await self._status_changed(session, clue, now)

    async def link_clue(self, session: AsyncSession, data: dict[str, Any], now: datetime) -> None:
        """``clue.linked``: idempotent, since ``clue.received`` already carried the link."""
        clue = await session.get(ClueRow, data["clue_id"], with_for_update=True)
        if clue is None or clue.lead_clue_id == data["lead_clue_id"]:
            return
        lead = await session.get(ClueRow, data["lead_clue_id"], with_for_update=True)
        has_tasks = (
            await session.execute(select(func.count()).where(TaskRow.clue_id == clue.clue_id))
        ).scalar_one()
        if lead is not None and lead.status != ClueStatus.CLOSED and not has_tasks:
            await self._join_lead(session, clue, lead, now)

    async def unlink_clue(
        self, session: AsyncSession, principal: Principal, clue_id: str, now: datetime
    ) -> ClueRow:
        """Rule 8: the division office unlinks a clue, which starts its own handling at rule 1."""
        clue = await self._lock_clue(session, clue_id)
        if not principal.oversees_division(clue.division):
            visible, _ = await clue_access(session, principal, clue)
            if not visible:
                raise NotFound("clue")
            raise NotArbiter("only the division office (or the city office) may unlink a clue")
        if clue.lead_clue_id is None:
            raise DomainError("the clue is not linked to another clue")
        if clue.status == ClueStatus.CLOSED:
            raise DomainError("the clue closed with its lead clue; a closed clue cannot be unlinked")
        lead_id, clue.lead_clue_id = clue.lead_clue_id, None
        clue.status = ClueStatus.RECEIVED
        await self._append(
            session, clue.clue_id, Actor.of(principal), "unlinked", now, detail={"lead_clue_id": lead_id}
        )
        await self._start_handling(session, clue, now)
        return clue

    # -- tasks -------------------------------------------------------------------------------

    async def accept_task(
        self, session: AsyncSession, principal: Principal, task_id: str, now: datetime
    ) -> TaskRow:
        task, clue = await self._held_task(session, principal, task_id)
        previous = TaskState(task.state)
        task.state = rules.transition(previous, "accept")
        task.accepted_at = task.updated_at = now
        await self._append(session, clue.clue_id, Actor.of(principal), "accepted", now, task_id=task.task_id)
        await self._task_updated(session, task, previous, now)
        await self._status_changed(session, clue, now)
        return task

    async def complete_task(
        self, session: AsyncSession, principal: Principal, task_id: str, body: Any, now: datetime
    ) -> TaskRow:
        task, clue = await self._held_task(session, principal, task_id)
        previous = TaskState(task.state)
        next_state = rules.transition(previous, "complete")
        kind = TaskKind(task.kind)
        try:
            result = parse_result(kind, body)
        except ValueError as error:
            raise InvalidCompletion(_field_errors(error)) from error
        completed = CompletedTask(kind=kind, agency_id=task.agency_id, result=result, task_id=task.task_id)
        facts = await handling.clue_facts(session, clue)
        plans = rules.next_tasks(facts, completed)  # may raise MustEscalate: nothing is saved
        task.state, task.completed_at, task.updated_at = next_state, now, now
        task.result = _json_body(body)
        await self._append(
            session,
            clue.clue_id,
            Actor.of(principal),
            "completed",
            now,
            task_id=task.task_id,
            detail=task.result,
        )
        for plan in plans:
            await self._assign(session, clue, plan, now, created_by=task.task_id)
        await self._task_updated(session, task, previous, now, created_kinds=[p.kind for p in plans])
        await self._close_if_finished(session, clue, now)
        return task

    async def return_task(
        self,
        session: AsyncSession,
        principal: Principal,
        task_id: str,
        *,
        reason: str,
        suggested_agency: str | None,
        now: datetime,
    ) -> DisputeRow:
        """退回: the task ends ``returned`` and a dispute opens for the arbiter of rule 6."""
        task, clue = await self._held_task(session, principal, task_id)
        if suggested_agency is not None and not is_known_agency(suggested_agency):
            raise UnknownAgencyError(suggested_agency)
        previous = TaskState(task.state)
        task.state, task.updated_at = rules.transition(previous, "return"), now
        arbiter = rules.dispute_arbiter(clue.division, suggested_agency)
        returns = task.lineage_returns + 1
        why = "rule 6: the division office arbitrates"
        if arbiter.startswith(CITY_DIVISION):
            why = "rule 6: the suggested agency is in another division, so the city office arbitrates"
        if returns > self.settings.max_returns:
            arbiter = f"{CITY_DIVISION}.office"
            why = f"returned {returns} times (more than {self.settings.max_returns}): the city office arbitrates"
        dispute = DisputeRow(
            dispute_id=str(uuid.uuid4()),
            clue_id=clue.clue_id,
            task_id=task.task_id,
            from_agency=task.agency_id,
            suggested_agency=suggested_agency,
            reason=reason,
            arbiter=arbiter,
            state="pending",
            created_at=now,
        )
        session.add(dispute)
        await self._append(
            session,
            clue.clue_id,
            Actor.of(principal),
            "returned",
            now,
            task_id=task.task_id,
            detail={"reason": reason, "suggested_agency": suggested_agency, "arbiter": arbiter, "why": why},
        )
        await self._task_updated(session, task, previous, now)
        await self._emit(
            session, "dispute.opened", clue.clue_id, now, self.dispute_data(dispute) | {"why": why}
        )
        await self._status_changed(session, clue, now)
        return dispute

    async def decide_dispute(
        self,
        session: AsyncSession,
        principal: Principal,
        dispute_id: str,
        *,
        assignee: str,
        note: str,
        now: datetime,
    ) -> DisputeRow:
        """争议仲裁: the same kind of task anew for the assignee; another division takes the clue."""
        dispute = await session.get(DisputeRow, dispute_id)
        if dispute is None:
            raise NotFound("dispute")
        clue = await self._lock_clue(session, dispute.clue_id)
        # Contract rule 6: the division office or 330100.office arbitrates; admin only reads.
        if not (principal.agency_id == dispute.arbiter or principal.is_city_office):
            sees_it = (
                principal.is_admin
                or principal.oversees_division(clue.division)
                or (principal.agency_id is not None and principal.agency_id == dispute.from_agency)
            )
            if sees_it:
                raise NotArbiter(f"this dispute is for {dispute.arbiter} to decide")
            raise NotFound("dispute")
        if dispute.state != "pending":
            raise IllegalTransition(dispute.state, "decide")
        if not is_known_agency(assignee):
            raise UnknownAgencyError(assignee)
        if division_of(assignee) != clue.division and not principal.is_city_office:
            raise NotArbiter(
                f"{assignee} is outside division {clue.division}: only {CITY_DIVISION}.office assigns "
                "across divisions; return the task with it as suggested_agency instead"
            )
        returned = await session.get(TaskRow, dispute.task_id)
        assert returned is not None
        moved_to = rules.decision_moves_clue(clue.division, assignee)
        if moved_to is not None:
            await self._append(
                session,
                clue.clue_id,
                Actor.of(principal),
                "moved",
                now,
                detail={"from": clue.division, "to": moved_to},
            )
            clue.division = moved_to
        plan = TaskPlan(
            kind=TaskKind(returned.kind),
            agency_id=assignee,
            reason=f"rule 6: dispute {dispute.dispute_id} decided by {principal}: {note}".strip(": "),
        )
        new_task = await self._assign(
            session, clue, plan, now, created_by=returned.created_by_task_id, replaces=returned
        )
        dispute.state, dispute.decided_assignee, dispute.decision_note = "decided", assignee, note
        dispute.decided_by, dispute.decided_at, dispute.new_task_id = str(principal), now, new_task.task_id
        dispute.seconds_in_dispute = int((now - dispute.created_at).total_seconds())
        await self._append(
            session,
            clue.clue_id,
            Actor.of(principal),
            "decided",
            now,
            task_id=returned.task_id,
            detail={"assignee": assignee, "note": note, "moved_to": moved_to},
        )
        await self._emit(
            session,
            "dispute.decided",
            clue.clue_id,
            now,
            self.dispute_data(dispute) | {"moved_to_division": moved_to},
        )
        await self._status_changed(session, clue, now)
        return dispute

    # -- internals ---------------------------------------------------------------------------

    async def _lock_clue(self, session: AsyncSession, clue_id: str) -> ClueRow:
        """Locks a linked clue's lead first, in the order closing locks them."""
        clue = await session.get(ClueRow, clue_id)
        if clue is None:
            raise NotFound("clue")
        if clue.lead_clue_id is not None:
            await session.get(ClueRow, clue.lead_clue_id, with_for_update=True)
        await session.refresh(clue, with_for_update=True)
        return clue

    async def _held_task(
        self, session: AsyncSession, principal: Principal, task_id: str
    ) -> tuple[TaskRow, ClueRow]:
        task = await session.get(TaskRow, task_id)
        if task is None:
            raise NotFound("task")
        clue = await self._lock_clue(session, task.clue_id)
        await session.refresh(task, with_for_update=True)
        if principal.agency_id != task.agency_id:
            if (
                principal.oversees_division(clue.division)
                or str(principal) == clue.submitted_by
                or (
                    principal.agency_id is not None
                    and (await self._agency_on_clue(session, principal.agency_id, clue.clue_id))
                )
            ):
                raise NotHolder(f"only {task.agency_id} may act on this task")
            raise NotFound("task")
        return task, clue

    async def _agency_on_clue(self, session: AsyncSession, agency_id: str, clue_id: str) -> bool:
        found = await session.execute(
            select(TaskRow.task_id).where(TaskRow.clue_id == clue_id, TaskRow.agency_id == agency_id).limit(1)
        )
        return found.first() is not None

    async def _assign(
        self,
        session: AsyncSession,
        clue: ClueRow,
        plan: TaskPlan,
        now: datetime,
        *,
        created_by: str | None,
        replaces: TaskRow | None = None,
    ) -> TaskRow:
        task = TaskRow(
            task_id=str(uuid.uuid4()),
            clue_id=clue.clue_id,
            kind=plan.kind,
            agency_id=plan.agency_id,
            state=TaskState.OPEN,
            reason=plan.reason,
            replaces_task_id=replaces.task_id if replaces else None,
            created_by_task_id=created_by,
            lineage_returns=replaces.lineage_returns + 1 if replaces else 0,
            created_at=now,
            updated_at=now,
        )
        session.add(task)
        await session.flush()
        await self._append(
            session,
            clue.clue_id,
            SYSTEM,
            "assigned",
            now,
            task_id=task.task_id,
            detail={"kind": task.kind, "agency_id": task.agency_id, "reason": task.reason},
        )
        await self._emit(session, "task.assigned", clue.clue_id, now, self.task_data(task, clue))
        return task

    async def _task_updated(
        self,
        session: AsyncSession,
        task: TaskRow,
        previous: TaskState,
        now: datetime,
        *,
        created_kinds: list[str] | None = None,
    ) -> None:
        data: dict[str, Any] = {
            "task_id": task.task_id,
            "clue_id": task.clue_id,
            "kind": task.kind,
            "agency_id": task.agency_id,
            "state": task.state,
            "previous_state": previous,
            "updated_at": now.isoformat(),
            "result": task.result,
        }
        if created_kinds is not None:
            data["created_kinds"] = created_kinds
        await self._emit(session, "task.updated", task.clue_id, now, data)

    async def _close_if_finished(self, session: AsyncSession, clue: ClueRow, now: datetime) -> None:
        """Rule 5 over the whole handling: the lead and the clues linked to it close together."""
        root: ClueRow | None = clue
        if clue.lead_clue_id is not None:
            root = await session.get(ClueRow, clue.lead_clue_id, with_for_update=True)
        if root is None or root.status == ClueStatus.CLOSED:  # its lead is not here yet
            await self._status_changed(session, clue, now)
            return
        tasks = await handling.handling_tasks(session, root.clue_id)
        pending = await handling.pending_disputes(session, root.clue_id)
        if not rules.can_close((TaskState(t.state) for t in tasks), pending):
            await self._status_changed(session, clue, now)
            return
        outcome, amount = rules.clue_outcome(handling.completed(tasks))
        await self._close(session, root, outcome=str(outcome), amount_paid=amount, now=now, why="rule 5")
        linked = (
            await session.execute(
                select(ClueRow).where(ClueRow.lead_clue_id == root.clue_id).with_for_update()
            )
        ).scalars()
        for follower in list(linked):
            if follower.status != ClueStatus.CLOSED:
                await self._close(
                    session,
                    follower,
                    outcome=str(outcome),
                    amount_paid=None,
                    now=now,
                    why=f"rule 8: closed with its lead clue {root.clue_id}",
                )

    async def _close(
        self,
        session: AsyncSession,
        clue: ClueRow,
        *,
        outcome: str,
        amount_paid: Decimal | None,
        now: datetime,
        why: str,
    ) -> None:
        clue.status, clue.outcome, clue.amount_paid, clue.closed_at, clue.updated_at = (
            ClueStatus.CLOSED,
            outcome,
            amount_paid,
            now,
            now,
        )
        detail = {
            "outcome": outcome,
            "amount_paid": format_amount(amount_paid) if amount_paid is not None else None,
        }
        await self._append(session, clue.clue_id, SYSTEM, "closed", now, detail=detail | {"why": why})
        await self._publish_status(session, clue, now)

    async def _publish_status(self, session: AsyncSession, clue: ClueRow, now: datetime) -> None:
        """``clue.status`` only when something a source sees changed (status, stage, outcome, division)."""
        data = await self.status_data(session, clue)
        if data == clue.published_status:
            return
        clue.published_status = data
        await self._emit(session, "clue.status", clue.clue_id, now, data)

    async def _status_changed(self, session: AsyncSession, clue: ClueRow, now: datetime) -> None:
        """Publish ``clue.status`` when the status or the stage (kinds of open tasks) changed."""
        if clue.status == ClueStatus.RECEIVED:
            unfinished = await self._unfinished_kinds(session, clue.clue_id)
            if unfinished:
                clue.status = ClueStatus.IN_PROGRESS
        clue.updated_at = now
        root = clue if clue.lead_clue_id is None else await session.get(ClueRow, clue.lead_clue_id)
        if root is None:  # awaiting its lead
            await self._publish_status(session, clue, now)
            return
        await self._publish_status(session, root, now)
        followers = (
            await session.execute(select(ClueRow).where(ClueRow.lead_clue_id == root.clue_id))
        ).scalars()
        for follower in list(followers):
            follower.division = root.division
            await self._publish_status(session, follower, now)

    async def _unfinished_kinds(self, session: AsyncSession, clue_id: str) -> list[str]:
        kinds = await session.execute(
            select(TaskRow.kind)
            .where(TaskRow.clue_id == clue_id, TaskRow.state.in_([TaskState.OPEN, TaskState.ACCEPTED]))
            .distinct()
        )
        return sorted(kinds.scalars())

    async def status_data(self, session: AsyncSession, clue: ClueRow) -> dict[str, Any]:
        root = handling.root_id(clue)
        stage = [] if clue.status == ClueStatus.CLOSED else await handling.unfinished_kinds(session, root)
        return {
            "clue_id": clue.clue_id,
            "source": clue.source,
            "submitted_by": clue.submitted_by,
            "status": clue.status,
            "stage": stage,
            "outcome": clue.outcome,
            "amount_paid": format_amount(clue.amount_paid) if clue.amount_paid is not None else None,
            "division": clue.division,
            "lead_clue_id": clue.lead_clue_id,
            "closed_at": clue.closed_at.isoformat() if clue.closed_at else None,
        }

    @staticmethod
    def task_data(task: TaskRow, clue: ClueRow) -> dict[str, Any]:
        return {
            "task_id": task.task_id,
            "clue_id": task.clue_id,
            "kind": task.kind,
            "agency_id": task.agency_id,
            "state": task.state,
            "reason": task.reason,
            "division": clue.division,
            "emergency": clue.emergency,
            "created_at": task.created_at.isoformat(),
            "replaces_task_id": task.replaces_task_id,
        }

    @staticmethod
    def dispute_data(dispute: DisputeRow) -> dict[str, Any]:
        return {
            "dispute_id": dispute.dispute_id,
            "clue_id": dispute.clue_id,
            "task_id": dispute.task_id,
            "from_agency": dispute.from_agency,
            "suggested_agency": dispute.suggested_agency,
            "reason": dispute.reason,
            "arbiter": dispute.arbiter,
            "state": dispute.state,
            "decided_assignee": dispute.decided_assignee,
            "new_task_id": dispute.new_task_id,
            "seconds_in_dispute": dispute.seconds_in_dispute,
        }

    async def _emit(
        self, session: AsyncSession, event_type: str, clue_id: str, now: datetime, data: dict[str, Any]
    ) -> None:
        # Notes and reasons are free text: they go out scrubbed of phone and ID numbers (issue 19).
        data = scrub_free_text(data)
        await self.outbox.add(
            session, new_event(source=EVENT_SOURCE, type=event_type, subject=clue_id, data=data, time=now)
        )

    async def _append(
        self,
        session: AsyncSession,
        clue_id: str,
        actor: Actor,
        action: str,
        now: datetime,
        *,
        task_id: str | None = None,
        detail: dict[str, Any] | None = None,
    ) -> None:
        last = (
            await session.execute(
                select(TimelineRow.seq, TimelineRow.hash)
                .where(TimelineRow.clue_id == clue_id)
                .order_by(TimelineRow.seq.desc())
                .limit(1)
            )
        ).first()
        seq, prev = (last.seq + 1, last.hash) if last else (1, GENESIS)
        detail = detail or {}
        session.add(
            TimelineRow(
                clue_id=clue_id,
                seq=seq,
                at=now,
                actor=actor.name,
                action=action,
                task_id=task_id,
                detail=detail,
                prev_hash=prev,
                hash=entry_hash(
                    prev_hash=prev,
                    seq=seq,
                    at=now,
                    actor=actor.name,
                    action=action,
                    task_id=task_id,
                    detail=detail,
                ),
            )
        )
        await session.flush()

    # -- deadlines read model ----------------------------------------------------------------

    async def record_deadline(self, session: AsyncSession, data: dict[str, Any]) -> None:
        await session.merge(
            DeadlineViewRow(
                deadline_id=data["deadline_id"],
                clue_id=data["clue_id"],
                task_id=data.get("task_id"),
                rule=data["rule"],
                due_at=datetime.fromisoformat(data["due_at"]),
                state=data["state"],
                late=bool(data.get("late")),
                provisional=bool(data.get("provisional")),
            )
        )


def _json_body(body: Any) -> dict[str, Any]:
    return dict(body) if isinstance(body, dict) else {}


def _field_errors(error: ValueError) -> list[dict[str, str]]:
    from pydantic import ValidationError

    if isinstance(error, ValidationError):
        return [
            {
                "field": ".".join(str(p) for p in e["loc"]) or "body",
                "message": str(e["msg"]).removeprefix("Value error, "),
            }
            for e in error.errors()
        ]
    return [{"field": "body", "message": str(error)}]
