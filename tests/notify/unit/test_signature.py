"""The ``webhook-signature`` header: Standard Webhooks, both secrets during a rotation."""

import base64
import hashlib
import hmac
from datetime import UTC, datetime, timedelta

import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from notify.app.subscriptions import new_secret
from notify.domain.model import Claimed
from notify.worker.sending import signature_header

AT = datetime.now(UTC).replace(microsecond=0)
BODY = '{"type":"clue.status","timestamp":"2026-11-27T08:00:00+00:00","data":{"clue_id":"c-1"}}'


def claimed(secret: str, previous: str | None = None, until: datetime | None = None) -> Claimed:
    return Claimed(
        delivery_id="msg_0123",
        payload={},
        attempts=0,
        lease_until=AT,
        url="http://127.0.0.1/ok",
        secret=secret,
        previous_secret=previous,
        previous_secret_until=until,
        principal="agency:330108.gov",
        traceparent=None,
    )


def headers(signature: str) -> dict[str, str]:
    return {
        "webhook-id": "msg_0123",
        "webhook-timestamp": str(int(AT.timestamp())),
        "webhook-signature": signature,
    }


def test_new_secrets_are_standard_webhooks_secrets() -> None:
    secret = new_secret()
    assert secret.startswith("whsec_")
    assert len(base64.b64decode(secret.removeprefix("whsec_"))) == 32
    assert new_secret() != secret


def test_signature_is_hmac_sha256_of_id_timestamp_and_body() -> None:
    secret = new_secret()
    header = signature_header(claimed(secret), body=BODY, at=AT)
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"msg_0123.{int(AT.timestamp())}.{BODY}".encode()
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    assert header == f"v1,{expected}"
    Webhook(secret).verify(BODY, headers(header))


def test_during_the_overlap_both_secrets_sign() -> None:
    old, new = new_secret(), new_secret()
    header = signature_header(claimed(new, old, AT + timedelta(hours=1)), body=BODY, at=AT)
    assert len(header.split(" ")) == 2
    Webhook(new).verify(BODY, headers(header))
    Webhook(old).verify(BODY, headers(header))


def test_after_the_overlap_only_the_new_secret_signs() -> None:
    old, new = new_secret(), new_secret()
    header = signature_header(claimed(new, old, AT - timedelta(seconds=1)), body=BODY, at=AT)
    Webhook(new).verify(BODY, headers(header))
    with pytest.raises(WebhookVerificationError):
        Webhook(old).verify(BODY, headers(header))


def test_a_changed_body_does_not_verify() -> None:
    secret = new_secret()
    header = signature_header(claimed(secret), body=BODY, at=AT)
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(BODY.replace("c-1", "c-2"), headers(header))
