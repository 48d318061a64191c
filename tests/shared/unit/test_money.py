"""Money on the wire: decimal strings with two places, never floats."""

from decimal import Decimal

import pytest
from pydantic import BaseModel, ValidationError

from shared.money import Amount, format_amount, parse_amount


@pytest.mark.parametrize(
    ("sent", "parsed"),
    [
        ("86000.00", Decimal("86000.00")),
        ("86000", Decimal("86000.00")),
        ("0.5", Decimal("0.50")),
        (" 12.30 ", Decimal("12.30")),
        (1200, Decimal("1200.00")),
        (Decimal("3.1"), Decimal("3.10")),
        ("999999999999.99", Decimal("999999999999.99")),
    ],
)
def test_parse_amount_accepts_decimals_with_at_most_two_places(sent: object, parsed: Decimal) -> None:
    assert parse_amount(sent) == parsed
    assert parse_amount(sent).as_tuple().exponent == -2


@pytest.mark.parametrize(
    "sent",
    [
        "-1.00",
        "1.005",
        "1e5",
        "",
        "12,000.00",
        "NaN",
        "Infinity",
        "1000000000000.00",
        ".5",
        12.5,
        True,
        None,
        [1],
    ],
)
def test_parse_amount_refuses_everything_else(sent: object) -> None:
    with pytest.raises(ValueError, match=r"amount|decimal"):
        parse_amount(sent)


@pytest.mark.parametrize(
    ("value", "text"), [(Decimal("5"), "5.00"), (Decimal("1.2"), "1.20"), (Decimal("0"), "0.00")]
)
def test_format_amount_gives_two_places(value: Decimal, text: str) -> None:
    assert format_amount(value) == text


class Payment(BaseModel):
    amount: Amount


def test_amount_type_round_trips_as_a_string() -> None:
    payment = Payment.model_validate({"amount": "7"})
    assert payment.amount == Decimal("7.00")
    assert payment.model_dump(mode="json") == {"amount": "7.00"}
    with pytest.raises(ValidationError):
        Payment.model_validate({"amount": 7.5})
