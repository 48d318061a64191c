"""Settings every service reads (env prefix ``ANXIN_``); each service adds its own class."""

from enum import StrEnum
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent


class Mode(StrEnum):
    DEVELOPMENT = "development"
    PRODUCTION = "production"


class CommonSettings(BaseSettings):
    """Connection and mode settings common to all services. Built at startup, never at import."""

    model_config = SettingsConfigDict(env_prefix="ANXIN_", extra="ignore")

    mode: Mode = Mode.DEVELOPMENT
    database_url: str = "postgresql+asyncpg://anxin:anxin@127.0.0.1:5433/anxin"
    kafka_bootstrap: str = "127.0.0.1:9092"
    kafka_partitions: int = Field(default=6, ge=1)
    principals_file: Path = REPO_ROOT / "deploy" / "local" / "principals.yaml"
    log_level: str = "INFO"
    outbox_poll_seconds: float = Field(default=0.5, gt=0)
    consumer_retries: int = Field(
        default=3, ge=1, description="in-place tries before a message goes to the DLQ"
    )
