"""A restart in the middle of a retry schedule: the delivery resumes, and is never sent twice at once."""

import asyncio
import itertools
import os
import time
from pathlib import Path

import httpx

from tests.notify.integration.hooks import (
    hook_path,
    received_for,
    submit_onsite,
    subscribe,
    wait_delivery,
    wait_received,
)
from tests.support.receiver import WebhookReceiver
from tests.support.stack import NOTIFY, eventually

REPO = Path(__file__).resolve().parents[3]
STACK = REPO / "deploy" / "local" / "stack.sh"
AGENCY = "330109.transport"
TRIES = 4
REQUEST_TIMEOUT = 2.0
LEASE = REQUEST_TIMEOUT + 30
#: make test runs notify with these; a restart must keep them.
TEST_SETTINGS = {"ANXIN_NOTIFY_RETRY_SCHEDULE": "0,1,1,1", "ANXIN_NOTIFY_REQUEST_TIMEOUT_SECONDS": "2"}


async def stack(command: str) -> None:
    env = {**TEST_SETTINGS, **os.environ}
    process = await asyncio.create_subprocess_exec(
        str(STACK), command, "notify", cwd=REPO, env=env, stdout=asyncio.subprocess.DEVNULL
    )
    assert await process.wait() == 0, f"stack.sh {command} notify failed"


async def notify_ready() -> bool:
    try:
        async with httpx.AsyncClient(timeout=2) as http:
            return (await http.get(f"{NOTIFY}/readyz")).status_code == 200
    except httpx.HTTPError:
        return False


async def restart_notify() -> tuple[float, float]:
    """Stop and start notify; returns the loop times at which the stop was asked and done."""
    asked_at = asyncio.get_running_loop().time()
    await stack("stop-service")
    stopped_at = asyncio.get_running_loop().time()
    try:
        await stack("start-service")
    finally:
        await eventually(notify_ready, within=90, what="notify ready again")
    return asked_at, stopped_at


async def test_restart_mid_schedule_resumes_without_concurrent_sends(receiver: WebhookReceiver) -> None:
    path = hook_path(f"flaky/{TRIES - 1}", "restart")
    await subscribe(f"agency:{AGENCY}", receiver.url(path), ["clue.status"])
    clue_id = await submit_onsite(AGENCY)

    async def first_try_failed() -> bool:
        return len(received_for(receiver, path, clue_id)) >= 1

    await eventually(first_try_failed, what="the first, failing try")
    _, stopped_at = await restart_notify()
    before_restart = [r for r in received_for(receiver, path, clue_id) if r.at < stopped_at]
    assert 1 <= len(before_restart) < TRIES, "the restart must fall inside the retry schedule"

    delivery = await wait_delivery(f"agency:{AGENCY}", clue_id, "succeeded", within=60)
    requests = received_for(receiver, path, clue_id)
    assert len(requests) == TRIES == delivery["attempts"], "one request per try, none sent twice"
    assert {r.headers["webhook-id"] for r in requests} == {delivery["delivery_id"]}
    assert requests[-1].at > stopped_at, "the schedule resumed after the restart"
    gaps = [later.at - earlier.at for earlier, later in itertools.pairwise(requests)]
    assert min(gaps) >= 0.8, f"two tries overlapped or came back to back: {gaps}"


async def test_a_send_cut_short_by_a_restart_is_resumed_at_once(receiver: WebhookReceiver) -> None:
    agency, principal = "330110.transport", "agency:330110.transport"
    hang = hook_path("hang", "cut")
    await subscribe(principal, receiver.url(hang), ["clue.status"])
    clue_id = await submit_onsite(agency)
    [cut] = await wait_received(receiver, hang, clue_id)

    asked_at, stopped_at = await restart_notify()
    assert asked_at - cut.at < REQUEST_TIMEOUT, "asked to stop while the first send was still out"
    ready = time.monotonic()
    ok = hook_path("ok", "resumed")
    await subscribe(principal, receiver.url(ok), ["clue.status"])

    # Without the hand-back at shutdown, the lease (request timeout + 30 s) would hold it ~27 s more.
    delivery = await wait_delivery(principal, clue_id, "succeeded", within=LEASE * 0.6)
    assert time.monotonic() - ready < LEASE * 0.6
    [resumed] = received_for(receiver, ok, clue_id)
    sends = sorted([*received_for(receiver, hang, clue_id), resumed], key=lambda r: r.at)
    assert {r.headers["webhook-id"] for r in sends} == {delivery["delivery_id"]}
    for earlier, later in itertools.pairwise(sends):
        ended = min(earlier.at + REQUEST_TIMEOUT, stopped_at) if earlier.path == hang else earlier.at
        assert later.at >= ended - 0.05, "a send started while the previous one was still out"
