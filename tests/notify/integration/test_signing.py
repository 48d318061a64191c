"""Signed per Standard Webhooks, verified by the receiver, across a secret rotation."""

from datetime import datetime

from standardwebhooks.webhooks import Webhook

from tests.notify.integration.hooks import body, hook_path, submit_onsite, subscribe, wait_received
from tests.support.receiver import WebhookReceiver
from tests.support.stack import NOTIFY, client

AGENCY = "330108.hrss"
PRINCIPAL = f"agency:{AGENCY}"


async def test_receiver_verifies_the_signature_and_both_secrets_sign_during_rotation(
    receiver: WebhookReceiver,
) -> None:
    path = hook_path("ok", "signed")
    old_secret = await subscribe(PRINCIPAL, receiver.url(path), ["clue.status"])

    clue_id = await submit_onsite(AGENCY)
    [first] = await wait_received(receiver, path, clue_id)
    payload = Webhook(old_secret).verify(first.body, first.headers)
    assert payload["type"] == "clue.status"
    assert payload["data"]["clue_id"] == clue_id
    assert payload["data"]["status"] == "in_progress"
    assert "complainant" not in payload["data"]
    assert first.headers["webhook-id"].startswith("msg_")
    assert first.headers["content-type"] == "application/json"
    datetime.fromisoformat(body(first)["timestamp"])

    async with client(NOTIFY, PRINCIPAL) as notify:
        rotated = await notify.post("/v1/subscriptions/me/rotate-secret")
        assert rotated.status_code == 200, rotated.text
        new_secret = rotated.json()["secret"]
        subscription = (await notify.get("/v1/subscriptions/me")).json()
    assert new_secret != old_secret
    assert "secret" not in subscription  # given by rotate-secret only
    assert subscription["previous_secret_until"] == rotated.json()["previous_secret_valid_until"]
    assert datetime.fromisoformat(subscription["previous_secret_until"]) > datetime.fromisoformat(
        subscription["updated_at"]
    )

    second_clue = await submit_onsite(AGENCY)
    [second] = await wait_received(receiver, path, second_clue)
    assert len(second.headers["webhook-signature"].split(" ")) == 2
    assert Webhook(new_secret).verify(second.body, second.headers)["data"]["clue_id"] == second_clue
    assert Webhook(old_secret).verify(second.body, second.headers)["data"]["clue_id"] == second_clue
