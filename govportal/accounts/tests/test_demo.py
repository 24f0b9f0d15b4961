"""The demo 三员: enrolled with the published secret, required to use 2FA, idempotent."""

import pytest

from govportal.accounts import roles, twofactor
from govportal.accounts.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET, build_demo_security
from govportal.accounts.models import TwoFactorPolicy
from govportal.accounts.tests.conftest import VERIFY_URL, code_for, password_login
from govportal.audit.demo import build_demo_audit

pytestmark = pytest.mark.django_db


def test_demo_security_is_idempotent_and_enrolled(enforce):
    build_demo_audit()
    people = build_demo_security()
    again = build_demo_security()
    assert {u: p.pk for u, p in people.items()} == {u: p.pk for u, p in again.items()}
    for username, role in (
        ("sysadmin", roles.SYSTEM_ADMINS),
        ("secadmin", roles.SECURITY_ADMINS),
        ("auditor", roles.AUDIT_ADMINS),
    ):
        user = people[username]
        assert roles.user_roles(user) == [role]
        device = twofactor.confirmed_device(user)
        assert twofactor.secret_base32(device) == DEMO_TOTP_SECRET
        assert twofactor.is_required(user)
        assert twofactor.recovery_codes_left(user) == 10
    policy = TwoFactorPolicy.load()
    assert not policy.require_superusers
    assert sorted(policy.required_groups.values_list("name", flat=True)) == sorted(
        roles.ROLE_GROUPS
    )


def test_demo_login_with_the_published_secret(client, enforce):
    build_demo_audit()
    people = build_demo_security()
    assert password_login(client, "auditor", DEMO_PASSWORD).status_code == 302
    assert client.get("/admin/").url.startswith(VERIFY_URL)
    device = twofactor.confirmed_device(people["auditor"])
    response = client.post(VERIFY_URL, {"code": code_for(device), "next": "/admin/audit/"})
    assert response.url == "/admin/audit/"
    assert client.get("/admin/audit/").status_code == 200
