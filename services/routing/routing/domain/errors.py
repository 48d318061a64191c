"""Domain errors of routing. The API maps each to one problem-details response."""

from __future__ import annotations


class DomainError(Exception):
    """Base of every routing domain error; the message says what is wrong and how to fix it."""


class MustEscalate(DomainError):
    """Rule 2(d): a substantiated, unresolved `resolve` that creates no further task (422)."""

    def __init__(self) -> None:
        super().__init__(
            "a resolve that is substantiated and not resolved must escalate: "
            "set needs_case or escalate to true, or report the wages as resolved"
        )


class IllegalTransition(DomainError):
    """The task's state does not allow the action (409 with the current state)."""

    def __init__(self, current_state: str, action: str) -> None:
        self.current_state = current_state
        self.action = action
        super().__init__(f"cannot {action} a task that is {current_state}")


class ResultMismatchError(DomainError):
    """A completion payload whose type does not belong to the task's kind."""

    def __init__(self, kind: str, expected: str, got: str) -> None:
        self.kind = kind
        super().__init__(f"a {kind} task is completed with a {expected} body, not a {got} body")


class UnknownAgencyError(DomainError):
    """An agency id that is not in the registry."""

    def __init__(self, agency_id: str) -> None:
        self.agency_id = agency_id
        super().__init__(
            f"unknown agency {agency_id!r}: use '<division>.<kind>' as listed by GET /v1/agencies"
        )


class UnknownDivisionError(DomainError):
    """A clue division that is not one of the city's 13 county-level divisions."""

    def __init__(self, division: str) -> None:
        self.division = division
        super().__init__(
            f"unknown division {division!r}: a clue belongs to one of Hangzhou's 13 county-level "
            "divisions (GB/T 2260 code, e.g. 330106)"
        )


class NoIndustryAuthorityError(DomainError):
    """A rule needs the project's industry authority, but its project kind has none."""

    def __init__(self, clue_id: str, project_kind: str | None) -> None:
        self.clue_id = clue_id
        super().__init__(
            f"clue {clue_id} has project kind {project_kind!r}, which has no industry authority: "
            "correct the project kind, or raise a dispute so the office assigns the task"
        )
