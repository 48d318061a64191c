"""An integrator's client, generated from each running service's /openapi.json by openapi-python-client
(tests/support/codegen.py), drives one whole national clue in division 330182: submit, verify, review,
industry_resolve, approve, closed, and the feedback to the source. Every request goes through a generated
function with a generated model; nothing here builds a request by hand."""

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http import HTTPStatus
from pathlib import Path
from typing import Any

import pytest
from standardwebhooks.webhooks import Webhook

from tests.support.clues import make_id_number, make_uscc
from tests.support.codegen import Generated, generate
from tests.support.receiver import WebhookReceiver
from tests.support.stack import DEADLINES, INTAKE, NOTIFY, ROUTING, eventually, key

DIVISION = "330182"
GOV, HRSS, CONSTRUCTION = (f"{DIVISION}.{kind}" for kind in ("gov", "hrss", "construction"))
SOURCE = "source:national"
ADMIN = "admin"


@dataclass
class Clients:
    intake: Generated
    routing: Generated
    deadlines: Generated
    notify: Generated


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Clients:
    into: Path = tmp_path_factory.mktemp("generated")
    urls = {"intake": INTAKE, "routing": ROUTING, "deadlines": DEADLINES, "notify": NOTIFY}
    generate({f"anxin_{service}_client": f"{url}/openapi.json" for service, url in urls.items()}, into)
    return Clients(**{service: Generated(f"anxin_{service}_client", into) for service in urls})


def ok(response: Any, status: HTTPStatus, model: Any) -> Any:
    """The parsed answer, once the status and the generated model are the ones expected."""
    assert response.status_code == status, response.content
    assert isinstance(response.parsed, model), response.parsed
    return response.parsed


async def test_a_generated_client_drives_a_clue_from_submission_to_the_sources_feedback(
    generated: Clients, receiver: WebhookReceiver
) -> None:
    intake, routing, deadlines, notify = (
        generated.intake,
        generated.routing,
        generated.deadlines,
        generated.notify,
    )
    hook = f"/ok/generated-client-{uuid.uuid4().hex[:12]}"

    # The source subscribes to clue.status with notify's generated models.
    source_at_notify = notify.client(NOTIFY, key(SOURCE))
    put_subscription = notify.operation("subscriptions", "put_subscription_v1_subscriptions_me_put")
    subscription = notify.model("SubscriptionPut")(
        url=receiver.url(hook), events=[notify.model("SubscriptionPutEventsItem").CLUE_STATUS]
    )
    secret = ok(
        await put_subscription(client=source_at_notify, body=subscription),
        HTTPStatus.OK,
        notify.model("SecretOut"),
    ).secret
    assert secret.startswith("whsec_")
    try:
        await _drive_the_clue(intake, routing, deadlines, notify, hook, secret, receiver)
    finally:
        # Later national clues of other tests send this source nothing more.
        delete = notify.operation("subscriptions", "delete_subscription_v1_subscriptions_me_delete")
        assert (await delete(client=source_at_notify)).status_code == HTTPStatus.NO_CONTENT


