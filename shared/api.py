"""Base of every HTTP response model: timestamps leave in business time (Asia/Shanghai, +08:00)."""

from datetime import datetime
from typing import Any, Unpack
from zoneinfo import ZoneInfo

from pydantic import BaseModel, SerializerFunctionWrapHandler, field_serializer
from sqlmodel import SQLModel
from sqlmodel._compat import SQLModelConfig  # the type of SQLModel.model_config; not re-exported

BUSINESS_TZ = ZoneInfo("Asia/Shanghai")


def business_time(moment: datetime) -> datetime:
    return moment.astimezone(BUSINESS_TZ) if moment.tzinfo is not None else moment


class ApiModel(BaseModel):
    @field_serializer("*", mode="wrap")
    def _in_business_time(self, value: Any, handler: SerializerFunctionWrapHandler) -> Any:
        return handler(business_time(value) if isinstance(value, datetime) else value)


class ReadSchema(SQLModel):
    """Base of the typed read schemas (a clue, a task, a delivery as answered): sqlmodel's model,
    without a table. Routes import it from here, so that nothing under api/ imports sqlmodel (whose
    ``select`` would let a route write SQL). Its fields declare their own serializers for time."""


def read_schema_config(**options: Unpack[SQLModelConfig]) -> SQLModelConfig:
    """``model_config`` of a ReadSchema (e.g. its examples): sqlmodel types it as its own dict."""
    return SQLModelConfig(from_attributes=True, **options)
