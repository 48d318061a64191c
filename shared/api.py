"""Base of every HTTP response model: timestamps leave in business time (Asia/Shanghai, +08:00)."""

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel, SerializerFunctionWrapHandler, field_serializer

BUSINESS_TZ = ZoneInfo("Asia/Shanghai")


def business_time(moment: datetime) -> datetime:
    return moment.astimezone(BUSINESS_TZ) if moment.tzinfo is not None else moment


class ApiModel(BaseModel):
    @field_serializer("*", mode="wrap")
    def _in_business_time(self, value: Any, handler: SerializerFunctionWrapHandler) -> Any:
        return handler(business_time(value) if isinstance(value, datetime) else value)
