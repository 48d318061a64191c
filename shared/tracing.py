"""OpenTelemetry tracing, so one clue's path shows as one trace across the four services.

The trace context travels inside each event as the CloudEvents distributed-tracing extension
(``traceparent``) and beside it as a Kafka header of the same name; a consumer continues the trace
of the event it applies, and the events a handler writes carry that trace on."""

import json
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path

from fastapi import FastAPI, Request, Response
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


def install_tracing(app: FastAPI) -> None:
    """A server span per request, continuing a caller's ``traceparent`` header if it sends one."""

    @app.middleware("http")
    async def traced(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        with tracer.start_as_current_span(
            f"{request.method} {request.url.path}",
            context=PROPAGATOR.extract(dict(request.headers)),
            kind=SpanKind.SERVER,
        ) as span:
            response = await call_next(request)
            span.set_attribute("http.status_code", response.status_code)
            return response
