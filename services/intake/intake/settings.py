"""Intake's own settings (env prefix ``ANXIN_INTAKE_``)."""

from decimal import Decimal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class IntakeSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ANXIN_INTAKE_", extra="ignore")

    max_body_bytes: int = Field(default=262_144, ge=1024, description="larger bodies get 413")
    emergency_min_workers: int = Field(default=30, ge=1)
    emergency_min_amount: Decimal = Field(default=Decimal("1000000.00"), ge=0)
    duplicate_window_days: int = Field(default=90, ge=0, description="0 turns duplicate linking off")
    clock_skew_seconds: int = Field(default=300, ge=0, description="tolerance for received_at ahead of now")
