"""登录: password or one-time code, django-axes lockout, staff refused, safe ``next``."""

from django.urls import reverse

import pytest

from govportal.audit.models import AuditRecord
from govportal.citizens.models import OneTimeCode
from govportal.conftest import make_user

from .conftest import EMAIL, MOBILE, PASSWORD, last_sms_code, page_text

pytestmark = pytest.mark.django_db
URL = reverse("citizens:login")


def password_login(client, identifier, password=PASSWORD, **extra):
    data = {"mode": "password", "pw-identifier": identifier, "pw-password": password, **extra}
    return client.post(URL, data)


def signed_in_as(client):
    return client.session.get("_auth_user_id")


@pytest.mark.parametrize("identifier", [EMAIL, EMAIL.upper(), MOBILE, "+86 139-1234-5678"])
def test_login_with_email_or_mobile_and_password(client, citizen, identifier):
    response = password_login(client, identifier)
    assert response.status_code == 302 and response["Location"] == "/my/"
    assert signed_in_as(client) == str(citizen.pk)
    assert AuditRecord.objects.filter(action="auth.login", user=citizen).exists()


@pytest.mark.parametrize(
    ("identifier", "password", "message"),
    [
        (EMAIL, "Wrong#Pass2026", "账号或密码不正确"),
        ("nobody@example.org", PASSWORD, "账号或密码不正确"),  # same answer: no enumeration
        ("", PASSWORD, "请填写手机号码或电子邮箱。"),
        ("12345", PASSWORD, "请输入有效的 11 位手机号码或电子邮箱"),
        (EMAIL, "", "请填写密码。"),
    ],
)
def test_wrong_login_is_explained_and_identifier_kept(
    client, citizen, identifier, password, message
):
    response = password_login(client, identifier, password)
    assert response.status_code == 200
    assert message in page_text(response)
    if identifier:
        assert f'value="{identifier}"' in response.content.decode()
    assert signed_in_as(client) is None


def test_login_by_one_time_code(client, citizen):
    sent = client.post(URL, {"mode": "code", "otp-identifier": MOBILE, "action": "send_code"})
    assert "验证码已发送" in page_text(sent) and f'value="{MOBILE}"' in sent.content.decode()
    response = client.post(
        URL,
        {
            "mode": "code",
            "otp-identifier": MOBILE,
            "otp-code": last_sms_code(MOBILE),
            "action": "submit",
        },
    )
    assert response.status_code == 302
    assert signed_in_as(client) == str(citizen.pk)


def test_code_login_for_an_unknown_contact_looks_the_same_and_sends_nothing(client, citizen):
    from govportal.citizens import sms

    known = client.post(URL, {"mode": "code", "otp-identifier": MOBILE, "action": "send_code"})
    unknown = client.post(
        URL, {"mode": "code", "otp-identifier": "13600001111", "action": "send_code"}
    )
    assert "如果 139****5678 已注册，验证码已发送" in page_text(known)
    assert "如果 136****1111 已注册，验证码已发送" in page_text(unknown)
    assert [m.to for m in sms.outbox] == [MOBILE]
    wrong = client.post(
        URL,
        {"mode": "code", "otp-identifier": "13600001111", "otp-code": "123456", "action": "submit"},
    )
    assert "验证码不正确，还可以再试 4 次" in page_text(wrong)


def test_wrong_code_shows_the_tries_left(client, citizen):
    client.post(URL, {"mode": "code", "otp-identifier": EMAIL, "action": "send_code"})
    response = client.post(
        URL, {"mode": "code", "otp-identifier": EMAIL, "otp-code": "000000", "action": "submit"}
    )
    assert "验证码不正确，还可以再试" in page_text(response) or "验证码" in page_text(response)
    assert signed_in_as(client) is None


def test_lockout_after_repeated_failures(client, citizen, settings):
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit - 1):
        assert password_login(client, EMAIL, "Wrong#Pass2026").status_code == 200
    locked = password_login(client, EMAIL, "Wrong#Pass2026")
    assert locked.status_code == 429
    assert "连续登录失败次数过多" in page_text(locked)
    # Locked: even the right password is refused for a while, in the citizens' own page.
    still = password_login(client, EMAIL)
    assert still.status_code == 429 and "连续登录失败次数过多" in page_text(still)
    assert signed_in_as(client) is None
    assert AuditRecord.objects.filter(action="auth.lockout").exists()
    # The lockout is per account: contacts never appear in the failure records.
    assert not AuditRecord.objects.filter(username__icontains="example.org").exists()


