"""A FastAPI app of the reports router alone, over the reports test database, for httpx.ASGITransport;
and the projector as the reports' consumer runs it."""

import httpx
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from routing.reports.api.routes import reports
from routing.reports.bootstrap import reports_context
from routing.reports.consumers.projector import projector
from routing.reports.settings import ReportsSettings
from routing.reports.store.unit_of_work import SqlUnitOfWork
from shared.auth import load_development_keys
from shared.problems import install_problem_handlers
from shared.settings import CommonSettings


def reports_app(
    sessions: async_sessionmaker[AsyncSession], settings: ReportsSettings | None = None
) -> FastAPI:
    app = FastAPI()
    app.include_router(reports)
    install_problem_handlers(app)
    app.state.keys = load_development_keys(CommonSettings().principals_file)
    app.state.reports = reports_context(sessions, settings)
    return app


#: The consumer's handler: ``await project(session, event)`` applies one event in the session's transaction.
project = projector(SqlUnitOfWork)


def dev_key(principal: str) -> str:
    return "dev-" + principal.replace(":", "-")


def client(app: FastAPI, principal: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url="http://reports.test",
        headers={"Authorization": f"Bearer {dev_key(principal)}"},
    )
