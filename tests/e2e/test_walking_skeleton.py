"""The walking skeleton over HTTP, through real Kafka and PostgreSQL: submit a national clue, see its
first task and its deadlines, and receive the signed ``task.assigned`` webhook."""

import json
import uuid
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import chinese_calendar
import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from tests.support.clues import clue_payload
from tests.support.receiver import WebhookReceiver
from tests.support.stack import DEADLINES, INTAKE, NOTIFY, ROUTING, client, eventually

SHANGHAI = ZoneInfo("Asia/Shanghai")


def expected_last_day(received: date, days: int) -> date:
    """Independent of the service: count from the day after receipt, roll past rest days."""
    last = received + timedelta(days=days)
    while not chinese_calendar.is_workday(last):
        last += timedelta(days=1)
    return last


async def test_national_clue_reaches_gov_with_deadlines_and_a_signed_webhook(
    receiver: WebhookReceiver,
) -> None:
    hook_path = f"/ok/skeleton-{uuid.uuid4().hex}"
    async with client(NOTIFY, "agency:330102.gov") as notify:
        response = await notify.put(
            "/v1/subscriptions/me", json={"url": receiver.url(hook_path), "events": ["task.assigned"]}
        )
        assert response.status_code == 200, response.text
        secret = response.json()["secret"]
        assert secret.startswith("whsec_")

    received_at = datetime(2026, 9, 24, 10, 15, tzinfo=SHANGHAI)
    payload = clue_payload(division="330102", received_at=received_at.isoformat())
    async with client(INTAKE, "source:national") as intake:
        created = await intake.post("/v1/clues", json=payload)
        assert created.status_code == 201, created.text
        clue_id = created.json()["clue_id"]
        assert created.json()["status"] == "received"

    async with client(ROUTING, "agency:330102.gov") as gov:

        async def verify_task() -> list[dict[str, object]] | None:
            items: list[dict[str, object]] = (await gov.get("/v1/tasks", params={"clue_id": clue_id})).json()[
                "items"
            ]
            return items or None

        tasks = await eventually(verify_task, what="the verify task for 330102.gov")
        assert [(t["kind"], t["agency_id"], t["state"]) for t in tasks] == [("verify", "330102.gov", "open")]
        task_id = tasks[0]["task_id"]
        assert "rule 1" in str(tasks[0]["reason"])
        detail = await gov.get(f"/v1/tasks/{task_id}")
        assert detail.status_code == 200
        assert detail.json()["clue"]["complainant"]["phone"] == "13812345678"  # holder of an open task

    async with client(ROUTING, "agency:330105.gov") as other:
        assert (await other.get(f"/v1/tasks/{task_id}")).status_code == 404
        listed = (await other.get("/v1/tasks", params={"clue_id": clue_id})).json()["items"]
        assert listed == []

    async with client(DEADLINES, "agency:330102.gov") as deadlines:

        async def clue_deadlines() -> dict[str, dict[str, object]] | None:
            items = (await deadlines.get("/v1/deadlines", params={"clue_id": clue_id})).json()["items"]
            by_rule = {d["rule"]: d for d in items}
            return by_rule if {"transfer_7d", "overall"} <= set(by_rule) else None

        by_rule = await eventually(clue_deadlines, what="transfer_7d and overall deadlines")
    for rule, days in (("transfer_7d", 7), ("overall", 30)):
        deadline = by_rule[rule]
        last_day = expected_last_day(received_at.date(), days)
        due_at = datetime.fromisoformat(str(deadline["due_at"]))
        assert due_at == datetime.combine(last_day, datetime.max.time().replace(microsecond=0), SHANGHAI)
        assert str(deadline["due_at"]).endswith("+08:00")
        assert deadline["starts_on"] == "2026-09-24"
        assert deadline["provisional"] is False
    # 2026-09-24 + 7 days is 10-01, National Day: the period runs to the first working day after it.
    assert str(by_rule["transfer_7d"]["due_at"]).startswith("2026-10-08T23:59:59")

    async def webhook() -> list[object] | None:
        return receiver.received(hook_path) or None  # type: ignore[return-value]

    await eventually(webhook, what="the task.assigned webhook")
    delivery = receiver.received(hook_path)[0]
    body = Webhook(secret).verify(delivery.body, delivery.headers)
    assert body["type"] == "task.assigned"
    assert body["data"]["clue_id"] == clue_id
    assert body["data"]["task_id"] == task_id
    assert delivery.headers["webhook-id"].startswith("msg_")
    assert "13812345678" not in delivery.body.decode()
    tampered = json.dumps({**body, "type": "forged"})
    with pytest.raises(WebhookVerificationError, match="signature"):
        Webhook(secret).verify(tampered, delivery.headers)
