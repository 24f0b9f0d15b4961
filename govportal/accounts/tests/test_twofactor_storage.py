"""Two-factor secrets at rest (等保 三级): the authenticator secret encrypted, recovery codes hashed.

Reads the database with raw SQL, past the model fields, to see what a leaked backup holds.
"""

import base64
import io

from django.core.management import call_command
from django.db import connection
from django.test import override_settings

import pytest

from govportal.accounts import twofactor
from govportal.accounts.models import AuthenticatorDevice, RecoveryCode
from govportal.accounts.tests.conftest import (
    SECRET,
    VERIFY_URL,
    code_for,
    enrolled,
    new_recovery_codes,
    password_login,
)
from govportal.conftest import make_user
from govportal.privacy.keys import current_key_id, generate_key, key_id

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk(db):
    return make_user("clerk", is_staff=True, is_superuser=True)


def raw_rows(model) -> list[str]:
    """Every row of ``model``'s table as the database holds it, one string per row."""
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 — table name from the model
        return [" ".join(str(value) for value in row) for row in cursor.fetchall()]


def raw_key(device) -> str:
    with connection.cursor() as cursor:
        column = connection.ops.quote_name("key")
        cursor.execute(
            f"SELECT {column} FROM accounts_authenticatordevice WHERE id = %s",  # noqa: S608
            [device.pk],
        )
        return cursor.fetchone()[0]


def spellings_of_secret(device) -> list[str]:
    b32 = base64.b32encode(device.bin_key).decode().rstrip("=")
    return [b32, b32.lower(), device.bin_key.hex(), device.bin_key.hex().upper()]


def test_the_authenticator_secret_is_encrypted_in_the_database(client, clerk):
    device = enrolled(clerk)
    assert twofactor.secret_base32(device) == SECRET
    # A device set up on the page (random secret) as well as the demo's known one.
    client.force_login(make_user("newcomer", is_staff=True, is_superuser=True))
    client.get("/admin/2fa/setup/")
    pending = AuthenticatorDevice.objects.get(user__username="newcomer")
    assert len(pending.bin_key) == 20

    for dev in (device, pending):
        stored = raw_key(dev)
        assert stored.startswith(current_key_id() + "$")  # <key id>$<Fernet token>
        table = " ".join(raw_rows(AuthenticatorDevice))
        for spelling in spellings_of_secret(dev):
            assert spelling not in stored
            assert spelling not in table
    # The application still reads it: the QR code carries the real secret.
    assert f"secret={SECRET}" in AuthenticatorDevice.objects.get(pk=device.pk).config_url


def test_recovery_codes_are_stored_as_keyed_hashes_only(clerk):
    codes = new_recovery_codes(clerk)
    assert len(codes) == 10
    table = " ".join(raw_rows(RecoveryCode))
    assert len(raw_rows(RecoveryCode)) == 10
    for code in codes:
        for spelling in (code, code.replace("-", ""), code.upper(), code.replace("-", "").upper()):
            assert spelling not in table
    # Bound to their owner: another user's codes never match this user's hashes.
    other = make_user("other", is_staff=True)
    assert not twofactor.use_recovery_code(other, codes[0].replace("-", ""))


@pytest.mark.parametrize(
    ("typed", "ok"),
    [
        (lambda c: c, True),
        (lambda c: c.upper(), True),
        (lambda c: c.replace("-", " "), True),
        (lambda c: c[:-1] + ("2" if c[-1] != "2" else "3"), False),
        (lambda c: "", False),
    ],
)
def test_a_recovery_code_counts_once(client, clerk, typed, ok):
    enrolled(clerk)
    code = new_recovery_codes(clerk)[0]
    password_login(client, "clerk")
    response = client.post(VERIFY_URL, {"code": typed(code), "next": "/admin/"})
    if not ok:
        assert response.status_code == 200
        assert twofactor.recovery_codes_left(clerk) == 10
        return
    assert response.url == "/admin/"
    assert twofactor.recovery_codes_left(clerk) == 9
    # The same code a second time, in a new login: refused.
    client.post("/admin/logout/")
    password_login(client, "clerk")
    response = client.post(VERIFY_URL, {"code": typed(code), "next": "/admin/"})
    assert response.status_code == 200
    assert "验证码不正确" in response.content.decode()
    assert twofactor.recovery_codes_left(clerk) == 9


def test_an_authenticator_code_is_refused_when_replayed(client, clerk):
    device = enrolled(clerk)
    code = code_for(device)
    password_login(client, "clerk")
    assert client.post(VERIFY_URL, {"code": code, "next": "/admin/"}).url == "/admin/"

    # Someone who saw the code type it again within the same 30 seconds: refused.
    client.post("/admin/logout/")
    password_login(client, "clerk")
    response = client.post(VERIFY_URL, {"code": code, "next": "/admin/"})
    assert response.status_code == 200
    assert "验证码不正确" in response.content.decode()
    assert client.get("/admin/").url.startswith(VERIFY_URL)

    # On the device itself (an earlier step is refused too); the next step's code works.
    stale = AuthenticatorDevice.objects.get(pk=device.pk)
    assert not stale.verify_token(code)
    assert not stale.verify_token(code_for(device, steps=-1))
    assert AuthenticatorDevice.objects.get(pk=device.pk).verify_token(code_for(device, steps=1))
    # An old in-memory copy cannot replay it either: the check reads the row under a lock.
    assert not device.verify_token(code_for(device, steps=1))


def test_key_rotation_reencrypts_the_secret_and_recovery_codes_follow_the_keys(clerk):
    old, new = generate_key(), generate_key()
    with override_settings(GOVPORTAL_FIELD_KEYS=[old]):
        device = enrolled(clerk)
        assert raw_key(device).startswith(key_id(old) + "$")

    with override_settings(GOVPORTAL_FIELD_KEYS=[new, old]):
        assert twofactor.recovery_codes_left(clerk) == 10  # still usable during the rotation
        out = io.StringIO()
        call_command("rotate_field_keys", stdout=out)
        assert "accounts.AuthenticatorDevice: 1/1 行已检查，已重新加密 1 行" in out.getvalue()
        assert raw_key(device).startswith(key_id(new) + "$")

    with override_settings(GOVPORTAL_FIELD_KEYS=[new]):  # the old key removed
        device = AuthenticatorDevice.objects.get(pk=device.pk)
        assert twofactor.secret_base32(device) == SECRET
        assert device.verify_token(code_for(device))
        # Recovery codes are hashes under the old key: no longer usable, so none are left
        # and the 2FA page asks for new ones.
        assert twofactor.recovery_codes_left(clerk) == 0
        assert len(new_recovery_codes(clerk)) == 10
        assert twofactor.recovery_codes_left(clerk) == 10
