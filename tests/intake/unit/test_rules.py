"""Intake's pure rules: emergencies, duplicate matching, fingerprints and differences."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from intake.domain.model import EmergencyPolicy, Flag, OpenClue, Source
from intake.domain.rules import (
    differing_fields,
    emergency_reasons,
    fingerprint,
    matter_key,
    normalise_name,
    pick_lead,
)

POLICY = EmergencyPolicy(min_workers=30, min_amount=Decimal("1000000.00"))
T0 = datetime(2026, 9, 24, 2, 15, tzinfo=UTC)


@pytest.mark.parametrize(
    ("workers", "amount", "flags", "reasons"),
    [
        (29, "999999.99", set(), []),
        (30, "0.00", set(), ["workers 30 >= 30"]),
        (1, "1000000.00", set(), ["amount_owed 1000000.00 >= 1000000.00"]),
        (1, "0.00", {Flag.EXTREME_INCIDENT}, ["flag extreme_incident"]),
        (1, "0.00", {Flag.PUBLIC_ORDER, Flag.MEDIA_ATTENTION}, []),
        (
            31,
            "2000000.00",
            {Flag.EXTREME_INCIDENT},
            ["workers 31 >= 30", "amount_owed 2000000.00 >= 1000000.00", "flag extreme_incident"],
        ),
    ],
)
def test_emergency_reasons(workers: int, amount: str, flags: set[Flag], reasons: list[str]) -> None:
    found = emergency_reasons(
        workers=workers, amount_owed=Decimal(amount), flags=frozenset(flags), policy=POLICY
    )
    assert found == reasons


def test_emergency_thresholds_come_from_the_policy() -> None:
    strict = EmergencyPolicy(min_workers=5, min_amount=Decimal("100.00"))
    reasons = emergency_reasons(workers=5, amount_owed=Decimal("100.00"), flags=frozenset(), policy=strict)
    assert reasons == ["workers 5 >= 5", "amount_owed 100.00 >= 100.00"]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("ＡＢＣ 建设(杭州)有限公司", "abc建设（杭州）有限公司"),
        ("杭州·西溪-建设", "杭州西溪建设"),
        ("  Foo Bar Co., Ltd. ", "foobarcoltd"),
    ],
)
def test_normalise_name_folds_width_case_spaces_and_punctuation(a: str, b: str) -> None:
    assert normalise_name(a) == normalise_name(b)


def test_normalise_name_keeps_different_names_apart() -> None:
    assert normalise_name("杭州甲建设") != normalise_name("杭州乙建设")


def test_matter_key_prefers_the_uscc() -> None:
    by_code = matter_key(
        division="330106", employer_name="甲", employer_uscc="91330106abc", project_name="西溪 项目"
    )
    other_name = matter_key(
        division="330106", employer_name="乙", employer_uscc="91330106ABC", project_name="西溪项目"
    )
    assert by_code == other_name
    assert by_code.employer == "uscc:91330106ABC"


def test_matter_key_falls_back_to_the_normalised_name() -> None:
    a = matter_key(division="330106", employer_name="甲建设(杭州)", employer_uscc=None, project_name=None)
    b = matter_key(division="330106", employer_name="甲建设（杭州）", employer_uscc=None, project_name="")
    assert a == b
    assert a.employer.startswith("name:")


def test_matter_key_separates_divisions_and_projects() -> None:
    base = {"employer_name": "甲", "employer_uscc": "X"}
    assert matter_key(division="330106", project_name="A", **base) != matter_key(
        division="330105", project_name="A", **base
    )
    assert matter_key(division="330106", project_name="A", **base) != matter_key(
        division="330106", project_name="B", **base
    )


def test_matter_key_of_a_very_long_name_is_a_short_digest() -> None:
    long_name = "ﷺ" * 500  # NFKC expands this ligature eighteenfold
    key = matter_key(division="330106", employer_name=long_name, employer_uscc=None, project_name=long_name)
    assert key.employer.startswith("name:sha256:")
    assert len(key.employer) < 300
    assert len(key.project) < 300
    assert key == matter_key(
        division="330106", employer_name=long_name, employer_uscc=None, project_name=long_name
    )


def open_clue(clue_id: str, hours: float) -> OpenClue:
    return OpenClue(clue_id, Source.NATIONAL, T0 + timedelta(hours=hours))


def test_pick_lead_takes_the_earliest_within_the_window() -> None:
    candidates = [open_clue("b", 2), open_clue("a", 1), open_clue("c", -24 * 100)]
    lead = pick_lead(candidates, received_at=T0 + timedelta(hours=3), window=timedelta(days=90))
    assert lead is not None
    assert lead.clue_id == "a"


def test_pick_lead_breaks_ties_by_id() -> None:
    lead = pick_lead([open_clue("z", 1), open_clue("m", 1)], received_at=T0, window=timedelta(days=1))
    assert lead is not None
    assert lead.clue_id == "m"


def test_pick_lead_is_none_outside_the_window_or_without_candidates() -> None:
    assert pick_lead([open_clue("a", -49)], received_at=T0, window=timedelta(days=2)) is None
    assert pick_lead([], received_at=T0, window=timedelta(days=2)) is None


def test_pick_lead_counts_the_window_both_ways() -> None:
    lead = pick_lead([open_clue("later", 47)], received_at=T0, window=timedelta(days=2))
    assert lead is not None


def test_fingerprint_ignores_key_order_but_not_values() -> None:
    assert fingerprint({"a": 1, "b": {"c": 2, "d": 3}}) == fingerprint({"b": {"d": 3, "c": 2}, "a": 1})
    assert fingerprint({"a": 1}) != fingerprint({"a": 2})


def test_differing_fields_names_nested_paths() -> None:
    stored = {"workers": 12, "employer": {"name": "甲", "uscc": "X"}, "flags": [], "summary": "s"}
    sent = {"workers": 13, "employer": {"name": "甲", "uscc": "Y"}, "flags": ["public_order"], "summary": "s"}
    assert differing_fields(stored, sent) == ["employer.uscc", "flags", "workers"]


def test_differing_fields_sees_added_and_removed_keys() -> None:
    assert differing_fields({"project": None, "a": 1}, {"project": {"name": "P"}}) == ["a", "project"]
    assert differing_fields({"x": {"y": 1}}, {"x": {"y": 1}}) == []


def test_submissions_differ_by_value_not_by_spelling() -> None:
    stored = {"received_at": "2026-12-03T01:00:00Z", "amount_owed": "86000.00", "workers": 12}
    same = {"received_at": "2026-12-03T09:00:00+08:00", "amount_owed": "86000", "workers": 12}
    assert differing_fields(stored, same) == []
    later = {**same, "received_at": "2026-12-03T09:00:01+08:00", "amount_owed": "86000.01"}
    assert differing_fields(stored, later) == ["amount_owed", "received_at"]