async def _drive_the_clue(
    intake: Generated,
    routing: Generated,
    deadlines: Generated,
    notify: Generated,
    hook: str,
    secret: str,
    receiver: WebhookReceiver,
) -> None:
    # Submit, as the national platform.
    model = intake.model
    submission = model("ClueSubmission")(
        source=model("Source").NATIONAL,
        external_id=f"GEN-{uuid.uuid4()}",
        received_at=datetime.now(UTC) - timedelta(hours=1),
        division=model("ClueSubmissionDivision")(DIVISION),
        township="城厢街道",
        employer=model("Employer")(
            name=f"萧山生成客户端建设有限公司{uuid.uuid4().hex[:6]}", uscc=make_uscc()
        ),
        project=model("Project")(
            name=f"湘湖项目{uuid.uuid4().hex[:6]}",
            kind=model("ProjectKind").BUILDING,
            address="萧山区湘湖路1号",
        ),
        workers=12,
        amount_owed="86000.00",
        complainant=model("Complainant")(name="李四", phone="13812345678", id_number=make_id_number()),
        summary="工程完工后拖欠12名农民工工资",
        flags=[],
    )
    source_at_intake = intake.client(INTAKE, key(SOURCE))
    post_clue = intake.operation("clues", "post_clue_v1_clues_post")
    accepted = ok(
        await post_clue(client=source_at_intake, body=submission), HTTPStatus.CREATED, model("ClueAccepted")
    )
    assert accepted.status == model("ClueStatus").RECEIVED
    clue_id = str(accepted.clue_id)

    # Each task, as the agency the routing rules pick: wait for it, accept it, complete it.
    list_tasks = routing.operation("tasks", "list_tasks_v1_tasks_get")
    accept = routing.operation("tasks", "accept_task_v1_tasks_task_id_accept_post")
    complete = routing.operation("tasks", "complete_task_v1_tasks_task_id_complete_post")
    task_kind, task_state, task_out = (
        routing.model("TaskKind"),
        routing.model("TaskState"),
        routing.model("TaskOut"),
    )

    async def handle(kind: Any, agency_id: str, result: Any) -> Any:
        agency = routing.client(ROUTING, key(f"agency:{agency_id}"))

        async def open_task() -> Any:
            response = await list_tasks(client=agency, clue_id=clue_id, kind=kind, state="open")
            items = ok(response, HTTPStatus.OK, routing.model("PageTaskOut")).items
            return items[0] if items else None

        task = await eventually(open_task, what=f"the {kind.value} task of {agency_id}")
        assert (task.kind, task.agency_id, task.state) == (kind, agency_id, task_state.OPEN)
        taken = ok(await accept(str(task.task_id), client=agency), HTTPStatus.OK, task_out)
        assert taken.state == task_state.ACCEPTED
        done = ok(await complete(str(task.task_id), client=agency, body=result), HTTPStatus.OK, task_out)
        assert done.state == task_state.DONE
        return task

    result = routing.model
    finding, cause = (
        result("CompleteTaskV1TasksTaskIdCompletePostFindingResult"),
        result("CompleteTaskV1TasksTaskIdCompletePostFindingResultCause"),
    )
    verify = await handle(
        task_kind.VERIFY, GOV, finding(substantiated=True, resolved=False, causes=[], note="核查属实")
    )
    assert verify.reason.startswith("rule 1")
    await handle(
        task_kind.REVIEW,
        HRSS,
        finding(
            substantiated=True, resolved=False, amount_paid="1000.00", causes=[cause.REAL_NAME], note="复核"
        ),
    )
    industry = await handle(
        task_kind.INDUSTRY_RESOLVE,
        CONSTRUCTION,
        result("CompleteTaskV1TasksTaskIdCompletePostIndustryResolveResult")(
            resolved=True, amount_paid="50000.50", note="已结清"
        ),
    )
    assert "rule 2(b)" in industry.reason
    approve = await handle(
        task_kind.APPROVE,
        HRSS,
        result("CompleteTaskV1TasksTaskIdCompletePostApproveResult")(approved=True, note="同意"),
    )
    assert "rule 3" in approve.reason

    # Closed, as routing's case and as intake's clue.
    get_case = routing.operation("cases", "get_case_v1_cases_clue_id_get")
    admin_at_routing = routing.client(ROUTING, key(ADMIN))

    async def closed_case() -> Any:
        case = ok(await get_case(clue_id, client=admin_at_routing), HTTPStatus.OK, routing.model("CaseOut"))
        return case if case.status == routing.model("ClueStatus").CLOSED else None

    case = await eventually(closed_case, what="routing's case closed")
    assert case.outcome == routing.model("ClueOutcome").RESOLVED
    assert case.amount_paid == "51000.50"
    assert [t.kind for t in case.tasks] == [
        task_kind.VERIFY,
        task_kind.REVIEW,
        task_kind.INDUSTRY_RESOLVE,
        task_kind.APPROVE,
    ]
    assert all(t.state == task_state.DONE for t in case.tasks)

    get_clue = intake.operation("clues", "get_clue_v1_clues_clue_id_get")

    async def closed_clue() -> Any:
        clue = ok(await get_clue(clue_id, client=source_at_intake), HTTPStatus.OK, model("ClueRead"))
        return clue if clue.status == model("ClueStatus").CLOSED else None

    clue = await eventually(closed_clue, what="intake's clue closed")
    assert clue.outcome == model("ClueReadClueOutcome").RESOLVED
    assert (clue.amount_paid, clue.stage) == ("51000.50", [])

    # Deadlines: the overall period was met when the clue closed.
    list_deadlines = deadlines.operation("deadlines", "list_deadlines_v1_deadlines_get")
    gov_at_deadlines = deadlines.client(DEADLINES, key(f"agency:{GOV}"))
    rule, state = deadlines.model("DeadlineOutRule"), deadlines.model("DeadlineOutState")

    async def overall_met() -> Any:
        response = await list_deadlines(client=gov_at_deadlines, clue_id=clue_id, rule=rule.OVERALL.value)
        items = ok(response, HTTPStatus.OK, deadlines.model("PageDeadlineOut")).items
        return items if items and items[0].state == state.MET else None

    [overall] = await eventually(overall_met, what="the overall deadline met")
    assert overall.rule == rule.OVERALL

    # The feedback: every status change reached the source, the last one `closed`, signed with its secret.
    list_deliveries = notify.operation("deliveries", "list_deliveries_v1_deliveries_get")
    source_at_notify = notify.client(NOTIFY, key(SOURCE))
    delivered = notify.model("DeliveryOutState").SUCCEEDED

    async def closed_feedback() -> Any:
        response = await list_deliveries(client=source_at_notify, clue_id=clue_id)
        items = ok(response, HTTPStatus.OK, notify.model("PageDeliveryOut")).items
        closed = any(d.payload["data"]["status"] == "closed" for d in items)
        return items if closed and all(d.state == delivered for d in items) else None

    feedback = list(
        reversed(await eventually(closed_feedback, within=45, what="the closed clue.status delivered"))
    )
    assert {d.event_type for d in feedback} == {notify.model("DeliveryOutEventType").CLUE_STATUS}
    statuses = [(d.payload["data"]["status"], d.payload["data"]["stage"]) for d in feedback]
    assert statuses[0] == ("in_progress", ["verify"])
    assert statuses[-1] == ("closed", [])
    final = feedback[-1].payload["data"]
    assert (final["outcome"], final["amount_paid"]) == ("resolved", "51000.50")

    webhooks = {r.headers["webhook-id"]: r for r in receiver.received(hook)}
    last = webhooks[feedback[-1].delivery_id]
    body = Webhook(secret).verify(last.body, last.headers)
    assert (body["type"], body["data"]["clue_id"], body["data"]["status"]) == (
        "clue.status",
        clue_id,
        "closed",
    )
