"""Prometheus metrics at /metrics: HTTP latency by route, outbox backlog and age, consumer lag.

Gauges that need I/O are read when Prometheus scrapes, not on a timer."""

import time
from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.runtime import ServiceRuntime

ExtraGauges = Callable[[], Awaitable[dict[str, dict[tuple[str, ...], float]]]]
#: Any other method is counted as ``other``, so that made-up methods cannot create series without bound.
KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def method_label(method: str) -> str:
    return method if method in KNOWN_METHODS else "other"


class ServiceMetrics:
    def __init__(self, service: str) -> None:
        self.registry = CollectorRegistry()
        self.http_latency = Histogram(
            "anxin_http_request_seconds",
            "HTTP request latency by route",
            ["service", "method", "route", "status"],
            registry=self.registry,
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
        )
        self.outbox_backlog = Gauge(
            "anxin_outbox_backlog", "unpublished outbox rows", ["service"], registry=self.registry
        )
        self.outbox_age = Gauge(
            "anxin_outbox_oldest_seconds",
            "age of the oldest unpublished outbox row",
            ["service"],
            registry=self.registry,
        )
        self.consumer_lag = Gauge(
            "anxin_consumer_lag", "messages behind the end of each partition", ["service", "topic", "partition"],
            registry=self.registry,
        )  # fmt: skip
        self.consumed = Counter(
            "anxin_consumed_events",
            "events applied by consumers",
            ["service", "consumer"],
            registry=self.registry,
        )
        self.dead_lettered = Counter(
            "anxin_dead_lettered_events",
            "events sent to a DLQ",
            ["service", "consumer"],
            registry=self.registry,
        )
        self.duplicates = Counter(
            "anxin_duplicate_events",
            "events the inbox already had (replays after a crash or a rebalance)",
            ["service", "consumer"],
            registry=self.registry,
        )
        self.rebalances = Counter(
            "anxin_consumer_rebalances", "partition assignments received", ["service", "consumer"],
            registry=self.registry,
        )  # fmt: skip
        self.partitions = Gauge(
            "anxin_consumer_partitions", "partitions assigned to each consumer now", ["service", "consumer"],
            registry=self.registry,
        )  # fmt: skip
        self.service = service


def install_metrics(
    app: FastAPI, runtime: ServiceRuntime, extra: ExtraGauges | None = None, extra_label: str = "label"
) -> None:
    """``extra_label`` names the label of the extra gauges (e.g. deadlines' ``rule``)."""
    metrics = ServiceMetrics(runtime.service)
    seen = {c.name: (0, 0, 0, 0) for c in runtime.consumers}
    extra_gauges: dict[str, Gauge] = {}

    app.add_middleware(RequestLatency, metrics=metrics, service=runtime.service)

    @app.get("/metrics", tags=["operations"], summary="Prometheus metrics", include_in_schema=False)
    async def scrape() -> Response:
        if runtime.relay is not None:
            backlog, age = await runtime.relay.backlog()
            metrics.outbox_backlog.labels(runtime.service).set(backlog)
            metrics.outbox_age.labels(runtime.service).set(age or 0)
        metrics.consumer_lag.clear()  # only the partitions assigned now
        for consumer in runtime.consumers:
            now = (consumer.processed, consumer.dead_lettered, consumer.duplicates, consumer.rebalances)
            counters = (metrics.consumed, metrics.dead_lettered, metrics.duplicates, metrics.rebalances)
            for counter, count, before in zip(counters, now, seen[consumer.name], strict=True):
                counter.labels(runtime.service, consumer.name).inc(count - before)
            seen[consumer.name] = now
            metrics.partitions.labels(runtime.service, consumer.name).set(len(consumer.partitions))
            kafka = consumer.consumer
            if kafka is None:
                continue
            for partition in kafka.assignment():
                end = kafka.highwater(partition)
                position = await kafka.position(partition)
                if end is not None:
                    metrics.consumer_lag.labels(
                        runtime.service, partition.topic, str(partition.partition)
                    ).set(max(end - position, 0))
        if extra is not None:
            for name, values in (await extra()).items():
                gauge = extra_gauges.get(name)
                for labels, value in values.items():
                    if gauge is None:
                        gauge = Gauge(
                            name, name.replace("_", " "), ["service", extra_label], registry=metrics.registry
                        )
                        extra_gauges[name] = gauge
                    gauge.labels(runtime.service, "/".join(labels)).set(value)
        return Response(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)


class RequestLatency:
    """Pure ASGI middleware (no extra task per request): latency by route template and status."""

    def __init__(self, app: ASGIApp, metrics: ServiceMetrics, service: str) -> None:
        self.app = app
        self.metrics = metrics
        self.service = service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def record_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, record_status)
        finally:
            route = scope.get("route")
            self.metrics.http_latency.labels(
                self.service,
                method_label(scope["method"]),
                str(getattr(route, "path", "unmatched")),
                str(status),
            ).observe(time.perf_counter() - started)
