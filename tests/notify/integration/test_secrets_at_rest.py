"""Issue 19 item 5: GET never shows the webhook secret, and the database holds it sealed."""

from sqlalchemy import text

from shared.db import make_engine
from tests.notify.integration.hooks import hook_path, subscribe
from tests.support.receiver import WebhookReceiver
from tests.support.stack import DATABASE_URL, NOTIFY, client

PRINCIPAL = "agency:330109.police"


async def test_the_secret_is_not_read_back_and_is_stored_sealed(receiver: WebhookReceiver) -> None:
    secret = await subscribe(PRINCIPAL, receiver.url(hook_path("ok", "sealed")), ["clue.status"])
    async with client(NOTIFY, PRINCIPAL) as notify:
        got = await notify.get("/v1/subscriptions/me")
        assert got.status_code == 200
        assert secret not in got.text
        assert "secret" not in got.json()
        rotated = (await notify.post("/v1/subscriptions/me/rotate-secret")).json()["secret"]
        assert rotated not in (await notify.get("/v1/subscriptions/me")).text
    engine = make_engine(DATABASE_URL)
    try:
        async with engine.connect() as connection:
            row = (
                await connection.execute(
                    text("SELECT secret, previous_secret FROM notify.subscriptions WHERE principal = :p"),
                    {"p": PRINCIPAL},
                )
            ).one()
    finally:
        await engine.dispose()
    assert row.secret.startswith("v1:"), "sealed (notify.secret_box)"
    assert row.previous_secret.startswith("v1:")
    for plain in (secret, rotated, secret.removeprefix("whsec_"), rotated.removeprefix("whsec_")):
        assert plain not in row.secret
        assert plain not in row.previous_secret
    async with client(NOTIFY, PRINCIPAL) as notify:
        assert (await notify.delete("/v1/subscriptions/me")).status_code == 204
