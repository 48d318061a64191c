"""Valid clue payloads for tests, with real check characters."""

import random
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from stdnum.cn import ric, uscc

_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def make_uscc(rng: random.Random | None = None) -> str:
    rng = rng or random.Random()
    base = "91330106" + "".join(rng.choice(_USCC_ALPHABET) for _ in range(9))
    return base + uscc.calc_check_digit(base + "0")


def make_id_number(rng: random.Random | None = None) -> str:
    rng = rng or random.Random()
    # 330106 exists since 1983; python-stdnum rejects birth dates before its address code existed.
    birth = datetime(1984, 1, 1, tzinfo=UTC) + timedelta(days=rng.randrange(0, 9000))
    base = f"330106{birth:%Y%m%d}{rng.randrange(0, 999):03d}"
    return base + ric.calc_check_digit(base + "0")


def clue_payload(**overrides: Any) -> dict[str, Any]:
    """A valid national clue about a building project in 西湖区; override any field."""
    payload: dict[str, Any] = {
        "source": "national",
        "external_id": f"T-{uuid.uuid4()}",
        "received_at": (datetime.now(UTC) - timedelta(hours=1)).isoformat(),
        "division": "330106",
        "township": "北山街道",
        "employer": {"name": f"杭州测试建设有限公司{uuid.uuid4().hex[:6]}", "uscc": make_uscc()},
        "project": {
            "name": f"西溪项目{uuid.uuid4().hex[:6]}",
            "kind": "building",
            "address": "西湖区文三路1号",
        },
        "workers": 12,
        "amount_owed": "86000.00",
        "complainant": {"name": "张三", "phone": "13812345678", "id_number": make_id_number()},
        "summary": "工程完工后拖欠12名农民工工资",
        "flags": [],
        "source_payload": {"platform_case_no": "GJ-2026-0001", "nested": {"b": 1, "a": [1, 2]}},
    }
    payload.update(overrides)
    return payload
