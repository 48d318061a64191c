"""Who may call what, over every route of every service (issue 13, BOLA).

The routes come from the four services' /openapi.json, and each must have a row in ``TABLE``: a route
added without one fails the test. Each route is called as nine callers: no key, an unknown key, the
agency holding the task (owner), an agency of another division, an agency of the same division without
a task, the division office, the city office, admin and the submitting source. The expected answers
follow CONTRACT.md's "Who sees what": 401 without a known key, 403 for a known key without the right,
404 for a task, clue, dispute or delivery the caller may not see; lists answer 200 and hold the item
only for callers who may see it ("sees") and not for others ("hidden"). A second test checks, for every
read that carries a clue's personal data, that it is in full or masked by who reads.

It acts (accepts, completes, returns, decides, subscribes) on its own clues in division 330105 after
every other test (``runs_last``): the subscriptions it changes are its callers' own.
"""

import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from tests.routing.integration.flow import finding, submit, task_of, wait_open
from tests.support.clues import clue_payload, make_id_number
from tests.support.stack import DEADLINES, INTAKE, NOTIFY, ROUTING, auth, client, eventually

pytestmark = pytest.mark.runs_last

Json = dict[str, Any]
DIVISION = "330105"
OWNER = f"{DIVISION}.gov"
CALLERS: dict[str, str | None] = {
    # In this order: a route that changes something is done last by the one allowed to do it.
    "no key": None,
    "unknown key": "Bearer not-a-key",
    "other division": "agency:330102.gov",
    "same division": f"agency:{DIVISION}.water",
    "source": "source:national",
    "admin": "admin",
    "division office": f"agency:{DIVISION}.office",
    "city office": "agency:330100.office",
    "owner": f"agency:{OWNER}",
}
SERVICES = {"intake": INTAKE, "routing": ROUTING, "deadlines": DEADLINES, "notify": NOTIFY}
SEES, HIDDEN = "sees", "hidden"
COMPLAINANT = {"name": "张三", "phone": "13812345678", "id_number": make_id_number(random.Random(105))}
SUMMARY = "投诉人电话13812345678，工程完工后拖欠工资"
PAYLOAD = {"platform_case_no": "GJ-2026-0105"}
Expected = int | str


@dataclass
class Scene:
    """The clues, task, dispute and delivery the routes are called on."""

    clue: str  # national, verify open for the owner
    task: str  # that verify
    accepted_task: str  # another verify, accepted by the owner: to be completed
    returnable_task: str  # another verify, open: to be returned
    dispute: str  # a pending dispute over a verify the owner returned
    delivery: str  # the owner's task.assigned webhook for ``clue``


@dataclass(frozen=True)
class Row:
    """How to call one route, and what each caller gets."""

    path: str  # with the scene's fields in braces: "/v1/tasks/{task}"
    expected: dict[str, Expected]
    body: Json | Callable[[str], Json] | None = None  # a callable makes one per caller
    params: dict[str, str] = field(default_factory=dict)  # formatted like ``path``
    listed: str | None = None  # for a list: the scene's field whose id "sees" finds in the items

    def url(self, scene: "Scene") -> str:
        return self.path.format(**vars(scene))

    def query(self, scene: "Scene") -> dict[str, str]:
        return {name: value.format(**vars(scene)) for name, value in self.params.items()}

    def body_for(self, caller: str) -> Json | None:
        return self.body(caller) if callable(self.body) else self.body


def everyone(status: int) -> dict[str, Expected]:
    return dict.fromkeys(CALLERS, status)


def authenticated(**answers: Expected) -> dict[str, Expected]:
    """401 without a known key; ``answers`` by caller, with underscores for spaces."""
    table: dict[str, Expected] = {"no key": 401, "unknown key": 401}
    table.update({name.replace("_", " "): value for name, value in answers.items()})
    assert set(table) == set(CALLERS), set(CALLERS) - set(table)
    return table


