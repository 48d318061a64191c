"""Routing's own settings (env prefix ``ANXIN_ROUTING_``)."""

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class RoutingSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ANXIN_ROUTING_", extra="ignore")

    agencies_file: Path = Field(
        default=Path(__file__).resolve().parent.parent / "agencies.yaml",
        description="the agency registry: kind names and agencies' own names (YAML)",
    )
    max_returns: int = Field(
        default=2,
        ge=0,
        description="a task returned more often than this goes to the city office to arbitrate",
    )
