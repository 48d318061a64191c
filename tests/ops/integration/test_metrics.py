"""Every service serves Prometheus metrics at /metrics, with its own gauges where it has them."""

import httpx
import pytest

from tests.support import stack

SERVICES = {
    "intake": stack.INTAKE,
    "routing": stack.ROUTING,
    "deadlines": stack.DEADLINES,
    "notify": stack.NOTIFY,
}


@pytest.mark.parametrize("service", SERVICES)
async def test_metrics_serve_http_latency_by_route(service: str) -> None:
    async with httpx.AsyncClient(base_url=SERVICES[service], timeout=10) as http:
        assert (await http.get("/healthz")).status_code == 200
        metrics = await http.get("/metrics")
    assert metrics.status_code == 200
    assert metrics.headers["content-type"].startswith("text/plain")
    assert (
        f'anxin_http_request_seconds_count{{method="GET",route="/healthz",service="{service}",status="200"}}'
        in (metrics.text)
    )


@pytest.mark.parametrize(
    ("service", "gauges"),
    [
        ("deadlines", ["anxin_deadlines_running", "anxin_deadlines_due_soon", "anxin_deadlines_breached"]),
        ("notify", ["anxin_deliveries_pending", "anxin_deliveries_failed"]),
        ("routing", ["anxin_outbox_backlog", "anxin_outbox_oldest_seconds"]),
    ],
)
async def test_service_gauges_are_exported(service: str, gauges: list[str]) -> None:
    async with httpx.AsyncClient(base_url=SERVICES[service], timeout=10) as http:
        text = (await http.get("/metrics")).text
    for gauge in gauges:
        assert f"\n{gauge}{{" in text, gauge
    if service == "deadlines":
        assert 'anxin_deadlines_running{rule="overall",service="deadlines"}' in text
