"""What GET /v1/clues/{id} shows to whom, the status read model, and personal data kept out of logs and
Kafka message keys and headers."""

import random
import uuid

from tests.intake.integration.helpers import Json, get_clue, of_clue, reading, submit
from tests.support.clues import clue_payload, make_id_number
from tests.support.stack import INTAKE, ROUTING, STATE, client, eventually

DIVISION = "330106"
INTAKE_LOG = STATE / "log" / "intake.log"


def distinctive_complainant() -> dict[str, str]:
    rng = random.Random()
    return {
        "name": "".join(rng.choice("赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨") for _ in range(4)),
        "phone": f"139{rng.randrange(10**8):08d}",
        "id_number": make_id_number(rng),
    }


async def first_task(clue_id: str) -> Json:
    async def probe() -> Json | None:
        async with client(ROUTING, f"agency:{DIVISION}.gov") as gov:
            items: list[Json] = (await gov.get("/v1/tasks", params={"clue_id": clue_id})).json()["items"]
        return items[0] if items else None

    return await eventually(probe, what="the first task in routing")


async def test_status_and_stage_follow_routing() -> None:
    clue_id = await submit("source:national", clue_payload(division=DIVISION))
    task = await first_task(clue_id)
    assert task["kind"] == "verify"

    async def in_progress() -> Json | None:
        clue: Json = (await get_clue("source:national", clue_id)).json()
        return clue if clue["status"] == "in_progress" else None

    clue = await eventually(in_progress, what="status in_progress from clue.status")
    assert clue["stage"] == ["verify"]
    assert clue["outcome"] is None


async def test_personal_data_is_shown_in_full_only_to_those_handling_the_clue() -> None:
    complainant = distinctive_complainant()
    clue_id = await submit("source:national", clue_payload(division=DIVISION, complainant=complainant))
    for principal in ("source:national", f"agency:{DIVISION}.office", "agency:330100.office"):
        response = await get_clue(principal, clue_id)
        assert response.status_code == 200, principal
        assert response.json()["complainant"] == complainant, principal
    as_admin = await get_clue("admin", clue_id)
    assert as_admin.status_code == 200
    assert (
        as_admin.json()["complainant"]["phone"] != complainant["phone"]
    )  # admin is not in the contract's list
    for principal in (
        f"agency:{DIVISION}.hrss",
        "agency:330105.gov",
        "agency:330105.office",
        "source:police110",
    ):
        assert (await get_clue(principal, clue_id)).status_code == 404, principal

    task = await first_task(clue_id)

    async def visible_to_gov() -> Json | None:
        response = await get_clue(f"agency:{DIVISION}.gov", clue_id)
        body: Json = response.json()
        return body if response.status_code == 200 else None

    held = await eventually(visible_to_gov, what="the task holder seeing the clue")
    assert held["complainant"] == complainant  # an open task shows it in full

    async with client(ROUTING, f"agency:{DIVISION}.gov") as gov:
        assert (await gov.post(f"/v1/tasks/{task['task_id']}/accept")).status_code == 200
        done = await gov.post(
            f"/v1/tasks/{task['task_id']}/complete",
            json={
                "substantiated": False,
                "resolved": False,
                "amount_paid": "0.00",
                "causes": [],
                "needs_case": False,
                "escalate": False,
                "note": "核查不属实",
            },
        )
        assert done.status_code == 200, done.text

    async def masked_for_former_holder() -> Json | None:
        body: Json = (await get_clue(f"agency:{DIVISION}.gov", clue_id)).json()
        return body if body.get("complainant", {}).get("phone") != complainant["phone"] else None

    former = await eventually(masked_for_former_holder, what="masking once the task is done")
    masked = former["complainant"]
    assert masked["name"] == complainant["name"][0] + "***"
    assert masked["phone"] == complainant["phone"][:3] + "****" + complainant["phone"][-4:]
    assert masked["id_number"] == complainant["id_number"][:4] + "*" * 10 + complainant["id_number"][-4:]


async def test_no_personal_data_in_logs_or_kafka_keys_and_headers() -> None:
    complainant = distinctive_complainant()
    payload = clue_payload(division=DIVISION, complainant=complainant, workers=40)
    log_start = INTAKE_LOG.stat().st_size
    async with reading() as intake_topic:
        clue_id = await submit("source:national", payload)
        # Rejected and conflicting submissions take other code paths that might log.
        async with client(INTAKE, "source:national") as intake:
            assert (await intake.post("/v1/clues", json={**payload, "workers": 41})).status_code == 409
            bad = {**payload, "external_id": str(uuid.uuid4()), "division": "1"}
            assert (await intake.post("/v1/clues", json=bad)).status_code == 422
        for event_type in ("clue.received", "clue.emergency"):
            await intake_topic.find(of_clue(clue_id, event_type), what=event_type)
        ours = [m for m in intake_topic.seen if m.event.get("subject") == clue_id]

    secrets = [complainant["name"], complainant["phone"], complainant["id_number"]]
    for message in ours:
        assert message.key == clue_id.encode()
        in_headers = b" ".join(k.encode() + b"=" + v for k, v in message.headers).decode()
        assert not [s for s in secrets if s in in_headers], in_headers

    with INTAKE_LOG.open("rb") as log:
        log.seek(log_start)
        log_text = log.read().decode()
    assert log_text.count("POST /v1/clues") >= 3  # the log lines of these requests are there
    assert f"clue {clue_id} received" in log_text
    assert not [s for s in secrets if s in log_text]
