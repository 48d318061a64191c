"""``anxin-ops``: what an operator does to a running Anxin (docs/operations.md)."""

import asyncio
import dataclasses
import json
import os
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated, Any

import httpx
import typer
import yaml

from shared.auth import Principal
from shared.events.topics import ALL_TOPICS
from shared.kafka import KafkaConnection
from shared.ops import backlog, dlq
from shared.ops import keys as key_store
from shared.settings import CommonSettings

app = typer.Typer(
    help="Operate Anxin: keys, backlog, calendar, DLQ replay, redelivery, audit.", no_args_is_help=True
)
keys_app = typer.Typer(
    help="Production keys, stored hashed in the keys file (ANXIN_KEYS_FILE).", no_args_is_help=True
)
app.add_typer(keys_app, name="keys")

KeysFile = Annotated[
    Path, typer.Option("--file", envvar="ANXIN_KEYS_FILE", help="the keys file the services read")
]


@keys_app.command("issue")
def keys_issue(principal: str, file: KeysFile) -> None:
    """Issue a key for PRINCIPAL (source:<source>, agency:<id> or admin). The key is shown once."""
    try:
        parsed = Principal.parse(principal)
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="PRINCIPAL") from error
    issued = key_store.issue_key(file, parsed, now=datetime.now(UTC))
    typer.echo(f"key_id: {issued.entry.key_id}", err=True)
    typer.echo(f"principal: {issued.entry.principal}", err=True)
    typer.echo("key (shown once, store it now):", err=True)
    typer.echo(issued.key)


