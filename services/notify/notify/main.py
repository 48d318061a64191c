"""``uvicorn notify.main:create_app --factory``"""

from fastapi import FastAPI

from notify.api.admin import admin
from notify.api.metrics import delivery_gauges
from notify.api.routes import deliveries, subscriptions
from notify.bootstrap import bootstrap
from shared.app import create_service_app


def create_app() -> FastAPI:
    notify = bootstrap()
    return create_service_app(
        title="Anxin notify",
        description="Webhook subscriptions and deliveries, signed per Standard Webhooks.",
        runtime=notify.runtime,
        state={"notify": notify.context},
        routers=[subscriptions, deliveries, admin],
        extra_metrics=delivery_gauges(notify.context),
        production_problems=notify.settings.production_problems,
    )
