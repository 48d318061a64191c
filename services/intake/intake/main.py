"""``uvicorn intake.main:create_app --factory``"""

from fastapi import FastAPI

from intake.api.openapi import install_openapi
from intake.api.routes import router
from intake.bootstrap import bootstrap
from shared.app import create_service_app


def create_app() -> FastAPI:
    intake = bootstrap()
    app = create_service_app(
        title="Anxin intake",
        description="Submit wage-arrears clues (欠薪线索) and read their status.",
        runtime=intake.runtime,
        state={"intake": intake.context},
        routers=[router],
        max_body_bytes=intake.context.settings.max_body_bytes,
    )
    install_openapi(app)
    return app