@keys_app.command("list")
def keys_list(file: KeysFile, as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """List the keys: id, principal, when issued. Never the keys themselves."""
    entries = key_store.list_keys(file)
    if as_json:
        typer.echo(json.dumps([entry.as_yaml() for entry in entries], ensure_ascii=False))
        return
    for entry in entries:
        typer.echo(f"{entry.key_id}\t{entry.principal}\t{entry.issued_at.isoformat()}")


@keys_app.command("revoke")
def keys_revoke(key_id: str, file: KeysFile) -> None:
    """Revoke a key; services stop accepting it within ANXIN_KEYS_RELOAD_SECONDS."""
    try:
        revoked = key_store.revoke_key(file, key_id)
    except LookupError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(1) from error
    typer.echo(f"revoked {revoked.key_id} ({revoked.principal})")


# Commands that talk to the running services and Kafka.

KafkaBootstrap = Annotated[str, typer.Option("--kafka", envvar="ANXIN_KAFKA_BOOTSTRAP", help="Kafka brokers")]
#: The admin key never comes as a flag value (it would show in `ps` and the shell's history):
#: from ANXIN_OPS_KEY, or from a file given by --key-file or ANXIN_OPS_KEY_FILE.
AdminKeyFile = Annotated[
    Path | None,
    typer.Option(
        "--key-file",
        envvar="ANXIN_OPS_KEY_FILE",
        dir_okay=False,
        help="a file holding the admin key; default: the ANXIN_OPS_KEY variable (development: dev-admin)",
    ),
]


def admin_key(key_file: Path | None) -> str:
    """The admin key: from ``key_file`` when given, else from ANXIN_OPS_KEY."""
    if key_file is not None:
        try:
            key = key_file.read_text(encoding="utf-8").strip()
        except OSError as error:
            raise typer.BadParameter(f"cannot read {key_file}: {error}", param_hint="--key-file") from error
    else:
        key = os.environ.get("ANXIN_OPS_KEY", "").strip()
    if not key:
        raise typer.BadParameter(
            "no admin key: set ANXIN_OPS_KEY, or give a file with --key-file (or ANXIN_OPS_KEY_FILE)",
            param_hint="--key-file",
        )
    return key


IntakeUrl = Annotated[str, typer.Option("--intake-url", envvar="ANXIN_OPS_INTAKE_URL")]
RoutingUrl = Annotated[str, typer.Option("--routing-url", envvar="ANXIN_OPS_ROUTING_URL")]
DeadlinesUrl = Annotated[str, typer.Option("--deadlines-url", envvar="ANXIN_OPS_DEADLINES_URL")]
NotifyUrl = Annotated[str, typer.Option("--notify-url", envvar="ANXIN_OPS_NOTIFY_URL")]
AsJson = Annotated[bool, typer.Option("--json", help="print JSON instead of a table")]


def _kafka(bootstrap: str) -> KafkaConnection:
    """The brokers given, reached as the services reach them (ANXIN_KAFKA_SECURITY_PROTOCOL, ...)."""
    return dataclasses.replace(CommonSettings().kafka_connection(), bootstrap=bootstrap)


@app.command("backlog")
def backlog_command(
    kafka: KafkaBootstrap = "127.0.0.1:9092",
    intake_url: IntakeUrl = "http://127.0.0.1:8001",
    routing_url: RoutingUrl = "http://127.0.0.1:8002",
    deadlines_url: DeadlinesUrl = "http://127.0.0.1:8003",
    notify_url: NotifyUrl = "http://127.0.0.1:8004",
    as_json: AsJson = False,
) -> None:
    """Unpublished outbox rows per service, consumer-group lag per partition, and the webhook backlog."""
    urls = {"intake": intake_url, "routing": routing_url, "deadlines": deadlines_url, "notify": notify_url}

    async def gather() -> tuple[
        list[backlog.OutboxBacklog], list[backlog.PartitionLag], backlog.WebhookBacklog
    ]:
        return (
            await backlog.outbox_backlogs(urls),
            await backlog.consumer_lags(_kafka(kafka)),
            await backlog.webhook_backlog(notify_url),
        )

    outboxes, lags, webhooks = asyncio.run(gather())
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "outboxes": [vars(o) for o in outboxes],
                    "consumer_groups": [{**vars(lag), "lag": lag.lag} for lag in lags],
                    "webhooks": vars(webhooks),
                }
            )
        )
        return
    typer.echo("outbox\tbacklog\toldest_seconds")
    for outbox in outboxes:
        if not outbox.reachable:
            typer.echo(f"{outbox.service}\tunreachable\t-")
        elif outbox.backlog is not None:
            typer.echo(f"{outbox.service}\t{outbox.backlog}\t{outbox.oldest_seconds or 0:.1f}")
    typer.echo("\ngroup\ttopic\tpartition\tcommitted\tend\tlag")
    for lag in lags:
        typer.echo(f"{lag.group}\t{lag.topic}\t{lag.partition}\t{lag.committed}\t{lag.end}\t{lag.lag}")
    typer.echo("\nwebhooks\tpending\tfailed\toldest_pending_seconds")
    if webhooks.reachable:
        age = webhooks.oldest_pending_seconds or 0
        typer.echo(f"notify\t{webhooks.pending}\t{webhooks.failed}\t{age:.1f}")
    else:
        typer.echo("notify\tunreachable\t-\t-")


calendar_app = typer.Typer(help="The official holiday schedule (deadlines).", no_args_is_help=True)
app.add_typer(calendar_app, name="calendar")


