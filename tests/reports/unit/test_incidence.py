"""The incidence base use cases against fakes: checked item by item, upserted, read per division."""

from datetime import UTC, datetime

import pytest

from routing.reports.app.commands import ListIncidenceBase, LoadIncidenceBase
from routing.reports.app.incidence import list_incidence_base, load_incidence_base
from routing.reports.domain.incidence import IncidenceBase
from shared.errors import InvalidError
from tests.reports.unit.fakes import FakeUnitOfWork

NOW = datetime(2026, 12, 4, 8, tzinfo=UTC)
KEPT = IncidenceBase("division", "330110", "", 90, "active_projects")


async def test_bases_are_upserted_with_names_trimmed_and_others_kept() -> None:
    uow = FakeUnitOfWork(bases=[KEPT])
    loaded = await load_incidence_base(
        LoadIncidenceBase(
            [
                IncidenceBase("township", "330106", " 北山街道 ", 40, "employers"),
                IncidenceBase("industry", "330106", "water", 7, "active_projects"),
            ]
        ),
        uow=uow,
        now=NOW,
    )
    assert loaded == [
        KEPT,
        IncidenceBase("industry", "330106", "water", 7, "active_projects"),
        IncidenceBase("township", "330106", "北山街道", 40, "employers"),
    ]
    assert uow.incidence_bases.saved_at == [NOW]


async def test_items_breaking_a_rule_are_named_and_nothing_is_saved() -> None:
    uow = FakeUnitOfWork()
    bad = [
        IncidenceBase("division", "330106", "西湖", 1, "x"),
        IncidenceBase("township", "330106", "  ", 1, "x"),
        IncidenceBase("industry", "330106", "mining", 1, "x"),
    ]
    with pytest.raises(InvalidError) as caught:
        await load_incidence_base(LoadIncidenceBase(bad), uow=uow, now=NOW)
    assert caught.value.errors == [
        {"field": "items.0.name", "message": "a division base takes no name; leave it out"},
        {"field": "items.1.name", "message": "give the township's name"},
        {"field": "items.2.name", "message": "use construction, transport or water"},
    ]
    assert uow.incidence_bases.rows == {}


async def test_a_division_office_reads_its_own_division() -> None:
    west = IncidenceBase("division", "330106", "", 10, "active_projects")
    uow = FakeUnitOfWork(bases=[west, KEPT])
    assert await list_incidence_base(ListIncidenceBase("330106"), uow=uow) == [west]
    assert await list_incidence_base(ListIncidenceBase(None), uow=uow) == [west, KEPT]