def any_key(status: int) -> dict[str, Expected]:
    """Any known key: ``status``; without one, 401."""
    return authenticated(**{c.replace(" ", "_"): status for c in CALLERS if "key" not in c})


def offices_and_admin(status: int) -> dict[str, Expected]:
    """Division-wide figures: the offices and admin (the office sees its division's); 403 otherwise."""
    return any_key(403) | {"division office": status, "city office": status, "admin": status}


def admin_only(status: int) -> dict[str, Expected]:
    """Operators' actions: admin; 403 for any other key."""
    return any_key(403) | {"admin": status}


def clue_body(caller: str) -> Json:
    return clue_payload(division=DIVISION, external_id=f"ACCESS-{uuid.uuid4()}")


def subscription_body(caller: str) -> Json:
    event = "clue.status" if caller == "source" else "task.assigned"
    return {"url": "http://127.0.0.1:9/access-table", "events": [event]}


FAR_YEAR = {"holidays": [{"date": "2099-01-01", "name": "元旦"}], "workdays": []}
INCIDENCE = {"items": [{"scope": "division", "division": DIVISION, "base": 50}]}


QUARTER = {"quarter": "2026Q3"}


PUBLIC = everyone(200)
# Reading one clue, task or case: who may see it (CONTRACT.md, Who sees what).
ONE_CLUE = authenticated(
    other_division=404,
    same_division=404,
    source=200,
    city_office=200,
    admin=200,
    division_office=200,
    owner=200,
)
# Its lists: the same callers find it; the others get 200 without it.
CLUE_LIST = authenticated(
    other_division=HIDDEN,
    same_division=HIDDEN,
    source=SEES,
    city_office=SEES,
    admin=SEES,
    division_office=SEES,
    owner=SEES,
)


def holder_only(done: int) -> dict[str, Expected]:
    """Acting on a task: only its holder (answering ``done``); who sees it gets 403, the others 404."""
    return authenticated(
        other_division=404,
        same_division=404,
        source=403,
        city_office=403,
        admin=403,
        division_office=403,
        owner=done,
    )


