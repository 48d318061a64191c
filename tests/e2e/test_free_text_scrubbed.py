"""Issue 19 item 3: phone and ID numbers written into free text never leave in events or webhooks.

Division 330111 (routing's paths) is shared; this test follows its own clue and principal only.
"""

from shared.events import INTAKE_TOPIC, ROUTING_TOPIC
from tests.intake.integration.helpers import of_clue, reading
from tests.notify.integration.hooks import hook_path, subscribe, wait_received
from tests.routing.integration.flow import accept_and_complete, finding, submit, task_of, wait_open
from tests.support.receiver import WebhookReceiver
from tests.support.stack import NOTIFY, ROUTING, client

DIVISION = "330111"
PHONE, ID_NUMBER = "13912345678", "330106199001011234"
WATCHER = f"agency:{DIVISION}.hrss"


def assert_scrubbed(text: str) -> None:
    assert PHONE not in text
    assert ID_NUMBER not in text
    assert "139****5678" in text or "3301**********1234" in text, text


async def test_summary_note_and_reason_go_out_scrubbed(receiver: WebhookReceiver) -> None:
    path = hook_path("ok", "scrubbed")
    await subscribe(WATCHER, receiver.url(path), ["clue.emergency"])
    summary = f"讨薪人电话{PHONE}，身份证{ID_NUMBER}，40人被拖欠"
    async with reading(INTAKE_TOPIC) as intake, reading(ROUTING_TOPIC) as routing_topic:
        clue_id = await submit("source:city", source="city", division=DIVISION, workers=40, summary=summary)
        emergency = await intake.find(of_clue(clue_id, "clue.emergency"), what="clue.emergency")
        assert_scrubbed(emergency.event["data"]["summary"])
        [webhook] = await wait_received(receiver, path, clue_id)
        assert_scrubbed(webhook.body.decode())

        expected = [
            (k, f"{DIVISION}.{a}")
            for k, a in (("resolve", "gov"), ("respond", "hrss"), ("respond", "construction"))
        ]
        opened = await wait_open(clue_id, expected)
        resolve = task_of(opened, "resolve", f"{DIVISION}.gov")
        await accept_and_complete(resolve, finding(substantiated=False, note=f"已电话联系{PHONE}"))
        updated = await routing_topic.find(
            lambda m: of_clue(clue_id, "task.updated")(m) and m.event["data"]["state"] == "done",
            what="task.updated (done)",
        )
        assert_scrubbed(updated.event["data"]["result"]["note"])

        respond = task_of(opened, "respond", f"{DIVISION}.hrss")
        async with client(ROUTING, WATCHER) as hrss:
            returned = await hrss.post(
                f"/v1/tasks/{respond['task_id']}/return", json={"reason": f"当事人身份证{ID_NUMBER}不在本区"}
            )
        assert returned.status_code == 201, returned.text
        dispute = await routing_topic.find(of_clue(clue_id, "dispute.opened"), what="dispute.opened")
        assert_scrubbed(dispute.event["data"]["reason"])
    async with client(NOTIFY, WATCHER) as notify:
        assert (await notify.delete("/v1/subscriptions/me")).status_code == 204
