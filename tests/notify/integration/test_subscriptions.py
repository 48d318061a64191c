"""Subscriptions per principal: bad input is refused as a problem and changes nothing."""

from tests.notify.integration.hooks import hook_path, subscribe
from tests.support.receiver import WebhookReceiver
from tests.support.stack import NOTIFY, client

PRINCIPAL = "agency:330110.water"


async def test_put_get_refuse_bad_input_and_delete(receiver: WebhookReceiver) -> None:
    url = receiver.url(hook_path("ok", "crud"))
    secret = await subscribe(PRINCIPAL, url, ["task.assigned", "clue.status"])
    async with client(NOTIFY, PRINCIPAL) as notify:
        got = (await notify.get("/v1/subscriptions/me")).json()
        assert (got["principal"], got["url"], got["events"]) == (
            PRINCIPAL,
            url,
            ["task.assigned", "clue.status"],
        )
        assert secret.startswith("whsec_")
        assert "secret" not in got, "the contract gives the secret only in the answer to PUT"
        assert got["disabled_at"] is None

        for bad in (
            {"url": "ftp://example.com/hook", "events": ["clue.status"]},
            {"url": "https://user:pw@example.com/hook", "events": ["clue.status"]},
            {"url": url, "events": ["clue.nonsense"]},
            {"url": url, "events": []},
        ):
            refused = await notify.put("/v1/subscriptions/me", json=bad)
            assert refused.status_code == 422, refused.text
            assert refused.headers["content-type"].startswith("application/problem+json")
            assert refused.json()["errors"]
        assert (await notify.get("/v1/subscriptions/me")).json() == got

        again = await notify.put("/v1/subscriptions/me", json={"url": url, "events": ["clue.status"]})
        assert again.json()["secret"] == secret, "replacing a subscription keeps its secret"

        assert (await notify.delete("/v1/subscriptions/me")).status_code == 204
        missing = await notify.get("/v1/subscriptions/me")
        assert missing.status_code == 404
        assert missing.headers["content-type"].startswith("application/problem+json")
        assert (await notify.post("/v1/subscriptions/me/rotate-secret")).status_code == 404

    async with client(NOTIFY) as anonymous:
        assert (await anonymous.get("/v1/subscriptions/me")).status_code == 401