TABLE: dict[str, Row] = {
    # intake
    "intake GET /healthz": Row("/healthz", PUBLIC),
    "intake GET /readyz": Row("/readyz", PUBLIC),
    "intake GET /asyncapi.json": Row("/asyncapi.json", PUBLIC),
    "intake POST /v1/clues": Row(
        "/v1/clues",
        authenticated(
            other_division=403,
            same_division=403,
            source=201,
            city_office=403,
            admin=403,
            division_office=403,
            owner=403,
        ),
        body=clue_body,
    ),
    "intake GET /v1/clues/{clue_id}": Row("/v1/clues/{clue}", ONE_CLUE),
    # routing
    "routing GET /healthz": Row("/healthz", PUBLIC),
    "routing GET /readyz": Row("/readyz", PUBLIC),
    "routing GET /asyncapi.json": Row("/asyncapi.json", PUBLIC),
    "routing GET /v1/agencies": Row(
        "/v1/agencies",
        authenticated(
            **dict.fromkeys(
                (
                    "other_division",
                    "same_division",
                    "source",
                    "city_office",
                    "admin",
                    "division_office",
                    "owner",
                ),
                200,
            )
        ),
    ),
    "routing GET /v1/tasks": Row("/v1/tasks", CLUE_LIST, params={"clue_id": "{clue}"}, listed="task"),
    "routing GET /v1/tasks/{task_id}": Row("/v1/tasks/{task}", ONE_CLUE),
    "routing POST /v1/tasks/{task_id}/accept": Row("/v1/tasks/{task}/accept", holder_only(200)),
    "routing POST /v1/tasks/{task_id}/complete": Row(
        "/v1/tasks/{accepted_task}/complete",
        holder_only(200),
        body=finding(substantiated=False),
    ),
    "routing POST /v1/tasks/{task_id}/return": Row(
        "/v1/tasks/{returnable_task}/return",
        holder_only(201),
        body={"reason": "非本单位职责"},
    ),
    # A dispute is the agencies' business: its source sees it only inside the case.
    "routing GET /v1/disputes": Row(
        "/v1/disputes", CLUE_LIST | {"source": HIDDEN}, params={"state": "pending"}, listed="dispute"
    ),
    "routing GET /v1/disputes/{dispute_id}": Row("/v1/disputes/{dispute}", ONE_CLUE | {"source": 404}),
    "routing POST /v1/disputes/{dispute_id}/decision": Row(
        "/v1/disputes/{dispute}/decision",
        # The arbiter (the division office) decides; the city office may too, once it is still pending.
        ONE_CLUE | {"source": 404, "owner": 403, "admin": 403, "division office": 200, "city office": 409},
        body={"assignee": OWNER, "note": "属地核查"},
    ),
    "routing GET /v1/cases/{clue_id}": Row("/v1/cases/{clue}", ONE_CLUE),
    "routing GET /v1/cases/{clue_id}/verify": Row("/v1/cases/{clue}/verify", ONE_CLUE),
    "routing GET /v1/cases/verify": Row(
        "/v1/cases/verify",
        admin_only(200),
        params={"division": DIVISION},
    ),
    "routing POST /v1/cases/{clue_id}/unlink": Row(
        "/v1/cases/{clue}/unlink",
        # Offices and admin may unlink; the clue is not linked, hence 409 after the access check.
        ONE_CLUE | {"source": 403, "owner": 403, "admin": 409, "city office": 409, "division office": 409},
    ),
    "routing GET /v1/reports/summary": Row(
        "/v1/reports/summary",
        offices_and_admin(200),
        params={"from": "2026-07-01", "to": "2026-09-30"},
    ),
    "routing GET /v1/reports/index": Row(
        "/v1/reports/index",
        offices_and_admin(200),
        params=QUARTER,
    ),
    "routing GET /v1/reports/briefing": Row(
        "/v1/reports/briefing",
        offices_and_admin(200),
        params=QUARTER,
    ),
    "routing GET /v1/reports/briefing.csv": Row(
        "/v1/reports/briefing.csv",
        offices_and_admin(200),
        params=QUARTER,
    ),
    "routing GET /v1/reports/reference/incidence-base": Row(
        "/v1/reports/reference/incidence-base",
        offices_and_admin(200),
    ),
    "routing PUT /v1/reports/reference/incidence-base": Row(
        "/v1/reports/reference/incidence-base",
        admin_only(200),
        body=INCIDENCE,
    ),
    # deadlines
    "deadlines GET /healthz": Row("/healthz", PUBLIC),
    "deadlines GET /readyz": Row("/readyz", PUBLIC),
    "deadlines GET /asyncapi.json": Row("/asyncapi.json", PUBLIC),
    "deadlines GET /v1/deadlines": Row(
        "/v1/deadlines", CLUE_LIST, params={"clue_id": "{clue}"}, listed="clue"
    ),
    "deadlines GET /v1/deadlines/counts": Row(
        "/v1/deadlines/counts",
        any_key(200),
    ),
    "deadlines GET /v1/calendar/days/{day}": Row(
        "/v1/calendar/days/2026-10-01",
        any_key(200),
    ),
    "deadlines PUT /v1/calendar/years/{year}": Row(
        "/v1/calendar/years/2099",
        admin_only(200),
        body=FAR_YEAR,
    ),
    # notify: a caller's own subscription and deliveries; admin acts for operators
    "notify GET /healthz": Row("/healthz", PUBLIC),
    "notify GET /readyz": Row("/readyz", PUBLIC),
    "notify GET /asyncapi.json": Row("/asyncapi.json", PUBLIC),
    "notify GET /v1/deliveries": Row(
        "/v1/deliveries",
        authenticated(
            other_division=HIDDEN,
            same_division=HIDDEN,
            source=HIDDEN,
            city_office=HIDDEN,
            admin=SEES,
            division_office=HIDDEN,
            owner=SEES,
        ),
        listed="delivery",
    ),
    "notify GET /v1/deliveries/{delivery_id}": Row(
        "/v1/deliveries/{delivery}",
        authenticated(
            other_division=404,
            same_division=404,
            source=404,
            city_office=404,
            admin=200,
            division_office=404,
            owner=200,
        ),
    ),
    "notify POST /v1/deliveries/{delivery_id}/redeliver": Row(
        "/v1/deliveries/{delivery}/redeliver",
        authenticated(
            other_division=404,
            same_division=404,
            source=404,
            city_office=404,
            admin=202,
            division_office=404,
            owner=202,
        ),
    ),
    "notify POST /v1/deliveries/redeliver": Row(
        "/v1/deliveries/redeliver",
        admin_only(202),
        params={"since": "2099-01-01T00:00:00+08:00"},
    ),
    "notify PUT /v1/subscriptions/me": Row(
        "/v1/subscriptions/me",
        any_key(200) | {"admin": 422},  # no event is addressed to admin: nothing to subscribe to
        body=subscription_body,
    ),
    "notify GET /v1/subscriptions/me": Row(
        "/v1/subscriptions/me",
        any_key(200) | {"admin": 404},
    ),
    "notify POST /v1/deliveries/redeliver-failed": Row(
        "/v1/deliveries/redeliver-failed",
        any_key(202) | {"admin": 409},  # 409: no subscription to send them to
        body={"since": "2099-01-01T00:00:00+08:00"},
    ),
    "notify POST /v1/subscriptions/me/rotate-secret": Row(
        "/v1/subscriptions/me/rotate-secret",
        any_key(200) | {"admin": 404},
    ),
    "notify DELETE /v1/subscriptions/me": Row(
        "/v1/subscriptions/me",
        any_key(204) | {"admin": 404},
    ),
}


