"""Settings every service reads (env prefix ``ANXIN_``); each service adds its own class."""

from collections.abc import Mapping, Sequence
from enum import StrEnum
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url

REPO_ROOT = Path(__file__).resolve().parent.parent
DEVELOPMENT_DATABASE_PASSWORD = "anxin"


class Mode(StrEnum):
    DEVELOPMENT = "development"
    PRODUCTION = "production"


#: asyncpg's ``ssl`` (libpq's ``sslmode``) values that refuse a connection without TLS.
TLS_REQUIRED_MODES = frozenset({"require", "verify-ca", "verify-full"})
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "::1", "localhost"})


def database_tls_required(host: str | None, query: Mapping[str, str | Sequence[str]]) -> bool:
    """True when the URL insists on TLS, or never leaves the machine (loopback or a Unix socket)."""
    if host is None or host in LOOPBACK_HOSTS:
        return True
    modes = [query.get("ssl"), query.get("sslmode")]
    return any(m in TLS_REQUIRED_MODES for m in modes if isinstance(m, str))


class ProductionSettingsError(RuntimeError):
    """Production mode is missing a secret; the service must not start."""


class CommonSettings(BaseSettings):
    """Connection and mode settings common to all services. Built at startup, never at import."""

    model_config = SettingsConfigDict(env_prefix="ANXIN_", extra="ignore")

    mode: Mode = Field(
        default=Mode.PRODUCTION,
        description="`production` (the default) ignores the development keys and requires the secrets below; "
        "the local stack (`make run`, `make up`, `make test`) sets `development`",
    )
    database_url: str = Field(
        default="postgresql+asyncpg://anxin:anxin@127.0.0.1:5433/anxin",
        description="the database (each service uses its own schema); production refuses the development "
        "password, and a non-loopback host without `ssl=require`, `verify-ca` or `verify-full`",
    )
    kafka_bootstrap: str = Field(default="127.0.0.1:9092", description="Kafka brokers, comma-separated")
    kafka_partitions: int = Field(default=6, ge=1, description="partitions of the topics created at start-up")
    principals_file: Path = Field(
        default=REPO_ROOT / "deploy" / "local" / "principals.yaml",
        description="development keys (plain); read only in development mode",
    )
    keys_file: Path | None = Field(
        default=None,
        description="production keys, stored hashed (`anxin-ops keys`); required in production mode",
    )
    keys_reload_seconds: float = Field(
        default=5.0, gt=0, description="how often a service checks the keys file for changes"
    )
    log_level: str = Field(default="INFO", description="level of the JSON logs")
    max_body_bytes: int = Field(
        default=1_048_576, ge=1024, description="larger request bodies get 413 (intake has its own limit)"
    )
    outbox_poll_seconds: float = Field(
        default=0.5, gt=0, description="how often the relay looks for unpublished events when not woken"
    )
    consumer_retries: int = Field(
        default=3, ge=1, description="in-place tries before a message goes to the DLQ"
    )
    consumer_session_timeout_ms: int = Field(
        default=10_000,
        ge=6_000,
        description="a consumer silent this long is out of its group and its partitions move (docs/decisions.md)",
    )
    consumer_heartbeat_interval_ms: int = Field(
        default=1_000, ge=100, description="how often a consumer heartbeats, and so notices a rebalance"
    )
    consumer_max_poll_interval_ms: int = Field(
        default=30_000, ge=1_000, description="a consumer that fetches nothing for this long leaves its group"
    )
    consumer_max_records: int = Field(
        default=100, ge=1, description="records a consumer takes per fetch, so that one batch stays short"
    )
    consumer_drain_seconds: float = Field(
        default=5.0,
        gt=0,
        description="on a rebalance, how long a consumer waits for its batch in flight to commit before it lets go",
    )
    trace_exporter: Literal["none", "console", "file"] = Field(
        default="none", description="OpenTelemetry spans: none, console, or JSON lines in ANXIN_TRACE_DIR"
    )
    trace_dir: Path = Field(
        default=REPO_ROOT / ".local" / "traces", description="where the file exporter writes <service>.jsonl"
    )

    def production_problems(self) -> list[str]:
        """What keeps this configuration from running in production mode (empty: nothing)."""
        if self.mode != Mode.PRODUCTION:
            return []
        problems = []
        if self.keys_file is None:
            problems.append("ANXIN_KEYS_FILE is not set (issue keys with `anxin-ops keys issue`)")
        elif not self.keys_file.is_file():
            problems.append(f"ANXIN_KEYS_FILE {self.keys_file} does not exist")
        url = make_url(self.database_url)
        if url.password in {None, DEVELOPMENT_DATABASE_PASSWORD}:
            problems.append("ANXIN_DATABASE_URL has no password or the development one")
        if not database_tls_required(url.host, url.query):
            problems.append(
                "ANXIN_DATABASE_URL does not require TLS: add ?ssl=verify-full (or require, verify-ca)"
            )
        return problems

    def check_production(self, extra: Sequence[str] = ()) -> None:
        """Raise when production mode lacks a secret; ``extra``: a service's own problems."""
        problems = self.production_problems()
        if self.mode == Mode.PRODUCTION:
            problems += extra
        if problems:
            raise ProductionSettingsError("refusing to start in production mode: " + "; ".join(problems))
