"""Who sees what, and who may act on it (CONTRACT.md, Who sees what). Pure.

A caller who may not see a thing gets 404 (``NotFoundError``), one who sees it but may not act on
it 403 (``NotHolder``, ``NotArbiter``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from routing.domain.agencies import division_of
from routing.domain.case import Clue, Dispute, Task
from routing.domain.errors import NotArbiter, NotFoundError, NotHolder
from routing.domain.model import CITY_DIVISION, TaskState


class Caller(Protocol):
    """The principal making a request (``shared.auth.Principal``); ``str()`` gives its name."""

    @property
    def is_admin(self) -> bool: ...

    @property
    def is_city_office(self) -> bool: ...

    @property
    def is_office(self) -> bool: ...

    @property
    def division(self) -> str | None: ...

    @property
    def agency_id(self) -> str | None: ...

    def oversees_division(self, division: str) -> bool: ...


@dataclass(frozen=True, slots=True)
class ClueAccess:
    visible: bool
    full_personal_data: bool


HIDDEN = ClueAccess(visible=False, full_personal_data=False)


def direct_access(caller: Caller, clue: Clue) -> ClueAccess | None:
    """Access that does not depend on the caller's tasks, or None when it does.

    Admin sees everything, but personal data only masked: the contract names the source, open
    holders and the offices alone.
    """
    if caller.is_admin:
        return ClueAccess(visible=True, full_personal_data=False)
    if caller.oversees_division(clue.division) or str(caller) == clue.submitted_by:
        return ClueAccess(visible=True, full_personal_data=True)
    if caller.agency_id is None:
        return HIDDEN
    return None


def access_through_tasks(task_states: Iterable[str]) -> ClueAccess:
    """An agency sees a clue it has tasks on (a linked clue counts its lead's, rule 8), and its
    personal data while one of them is unfinished."""
    states = list(task_states)
    if not states:
        return HIDDEN
    return ClueAccess(visible=True, full_personal_data=any(TaskState(s).unfinished for s in states))


def check_holder(caller: Caller, task: Task, clue: Clue, *, caller_on_clue: bool) -> None:
    """Only the task's agency acts on it; those who see it learn so (403), others get 404."""
    if caller.agency_id == task.agency_id:
        return
    if caller.oversees_division(clue.division) or str(caller) == clue.submitted_by or caller_on_clue:
        raise NotHolder(f"only {task.agency_id} may act on this task")
    raise NotFoundError("task")


def check_arbiter(caller: Caller, dispute: Dispute, clue: Clue) -> None:
    """Contract rule 6: the dispute's arbiter or the city office decides; admin only reads."""
    if caller.agency_id == dispute.arbiter or caller.is_city_office:
        return
    sees_it = (
        caller.is_admin
        or caller.oversees_division(clue.division)
        or (caller.agency_id is not None and caller.agency_id == dispute.from_agency)
    )
    if sees_it:
        raise NotArbiter(f"this dispute is for {dispute.arbiter} to decide")
    raise NotFoundError("dispute")


def check_assignee_division(caller: Caller, clue: Clue, assignee: str) -> None:
    """A division office assigns within its division; only the city office across divisions."""
    if division_of(assignee) != clue.division and not caller.is_city_office:
        raise NotArbiter(
            f"{assignee} is outside division {clue.division}: only {CITY_DIVISION}.office assigns "
            "across divisions; return the task with it as suggested_agency instead"
        )


def may_unlink(caller: Caller, clue: Clue) -> bool:
    """Rule 8: the division office (or the city office) unlinks a clue."""
    return caller.oversees_division(clue.division)
