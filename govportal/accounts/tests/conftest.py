"""Helpers for the staff-security tests: codes from a secret, the admin login, audit reads."""

import time

from django.contrib.auth.models import Group

import pytest
from django_otp.oath import TOTP

from govportal.accounts import roles, twofactor
from govportal.accounts.models import RecoveryCode
from govportal.audit.models import AuditRecord
from govportal.conftest import PASSWORD, make_user

LOGIN_URL = "/admin/login/"
VERIFY_URL = "/admin/2fa/verify/"
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105 — test authenticator secret


def code_for(device, steps: int = 0) -> str:
    """The code an authenticator app shows for ``device`` now (+ ``steps`` × 30 s)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps * device.step
    return f"{totp.token():0{device.digits}d}"


def password_login(client, username: str, password: str = PASSWORD, next_url: str = "/admin/"):
    return client.post(LOGIN_URL, {"username": username, "password": password, "next": next_url})


def is_logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def actions_since(mark: int, action: str | None = None) -> list[AuditRecord]:
    records = AuditRecord.objects.filter(seq__gt=mark).order_by("seq")
    if action is not None:
        records = records.filter(action=action)
    return list(records)


def audit_mark() -> int:
    return AuditRecord.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


def enrolled(user):
    """``user`` with a confirmed authenticator (SECRET) and 10 recovery codes; returns device."""
    return twofactor.enrol_with_secret(user, SECRET)


def new_recovery_codes(user) -> list[str]:
    """Fresh recovery codes for ``user``, as shown to them (only hashes are stored)."""
    return twofactor.new_recovery_codes(user)


def stored_recovery_hashes(user) -> set[str]:
    return set(RecoveryCode.objects.filter(user=user).values_list("code_hash", flat=True))


@pytest.fixture
def enforce(settings):
    settings.GOVPORTAL_2FA_ENFORCE = True
    return settings


@pytest.fixture
def role_groups(db):
    return {name: Group.objects.get(name=name) for name in roles.ROLE_GROUPS}


@pytest.fixture
def sysadmin(role_groups):
    return make_user("sys_li", role_groups[roles.SYSTEM_ADMINS], is_staff=True)


@pytest.fixture
def secadmin(role_groups):
    return make_user("sec_wang", role_groups[roles.SECURITY_ADMINS], is_staff=True)


@pytest.fixture
def auditor(role_groups):
    return make_user("aud_zhao", role_groups[roles.AUDIT_ADMINS], is_staff=True)
