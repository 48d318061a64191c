"""Webhook secrets at rest (issue 19 item 5): sealed per principal; production needs its own key."""

import base64
import os

import pytest

from notify.app.subscriptions import new_secret
from notify.secret_box import DEVELOPMENT_KEY, SecretBox, SecretKeyError, is_sealed
from notify.settings import NotifySettings


def a_key() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


def test_a_sealed_secret_opens_for_its_principal_only() -> None:
    box, secret = SecretBox(a_key()), new_secret()
    sealed = box.seal(secret, principal="agency:330106.gov")
    assert is_sealed(sealed)
    assert secret not in sealed
    assert secret.removeprefix("whsec_") not in sealed
    assert box.open(sealed, principal="agency:330106.gov") == secret
    assert box.seal(secret, principal="agency:330106.gov") != sealed  # a fresh nonce each time
    with pytest.raises(SecretKeyError):
        box.open(sealed, principal="agency:330106.hrss")
    with pytest.raises(SecretKeyError):
        SecretBox(a_key()).open(sealed, principal="agency:330106.gov")


def test_a_secret_stored_before_sealing_still_opens() -> None:
    secret = new_secret()
    assert not is_sealed(secret)
    assert SecretBox(DEVELOPMENT_KEY).open(secret, principal="admin") == secret


@pytest.mark.parametrize(
    ("key", "problem"),
    [
        (None, "is not set"),
        ("", "is not set"),
        (DEVELOPMENT_KEY, "development key"),
        ("c2hvcnQ=", "32 bytes"),
        ("!!!not base64!!!", "base64"),
    ],
)
def test_production_requires_a_key_of_its_own(key: str | None, problem: str) -> None:
    [found] = NotifySettings(secrets_key=key).production_problems()
    assert problem in found


def test_a_good_key_passes_and_development_has_a_fixed_one() -> None:
    assert NotifySettings(secrets_key=a_key()).production_problems() == []
    box = NotifySettings().secret_box()
    assert (
        box.open(SecretBox(DEVELOPMENT_KEY).seal("whsec_x", principal="admin"), principal="admin")
        == "whsec_x"
    )
