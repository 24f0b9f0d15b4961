"""Two-factor login in the admin: enrolment, the code step, recovery codes, lockout, policy."""

import re
from datetime import timedelta

from django.contrib.auth.models import Group
from django.utils import timezone

import pytest

from govportal.accounts import twofactor
from govportal.accounts.models import AuthenticatorDevice, TwoFactorPolicy
from govportal.accounts.tests.conftest import (
    VERIFY_URL,
    actions_since,
    audit_mark,
    code_for,
    enrolled,
    is_logged_in,
    new_recovery_codes,
    password_login,
    stored_recovery_hashes,
)
from govportal.conftest import make_user

pytestmark = pytest.mark.django_db

SETUP_URL = "/admin/2fa/setup/"
RECOVERY_URL = "/admin/2fa/recovery/"


@pytest.fixture
def clerk(db):
    return make_user("clerk", is_staff=True, is_superuser=True)


def verify(client, code, next_url="/admin/"):
    return client.post(VERIFY_URL, {"code": code, "next": next_url})


# -- enrolment --------------------------------------------------------------------------------


def test_enrolment_shows_qr_and_secret_and_refuses_a_wrong_code(client, clerk):
    client.force_login(clerk)
    assert client.get("/admin/2fa/").url == SETUP_URL  # not enrolled yet: straight to setup

    page = client.get(SETUP_URL).content.decode()
    device = AuthenticatorDevice.objects.get(user=clerk, confirmed=False)
    assert "<svg" in page and 'role="img"' in page  # the QR code, drawn inline
    assert " ".join(twofactor.secret_groups(device)) in page  # the secret, in groups of 4
    assert all(len(group) == 4 for group in twofactor.secret_groups(device)[:-1])
    # Reloading keeps the same secret (the QR code the user may already have scanned).
    client.get(SETUP_URL)
    assert AuthenticatorDevice.objects.filter(user=clerk).count() == 1

    mark = audit_mark()
    wrong = f"{(int(code_for(device)) + 1) % 1000000:06d}"
    response = client.post(SETUP_URL, {"code": wrong})
    assert response.status_code == 200
    assert "验证码不正确" in response.content.decode()
    assert not twofactor.is_enrolled(clerk)
    assert [r.outcome for r in actions_since(mark, "2fa.enrol")] == ["failure"]

    response = client.post(SETUP_URL, {"code": ""})
    assert "请输入验证码" in response.content.decode()

    response = client.post(SETUP_URL, {"code": code_for(device)})
    assert response.url == RECOVERY_URL
    assert twofactor.is_enrolled(clerk)
    assert [r.outcome for r in actions_since(mark, "2fa.enrol")] == ["failure", "success"]


def test_recovery_codes_are_shown_once_and_can_be_downloaded(client, clerk):
    client.force_login(clerk)
    client.get(SETUP_URL)
    device = AuthenticatorDevice.objects.get(user=clerk)
    client.post(SETUP_URL, {"code": code_for(device)})

    assert twofactor.recovery_codes_left(clerk) == 10
    shown = client.session[twofactor.SESSION_CODES]
    assert len(set(shown)) == 10
    assert all(re.fullmatch(r"[a-z2-9]{4}-[a-z2-9]{4}", code) for code in shown)
    page = client.get(RECOVERY_URL).content.decode()
    assert all(code in page for code in shown)
    download = client.get("/admin/2fa/recovery/download/")
    assert download["Content-Type"].startswith("text/plain")
    assert "attachment" in download["Content-Disposition"]
    assert all(code in download.content.decode() for code in shown)

    # "我已妥善保存": never shown (nor downloadable) again.
    client.post(RECOVERY_URL)
    page = client.get(RECOVERY_URL).content.decode()
    assert not any(code in page for code in shown)
    assert "只在生成后显示一次" in page
    assert client.get("/admin/2fa/recovery/download/").status_code == 302


def test_regenerating_recovery_codes_needs_a_code_and_voids_the_old_ones(client, clerk):
    device = enrolled(clerk)
    old = new_recovery_codes(clerk)
    old_hashes = stored_recovery_hashes(clerk)
    client.force_login(clerk)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()

    mark = audit_mark()
    response = client.post("/admin/2fa/recovery/regenerate/", {"regenerate-code": "000000"})
    assert response.status_code == 200
    assert "验证码不正确" in response.content.decode()
    assert stored_recovery_hashes(clerk) == old_hashes

    response = client.post(
        "/admin/2fa/recovery/regenerate/", {"regenerate-code": code_for(device, steps=1)}
    )
    assert response.url == RECOVERY_URL
    new = client.session[twofactor.SESSION_CODES]
    assert len(new) == 10 and not set(new) & set(old)
    assert twofactor.recovery_codes_left(clerk) == 10
    assert not stored_recovery_hashes(clerk) & old_hashes
    assert [r.outcome for r in actions_since(mark, "2fa.recovery_regenerate")] == [
        "failure",
        "success",
    ]


