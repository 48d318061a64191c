"""Intake's refusals, on the shared hierarchy: ``shared.problems`` answers each in one place."""

from shared.errors import ConflictError, ForbiddenError


class NotAllowedToSubmit(ForbiddenError):
    """The caller may not submit clues of this source (403)."""


class ExternalIdTaken(ConflictError):
    """Another submitter already used this (source, external_id), e.g. two agencies' onsite clues."""

    def __init__(self, *, source: str, external_id: str) -> None:
        super().__init__(
            f"external_id {external_id!r} of source {source} is already used by another submitter; "
            "external ids are unique within a source, so use a new one.",
            differences=["submitted_by"],
        )


class ConflictingResubmission(ConflictError):
    """The same (source, external_id) was submitted before with different content."""

    def __init__(self, *, source: str, external_id: str, clue_id: str, differences: list[str]) -> None:
        super().__init__(
            f"({source}, {external_id}) was already submitted as clue {clue_id} with different content "
            f"in: {', '.join(differences)}. Use a new external_id for a new clue.",
            clue_id=clue_id,
            differences=differences,
        )
        self.clue_id = clue_id
        self.differences = differences
