"""Routing's refusals, on the shared hierarchy: ``shared.problems`` maps each to its response."""

from __future__ import annotations

from shared.errors import ConflictError, ForbiddenError, InvalidError, NotFoundError

__all__ = [
    "ConflictError",
    "IllegalTransition",
    "InvalidError",
    "MustEscalate",
    "NoIndustryAuthorityError",
    "NotArbiter",
    "NotFoundError",
    "NotHolder",
    "ResultMismatchError",
    "UnknownAgencyError",
    "UnknownDivisionError",
]


class MustEscalate(InvalidError):
    """Rule 2(d): a substantiated, unresolved `resolve` that creates no further task (422)."""

    MESSAGE = (
        "a resolve that is substantiated and not resolved must escalate: "
        "set needs_case or escalate to true, or report the wages as resolved"
    )

    def __init__(self) -> None:
        super().__init__(
            [{"field": "escalate", "message": self.MESSAGE}],
            detail="A substantiated, unresolved resolve must create a task: set escalate, needs_case or causes.",
        )

    def __str__(self) -> str:
        return self.MESSAGE


class IllegalTransition(ConflictError):
    """The task's state does not allow the action (409 with the current state)."""

    def __init__(self, current_state: str, action: str) -> None:
        self.current_state = current_state
        self.action = action
        self.message = f"cannot {action} a task that is {current_state}"
        super().__init__(f"the task is {current_state}; {self.message}", current_state=str(current_state))

    def __str__(self) -> str:
        return self.message


class ResultMismatchError(ConflictError):
    """A completion payload whose type does not belong to the task's kind."""

    def __init__(self, kind: str, expected: str, got: str) -> None:
        self.kind = kind
        super().__init__(f"a {kind} task is completed with a {expected} body, not a {got} body")


class UnknownAgencyError(InvalidError):
    """An agency id that is not in the registry (422 on the ``agency`` field)."""

    def __init__(self, agency_id: str) -> None:
        self.agency_id = agency_id
        self.message = f"unknown agency {agency_id!r}: use '<division>.<kind>' as listed by GET /v1/agencies"
        super().__init__([{"field": "agency", "message": self.message}])

    def __str__(self) -> str:
        return self.message


class UnknownDivisionError(ConflictError):
    """A clue division that is not one of the city's 13 county-level divisions."""

    def __init__(self, division: str) -> None:
        self.division = division
        super().__init__(
            f"unknown division {division!r}: a clue belongs to one of Hangzhou's 13 county-level "
            "divisions (GB/T 2260 code, e.g. 330106)"
        )


class NoIndustryAuthorityError(ConflictError):
    """A rule needs the project's industry authority, but its project kind has none."""

    def __init__(self, clue_id: str, project_kind: str | None) -> None:
        self.clue_id = clue_id
        super().__init__(
            f"clue {clue_id} has project kind {project_kind!r}, which has no industry authority: "
            "correct the project kind, or raise a dispute so the office assigns the task"
        )


class NotHolder(ForbiddenError):
    """The caller sees the task but does not hold it."""


class NotArbiter(ForbiddenError):
    """The caller sees the clue or dispute but may not decide on it."""
