"""Rule 7 (应急处突联动) and public-order incidents: `respond` tasks and who is alerted. Pure."""

from __future__ import annotations

from dataclasses import replace

from routing.domain.agencies import agency_in
from routing.domain.assignees import clue_division, industry_authority
from routing.domain.model import (
    CITY_DIVISION,
    FLAG_MEDIA_ATTENTION,
    FLAG_PUBLIC_ORDER,
    AgencyKind,
    ClueFacts,
    Source,
    TaskKind,
    TaskPlan,
)


def joining_tasks(clue: ClueFacts, *, responding: frozenset[str] = frozenset()) -> list[TaskPlan]:
    """Rule 8 with rule 7 first: a linked clue joins its lead's handling and gets no first task,
    but its `respond` tasks go out at once (`response_tasks`), in the lead's division.

    `clue.division` is the lead's current division; `responding` are agencies already holding
    an unfinished `respond` in that handling, which get no second one.
    """
    clue_division(clue)
    return [
        replace(plan, reason=f"{plan.reason} (a linked clue: rule 7 before rule 8)")
        for plan in response_tasks(clue, responding=responding)
    ]


def response_tasks(clue: ClueFacts, *, responding: frozenset[str] = frozenset()) -> list[TaskPlan]:
    """The clue's `respond` (应急处置) tasks, without the agencies in `responding`.

    - An emergency (rule 7): the division's hrss, the project's industry authority if any, and
      the division's police when `public_order` is flagged.
    - `public_order` without an emergency: the division's police, since public-order incidents
      (堵路、堵门、跳楼、殴打他人) are for police (notice 二(七)).
    """
    plans: list[TaskPlan] = []
    if clue.emergency:
        hrss = agency_in(clue.division, AgencyKind.HRSS)
        plans.append(TaskPlan(TaskKind.RESPOND, hrss, f"rule 7: emergency clue -> {hrss}"))
        authority = industry_authority(clue.division, clue.project_kind)
        if authority is not None:
            plans.append(
                TaskPlan(
                    TaskKind.RESPOND,
                    authority,
                    f"rule 7: emergency clue on a {clue.project_kind} project -> {authority}",
                )
            )
    if FLAG_PUBLIC_ORDER in clue.flags:
        police = agency_in(clue.division, AgencyKind.POLICE)
        why = "rule 7: emergency, public_order" if clue.emergency else "notice 二(七): public_order incident"
        plans.append(TaskPlan(TaskKind.RESPOND, police, f"{why} -> {police}"))
    return [plan for plan in plans if plan.agency_id not in responding]


def emergency_recipients(clue: ClueFacts) -> list[str]:
    """Rule 7: who gets `clue.emergency` (重大事项报告); empty for a clue that is no emergency.

    The division's office, hrss and gov, the project's industry authority if any, and
    `330100.office`.
    """
    if not clue.emergency:
        return []
    division = clue_division(clue)
    recipients = [agency_in(division, kind) for kind in (AgencyKind.OFFICE, AgencyKind.HRSS, AgencyKind.GOV)]
    authority = industry_authority(division, clue.project_kind)
    if authority is not None:
        recipients.append(authority)
    recipients.append(agency_in(CITY_DIVISION, AgencyKind.OFFICE))
    return recipients


def opinion_alert_recipients(clue: ClueFacts) -> list[str]:
    """Rule 7: an `opinion` (舆情) clue, or one flagged `media_attention`, alerts the division office."""
    if clue.source is Source.OPINION or FLAG_MEDIA_ATTENTION in clue.flags:
        return [agency_in(clue_division(clue), AgencyKind.OFFICE)]
    return []
