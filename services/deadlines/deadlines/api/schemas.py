"""HTTP schemas of deadlines (CONTRACT.md, Deadlines)."""

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from shared.api import ApiModel
from shared.params import Day, Line


class DeadlineOut(ApiModel):
    deadline_id: str
    clue_id: str
    task_id: str | None
    rule: str
    agency_id: str | None
    division: str
    starts_on: date
    due_at: datetime
    state: str
    late: bool
    provisional: bool
    met_at: datetime | None
    breached_at: datetime | None
    cancelled_at: datetime | None
    dispute_seconds: int
    in_dispute_since: datetime | None
    created_at: datetime


class AgencyCounts(ApiModel):
    agency_id: str
    running: int
    due_soon: int
    breached: int
    met_on_time: int
    met_late: int


class DayOut(ApiModel):
    date: date
    workday: bool
    holiday: str | None
    provisional: bool


class HolidayIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    date: Day
    name: Line = Field(min_length=1, max_length=50)


class YearScheduleIn(BaseModel):
    """The official schedule of a year: statutory holidays and make-up working days (调休)."""

    model_config = ConfigDict(extra="forbid")

    holidays: list[HolidayIn]
    workdays: list[Day] = Field(default_factory=list)


class YearLoaded(ApiModel):
    year: int
    holidays: int
    workdays: int
    recomputed_deadlines: int
