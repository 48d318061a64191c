"""``uvicorn deadlines.main:create_app --factory``"""

from fastapi import FastAPI

from deadlines.api.metrics import deadline_gauges
from deadlines.api.openapi import document_rules
from deadlines.api.routes import calendar_router, deadlines_router
from deadlines.bootstrap import bootstrap
from shared.app import create_service_app


def create_app() -> FastAPI:
    deadlines = bootstrap()
    rule_names = deadlines.ports.policy.rule_names
    app = create_service_app(
        title="Anxin deadlines",
        description="Statutory periods (限时办结) on the Chinese holiday calendar, warnings and breaches.",
        runtime=deadlines.runtime,
        state={"deadlines": deadlines.ports},
        routers=[deadlines_router, calendar_router],
        extra_metrics=deadline_gauges(rule_names, deadlines.ports.reads),
        extra_metrics_label="rule",
    )
    document_rules(app, rule_names)
    return app
