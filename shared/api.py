"""Base of the HTTP read schemas, and business time (Asia/Shanghai, +08:00), in which every moment leaves."""

from datetime import datetime
from typing import Annotated, Unpack
from zoneinfo import ZoneInfo

from pydantic import PlainSerializer
from sqlmodel import SQLModel
from sqlmodel._compat import SQLModelConfig  # the type of SQLModel.model_config; not re-exported

BUSINESS_TZ = ZoneInfo("Asia/Shanghai")


def business_time(moment: datetime) -> datetime:
    return moment.astimezone(BUSINESS_TZ) if moment.tzinfo is not None else moment


#: A moment in a response: written in business time (+08:00), published as a date-time. (A serializer
#: on every field, typed ``Any``, would leave every property of the document untyped.)
BusinessTime = Annotated[datetime, PlainSerializer(business_time, return_type=datetime)]


class ReadSchema(SQLModel):
    """Base of the typed read schemas (a clue, a task, a delivery as answered): sqlmodel's model,
    without a table. Routes import it from here, so that nothing under api/ imports sqlmodel (whose
    ``select`` would let a route write SQL). Its fields declare their own serializers for time."""


def read_schema_config(**options: Unpack[SQLModelConfig]) -> SQLModelConfig:
    """``model_config`` of a ReadSchema (e.g. its examples): sqlmodel types it as its own dict."""
    return SQLModelConfig(from_attributes=True, **options)
