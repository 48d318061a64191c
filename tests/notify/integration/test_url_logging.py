"""Issue 19 item 9: notify logs a webhook's scheme and host only, never its path or query."""

from tests.notify.integration.hooks import hook_path, submit_onsite, subscribe, wait_received
from tests.support.receiver import WebhookReceiver
from tests.support.stack import NOTIFY, STATE, client

AGENCY = "330105.water"  # a principal no other test subscribes
PRINCIPAL = f"agency:{AGENCY}"


async def test_the_log_names_the_endpoint_by_scheme_and_host(receiver: WebhookReceiver) -> None:
    path = hook_path("ok", "token-in-path")
    url = receiver.url(path) + "?token=s3cr3t-in-query"
    await subscribe(PRINCIPAL, url, ["clue.status"])
    clue_id = await submit_onsite(AGENCY)
    await wait_received(receiver, path, clue_id)
    async with client(NOTIFY, PRINCIPAL) as notify:
        assert (await notify.delete("/v1/subscriptions/me")).status_code == 204
    log = (STATE / "log" / "notify.log").read_text(encoding="utf-8")
    assert path not in log
    assert "s3cr3t-in-query" not in log
    origin = url.split(path)[0]
    assert origin in log, "the delivery is logged with the endpoint's scheme and host"
