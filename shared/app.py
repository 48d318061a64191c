"""FastAPI application shell every service shares: problems, health, readiness, body limit."""

from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.asyncapi import asyncapi_document
from shared.auth import build_key_registry
from shared.logs import ClueIdLogContext, configure_logging
from shared.metrics import ExtraGauges, install_metrics
from shared.openapi import install_openapi_conventions
from shared.problems import MEDIA_TYPE, ProblemError, install_problem_handlers
from shared.runtime import ServiceRuntime
from shared.tracing import configure_tracing, install_tracing


def create_service_app(
    *,
    title: str,
    description: str,
    runtime: ServiceRuntime,
    state: dict[str, object],
    routers: Sequence[APIRouter],
    max_body_bytes: int | None = None,
    extra_metrics: ExtraGauges | None = None,
    extra_metrics_label: str = "label",
    production_problems: Callable[[], Sequence[str]] | None = None,
) -> FastAPI:
    """The service's app: its runtime starts with the app and stops with it."""
    configure_logging(runtime.service, runtime.common.log_level)
    configure_tracing(runtime.service, runtime.common)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        for name, value in state.items():
            setattr(app.state, name, value)
        # Refused here, in the lifespan, so that uvicorn exits with code 3 (docs/operations.md).
        runtime.common.check_production(production_problems() if production_problems else ())
        app.state.keys = build_key_registry(runtime.common)
        app.state.limits = runtime.common.abuse_limits()
        await runtime.start()
        yield
        await runtime.stop()

    app = FastAPI(
        title=title,
        description=description,
        version="1.0.0",
        lifespan=lifespan,
        docs_url=None,  # served from local assets by install_openapi_conventions
        redoc_url=None,
    )
    for router in routers:
        app.include_router(router)
    install_problem_handlers(app)
    install_openapi_conventions(app)
    install_metrics(app, runtime, extra_metrics, extra_metrics_label)
    install_tracing(app)
    app.add_middleware(ClueIdLogContext)  # added last, so it runs first
    app.add_middleware(BodySizeLimit, max_bytes=max_body_bytes or runtime.common.max_body_bytes)

    document = asyncapi_document(
        service=runtime.service,
        publishes=[runtime.publishes_to] if runtime.publishes_to else [],
        consumes=[topic for sub in runtime.subscriptions for topic in sub.topics],
        bootstrap=runtime.common.kafka_bootstrap,
    )

    @app.get("/asyncapi.json", tags=["operations"], summary="AsyncAPI 3 document of the topics used")
    async def asyncapi() -> dict[str, Any]:
        return document

    @app.get("/healthz", tags=["operations"], summary="The process is up")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz", tags=["operations"], summary="Database and Kafka are reachable")
    async def readyz() -> JSONResponse:
        checks = await runtime.readiness()
        ready = all(v for k, v in checks.items() if isinstance(v, bool))
        body = {"status": "ready" if ready else "not ready", "checks": checks}
        return JSONResponse(body, status_code=200 if ready else 503)

    return app


class BodySizeLimit:
    """Refuses bodies over the limit with 413, whoever reads them and however they are sent.

    A declared ``content-length`` over the limit is refused before the app runs. A chunked body is
    counted as it is received: past the limit, reading raises, and whatever the app would answer
    then (FastAPI turns a failed body read into 400) is dropped for the 413.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._too_large(scope, receive, send)
            return
        received = 0
        exceeded = False
        started = False

        async def limited_receive() -> Message:
            nonlocal received, exceeded
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    exceeded = True
                    raise _TooLargeError
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if exceeded and not started:
                return  # the app's answer to a body it could not read: the 413 goes instead
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited_receive, guarded_send)
        except Exception:
            if not exceeded:  # anything the app raised past the limit is that limit's doing
                raise
        if exceeded and not started:
            await self._too_large(scope, receive, send)

    async def _too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        problem = ProblemError(
            413, "Content Too Large", f"The body is over {self.max_bytes} bytes; send a smaller one."
        )
        response = JSONResponse(problem.body(), status_code=413, media_type=MEDIA_TYPE)
        await response(scope, receive, send)


class _TooLargeError(Exception):
    pass
