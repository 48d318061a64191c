"""The index and briefing use cases against fakes: units, comparison period, what a division office sees."""

import csv
import io

from routing.reports.app.briefing import export_briefing, render_briefing
from routing.reports.app.commands import ShowIndex
from routing.reports.app.index import build_index
from routing.reports.domain.figures import Figures
from routing.reports.domain.incidence import IncidenceBase
from routing.reports.domain.periods import Quarter
from routing.reports.domain.units import QuarterTallies, Resolution, Tally
from routing.reports.settings import ReportsSettings
from shared.places import DIVISIONS
from tests.reports.unit.fakes import FakeFigures, FakeUnitOfWork

Q2 = Quarter(2024, 2)
BASES = [
    IncidenceBase("division", "330106", "", 200, "active_projects"),
    IncidenceBase("township", "330106", "=灵隐街道", 50, "active_projects"),
]


def counted() -> FakeUnitOfWork:
    figures = Figures()
    figures.counts["received"] = 12
    fake = FakeFigures(
        summaries={Q2.period: {"330106": figures}},
        tallies=QuarterTallies(
            divisions={"330106": Tally(12, 10, 3, 8, 6), "330110": Tally(4, 4, 0, 2, 2)},
            townships={("330106", "北山街道"): Tally(5, 5, 1, 4, 3)},
            industries={"330106.construction": Tally(7, 6, 2, 3, 3)},
            industry_results={"330106.construction": Resolution(total=5, effective=4)},
        ),
    )
    return FakeUnitOfWork(figures=fake, bases=BASES)


async def test_the_city_sees_every_division_ranked_and_every_unit() -> None:
    uow = counted()
    index = await build_index(ShowIndex(Q2, None), uow=uow, settings=ReportsSettings())
    assert index.comparison == Quarter(2023, 2).period
    assert ("tallies", Q2.period, Quarter(2023, 2).period, None) in uow.figures.asked
    assert {s.key for s in index.divisions} == set(DIVISIONS)
    assert index.divisions[0].rank == 1
    assert set(index.division_figures) == set(DIVISIONS)
    assert index.division_figures["330106"].counts["received"] == 12
    assert {s.key for s in index.townships["330106"]} == {"330106/=灵隐街道", "330106/北山街道"}
    assert [s.key for s in index.industries["330106"]] == [
        "330106.construction",
        "330106.transport",
        "330106.water",
    ]


async def test_a_division_office_sees_its_own_row_and_units() -> None:
    index = await build_index(ShowIndex(Q2, "330106"), uow=counted(), settings=ReportsSettings())
    assert [s.key for s in index.divisions] == ["330106"]
    assert set(index.industries) == set(index.townships) == set(index.division_figures) == {"330106"}


async def test_growth_against_the_quarter_before_when_so_configured() -> None:
    settings = ReportsSettings(growth_basis="previous_period")
    index = await build_index(ShowIndex(Q2, None), uow=counted(), settings=settings)
    assert index.comparison == Quarter(2024, 1).period


async def test_the_briefing_page_names_the_quarter_and_every_division() -> None:
    page = await render_briefing(ShowIndex(Q2, None), uow=counted(), settings=ReportsSettings())
    assert "2024Q2 根治欠薪通报晾晒" in page
    assert all(f'data-division="{code}"' in page for code in DIVISIONS)


async def test_the_export_is_named_by_quarter_and_defuses_formulas() -> None:
    export = await export_briefing(ShowIndex(Q2, "330106"), uow=counted(), settings=ReportsSettings())
    assert export.filename == "briefing-2024Q2.csv"
    rows = list(csv.DictReader(io.StringIO(export.text)))
    assert [r["level"] for r in rows] == [
        "division",
        "industry",
        "industry",
        "industry",
        "township",
        "township",
    ]
    assert rows[0]["received"] == "12"
    assert {r["label"] for r in rows if r["level"] == "township"} == {"'=灵隐街道", "北山街道"}
