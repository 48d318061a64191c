"""Query and path values that no row could match are refused with 422, never 500 (issue 11).

The first four are what schemathesis found; the rest are the same class on every service's routes.
"""

import pytest

from shared.problems import MEDIA_TYPE
from tests.support.stack import DEADLINES, INTAKE, NOTIFY, ROUTING, client

SINCE = "2026-01-01T00:00:00+08:00"

REFUSED = [
    # found by schemathesis
    (ROUTING, "GET", "/v1/reports/summary?from=0001-07-04&to=0001-07-04", "query.from"),
    (DEADLINES, "GET", "/v1/deadlines/counts?division=%00%01%C3%9F", "query.division"),
    (NOTIFY, "GET", "/v1/deliveries?clue_id=%00f+%1B%0Bv%29%C3%9F%07s", "query.clue_id"),
    (NOTIFY, "POST", f"/v1/deliveries/redeliver?since={SINCE}&subscriber=P%00", "query.subscriber"),
    # the same class elsewhere
    (ROUTING, "GET", "/v1/tasks?clue_id=%00", "query.clue_id"),
    (ROUTING, "GET", "/v1/tasks?updated_since=0001-01-01T00:00:00%2B08:00", "query.updated_since"),
    (ROUTING, "GET", "/v1/disputes?clue_id=x%00", "query.clue_id"),
    (ROUTING, "GET", "/v1/tasks/%00", "path.task_id"),
    (ROUTING, "GET", "/v1/cases/a%1Fb", "path.clue_id"),
    (ROUTING, "GET", "/v1/reports/index?quarter=2026Q3%00", "query.quarter"),
    (ROUTING, "GET", "/v1/reports/briefing.csv?quarter=0000Q1", "quarter"),
    (ROUTING, "GET", "/v1/reports/summary?from=2026-01-01&to=9999-12-31", "query.to"),
    (ROUTING, "GET", "/v1/cases/verify?division=%00", "query.division"),
    (DEADLINES, "GET", "/v1/deadlines?agency_id=330106.gov%00", "query.agency_id"),
    (DEADLINES, "GET", "/v1/deadlines?rule=%00", "query.rule"),
    (DEADLINES, "GET", "/v1/deadlines?cursor=%00", "query.cursor"),
    (DEADLINES, "GET", "/v1/calendar/days/0001-01-01", "path.day"),
    (NOTIFY, "GET", "/v1/deliveries/msg_%00", "path.delivery_id"),
    (NOTIFY, "POST", "/v1/deliveries/redeliver?since=0001-01-01T00:00:00%2B08:00", "query.since"),
    (INTAKE, "GET", "/v1/clues/%00", "path.clue_id"),
]


@pytest.mark.parametrize(("base_url", "method", "path", "field"), REFUSED)
async def test_a_value_no_row_could_match_is_422_naming_the_field(
    base_url: str, method: str, path: str, field: str
) -> None:
    async with client(base_url, "admin") as http:
        response = await http.request(method, path)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == MEDIA_TYPE
    assert field in [e["field"] for e in response.json()["errors"]], response.text


@pytest.mark.parametrize(
    ("base_url", "path"),
    [
        (ROUTING, "/v1/tasks/not-a-task"),
        (ROUTING, "/v1/disputes/not-a-dispute"),
        (ROUTING, "/v1/cases/not-a-clue"),
        (NOTIFY, "/v1/deliveries/not-a-delivery"),
        (INTAKE, "/v1/clues/not-a-clue"),
    ],
)
async def test_a_printable_path_id_of_another_shape_names_nothing(base_url: str, path: str) -> None:
    async with client(base_url, "admin") as http:
        response = await http.get(path)
    assert response.status_code == 404, response.text
    assert response.headers["content-type"] == MEDIA_TYPE