@calendar_app.command("load")
def calendar_load(
    year: int,
    schedule: Annotated[
        Path,
        typer.Argument(
            exists=True,
            dir_okay=False,
            help='YAML or JSON: {holidays: [{date: "2027-01-01", name: "元旦"}], workdays: ["2027-02-07"]}',
        ),
    ],
    key_file: AdminKeyFile = None,
    deadlines_url: DeadlinesUrl = "http://127.0.0.1:8003",
) -> None:
    """Load YEAR's official schedule (holidays and make-up working days); open deadlines are recomputed."""
    try:
        body = yaml.safe_load(schedule.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise typer.BadParameter(f"not YAML or JSON: {error}", param_hint="SCHEDULE") from error
    answer = _call(
        "PUT", f"{deadlines_url}/v1/calendar/years/{year}", admin_key(key_file), json=_jsonable(body)
    )
    typer.echo(
        f"{year}: {answer['holidays']} holidays, {answer['workdays']} working days,"
        f" {answer['recomputed_deadlines']} open deadlines recomputed"
    )


dlq_app = typer.Typer(help="Dead-letter topics (<topic>.dlq).", no_args_is_help=True)
app.add_typer(dlq_app, name="dlq")


@dlq_app.command("replay")
def dlq_replay(
    kafka: KafkaBootstrap = "127.0.0.1:9092",
    topic: Annotated[
        list[str] | None, typer.Option("--topic", help="original topic(s); default: every Anxin topic")
    ] = None,
    max_messages: Annotated[int | None, typer.Option("--max", min=1, help="replay at most this many")] = None,
) -> None:
    """After a fix, republish dead-lettered messages to their original topic, with their key."""
    topics = topic or list(ALL_TOPICS)
    total = 0
    for name in topics:
        left = None if max_messages is None else max_messages - total
        if left == 0:
            break
        replayed = asyncio.run(dlq.replay(_kafka(kafka), name, max_messages=left))
        for message in replayed:
            typer.echo(f"{message.dlq}@{message.offset} -> {message.topic} key={message.key}")
        total += len(replayed)
    typer.echo(f"replayed {total} message(s)")


@app.command("redeliver")
def redeliver(
    since: Annotated[datetime, typer.Option(help="created at or after (ISO 8601 with an offset)")],
    key_file: AdminKeyFile = None,
    until: Annotated[datetime | None, typer.Option(help="created before (ISO 8601 with an offset)")] = None,
    subscriber: Annotated[str | None, typer.Option(help="only this principal's deliveries")] = None,
    notify_url: NotifyUrl = "http://127.0.0.1:8004",
) -> None:
    """Send again the failed webhooks created in a time range (every subscriber, or one)."""
    for name, value in (("--since", since), ("--until", until)):
        if value is not None and value.tzinfo is None:
            raise typer.BadParameter("give an offset, e.g. 2026-11-27T08:00:00+08:00", param_hint=name)
    params = {"state": "failed", "since": since.isoformat()}
    if until is not None:
        params["until"] = until.isoformat()
    if subscriber is not None:
        params["subscriber"] = subscriber
    answer = _call("POST", f"{notify_url}/v1/deliveries/redeliver", admin_key(key_file), params=params)
    typer.echo(
        f"redelivering {answer['redelivered']} failed deliveries"
        f" ({answer['skipped_without_subscription']} skipped: subscription missing or disabled)"
    )


audit_app = typer.Typer(help="The audit trail (routing's hash-chained case timelines).", no_args_is_help=True)
app.add_typer(audit_app, name="audit")


@audit_app.command("verify")
def audit_verify(
    division: str, key_file: AdminKeyFile = None, routing_url: RoutingUrl = "http://127.0.0.1:8002"
) -> None:
    """Verify the timeline hash chain of every case in DIVISION; exit 1 if any is broken."""
    answer = _call(
        "GET", f"{routing_url}/v1/cases/verify", admin_key(key_file), params={"division": division}
    )
    for broken in answer["broken"]:
        typer.echo(f"BROKEN {broken['clue_id']} at entry {broken['broken_at']}: {broken['problem']}")
    typer.echo(f"division {answer['division']}: {answer['cases']} cases, {len(answer['broken'])} broken")
    if not answer["valid"]:
        raise typer.Exit(1)


def _call(method: str, url: str, key: str, **kwargs: Any) -> dict[str, Any]:
    """One admin request; a problem answer is printed and ends the command with status 1."""
    try:
        response = httpx.request(
            method, url, headers={"Authorization": f"Bearer {key}"}, timeout=60, **kwargs
        )
    except httpx.HTTPError as error:
        typer.echo(f"{method} {url}: {error}", err=True)
        raise typer.Exit(1) from error
    if response.status_code >= 400:
        typer.echo(f"{method} {url}: {response.status_code} {response.text}", err=True)
        raise typer.Exit(1)
    body: dict[str, Any] = response.json()
    return body


def _jsonable(value: Any) -> Any:
    """YAML reads dates as dates; the API wants ISO strings."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value
