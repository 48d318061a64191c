"""Routing's own settings (env prefix ``ANXIN_ROUTING_``)."""

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class RoutingSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ANXIN_ROUTING_", extra="ignore")

    max_returns: int = Field(
        default=2,
        ge=0,
        description="a task returned more often than this goes to the city office to arbitrate",
    )
