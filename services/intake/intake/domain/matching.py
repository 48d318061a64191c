"""Duplicate matching (rule 8): is a new clue the same arrears matter as an unfinished one? Pure.

* Employer: the USCC when both clues carry one, else the normalised employer name.
* Project: the same normalised name, or not named on one side (a missing project is compatible).
* Division: the same. A matter belongs to one division.
"""

from dataclasses import dataclass

from intake.domain.model import MatterFacts
from intake.domain.rules import name_key


@dataclass(frozen=True)
class MatchReason:
    """Why two clues were linked: what matched on the employer and on the project."""

    employer: str  # "uscc" or "name"
    employer_value: str  # the USCC, or the normalised name
    project: str  # "same", "missing_on_new", "missing_on_lead" or "missing_on_both"
    project_value: str | None

    def text(self) -> str:
        employer = (
            f"same USCC {self.employer_value}"
            if self.employer == "uscc"
            else f"same employer name {self.employer_value!r} (normalised; a USCC on at most one clue)"
        )
        project = {
            "same": f"same project {self.project_value!r}",
            "missing_on_new": "this clue names no project",
            "missing_on_lead": "the lead clue names no project",
            "missing_on_both": "neither clue names a project",
        }[self.project]
        return f"rule 8: {employer}, same division, {project}"

    def matched_on(self) -> dict[str, str]:
        """For ``clue.linked``: string values, as its ``matched_on`` has always been."""
        return {
            "employer": f"{self.employer}:{self.employer_value}",
            "project": self.project_value or "",
            "employer_basis": self.employer,
            "project_basis": self.project,
        }


def matter_facts(
    *, division: str, employer_name: str, employer_uscc: str | None, project_name: str | None
) -> MatterFacts:
    project = name_key(project_name) if project_name and project_name.strip() else None
    return MatterFacts(
        division=division,
        uscc=employer_uscc.upper() if employer_uscc else None,
        employer_name=name_key(employer_name),
        project=project or None,
    )


def match(new: MatterFacts, lead: MatterFacts) -> MatchReason | None:
    """The reason ``new`` is the same matter as ``lead``, or None when it is not."""
    if new.division != lead.division:
        return None
    if new.uscc and lead.uscc:
        if new.uscc != lead.uscc:
            return None
        employer, employer_value = "uscc", new.uscc
    elif new.employer_name == lead.employer_name:
        employer, employer_value = "name", new.employer_name
    else:
        return None
    if new.project and lead.project:
        if new.project != lead.project:
            return None
        project = "same"
    elif new.project or lead.project:
        project = "missing_on_new" if lead.project else "missing_on_lead"
    else:
        project = "missing_on_both"
    return MatchReason(employer, employer_value, project, new.project or lead.project)


def matter_locks(facts: MatterFacts) -> list[str]:
    """Advisory-lock keys that serialise submissions which could match each other, in a fixed order.

    Two clues that match share their division and either the USCC or the normalised name, so each
    takes both; sorting keeps the order the same everywhere, so no two submissions deadlock.
    """
    keys = {f"{facts.division}|name:{facts.employer_name}"}
    if facts.uscc:
        keys.add(f"{facts.division}|uscc:{facts.uscc}")
    return sorted(keys)
