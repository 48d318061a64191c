"""Schemathesis against intake's own OpenAPI document: generated requests never get a server error,
and every answer matches what the document says. Check characters (USCC, ID numbers), the division
list's meaning and "not in the future" are beyond JSON Schema, so schema-valid data may still get 422."""

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import APIOperation, Case, GenerationMode
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.support.stack import INTAKE, auth

RUNS = [
    ("POST /v1/clues", GenerationMode.POSITIVE),
    ("POST /v1/clues", GenerationMode.NEGATIVE),
    ("GET /v1/clues/{clue_id}", GenerationMode.POSITIVE),  # any string is a valid path id
]


@pytest.mark.parametrize(("label", "mode"), RUNS)
def test_generated_requests_get_no_server_error(label: str, mode: GenerationMode) -> None:
    # Loaded here rather than at import, so that collecting the tests needs no running stack.
    schema = schemathesis.openapi.from_url(f"{INTAKE}/openapi.json")
    operations: dict[str, APIOperation[Any, Any, Any, Any]] = {}
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), result
        operations[result.ok().label] = result.ok()
    assert {label for label, _ in RUNS} <= set(operations), sorted(operations)

    @given(case=operations[label].as_strategy(generation_mode=mode))
    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def check(case: Case[Any]) -> None:
        case.call_and_validate(headers=auth("source:national"), excluded_checks=[positive_data_acceptance])

    check()