# -- the code step at login -------------------------------------------------------------------


def test_password_alone_does_not_open_the_admin_of_an_enrolled_user(client, clerk):
    device = enrolled(clerk)
    assert password_login(client, "clerk").status_code == 302
    assert is_logged_in(client)

    for url in ("/admin/", "/admin/pages/", "/admin/users/", "/admin/2fa/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(VERIFY_URL), url
    page = client.get(VERIFY_URL + "?next=/admin/pages/").content.decode()
    assert "请输入手机身份验证器应用中显示的验证码" in page
    assert 'autocomplete="one-time-code"' in page

    mark = audit_mark()
    response = verify(client, "123 456" if code_for(device) != "123456" else "654321")
    assert response.status_code == 200
    assert "验证码不正确，请重新输入。再错 4 次" in response.content.decode()

    response = verify(client, code_for(device), next_url="/admin/pages/")
    assert response.url == "/admin/pages/"
    assert client.get("/admin/").status_code == 200
    assert [(r.action, r.outcome) for r in actions_since(mark)] == [
        ("2fa.verify", "failure"),
        ("2fa.verify", "success"),
    ]


def test_verify_refuses_a_foreign_next_url(client, clerk):
    device = enrolled(clerk)
    password_login(client, "clerk")
    response = verify(client, code_for(device), next_url="https://evil.example/steal")
    assert response.url == "/admin/"


def test_a_recovery_code_works_once(client, clerk):
    enrolled(clerk)
    code = new_recovery_codes(clerk)[0]
    password_login(client, "clerk")
    mark = audit_mark()
    response = verify(client, code.upper())
    assert response.url == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert twofactor.recovery_codes_left(clerk) == 9
    used = actions_since(mark, "2fa.recovery_used")
    assert len(used) == 1 and used[0].after == {"recovery_codes_left": 9}

    client.post("/admin/logout/")
    password_login(client, "clerk")
    response = verify(client, code)
    assert response.status_code == 200
    assert "验证码不正确" in response.content.decode()
    assert client.get("/admin/").url.startswith(VERIFY_URL)


def test_five_wrong_codes_log_out_and_lock_the_code_step(client, clerk, settings):
    device = enrolled(clerk)
    assert settings.GOVPORTAL_2FA_MAX_FAILURES == 5
    password_login(client, "clerk")
    mark = audit_mark()
    for attempt in range(4):
        response = verify(client, "abcdefgh")
        assert response.status_code == 200, attempt
    response = verify(client, "abcdefgh")
    assert response.url == "/admin/login/"
    assert not is_logged_in(client)
    assert "两步验证已锁定" in client.get("/admin/login/").content.decode()
    lockout = actions_since(mark, "2fa.lockout")
    assert len(lockout) == 1 and lockout[0].outcome == "denied"
    assert len(actions_since(mark, "2fa.verify")) == 5

    # The password still works, but the code step stays locked, even for the right code.
    password_login(client, "clerk")
    response = client.get(VERIFY_URL)
    assert response.url == "/admin/login/"
    assert not is_logged_in(client)
    password_login(client, "clerk")
    assert verify(client, code_for(device)).url == "/admin/login/"

    # After the lock time the right code opens the admin again.
    type(clerk).objects.filter(pk=clerk.pk).update(
        two_factor_locked_until=timezone.now() - timedelta(seconds=1)
    )
    password_login(client, "clerk")
    assert verify(client, code_for(device, steps=1)).url == "/admin/"
    assert client.get("/admin/").status_code == 200


# -- policy ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "all_staff", "superusers", "operators", "in_group", "expected"),
    [
        ("editor", False, True, True, False, False),
        ("editor", False, False, False, True, True),
        ("editor", True, False, False, False, True),
        ("superuser", False, True, False, False, True),
        ("superuser", False, False, False, False, False),
        ("operator", False, False, True, False, True),
        ("operator", False, False, False, False, False),
        ("citizen", True, True, True, False, False),
    ],
)
def test_who_must_use_two_factor(
    enforce, site_group, who, all_staff, superusers, operators, in_group, expected
):
    enforce.GOVPORTAL_2FA_REQUIRED_FOR_ALL_STAFF = all_staff
    policy = TwoFactorPolicy.load()
    policy.require_superusers = superusers
    policy.require_operators = operators
    policy.save()
    if in_group:
        policy.required_groups.set([site_group.a.roles.editors])
    user = {
        "editor": lambda: site_group.a.editor,
        "superuser": lambda: make_user("boss", is_superuser=True, is_staff=True),
        "operator": lambda: make_user(
            "operator", Group.objects.get(name="系统管理员"), is_staff=True
        ),
        "citizen": lambda: make_user("citizen"),
    }[who]()
    assert twofactor.is_required(user) is expected


