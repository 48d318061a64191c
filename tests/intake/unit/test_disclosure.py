"""Issue 11 item 11: a reader who sees the complainant masked gets no source_payload and a scrubbed
summary (domain/disclosure.py)."""

from intake.domain.disclosure import disclose

COMPLAINANT = {"name": "张三丰", "phone": "13812345678", "id_number": "330106198401011234"}
SUMMARY = "张三丰(电话13812345678,身份证330106198401011234)反映拖欠工资"
PAYLOAD = {"caller_phone": "13812345678", "case_no": "GJ-1"}


def test_masked_readers_get_the_payload_withheld_and_numbers_scrubbed_from_the_summary() -> None:
    shown = disclose(
        complainant=COMPLAINANT, summary=SUMMARY, source_payload=PAYLOAD, full_personal_data=False
    )
    assert shown.source_payload is None
    assert shown.source_payload_withheld is True
    assert "13812345678" not in shown.summary
    assert "330106198401011234" not in shown.summary
    assert shown.summary == "张三丰(电话138****5678,身份证3301**********1234)反映拖欠工资"
    assert shown.complainant == {"name": "张**", "phone": "138****5678", "id_number": "3301**********1234"}


def test_full_readers_get_everything_verbatim() -> None:
    shown = disclose(
        complainant=COMPLAINANT, summary=SUMMARY, source_payload=PAYLOAD, full_personal_data=True
    )
    assert (shown.complainant, shown.summary, shown.source_payload) == (COMPLAINANT, SUMMARY, PAYLOAD)
    assert shown.source_payload_withheld is False


def test_nothing_withheld_when_there_is_no_payload() -> None:
    shown = disclose(complainant=None, summary="无个人信息", source_payload=None, full_personal_data=False)
    assert (shown.complainant, shown.summary, shown.source_payload, shown.source_payload_withheld) == (
        None,
        "无个人信息",
        None,
        False,
    )
