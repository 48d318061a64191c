"""``uvicorn routing.main:create_app --factory``"""

from fastapi import FastAPI

from routing.api.admin import admin
from routing.api.routes import agencies, cases, disputes, tasks
from routing.bootstrap import bootstrap
from routing.reports.api.routes import reports
from shared.app import create_service_app


def create_app() -> FastAPI:
    routing = bootstrap()
    return create_service_app(
        title="Anxin routing",
        description="Tasks, disputes and cases: the handling workflow of the notice (分流交办机制).",
        runtime=routing.runtime,
        state={
            "routing_context": routing.context,
            "reports": routing.reports.context(routing.runtime.sessions),
        },
        routers=[admin, tasks, disputes, cases, agencies, reports],  # admin first: /v1/cases/verify
    )
