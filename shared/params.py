"""Typed, bounded query and path parameters, so that a value no row could match never reaches PostgreSQL.

Every route takes its query and path values through these types:

- a query value of the wrong shape (an id that is no id, a day outside 2000-2100, text with NUL or other
  control characters, anything overlong) is refused with 422 and the field named (RFC 9457, see
  ``shared.problems``);
- a path id is refused with 422 only when it carries control characters or is overlong; any other
  string that is not of the id's shape names nothing, so it answers 404 like an unknown id.

Bodies use the same bounds through ``Line`` and ``Text``.
"""

import re
from datetime import UTC, date, datetime
from typing import Annotated

from annotated_types import Interval
from fastapi import Depends, Path, Query
from pydantic import AwareDatetime, StringConstraints

from shared.problems import PATTERN_MESSAGES, not_found

#: One line of printable text: no C0 control character (NUL included) and no DEL.
LINE_PATTERN = r"^[^\x00-\x1f\x7f]*$"
#: Free text: like a line, but tabs and line breaks are allowed.
TEXT_PATTERN = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"
UUID_PATTERN = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
DELIVERY_ID_PATTERN = r"^msg_[0-9a-f]{32}$"
DIVISION_PATTERN = r"^[0-9]{6}$"
AGENCY_ID_PATTERN = r"^[0-9]{6}\.[a-z0-9_]{1,30}$"
PRINCIPAL_PATTERN = r"^(admin|source:[a-z0-9_]{1,30}|agency:[0-9]{6}\.[a-z0-9_]{1,30})$"
NAME_PATTERN = r"^[a-z0-9_]{1,40}$"
CURSOR_PATTERN = r"^[A-Za-z0-9_=-]{0,512}$"

PATTERN_MESSAGES.update(
    {
        LINE_PATTERN: "must not contain NUL or other control characters",
        TEXT_PATTERN: "must not contain NUL or control characters other than tabs and line breaks",
        UUID_PATTERN: "must be a UUID, e.g. 0f8fad5b-d9cb-469f-a165-70867728950e",
        DELIVERY_ID_PATTERN: "must be a delivery id, msg_ and 32 hex digits",
        DIVISION_PATTERN: "must be a six-digit division code, e.g. 330106",
        AGENCY_ID_PATTERN: "must be an agency id, <division>.<kind>, e.g. 330106.gov",
        PRINCIPAL_PATTERN: "must be a principal: admin, source:<source> or agency:<agency id>",
        NAME_PATTERN: "must be a name of lower-case letters, digits and underscores",
        CURSOR_PATTERN: "must be a next_cursor this service issued",
    }
)

#: Days and moments the system can hold: clues are not received before 2000 (intake), and the holiday
#: calendar spans 2000-2100; the bounds also keep date arithmetic (a year earlier, offsets) in range.
EARLIEST_DAY = date(2000, 1, 1)
LATEST_DAY = date(2100, 12, 31)
EARLIEST_MOMENT = datetime(2000, 1, 1, tzinfo=UTC)
LATEST_MOMENT = datetime(2101, 1, 1, tzinfo=UTC)

Day = Annotated[date, Interval(ge=EARLIEST_DAY, le=LATEST_DAY)]
Moment = Annotated[AwareDatetime, Interval(ge=EARLIEST_MOMENT, le=LATEST_MOMENT)]
#: A moment that may lack an offset (the route says so itself, with its own message).
AnyMoment = Annotated[datetime, Interval(ge=EARLIEST_MOMENT, le=LATEST_MOMENT)]

#: Body fields: one line (names, ids) and free text (reasons, notes).
Line = Annotated[str, StringConstraints(pattern=LINE_PATTERN)]
Text = Annotated[str, StringConstraints(pattern=TEXT_PATTERN)]

# -- query values: 422 for the wrong shape ---------------------------------------------------------

ClueIdQuery = Annotated[str | None, Query(pattern=UUID_PATTERN, max_length=36, description="a clue id")]
DivisionQuery = Annotated[
    str | None, Query(pattern=DIVISION_PATTERN, description="six-digit division code, e.g. 330106")
]
AgencyIdQuery = Annotated[
    str | None, Query(pattern=AGENCY_ID_PATTERN, max_length=40, description="agency id, e.g. 330106.gov")
]
PrincipalQuery = Annotated[
    str | None,
    Query(pattern=PRINCIPAL_PATTERN, max_length=50, description="a principal, e.g. agency:330106.gov"),
]
NameQuery = Annotated[str | None, Query(pattern=NAME_PATTERN, max_length=40)]
#: Checked further by the route, which names the quarter field itself.
QuarterQuery = Annotated[
    str, Query(pattern=LINE_PATTERN, max_length=20, description="the quarter, e.g. 2026Q3")
]
#: Replaces ``shared.pagination.Cursor``'s unchecked string.
CursorQuery = Annotated[
    str | None,
    Query(pattern=CURSOR_PATTERN, max_length=512, description="next_cursor from the previous page"),
]

# -- path ids: 422 for control characters, 404 for any other string of the wrong shape -------------

_PathText = Path(pattern=LINE_PATTERN, min_length=1, max_length=100)
_UUID = re.compile(UUID_PATTERN)
_DELIVERY_ID = re.compile(DELIVERY_ID_PATTERN)


def _clue_id(clue_id: Annotated[str, _PathText]) -> str:
    if not _UUID.fullmatch(clue_id):
        raise not_found("clue")
    return clue_id


def _task_id(task_id: Annotated[str, _PathText]) -> str:
    if not _UUID.fullmatch(task_id):
        raise not_found("task")
    return task_id


def _dispute_id(dispute_id: Annotated[str, _PathText]) -> str:
    if not _UUID.fullmatch(dispute_id):
        raise not_found("dispute")
    return dispute_id


def _delivery_id(delivery_id: Annotated[str, _PathText]) -> str:
    if not _DELIVERY_ID.fullmatch(delivery_id):
        raise not_found("delivery")
    return delivery_id


ClueIdPath = Annotated[str, Depends(_clue_id)]
TaskIdPath = Annotated[str, Depends(_task_id)]
DisputeIdPath = Annotated[str, Depends(_dispute_id)]
DeliveryIdPath = Annotated[str, Depends(_delivery_id)]
