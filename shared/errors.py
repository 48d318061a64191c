"""The one error hierarchy of every service's domain and use cases.

A rule or a use case that refuses raises one of these; ``shared.problems`` maps each to its RFC 9457
response in one place (HTTP), and ``shared.dispatch`` parks the event that caused it (Kafka). Pure: no
I/O library is imported here, so a domain package may raise these.
"""

from typing import ClassVar

FieldErrors = list[dict[str, str]]


class DomainError(Exception):
    """Base of every refusal. ``detail`` says what is wrong and how to fix it; ``extra`` members are added
    to the problem body (e.g. ``current_state``, or a list such as ``differences``)."""

    status: ClassVar[int] = 409
    title: ClassVar[str] = "Conflict"

    def __init__(self, detail: str, *, errors: FieldErrors | None = None, **extra: object) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors
        self.extra = extra


class NotFoundError(DomainError):
    """Nothing of that id, or nothing the caller may see (the contract answers both with 404)."""

    status = 404
    title = "Not Found"

    def __init__(self, what: str) -> None:
        super().__init__(f"No {what} with that id is visible to you.")
        self.what = what


class ForbiddenError(DomainError):
    """The caller sees the thing but has not the right to do this to it."""

    status = 403
    title = "Forbidden"


class ConflictError(DomainError):
    """The thing's state does not allow this now."""


class InvalidError(DomainError):
    """Input that breaks a rule, field by field."""

    status = 422
    title = "Invalid Request"

    def __init__(self, errors: FieldErrors, detail: str | None = None) -> None:
        super().__init__(
            detail or f"{len(errors)} field(s) are invalid; fix them and send the request again.",
            errors=errors,
        )