def test_code_login_failures_count_for_the_lockout(client, citizen, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            URL,
            {"mode": "code", "otp-identifier": MOBILE, "otp-code": "000000", "action": "submit"},
        )
    locked = password_login(client, MOBILE)
    assert locked.status_code == 429


@pytest.mark.parametrize(
    "flags",
    [
        {"is_staff": True},
        {"is_superuser": True, "is_staff": True},
        {"editor": True},  # no staff flag, but may open the admin through a group
    ],
)
def test_staff_accounts_are_refused(client, site_group, flags):
    if flags.pop("editor", False):
        user = site_group.a.editor  # alpha_editor: Wagtail admin access through a group
        user.is_staff = False
        user.save()
    else:
        user = make_user("staffer", **flags)
    from govportal.conftest import PASSWORD as STAFF_PASSWORD

    response = password_login(client, user.email, STAFF_PASSWORD)
    assert response.status_code == 403
    text = page_text(response)
    assert "工作人员请从管理后台登录" in text
    assert "/admin/login/" in response.content.decode()
    assert signed_in_as(client) is None
    assert AuditRecord.objects.filter(action="citizen.staff_refused", user=user).exists()


def test_staff_with_wrong_password_get_the_usual_answer(client):
    staff = make_user("staffer", is_staff=True)
    response = password_login(client, staff.email, "Wrong#Pass2026")
    assert "账号或密码不正确" in page_text(response)
    assert "无法在此登录" not in page_text(response)


def test_staff_get_no_login_code(client):
    from govportal.citizens import sms

    staff = make_user("staffer", is_staff=True, mobile="13512345678")
    client.post(URL, {"mode": "code", "otp-identifier": staff.mobile, "action": "send_code"})
    assert sms.outbox == []
    assert OneTimeCode.objects.count() == 1  # a decoy, for the throttle


@pytest.mark.parametrize(
    ("next_url", "expected"),
    [
        ("/account/profile/", "/account/profile/"),
        ("/my/letters/?page=2", "/my/letters/?page=2"),
        ("https://evil.example/phish", "/my/"),
        ("//evil.example/phish", "/my/"),
        ("http://testserver.evil.example/", "/my/"),
        ("javascript:alert(1)", "/my/"),
        ("\\\\evil.example", "/my/"),
    ],
)
def test_next_only_on_this_host(client, citizen, next_url, expected):
    response = password_login(client, EMAIL, next=next_url)
    assert response.status_code == 302
    assert response["Location"] == expected


def test_login_page_keeps_next_in_the_forms_and_links(client):
    response = client.get(URL + "?next=/account/profile/")
    html = response.content.decode()
    assert 'name="next" value="/account/profile/"' in html
    assert "注册账号" in page_text(response) and "忘记密码" in page_text(response)
    evil = client.get(URL + "?next=https://evil.example/")
    assert 'name="next"' not in evil.content.decode()
    assert "evil.example" not in page_text(evil)


def test_no_oidc_button_when_not_configured(client):
    response = client.get(URL)
    assert "其他登录方式" not in page_text(response)
    assert client.get(reverse("citizens:oidc_authenticate")).status_code == 404


def test_login_pages_are_not_cached(client):
    response = client.get(URL)
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]


def test_logout_is_a_post_and_lands_on_the_logged_out_page(client, citizen):
    client.force_login(citizen, backend="django.contrib.auth.backends.ModelBackend")
    confirm = client.get(reverse("citizens:logout"))
    assert confirm.status_code == 200 and signed_in_as(client) == str(citizen.pk)
    response = client.post(reverse("citizens:logout"))
    assert response["Location"] == reverse("citizens:logged_out")
    assert signed_in_as(client) is None
    assert "已安全退出" in page_text(client.get(response["Location"]))