async def published_routes() -> set[str]:
    routes: set[str] = set()
    async with httpx.AsyncClient(timeout=30) as http:
        for service, base in SERVICES.items():
            document = (await http.get(f"{base}/openapi.json")).json()
            for path, operations in document["paths"].items():
                routes.update(f"{service} {method.upper()} {path}" for method in operations)
    return routes


def headers_of(caller: str) -> dict[str, str]:
    credential = CALLERS[caller]
    if credential is None:
        return {}
    if credential.startswith("Bearer "):
        return {"Authorization": credential}
    return auth(credential)


@pytest.fixture(scope="module")
async def scene(receiver: Any) -> Scene:
    async with client(NOTIFY, f"agency:{OWNER}") as notify:
        subscribed = await notify.put(
            "/v1/subscriptions/me",
            json={"url": receiver.url("/ok/access-table"), "events": ["task.assigned"]},
        )
    assert subscribed.status_code == 200, subscribed.text

    async def verify_of(clue_id: str) -> str:
        return str(task_of(await wait_open(clue_id, [("verify", OWNER)]), "verify", OWNER)["task_id"])

    clue = await submit(division=DIVISION, complainant=COMPLAINANT, summary=SUMMARY, source_payload=PAYLOAD)
    task = await verify_of(clue)
    accepted = await verify_of(await submit(division=DIVISION))
    async with client(ROUTING, f"agency:{OWNER}") as owner:
        assert (await owner.post(f"/v1/tasks/{accepted}/accept")).status_code == 200
        returnable = await verify_of(await submit(division=DIVISION))
        disputed = await verify_of(await submit(division=DIVISION))
        returned = await owner.post(f"/v1/tasks/{disputed}/return", json={"reason": "非本单位职责"})
    assert returned.status_code == 201, returned.text

    async def delivery() -> str | None:
        async with client(NOTIFY, f"agency:{OWNER}") as notify:
            items = (await notify.get("/v1/deliveries", params={"limit": 500})).json()["items"]
        return next((d["delivery_id"] for d in items if d["clue_id"] == clue), None)

    delivered = await eventually(delivery, within=60, what="the owner's task.assigned delivery")
    return Scene(clue, task, accepted, returnable, returned.json()["dispute_id"], delivered)


