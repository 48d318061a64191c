"""Intake's domain errors; the API maps them to problem responses in one place."""


class IntakeError(Exception):
    pass


class NotAllowedToSubmit(IntakeError):
    pass


class ConflictingResubmission(IntakeError):
    def __init__(self, clue_id: str, differences: list[str]) -> None:
        super().__init__(f"clue {clue_id} was submitted with different content")
        self.clue_id = clue_id
        self.differences = differences


class ExternalIdTaken(IntakeError):
    """Another submitter already used this (source, external_id), e.g. two agencies' onsite clues."""
