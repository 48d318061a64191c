"""Notify's own settings (env prefix ``ANXIN_NOTIFY_``)."""

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class NotifySettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ANXIN_NOTIFY_", extra="ignore")

    retry_schedule: str = Field(
        default="0,5,300,1800,7200,18000,36000,36000",
        description="seconds to wait before each try, comma-separated; the first is the first try",
    )
    jitter: float = Field(default=0.1, ge=0, le=1, description="each wait varies by up to this fraction")
    request_timeout_seconds: float = Field(default=15.0, gt=0)
    per_endpoint_concurrency: int = Field(default=4, ge=1)
    max_in_flight: int = Field(default=64, ge=1)
    secret_overlap_hours: float = Field(default=24.0, ge=0, description="old secret still signs this long")

    def schedule(self) -> list[float]:
        return [float(part) for part in self.retry_schedule.split(",") if part.strip()]
