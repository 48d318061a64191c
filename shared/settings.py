"""Settings every service reads (env prefix ``ANXIN_``); each service adds its own class."""

from collections.abc import Mapping, Sequence
from enum import StrEnum
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url

from shared.kafka import KafkaConnection, SaslMechanism, SecurityProtocol
from shared.limits import AbuseLimits, WriteLimit
from shared.sealing import DEVELOPMENT_KEY, Sealer

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
    kafka_security_protocol: SecurityProtocol = Field(
        default="PLAINTEXT",
        description="PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL; production requires SASL_SSL off loopback",
    )
    kafka_sasl_mechanism: SaslMechanism = Field(
        default="SCRAM-SHA-512", description="PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512"
    )
    kafka_sasl_username: str | None = Field(default=None, description="this service's Kafka user")
    kafka_sasl_password: SecretStr | None = Field(default=None, description="its password (a secret)")
    personal_data_key: SecretStr | None = Field(
        default=None,
        description="32 bytes (base64) sealing personal data in events; give it to intake and routing only; "
        "development uses a fixed key, production refuses to start those two without one",
    )
    kafka_ssl_cafile: Path | None = Field(
        default=None, description="CA bundle that signed the brokers' certificates (none: the system's)"
    )
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
    write_limits: dict[Literal["source", "agency", "admin"], tuple[float, int]] = Field(
        default={"source": (1000.0, 20_000), "agency": (20.0, 200), "admin": (50.0, 500)},
        description="writes (POST, PUT, DELETE) per key and instance, by principal kind: "
        "[per second, burst]; beyond them 429 with Retry-After. A source may push a backlog of 20,000 at once",
    )
    auth_failures_per_address: int = Field(
        default=50, ge=1, description="failed authentications from one client address before it gets 429"
    )
    auth_failure_window_seconds: float = Field(
        default=300.0, gt=0, description="the window those failures count in, and the lockout after them"
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
        default=200, ge=1, description="the most records a consumer takes in one fetch"
    )
    consumer_batch_seconds: float = Field(
        default=1.0,
        gt=0,
        description="a consumer sizes its batches from the measured cost of a record to take about this long",
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

    def abuse_limits(self) -> AbuseLimits:
        return AbuseLimits(
            writes={kind: WriteLimit(rate, burst) for kind, (rate, burst) in self.write_limits.items()},
            failures_per_address=self.auth_failures_per_address,
            failure_window_seconds=self.auth_failure_window_seconds,
        )

    def kafka_connection(self) -> KafkaConnection:
        password = self.kafka_sasl_password.get_secret_value() if self.kafka_sasl_password else None
        return KafkaConnection(
            bootstrap=self.kafka_bootstrap,
            security_protocol=self.kafka_security_protocol,
            sasl_mechanism=self.kafka_sasl_mechanism,
            username=self.kafka_sasl_username,
            password=password,
            ca_file=self.kafka_ssl_cafile,
        )

    def personal_data_sealer(self) -> Sealer | None:
        """The key sealing personal data in events; None in production without one."""
        if self.personal_data_key is not None:
            return Sealer(self.personal_data_key.get_secret_value(), setting="ANXIN_PERSONAL_DATA_KEY")
        if self.mode == Mode.PRODUCTION:
            return None
        return Sealer(DEVELOPMENT_KEY, setting="the development personal data key")

    def kafka_problems(self) -> list[str]:
        """Production talks to brokers off this machine only with SASL over TLS."""
        hosts = {address.rsplit(":", 1)[0].strip("[]") for address in self.kafka_bootstrap.split(",")}
        if hosts <= LOOPBACK_HOSTS:
            return []
        problems = []
        if self.kafka_security_protocol != "SASL_SSL":
            problems.append("ANXIN_KAFKA_SECURITY_PROTOCOL must be SASL_SSL for brokers off this machine")
        if not self.kafka_sasl_username or self.kafka_sasl_password is None:
            problems.append("ANXIN_KAFKA_SASL_USERNAME and ANXIN_KAFKA_SASL_PASSWORD are not set")
        return problems

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
        problems.extend(self.kafka_problems())
        return problems

    def check_production(self, extra: Sequence[str] = ()) -> None:
        """Raise when production mode lacks a secret; ``extra``: a service's own problems."""
        problems = self.production_problems()
        if self.mode == Mode.PRODUCTION:
            problems += extra
        if problems:
            raise ProductionSettingsError("refusing to start in production mode: " + "; ".join(problems))
