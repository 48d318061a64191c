"""The summary use case against fakes: groups in key order, labelled, compared with earlier periods."""

from datetime import date
from decimal import Decimal

from routing.reports.app.commands import ShowSummary
from routing.reports.app.summary import summarise
from routing.reports.domain.figures import Figures, GroupBy, Received
from routing.reports.domain.periods import Period
from tests.reports.unit.fakes import FakeFigures, FakeUnitOfWork

QUARTER = Period(date(2024, 4, 1), date(2024, 6, 30))


def figures(received: int, owed: str) -> Figures:
    f = Figures()
    f.counts["received"] = received
    f.money["amount_owed"] = Decimal(owed)
    return f


async def test_groups_are_compared_with_the_period_before_and_a_year_earlier() -> None:
    fake = FakeFigures(
        summaries={QUARTER: {"330110": figures(4, "100.00"), "330106": figures(10, "500.00")}},
        received_by_period={
            QUARTER.previous(): {"330106": Received(8, Decimal("400.00"))},
            QUARTER.year_earlier(): {"330106": Received(5, Decimal("0.00"))},
        },
    )
    groups = await summarise(ShowSummary(QUARTER, GroupBy.DIVISION, None), uow=FakeUnitOfWork(figures=fake))
    assert [(g.key, g.label) for g in groups] == [("330106", "西湖区"), ("330110", "余杭区")]
    west, yuhang = groups
    assert west.previous_period.period == QUARTER.previous()
    assert west.previous_period.received_growth == Decimal("0.2500")
    assert west.previous_period.amount_owed_growth == Decimal("0.2500")
    assert west.year_earlier.received_growth == Decimal("1.0000")
    assert west.year_earlier.amount_owed_growth is None  # nothing owed then: no growth
    assert yuhang.previous_period.received == 0
    assert yuhang.previous_period.received_growth is None


async def test_a_division_office_asks_for_its_division_only() -> None:
    fake = FakeFigures()
    await summarise(ShowSummary(QUARTER, GroupBy.INDUSTRY, "330106"), uow=FakeUnitOfWork(figures=fake))
    assert {(kind, group_by, division) for kind, _, group_by, division in fake.asked} == {
        ("summary", GroupBy.INDUSTRY, "330106"),
        ("received", GroupBy.INDUSTRY, "330106"),
    }


async def test_industry_and_agency_groups_are_labelled_by_place_and_kind() -> None:
    fake = FakeFigures(summaries={QUARTER: {"330106.construction": Figures(), "330100.office": Figures()}})
    groups = await summarise(ShowSummary(QUARTER, GroupBy.AGENCY, None), uow=FakeUnitOfWork(figures=fake))
    assert [g.label for g in groups] == ["杭州市 office", "西湖区 construction"]
