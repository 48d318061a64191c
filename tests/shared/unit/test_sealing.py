"""Personal data in events: sealed for the services holding the key, unreadable to everyone else."""

import base64
import os
from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from shared.events import new_event
from shared.sealing import (
    DEVELOPMENT_KEY,
    Sealer,
    SealingError,
    open_personal_fields,
    seal_personal_fields,
)
from shared.settings import CommonSettings, Mode
from tests.support.clues import clue_payload

pytestmark = pytest.mark.unit

COMPLAINANT = {"name": "王小明", "phone": "13812345678", "id_number": "330106198401010018"}


def a_key() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


def test_sealed_fields_open_with_the_key_and_the_clue_only() -> None:
    sealer = Sealer(a_key(), setting="test")
    data = {"summary": "欠薪，电话13812345678", "complainant": COMPLAINANT}
    sealed = seal_personal_fields(data, sealer, clue_id="c-1")
    assert "complainant" not in sealed
    assert sealed["summary"] == "欠薪，电话138****5678"
    assert "王小明" not in str(sealed)
    assert "13812345678" not in str(sealed)
    assert open_personal_fields(sealed, sealer, clue_id="c-1") == data
    with pytest.raises(SealingError):
        open_personal_fields(sealed, sealer, clue_id="c-2")  # copied onto another clue
    with pytest.raises(SealingError):
        open_personal_fields(sealed, Sealer(a_key(), setting="other"), clue_id="c-1")


def test_a_clue_without_a_complainant_stays_without_one() -> None:
    sealer = Sealer(DEVELOPMENT_KEY, setting="dev")
    assert seal_personal_fields({"complainant": None}, sealer, clue_id="c") == {}
    assert open_personal_fields({}, sealer, clue_id="c") == {}


def test_keys_that_are_not_32_bytes_of_base64_are_refused() -> None:
    with pytest.raises(SealingError, match="32 bytes"):
        Sealer(base64.urlsafe_b64encode(b"short").decode(), setting="ANXIN_PERSONAL_DATA_KEY")
    with pytest.raises(SealingError, match="base64"):
        Sealer("not base64 at all!", setting="ANXIN_PERSONAL_DATA_KEY")


def test_production_has_no_sealer_without_a_key_and_development_a_fixed_one() -> None:
    assert (
        CommonSettings(_env_file=None, mode=Mode.PRODUCTION, personal_data_key=None).personal_data_sealer()
        is None
    )
    assert CommonSettings(
        _env_file=None, mode=Mode.DEVELOPMENT, personal_data_key=None
    ).personal_data_sealer()


def test_clue_received_cannot_be_published_with_the_complainant_in_clear() -> None:
    data = {**clue_payload(), "clue_id": "c-1", "submitted_by": "source:national"}
    data |= {"emergency": False, "emergency_reasons": []}
    with pytest.raises(ValidationError, match="sealed"):
        new_event(source="/t", type="clue.received", subject="c-1", data=data, time=datetime.now(UTC))
    sealed = seal_personal_fields(data, Sealer(DEVELOPMENT_KEY, setting="dev"), clue_id="c-1")
    assert new_event(source="/t", type="clue.received", subject="c-1", data=sealed, time=datetime.now(UTC))
