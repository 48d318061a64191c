"""A hanging endpoint holds at most its own few slots and never delays another endpoint.

Notify runs with ANXIN_NOTIFY_REQUEST_TIMEOUT_SECONDS=2 and four requests per endpoint at once.
"""

import asyncio
from datetime import datetime

from tests.notify.integration.hooks import (
    hook_path,
    received_for,
    submit_onsite,
    subscribe,
    wait_delivery,
)
from tests.support.receiver import WebhookReceiver
from tests.support.stack import eventually

HANGING, HEALTHY = "330109.hrss", "330109.construction"
PER_ENDPOINT = 4
REQUEST_TIMEOUT = 2.0


async def test_a_hanging_endpoint_does_not_delay_another(receiver: WebhookReceiver) -> None:
    hang = hook_path("hang", "stuck")
    ok = hook_path("ok", "healthy")
    await subscribe(f"agency:{HANGING}", receiver.url(hang), ["clue.status"])
    await subscribe(f"agency:{HEALTHY}", receiver.url(ok), ["clue.status"])

    stuck = await asyncio.gather(*(submit_onsite(HANGING) for _ in range(PER_ENDPOINT + 2)))

    async def saturated() -> bool:
        return len(receiver.received(hang)) >= PER_ENDPOINT

    await eventually(saturated, what="the hanging endpoint holding all its slots")
    hung_since = receiver.received(hang)[0].at

    healthy = await asyncio.gather(*(submit_onsite(HEALTHY) for _ in range(3)))
    for clue_id in healthy:
        delivery = await wait_delivery(f"agency:{HEALTHY}", clue_id, "succeeded")
        took = datetime.fromisoformat(delivery["delivered_at"]) - datetime.fromisoformat(
            delivery["created_at"]
        )
        assert took.total_seconds() < REQUEST_TIMEOUT / 2, f"{clue_id} waited {took} behind the hang"
        assert len(received_for(receiver, ok, clue_id)) == 1
    for request in receiver.received(ok):
        hanging = [r for r in receiver.received(hang) if 0 <= request.at - r.at < REQUEST_TIMEOUT]
        assert hanging, "the healthy endpoint was served while the other one hung"

    # The bound per endpoint: until the first hanging request times out, no more than four start.
    early = [r for r in receiver.received(hang) if r.at - hung_since < REQUEST_TIMEOUT * 0.9]
    assert len(early) == PER_ENDPOINT
    assert len({r.headers["webhook-id"] for r in early}) == PER_ENDPOINT
    assert len(stuck) == len(set(stuck))
