"""HTTP schemas of deadlines (CONTRACT.md, Deadlines). Timestamps leave in business time (+08:00)."""

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema

from shared.api import BusinessTime, ReadSchema, read_schema_config
from shared.params import Day, Line

DeadlineStateName = Literal["running", "met", "breached", "cancelled"]
AT = "2026-12-03T17:16:00+08:00"


def _text(value: object) -> object:
    """Strict types (issue 18): a day is written as text, never as a number pydantic would read as a time."""
    if not isinstance(value, str):
        raise ValueError("must be a day written as YYYY-MM-DD")
    return value


#: The calendar's days (2000-2100), said in the document too, so that a client knows the bounds.
DAY_SCHEMA = {"type": "string", "format": "date", "pattern": r"^(20[0-9]{2}|2100)-[0-9]{2}-[0-9]{2}$"}
CalendarDay = Annotated[Day, WithJsonSchema(DAY_SCHEMA)]
#: A day in a request body: ``YYYY-MM-DD`` text only.
DayText = Annotated[Day, BeforeValidator(_text), WithJsonSchema(DAY_SCHEMA)]


class DeadlineOut(ReadSchema):
    """A statutory period (限时办结) of a clue or of one of its tasks."""

    model_config = read_schema_config(
        json_schema_extra={
            "examples": [
                {
                    "deadline_id": "5b0f6c1e-0c55-4a55-9d7c-3f1f2f0e1a11",
                    "clue_id": "0f8fad5b-d9cb-469f-a165-70867728950e",
                    "task_id": None,
                    "rule": "transfer_7d",
                    "agency_id": None,
                    "division": "330106",
                    "starts_on": "2026-12-03",
                    "due_at": "2026-12-10T23:59:59+08:00",
                    "state": "running",
                    "late": False,
                    "provisional": False,
                    "met_at": None,
                    "breached_at": None,
                    "cancelled_at": None,
                    "dispute_seconds": 0,
                    "in_dispute_since": None,
                    "created_at": AT,
                }
            ]
        }
    )

    deadline_id: str = Field(description="the deadline's id (UUID)")
    clue_id: str = Field(description="the clue (UUID)")
    task_id: str | None = Field(description="the task, for a per-task limit; null for a clue's period")
    rule: str = Field(description="the configured rule that set it", examples=["transfer_7d"])
    agency_id: str | None = Field(
        description="the agency the period runs against, if one", examples=["330106.gov"]
    )
    division: str = Field(description="six-digit division code of the clue", examples=["330106"])
    starts_on: date = Field(description="the day the period starts")
    due_at: BusinessTime = Field(
        description="23:59:59+08:00 of the last day", examples=["2026-12-10T23:59:59+08:00"]
    )
    state: DeadlineStateName = Field(description="breached: past due while running, or met late")
    late: bool = Field(description="met or still running after due_at")
    provisional: bool = Field(description="crosses a year whose official holiday schedule is not loaded")
    met_at: BusinessTime | None = Field(description="when it was met (+08:00)")
    breached_at: BusinessTime | None = Field(description="when it was breached (+08:00)")
    cancelled_at: BusinessTime | None = Field(description="when it stopped applying (+08:00)")
    dispute_seconds: int = Field(ge=0, description="time its task spent in dispute")
    in_dispute_since: BusinessTime | None = Field(description="set while its task is in dispute (+08:00)")
    created_at: BusinessTime = Field(description="when it was started (+08:00)", examples=[AT])


class AgencyCounts(ReadSchema):
    """One agency's deadlines by outcome."""

    model_config = read_schema_config(
        json_schema_extra={
            "examples": [
                {
                    "agency_id": "330106.gov",
                    "running": 4,
                    "due_soon": 1,
                    "breached": 0,
                    "met_on_time": 12,
                    "met_late": 1,
                }
            ]
        }
    )

    agency_id: str = Field(description="<division>.<kind>", examples=["330106.gov"])
    running: int = Field(ge=0, description="running, not yet due soon")
    due_soon: int = Field(ge=0, description="running and warned (deadline.due_soon)")
    breached: int = Field(ge=0, description="past due")
    met_on_time: int = Field(ge=0)
    met_late: int = Field(ge=0)


class DayOut(ReadSchema):
    """A day of the holiday calendar."""

    model_config = read_schema_config(
        json_schema_extra={
            "examples": [{"date": "2026-10-01", "workday": False, "holiday": "国庆节", "provisional": False}]
        }
    )

    date: date
    workday: bool = Field(description="a working day (make-up working days included)")
    holiday: str | None = Field(description="the statutory holiday's name, if one", examples=["国庆节"])
    provisional: bool = Field(description="the year's official schedule is not loaded: weekends only")


class HolidayIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    date: DayText = Field(description="a day of the year (YYYY-MM-DD)", examples=["2026-10-01"])
    name: Line = Field(min_length=1, max_length=50, examples=["国庆节"])


class YearScheduleIn(BaseModel):
    """The official schedule of a year: statutory holidays and make-up working days (调休)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "holidays": [
                        {"date": "2026-10-01", "name": "国庆节"},
                        {"date": "2026-10-02", "name": "国庆节"},
                    ],
                    "workdays": ["2026-09-27"],
                }
            ]
        },
    )

    holidays: list[HolidayIn] = Field(description="every statutory holiday of the year, by day")
    workdays: list[DayText] = Field(default_factory=list, description="make-up working days on a weekend")


class YearLoaded(BaseModel):
    """What loading a year changed."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"year": 2026, "holidays": 28, "workdays": 6, "recomputed_deadlines": 3}]
        }
    )

    year: int = Field(examples=[2026])
    holidays: int = Field(ge=0, description="holidays loaded")
    workdays: int = Field(ge=0, description="make-up working days loaded")
    recomputed_deadlines: int = Field(ge=0, description="open deadlines crossing the year, recomputed")
