"""OpenTelemetry tracing, so one clue's path shows as one trace across the four services.

The trace context travels inside each event as the CloudEvents distributed-tracing extension
(``traceparent``) and beside it as a Kafka header of the same name; a consumer continues the trace
of the event it applies, and the events a handler writes carry that trace on."""

import json
from collections.abc import Sequence
from pathlib import Path

from fastapi import FastAPI
from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import (
    BatchSpanProcessor,
    ConsoleSpanExporter,
    SimpleSpanProcessor,
    SpanExporter,
    SpanExportResult,
)
from opentelemetry.trace import SpanKind
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.settings import CommonSettings

PROPAGATOR = TraceContextTextMapPropagator()
tracer = trace.get_tracer("anxin")


class JsonLinesExporter(SpanExporter):
    """One JSON line per finished span: enough to follow a trace without a collector."""

    def __init__(self, path: Path, service: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.service = service

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        with self.path.open("a", encoding="utf-8") as out:
            for span in spans:
                context = span.get_span_context()
                if context is None:
                    continue
                out.write(
                    json.dumps(
                        {
                            "service": self.service,
                            "name": span.name,
                            "kind": span.kind.name,
                            "trace_id": f"{context.trace_id:032x}",
                            "span_id": f"{context.span_id:016x}",
                            "parent_id": f"{span.parent.span_id:016x}" if span.parent else None,
                            "start": span.start_time,
                            "end": span.end_time,
                            "attributes": dict(span.attributes or {}),
                        },
                        ensure_ascii=False,
                        default=str,
                    )
                    + "\n"
                )
        return SpanExportResult.SUCCESS


def configure_tracing(service: str, settings: CommonSettings) -> None:
    if settings.trace_exporter == "none":
        return
    provider = TracerProvider(resource=Resource.create({"service.name": f"anxin-{service}"}))
    if settings.trace_exporter == "file":
        exporter = JsonLinesExporter(settings.trace_dir / f"{service}.jsonl", service)
        provider.add_span_processor(SimpleSpanProcessor(exporter))
    else:
        provider.add_span_processor(BatchSpanProcessor(ConsoleSpanExporter()))
    trace.set_tracer_provider(provider)


def current_traceparent() -> str | None:
    carrier: dict[str, str] = {}
    PROPAGATOR.inject(carrier)
    return carrier.get("traceparent")


def context_of(traceparent: str | None) -> Context:
    return PROPAGATOR.extract({"traceparent": traceparent} if traceparent else {})


class ServerSpans:
    """Pure ASGI middleware: a server span per request, continuing a caller's ``traceparent``."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope.get("headers", [])}
        with tracer.start_as_current_span(
            f"{scope['method']} {scope['path']}", context=PROPAGATOR.extract(headers), kind=SpanKind.SERVER
        ) as span:

            async def record_status(message: Message) -> None:
                if message["type"] == "http.response.start":
                    span.set_attribute("http.status_code", int(message["status"]))
                await send(message)

            await self.app(scope, receive, record_status)


def install_tracing(app: FastAPI) -> None:
    app.add_middleware(ServerSpans)
