"""Validation of a submission at the boundary: every rule, every bad field listed with its path."""

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pydantic import ValidationError

from intake.api.schemas import ClueSubmission
from tests.support.clues import clue_payload

NOW = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)
CONTEXT = {"now": NOW, "clock_skew": timedelta(minutes=5)}
BAD_USCC = "91330106MA28XXXXX1"
BAD_CHECK_ID = "330106199001011230"
BAD_DATE_ID = "330106199013011234"


def validate(payload: dict[str, Any]) -> ClueSubmission:
    return ClueSubmission.model_validate(payload, context=CONTEXT)


def bad_fields(payload: dict[str, Any]) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        validate(payload)
    return [".".join(str(p) for p in e["loc"]) for e in caught.value.errors()]


def without(path: str) -> dict[str, Any]:
    payload = clue_payload(received_at=(NOW - timedelta(hours=1)).isoformat())
    *parents, last = path.split(".")
    target = payload
    for part in parents:
        target = target[part]
    del target[last]
    return payload


def with_(**overrides: Any) -> dict[str, Any]:
    return clue_payload(**{"received_at": (NOW - timedelta(hours=1)).isoformat(), **overrides})


def test_the_helper_payload_is_valid() -> None:
    submission = validate(with_())
    assert submission.amount_owed == "86000.00"


@pytest.mark.parametrize(
    "field",
    ["source", "external_id", "received_at", "division", "employer", "workers", "amount_owed", "summary"],
)
def test_a_missing_required_field_is_named(field: str) -> None:
    assert bad_fields(without(field)) == [field]


def test_a_missing_employer_name_is_named() -> None:
    assert bad_fields(without("employer.name")) == ["employer.name"]


@pytest.mark.parametrize(
    "field", ["township", "project", "complainant", "flags", "source_payload", "employer.uscc"]
)
def test_optional_fields_may_be_left_out(field: str) -> None:
    validate(without(field))


CASES: list[tuple[str, dict[str, Any], list[str]]] = [
    ("unknown division", {"division": "330199"}, ["division"]),
    ("division of the city itself", {"division": "330100"}, ["division"]),
    ("USCC of wrong length", {"employer": {"name": "甲公司", "uscc": "9133010"}}, ["employer.uscc"]),
    ("USCC with a wrong check character", {"employer": {"name": "甲", "uscc": BAD_USCC}}, ["employer.uscc"]),
    (
        "ID number with a wrong check digit",
        {"complainant": {"id_number": BAD_CHECK_ID}},
        ["complainant.id_number"],
    ),
    (
        "ID number with an impossible birth date",
        {"complainant": {"id_number": BAD_DATE_ID}},
        ["complainant.id_number"],
    ),
    ("phone too short", {"complainant": {"phone": "1381234"}}, ["complainant.phone"]),
    ("phone with letters", {"complainant": {"phone": "1381234567a"}}, ["complainant.phone"]),
    ("mobile starting 12", {"complainant": {"phone": "12812345678"}}, ["complainant.phone"]),
    ("negative amount", {"amount_owed": "-1.00"}, ["amount_owed"]),
    ("three decimal places", {"amount_owed": "1.005"}, ["amount_owed"]),
    ("amount with letters", {"amount_owed": "12k"}, ["amount_owed"]),
    ("amount as a float", {"amount_owed": 12.5}, ["amount_owed"]),
    ("amount as a bool", {"amount_owed": True}, ["amount_owed"]),
    ("amount in exponent form", {"amount_owed": "1e5"}, ["amount_owed"]),
    ("no workers", {"workers": 0}, ["workers"]),
    ("negative workers", {"workers": -3}, ["workers"]),
    ("workers as a string", {"workers": "12"}, ["workers"]),
    ("workers as a float", {"workers": 12.5}, ["workers"]),
    ("absurdly many workers", {"workers": 10**12}, ["workers"]),
    ("received_at without an offset", {"received_at": "2026-11-27T07:00:00"}, ["received_at"]),
    ("received_at a date only", {"received_at": "2026-11-27"}, ["received_at"]),
    ("received_at in the future", {"received_at": (NOW + timedelta(hours=1)).isoformat()}, ["received_at"]),
    ("received_at before 2000", {"received_at": "1999-12-31T23:00:00+08:00"}, ["received_at"]),
    ("unknown source", {"source": "wechat"}, ["source"]),
    ("unknown project kind", {"project": {"name": "甲", "kind": "mining"}}, ["project.kind"]),
    ("unknown flag", {"flags": ["media_attention", "riot"]}, ["flags.1"]),
    ("empty external_id", {"external_id": "  "}, ["external_id"]),
    ("empty summary", {"summary": ""}, ["summary"]),
    ("unknown top-level field", {"priority": "high"}, ["priority"]),
    ("unknown nested field", {"employer": {"name": "甲", "boss": "乙"}}, ["employer.boss"]),
    ("NUL in a text", {"summary": "a\x00b"}, ["summary"]),
    ("NUL in the source payload", {"source_payload": {"k": ["\x00"]}}, ["source_payload"]),
    ("source payload not an object", {"source_payload": [1, 2]}, ["source_payload"]),
    ("Infinity in the source payload", {"source_payload": {"k": float("inf")}}, ["source_payload"]),
    ("NaN deep in the source payload", {"source_payload": {"k": [{"n": float("nan")}]}}, ["source_payload"]),
    ("a lone surrogate in a value", {"source_payload": {"k": ["\ud800"]}}, ["source_payload"]),
]