def test_a_required_user_without_device_can_only_enrol(client, enforce, site_group):
    policy = TwoFactorPolicy.load()
    policy.required_groups.set([site_group.a.roles.editors])
    editor = site_group.a.editor
    client.force_login(editor)
    for url in ("/admin/", "/admin/pages/", f"/admin/pages/{site_group.a.news.pk}/edit/"):
        response = client.get(url)
        assert response.url == "/admin/2fa/", url
    response = client.get("/admin/2fa/", follow=True)
    assert response.redirect_chain[-1][0] == SETUP_URL
    assert "您的角色要求使用两步验证" in response.content.decode()

    device = AuthenticatorDevice.objects.get(user=editor)
    client.post(SETUP_URL, {"code": code_for(device)})
    assert client.get("/admin/").status_code == 200


def test_test_settings_require_nobody(client, site_group):
    policy = TwoFactorPolicy.load()
    policy.required_groups.set([site_group.a.roles.editors])
    client.force_login(site_group.a.editor)
    assert client.get("/admin/").status_code == 200


def test_removal_is_refused_when_the_role_requires_it(client, enforce, clerk):
    device = enrolled(clerk)
    password_login(client, "clerk")
    verify(client, code_for(device))
    mark = audit_mark()
    # Superusers must use 2FA by default: refused, and the device stays.
    response = client.post(
        "/admin/2fa/remove/", {"remove-code": code_for(device, steps=1)}, follow=True
    )
    assert "不能停用" in response.content.decode()
    assert twofactor.is_enrolled(clerk)
    assert [r.outcome for r in actions_since(mark, "2fa.remove")] == ["denied"]

    policy = TwoFactorPolicy.load()
    policy.require_superusers = policy.require_operators = False  # superusers are operators
    policy.save()
    response = client.post("/admin/2fa/remove/", {"remove-code": "111111"})
    assert "验证码不正确" in response.content.decode()
    assert twofactor.is_enrolled(clerk)
    response = client.post("/admin/2fa/remove/", {"remove-code": code_for(device, steps=1)})
    assert response.url == "/admin/account/"
    assert not twofactor.is_enrolled(clerk)
    assert twofactor.recovery_codes_left(clerk) == 0
    assert stored_recovery_hashes(clerk) == set()
    assert [r.outcome for r in actions_since(mark, "2fa.remove")] == [
        "denied",
        "failure",
        "success",
    ]
    assert client.get("/admin/").status_code == 200  # password alone from now on


def test_account_page_links_to_two_factor(client, clerk):
    client.force_login(clerk)
    page = client.get("/admin/account/").content.decode()
    assert 'href="/admin/2fa/"' in page
    assert "两步验证" in page


# -- the security admin's reset ---------------------------------------------------------------


def test_security_admin_resets_a_lost_authenticator(client, secadmin, site_group):
    editor = site_group.a.editor
    enrolled(editor)
    url = f"/admin/2fa/reset/{editor.pk}/"

    client.force_login(site_group.a.admin)  # a site admin may not
    assert client.post(url).status_code in (302, 403)
    assert twofactor.is_enrolled(editor)

    client.force_login(secadmin)
    listing = client.get("/admin/users/").content.decode()
    assert url in listing
    assert "核实本人身份" in client.get(url).content.decode()
    mark = audit_mark()
    assert client.post(url).url == "/admin/users/"
    assert not twofactor.is_enrolled(editor)
    assert [r.outcome for r in actions_since(mark, "2fa.reset")] == ["success"]

    boss = make_user("boss", is_superuser=True, is_staff=True)
    enrolled(boss)
    assert client.post(f"/admin/2fa/reset/{boss.pk}/").status_code in (302, 403)
    assert twofactor.is_enrolled(boss)
    assert client.post(f"/admin/2fa/reset/{secadmin.pk}/").status_code in (302, 403)
