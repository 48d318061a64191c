"""Money on the wire: yuan as a decimal string with two places, never a float."""

import re
from decimal import Decimal
from typing import Annotated

from pydantic import BeforeValidator, PlainSerializer

_AMOUNT = re.compile(r"^\d{1,12}(\.\d{1,2})?$")
CENTS = Decimal("0.01")


def parse_amount(value: object) -> Decimal:
    """A non-negative amount with at most two places, from a string (or an integer); else ValueError."""
    if isinstance(value, Decimal):
        value = str(value)
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ValueError('send the amount as a decimal string such as "86000.00"')
    text = str(value).strip()
    if not _AMOUNT.match(text):
        raise ValueError('must be a non-negative decimal with at most two places, such as "86000.00"')
    return Decimal(text).quantize(CENTS)


def format_amount(value: Decimal) -> str:
    return f"{value.quantize(CENTS):.2f}"


Amount = Annotated[Decimal, BeforeValidator(parse_amount), PlainSerializer(format_amount, return_type=str)]