def ids_in(items: list[Json], wanted: str) -> bool:
    return any(wanted in item.values() for item in items)


async def test_every_route_answers_each_caller_as_the_contract_says(scene: Scene) -> None:
    published = await published_routes()
    assert published - set(TABLE) == set(), "routes without a row in the access table"
    assert set(TABLE) - published == set(), "rows for routes no longer published"
    answered: dict[str, dict[str, Expected]] = {}
    async with httpx.AsyncClient(timeout=30) as http:
        for route, row in TABLE.items():
            service, method, _ = route.split(" ", 2)
            answered[route] = {}
            for caller in CALLERS:
                response = await http.request(
                    method,
                    SERVICES[service] + row.url(scene),
                    params=row.query(scene),
                    json=row.body_for(caller),
                    headers=headers_of(caller),
                )
                got: Expected = response.status_code
                if row.listed is not None and response.status_code == 200:
                    got = SEES if ids_in(response.json()["items"], getattr(scene, row.listed)) else HIDDEN
                answered[route][caller] = got
    wrong = [
        f"{route:<52} {caller:<16} expected {row.expected[caller]!s:<7} got {answered[route][caller]}"
        for route, row in TABLE.items()
        for caller in CALLERS
        if answered[route][caller] != row.expected[caller]
    ]
    assert not wrong, "\n" + "\n".join(wrong)


#: Where each read that carries a clue's personal data puts the clue.
PERSONAL_DATA_READS: dict[str, str | None] = {
    "intake GET /v1/clues/{clue}": None,  # the body is the clue
    "routing GET /v1/cases/{clue}": "clue",
    "routing GET /v1/tasks/{task}": "clue",
}
#: Personal data in full for the source, the agencies holding an unfinished task and the offices;
#: masked for everyone else who sees the clue (CONTRACT.md).
IN_FULL = {"source", "owner", "division office", "city office"}
MASKED = {"admin"}


async def test_personal_data_in_every_read_is_in_full_or_masked_by_who_reads(scene: Scene) -> None:
    assert {c for c, v in ONE_CLUE.items() if v == 200} == IN_FULL | MASKED
    for read, member in PERSONAL_DATA_READS.items():
        service, method, path = read.split(" ", 2)
        for caller in IN_FULL | MASKED:
            async with httpx.AsyncClient(headers=headers_of(caller), timeout=30) as http:
                response = await http.request(method, SERVICES[service] + path.format(**vars(scene)))
            assert response.status_code == 200, (read, caller, response.text)
            body: Json = response.json()
            clue: Json = body if member is None else body[member]
            seen = (read, caller)
            assert clue["received_at"].endswith("+08:00"), seen  # one time representation (issue 18)
            if caller in IN_FULL:
                assert clue["complainant"] == COMPLAINANT, seen
                assert clue["summary"] == SUMMARY, seen
                if "source_payload" in clue:
                    assert clue["source_payload"] == PAYLOAD, seen
            else:
                assert clue["complainant"] == {
                    "name": "张*",
                    "phone": "138****5678",
                    "id_number": COMPLAINANT["id_number"][:4] + "*" * 10 + COMPLAINANT["id_number"][-4:],
                }, seen
                assert "13812345678" not in clue["summary"], seen
                assert "138****5678" in clue["summary"], seen
                if "source_payload" in clue:
                    assert clue["source_payload"] is None, seen
                    assert clue["source_payload_withheld"] is True, seen
