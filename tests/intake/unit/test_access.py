"""Who may submit which source, and who sees a clue's personal data in full."""

from types import SimpleNamespace
from typing import Any, cast

import pytest

from intake.app.access import check_may_submit, clue_access
from intake.domain.errors import NotAllowedToSubmit
from intake.domain.model import Clue, Source
from shared.auth import Principal

ALLOWED = [
    *((f"source:{s}", s) for s in Source),
    *((f"agency:330106.{kind}", Source.ONSITE) for kind in ("hrss", "construction", "transport", "water")),
]
REFUSED = [
    ("source:national", Source.PROVINCIAL),
    ("source:police110", Source.ONSITE),
    ("agency:330106.gov", Source.ONSITE),
    ("agency:330106.office", Source.ONSITE),
    ("agency:330106.police", Source.ONSITE),
    ("agency:330106.hrss", Source.NATIONAL),
    ("admin", Source.NATIONAL),
]


@pytest.mark.parametrize(("principal", "source"), ALLOWED)
def test_allowed_submitters(principal: str, source: Source) -> None:
    check_may_submit(Principal.parse(principal), Source(source))


@pytest.mark.parametrize(("principal", "source"), REFUSED)
def test_refused_submitters(principal: str, source: Source) -> None:
    with pytest.raises(NotAllowedToSubmit):
        check_may_submit(Principal.parse(principal), source)


def clue(**fields: Any) -> Clue:
    return cast(Clue, SimpleNamespace(division="330106", submitted_by="source:national", **fields))


@pytest.mark.parametrize(
    ("principal", "holder_states", "visible", "full"),
    [
        ("source:national", [], True, True),
        ("source:petition", [], False, False),
        ("agency:330106.office", [], True, True),
        ("agency:330100.office", [], True, True),
        ("admin", [], True, False),  # sees the clue; personal data only as the contract lists
        ("agency:330105.office", [], False, False),
        ("agency:330106.gov", [], False, False),
        ("agency:330106.gov", ["open"], True, True),
        ("agency:330106.gov", ["accepted"], True, True),
        ("agency:330106.gov", ["done"], True, False),
        ("agency:330106.gov", ["returned", "done"], True, False),
        ("agency:330106.gov", ["done", "open"], True, True),
    ],
)
def test_clue_access(principal: str, holder_states: list[str], visible: bool, full: bool) -> None:
    access = clue_access(Principal.parse(principal), clue(), holder_states)
    assert (access.visible, access.full_personal_data) == (visible, full)
