"""找回密码 and 修改密码: by a one-time code, without revealing who is registered."""

from django.urls import reverse

import pytest

from govportal.audit.models import AuditRecord
from govportal.citizens import sms
from govportal.conftest import make_user

from .conftest import EMAIL, MOBILE, PASSWORD, last_mail_code, last_sms_code, page_text

pytestmark = pytest.mark.django_db
URL = reverse("citizens:password_reset")
NEW = "Brand#New2026pw"  # noqa: S105


def post(client, identifier, code="", action="submit", password=NEW):
    return client.post(
        URL,
        {
            "identifier": identifier,
            "code": code,
            "password1": password,
            "password2": password,
            "action": action,
        },
    )


def visible(response, identifier_masked: str) -> str:
    return page_text(response).replace(identifier_masked, "<contact>")


def test_reset_by_mobile(client, citizen):
    sent = post(client, MOBILE, action="send_code")
    assert "如果 139****5678 已注册，验证码已发送" in page_text(sent)
    done = post(client, MOBILE, code=last_sms_code(MOBILE))
    assert done.status_code == 302 and done["Location"] == reverse("citizens:login")
    citizen.refresh_from_db()
    assert citizen.check_password(NEW) and not citizen.check_password(PASSWORD)
    assert AuditRecord.objects.filter(action="citizen.password_reset", user=citizen).exists()
    login = client.get(done["Location"])
    assert "密码已重置" in page_text(login)


def test_reset_by_email(client, citizen):
    post(client, EMAIL, action="send_code")
    post(client, EMAIL, code=last_mail_code(EMAIL))
    citizen.refresh_from_db()
    assert citizen.check_password(NEW)


def test_same_answers_whether_or_not_the_account_exists(client, citizen):
    staff = make_user("staffer", is_staff=True)
    answers = {}
    for who, identifier, masked in [
        ("citizen", EMAIL, "w***@example.org"),
        ("nobody", "nobody@example.org", "n***@example.org"),
        ("staff", staff.email, "s***@example.gov.cn"),
    ]:
        sent = post(client, identifier, action="send_code")
        again = post(client, identifier, action="send_code")  # throttled alike
        wrong = post(client, identifier, code="000001")
        answers[who] = [visible(r, masked).replace(masked, "") for r in (sent, again, wrong)]
        assert sent.status_code == again.status_code == wrong.status_code == 200
    assert answers["citizen"][0] == answers["nobody"][0] == answers["staff"][0]
    assert answers["nobody"][1] == answers["staff"][1]
    assert answers["nobody"][2] == answers["staff"][2]
    for who in answers:
        assert "验证码不正确" in answers[who][2]
    # Only the citizen was actually sent something; staff reset their password in the admin.
    from django.core import mail

    assert [m.to for m in mail.outbox] == [[EMAIL]]
    assert sms.outbox == []


def test_weak_new_password_is_refused_before_the_code_is_used(client, citizen):
    post(client, MOBILE, action="send_code")
    code = last_sms_code(MOBILE)
    weak = post(client, MOBILE, code=code, password="password123")
    assert "这个密码太常见了" in page_text(weak) or "至少 3 类" in page_text(weak)
    assert f'value="{code}"' in weak.content.decode()
    ok = post(client, MOBILE, code=code)
    assert ok.status_code == 302


def test_password_change(client, citizen):
    client.force_login(citizen, backend="django.contrib.auth.backends.ModelBackend")
    url = reverse("citizens:password_change")
    wrong = client.post(url, {"old_password": "nope", "password1": NEW, "password2": NEW})
    assert "当前密码不正确" in page_text(wrong)
    done = client.post(url, {"old_password": PASSWORD, "password1": NEW, "password2": NEW})
    assert done.status_code == 302
    citizen.refresh_from_db()
    assert citizen.check_password(NEW)
    assert client.session.get("_auth_user_id") == str(citizen.pk)  # still signed in
    assert AuditRecord.objects.filter(action="citizen.password_change", user=citizen).exists()