@pytest.mark.parametrize("token", ["Infinity", "-Infinity", "NaN"])
def test_json_numbers_postgresql_cannot_hold_are_refused_as_sent(token: str) -> None:
    """The JSON parser takes these tokens as floats; PostgreSQL's json type refuses them."""
    raw = json.dumps(with_(source_payload={"amount": 1})).replace('{"amount": 1}', f'{{"amount": {token}}}')
    with pytest.raises(ValidationError) as caught:
        ClueSubmission.model_validate_json(raw, context=CONTEXT)
    assert [e["loc"] for e in caught.value.errors()] == [("source_payload",)]
    assert "NaN or Infinity" in caught.value.errors()[0]["msg"]


@pytest.mark.parametrize(("overrides", "fields"), [(o, f) for _, o, f in CASES], ids=[c[0] for c in CASES])
def test_each_invalid_field_is_named(overrides: dict[str, Any], fields: list[str]) -> None:
    assert bad_fields(with_(**overrides)) == fields


def test_every_bad_field_is_listed_at_once() -> None:
    payload = with_(
        division="999999",
        workers=0,
        amount_owed="-5",
        received_at="2026-01-01T00:00:00",
        employer={"name": "", "uscc": "123"},
        complainant={"phone": "12", "id_number": "330106199001011230"},
        flags=["x"],
    )
    assert sorted(bad_fields(payload)) == sorted(
        [
            "received_at",
            "division",
            "employer.name",
            "employer.uscc",
            "workers",
            "amount_owed",
            "complainant.phone",
            "complainant.id_number",
            "flags.0",
        ]
    )


def test_received_at_within_the_clock_skew_is_accepted() -> None:
    validate(with_(received_at=(NOW + timedelta(minutes=4)).isoformat()))


@pytest.mark.parametrize(
    ("sent", "stored"),
    [("86000", "86000.00"), ("86000.5", "86000.50"), ("0", "0.00"), (" 12.30 ", "12.30"), (1200, "1200.00")],
)
def test_amounts_are_normalised_to_two_places(sent: object, stored: str) -> None:
    assert validate(with_(amount_owed=sent)).amount_owed == stored


@pytest.mark.parametrize(
    ("sent", "stored"), [("138 1234 5678", "13812345678"), ("0571-87654321", "0571-87654321"), ("", None)]
)
def test_phones_are_compacted(sent: str, stored: str | None) -> None:
    complainant = validate(with_(complainant={"phone": sent})).complainant
    assert complainant is not None
    assert complainant.phone == stored


def test_a_lowercase_id_check_character_is_accepted_in_upper_case() -> None:
    complainant = validate(with_(complainant={"id_number": "11010519491231002x"})).complainant
    assert complainant is not None
    assert complainant.id_number == "11010519491231002X"


def test_flags_are_deduplicated_and_sorted() -> None:
    flags = validate(with_(flags=["public_order", "extreme_incident", "public_order"])).flags
    assert flags == ["extreme_incident", "public_order"]


def test_json_input_checks_the_same_rules() -> None:
    raw = b'{"source": "national", "workers": "3"}'
    with pytest.raises(ValidationError) as caught:
        ClueSubmission.model_validate_json(raw, context=CONTEXT)
    fields = {".".join(str(p) for p in e["loc"]) for e in caught.value.errors()}
    assert {
        "external_id",
        "received_at",
        "division",
        "employer",
        "workers",
        "amount_owed",
        "summary",
    } <= fields
