"""Masking of complainants' personal data, in responses and in log text."""

import pytest

from shared.masking import mask_complainant, mask_id_number, mask_name, mask_phone, scrub, scrub_free_text


@pytest.mark.parametrize(
    ("name", "masked"), [("张三", "张*"), ("欧阳娜娜", "欧***"), ("张", "张*"), ("", ""), (None, None)]
)
def test_mask_name_keeps_the_first_character(name: str | None, masked: str | None) -> None:
    assert mask_name(name) == masked


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("13812345678", "138****5678"),
        ("0571-87654321", "057******4321"),
        ("0571876543", "******6543"),
        ("87654321", "****4321"),
        ("1234567", "*******"),
        ("12", "**"),
        (" 13812345678 ", "138****5678"),
        ("", ""),
        (None, None),
    ],
)
def test_mask_phone(phone: str | None, masked: str | None) -> None:
    assert mask_phone(phone) == masked


def test_mask_phone_shows_at_most_seven_characters_and_hides_at_least_four() -> None:
    for length in range(1, 20):
        masked = mask_phone("9" * length)
        assert masked is not None
        assert len(masked) == length
        assert masked.count("9") <= 7
        assert masked.count("*") >= min(length, 4)


@pytest.mark.parametrize(
    ("id_number", "masked"),
    [("33010619900101123X", "3301**********123X"), ("12345678", "********"), ("", ""), (None, None)],
)
def test_mask_id_number(id_number: str | None, masked: str | None) -> None:
    assert mask_id_number(id_number) == masked


def test_mask_complainant_masks_every_field() -> None:
    masked = mask_complainant({"name": "张三", "phone": "13812345678", "id_number": "33010619900101123X"})
    assert masked == {"name": "张*", "phone": "138****5678", "id_number": "3301**********123X"}
    assert mask_complainant(None) is None
    assert mask_complainant({}) == {"name": None, "phone": None, "id_number": None}


def test_scrub_masks_phones_and_id_numbers_in_free_text() -> None:
    line = "complainant 13812345678 id 33010619900101123X called; again 330106199001011234."
    scrubbed = scrub(line)
    assert "13812345678" not in scrubbed
    assert "33010619900101123X" not in scrubbed
    assert "330106199001011234" not in scrubbed
    assert "138****5678" in scrubbed
    assert "3301**********123X" in scrubbed


def test_scrub_leaves_other_numbers_alone() -> None:
    line = "clue 5f0c2a1e-0000-4000-8000-000000000001 took 1234 ms; order 2026092410150001234"
    assert scrub(line) == line


def test_free_text_fields_are_scrubbed_at_any_depth_and_other_fields_kept() -> None:
    uscc_like = "913301061234567890"  # not a free-text field: left alone
    data = {
        "summary": "电话13812345678",
        "result": {"note": "身份证330106199001011234", "amount_paid": "0.00"},
        "items": [{"reason": "13912345678"}],
        "employer": {"uscc": uscc_like},
        "workers": 12,
    }
    assert scrub_free_text(data) == {
        "summary": "电话138****5678",
        "result": {"note": "身份证3301**********1234", "amount_paid": "0.00"},
        "items": [{"reason": "139****5678"}],
        "employer": {"uscc": uscc_like},
        "workers": 12,
    }
