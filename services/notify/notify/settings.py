"""Notify's own settings (env prefix ``ANXIN_NOTIFY_``)."""

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from notify.domain.urls import Allowlist
from notify.secret_box import DEVELOPMENT_KEY, SecretBox, SecretKeyError, parse_key


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
    secrets_key: str | None = Field(
        default=None,
        description="32 bytes in base64 sealing the webhook secrets at rest; required in production "
        "(development uses a fixed key)",
    )

    allowed_hosts: str = Field(
        default="",
        description="webhook hosts allowed although they resolve to non-public addresses, comma-separated "
        "(every other target must be public, in every mode)",
    )
    allowed_cidrs: str = Field(
        default="",
        description="non-public networks webhooks may reach, comma-separated CIDRs; the local stack sets "
        "127.0.0.0/8,::1/128 for its test receivers",
    )

    @field_validator("allowed_cidrs")
    @classmethod
    def _valid_cidrs(cls, value: str) -> str:
        Allowlist.parse("", value)  # ValueError names the bad network
        return value

    def allowlist(self) -> Allowlist:
        return Allowlist.parse(self.allowed_hosts, self.allowed_cidrs)

    def production_problems(self) -> list[str]:
        """What keeps notify from running in production mode (the caller checks the mode)."""
        if not self.secrets_key:
            return ["ANXIN_NOTIFY_SECRETS_KEY is not set (32 random bytes in base64)"]
        if self.secrets_key == DEVELOPMENT_KEY:
            return ["ANXIN_NOTIFY_SECRETS_KEY is the development key"]
        try:
            parse_key(self.secrets_key)
        except SecretKeyError as error:
            return [str(error)]
        return []

    def secret_box(self) -> SecretBox:
        return SecretBox(self.secrets_key or DEVELOPMENT_KEY)

    def schedule(self) -> list[float]:
        return [float(part) for part in self.retry_schedule.split(",") if part.strip()]
