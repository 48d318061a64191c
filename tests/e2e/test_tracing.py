"""One clue's path is one trace across the four services: the trace context rides in each event
(CloudEvents ``traceparent``) and in the webhook's ``traceparent`` header. ``make test`` runs the
stack with ``ANXIN_TRACE_EXPORTER=file``, so every service writes its spans to ``.local/traces``."""

import json
import os
import uuid
from pathlib import Path

from tests.support.clues import clue_payload
from tests.support.receiver import Received, WebhookReceiver
from tests.support.stack import INTAKE, NOTIFY, client, eventually

TRACE_DIR = Path(os.environ.get("ANXIN_TRACE_DIR", Path(__file__).resolve().parents[2] / ".local" / "traces"))
DIVISION = "330127"


def spans_of(trace_id: str) -> list[dict[str, object]]:
    spans = []
    for path in TRACE_DIR.glob("*.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            span = json.loads(line)
            if span["trace_id"] == trace_id:
                spans.append(span)
    return spans


async def test_a_clue_is_one_trace_from_intake_to_the_webhook(receiver: WebhookReceiver) -> None:
    assert os.environ.get("ANXIN_TRACE_EXPORTER") == "file", "make test runs the stack with file tracing"
    path = f"/ok/trace-{uuid.uuid4().hex}"
    async with client(NOTIFY, f"agency:{DIVISION}.gov") as notify:
        subscribed = await notify.put(
            "/v1/subscriptions/me", json={"url": receiver.url(path), "events": ["task.assigned"]}
        )
        assert subscribed.status_code == 200
    async with client(INTAKE, "source:national") as intake:
        created = await intake.post("/v1/clues", json=clue_payload(division=DIVISION))
        assert created.status_code == 201
        clue_id = created.json()["clue_id"]

    def ours() -> list[Received]:
        return [r for r in receiver.received(path) if json.loads(r.body)["data"]["clue_id"] == clue_id]

    async def webhook() -> bool:
        return bool(ours())

    await eventually(webhook, what="the task.assigned webhook")
    traceparent = ours()[0].headers["traceparent"]
    trace_id = traceparent.split("-")[1]

    def path_complete() -> bool:
        names = {(str(s["service"]), str(s["name"])) for s in spans_of(trace_id)}
        return {
            ("intake", "POST /v1/clues"),
            ("routing", "events clue.received"),
            ("deadlines", "events clue.received"),
            ("notify", "events task.assigned"),
            ("notify", "deliver task.assigned"),
        } <= names

    async def complete() -> bool:
        return path_complete()

    await eventually(complete, what=f"spans of trace {trace_id} from all four services")
    spans = spans_of(trace_id)
    by_id = {s["span_id"]: s for s in spans}
    roots = [s for s in spans if s["parent_id"] is None]
    assert [(r["service"], r["name"]) for r in roots] == [("intake", "POST /v1/clues")]
    for span in spans:
        if span["parent_id"] is not None:
            assert span["parent_id"] in by_id, f"{span['service']} {span['name']} hangs off a missing span"
