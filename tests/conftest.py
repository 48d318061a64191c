"""Markers come from the folder a test lives in: unit/, integration/ or e2e/; ``runs_last`` tests run last."""

from collections.abc import AsyncIterator

import pytest

from tests.support.receiver import WebhookReceiver


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        parts = item.path.parts
        for marker in ("unit", "integration", "e2e"):
            if marker in parts:
                item.add_marker(getattr(pytest.mark, marker))
    # Tests that change shared state on purpose (e.g. schemathesis) go after every other test.
    items.sort(key=lambda item: item.get_closest_marker("runs_last") is not None)


@pytest.fixture(scope="session")
async def receiver() -> AsyncIterator[WebhookReceiver]:
    """A real HTTP server on loopback that records and answers webhooks."""
    server = WebhookReceiver()
    await server.start()
    yield server
    await server.stop()
