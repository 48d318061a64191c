"""Consumer groups as tests observe them: each instance's share of the partitions, from /readyz.

A test that starts or stops an instance waits for the group's new assignment, never for a fixed
time; the wait is bounded by the configured session timeout (docs/decisions.md, rebalances)."""

import httpx

from shared.settings import CommonSettings
from tests.support.stack import eventually

SESSION_TIMEOUT = CommonSettings().consumer_session_timeout_ms / 1000
#: A join or a leave settles within a heartbeat and a batch; a kill within the session timeout.
REBALANCE_WITHIN = 3 * SESSION_TIMEOUT + 10


async def partitions(url: str) -> dict[str, int] | None:
    """Partitions each consumer of the instance at ``url`` holds now (None: not answering)."""
    try:
        async with httpx.AsyncClient(timeout=5) as http:
            consumers = (await http.get(f"{url}/readyz")).json()["checks"]["consumers"]
    except (httpx.HTTPError, ValueError, KeyError):
        return None
    return {name: int(state["partitions"]) for name, state in consumers.items()}


async def sharing(urls: list[str]) -> bool:
    """Every consumer of every instance holds partitions: the group has settled with all of them."""
    shares = [await partitions(url) for url in urls]
    return all(share and all(count > 0 for count in share.values()) for share in shares)


async def wait_sharing(urls: list[str], what: str) -> None:
    await eventually(lambda: sharing(urls), within=REBALANCE_WITHIN, interval=0.25, what=what)
