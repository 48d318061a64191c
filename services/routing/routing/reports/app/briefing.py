"""Use cases: the quarterly briefing (通报晾晒) as a page, and its ranking tables as CSV."""

from dataclasses import dataclass

from routing.reports.app.briefing_csv import render_csv
from routing.reports.app.briefing_page import render_html
from routing.reports.app.commands import ShowIndex
from routing.reports.app.index import build_index
from routing.reports.app.ports import UnitOfWork
from routing.reports.settings import ReportsSettings


@dataclass(frozen=True)
class Export:
    filename: str
    text: str


async def render_briefing(query: ShowIndex, *, uow: UnitOfWork, settings: ReportsSettings) -> str:
    """The briefing page: rankings, charts and every unit's components."""
    return render_html(await build_index(query, uow=uow, settings=settings), settings)


async def export_briefing(query: ShowIndex, *, uow: UnitOfWork, settings: ReportsSettings) -> Export:
    """The briefing's ranking tables, one row per unit."""
    index = await build_index(query, uow=uow, settings=settings)
    return Export(filename=f"briefing-{index.quarter}.csv", text=render_csv(index))
