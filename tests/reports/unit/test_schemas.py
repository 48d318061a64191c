"""The incidence base's body: strict types (issue 18 item 11) and the column's range."""

import pytest
from pydantic import ValidationError

from routing.reports.api.incidence import IncidenceBaseIn

pytestmark = pytest.mark.unit


def body(base: str) -> str:
    return f'{{"items": [{{"scope": "division", "division": "330106", "base": {base}}}]}}'


@pytest.mark.parametrize("base", ["50", "50.0"])
def test_a_json_integer_is_a_base(base: str) -> None:
    assert IncidenceBaseIn.model_validate_json(body(base)).items[0].base == 50


@pytest.mark.parametrize("base", ['"50"', "true", "50.5", "0", "2147483648"])
def test_a_string_a_boolean_a_fraction_or_out_of_range_is_refused(base: str) -> None:
    with pytest.raises(ValidationError):
        IncidenceBaseIn.model_validate_json(body(base))
