"""notify(): the 站内信 is always kept; e-mail/SMS copies follow the user's preferences."""

import logging

from django.core import mail

import pytest

from govportal.personal import services
from govportal.personal.models import Message, NotificationPreference
from govportal.personal.services import LinkError, notify

from .conftest import sms_outbox

pytestmark = pytest.mark.django_db


def give_mobile(user, mobile="13800138000"):
    """Where the citizens app keeps a citizen's mobile (its profile), else the account field."""
    try:
        from govportal.citizens.models import CitizenProfile
    except ImportError:
        user.mobile = mobile
        user.save()
        return
    CitizenProfile.objects.create(user=user, mobile=mobile)


@pytest.mark.parametrize(
    "prefs,category,mails,texts",
    [
        ({}, "case", 0, 0),
        ({"case_email": True}, "case", 1, 0),
        ({"case_sms": True}, "case", 0, 1),
        ({"case_email": True, "case_sms": True}, "case", 1, 1),
        ({"case_email": True, "case_sms": True}, "subscription", 0, 0),
        ({"subscription_email": True}, "subscription", 1, 0),
        ({"subscription_sms": True}, "subscription", 0, 1),
        ({"case_email": True, "case_sms": True}, None, 0, 0),  # a plain 站内信
    ],
)
def test_preferences_are_honoured(
    citizen, django_capture_on_commit_callbacks, prefs, category, mails, texts
):
    outbox = sms_outbox()
    give_mobile(citizen)
    NotificationPreference.objects.create(user=citizen, **prefs)
    with django_capture_on_commit_callbacks(execute=True):
        notify(citizen, "您的申请已受理", "受理编号 YSQ1", category=category)
    assert Message.objects.filter(recipient=citizen, title="您的申请已受理").count() == 1
    assert len(mail.outbox) == mails
    assert len(outbox) == texts


def test_case_kind_means_case_progress(citizen, django_capture_on_commit_callbacks):
    NotificationPreference.objects.create(user=citizen, case_email=True)
    with django_capture_on_commit_callbacks(execute=True):
        notify(citizen, "来信已转办", "详情", case_kind="来信", case_ref="XX1")
    assert len(mail.outbox) == 1


def test_email_and_sms_carry_the_title_only(citizen, django_capture_on_commit_callbacks):
    outbox = sms_outbox()
    give_mobile(citizen)
    NotificationPreference.objects.create(user=citizen, case_email=True, case_sms=True)
    with django_capture_on_commit_callbacks(execute=True):
        message = notify(
            citizen,
            "答复书已出具",
            "申请人张三丰，身份证 110101199003071234",
            case_kind="依申请公开",
        )
    email = mail.outbox[0]
    assert email.to == ["c_zhang@example.com"]
    assert "答复书已出具" in email.body
    assert f"https://www.example.gov.cn/my/messages/{message.pk}/" in email.body
    assert "张三丰" not in email.body and "110101" not in email.body
    assert "示例市人民政府" in email.subject
    text = outbox[0]
    assert text.to == "13800138000"
    assert "答复书已出具" in text.text and "请登录个人中心查看" in text.text
    assert "张三丰" not in text.text


def test_nothing_is_sent_before_the_transaction_commits(
    citizen, django_capture_on_commit_callbacks
):
    NotificationPreference.objects.create(user=citizen, case_email=True)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify(citizen, "标题", "内容", case_kind="来信")
    assert mail.outbox == []
    assert len(callbacks) == 1


def test_a_failed_send_is_logged_and_the_message_kept(
    citizen, settings, caplog, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "govportal.personal.tests.broken_backends.BrokenEmailBackend"
    settings.GOVPORTAL_SMS_BACKEND = "govportal.personal.tests.broken_backends.BrokenSmsBackend"
    give_mobile(citizen)
    NotificationPreference.objects.create(user=citizen, case_email=True, case_sms=True)
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        message = notify(citizen, "标题", "内容", case_kind="来信")
    assert Message.objects.filter(pk=message.pk).exists()
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert f"e-mail for message {message.pk} failed" in logged
    assert f"SMS for message {message.pk} failed" in logged
    assert "13800138000" not in logged and "c_zhang@example.com" not in logged


def test_no_address_no_send(make_citizen, django_capture_on_commit_callbacks):
    user = make_citizen("c_wang", email="")
    NotificationPreference.objects.create(user=user, case_email=True, case_sms=True)
    with django_capture_on_commit_callbacks(execute=True):
        notify(user, "标题", "内容", case_kind="来信")
    assert mail.outbox == []


@pytest.mark.parametrize(
    "link,ok",
    [
        ("/my/cases/", True),
        ("https://www.example.gov.cn/x/", True),
        ("", True),
        ("javascript:alert(1)", False),
        ("//evil.example/", False),
        ("data:text/html,x", False),
    ],
)
def test_links_are_site_paths_or_http(citizen, link, ok):
    if ok:
        assert notify(citizen, "t", "b", link=link).link == link
    else:
        with pytest.raises(LinkError):
            notify(citizen, "t", "b", link=link)


def test_preferences_page_saves_and_audits(client, citizen):
    client.force_login(citizen)
    page = client.get("/my/settings/").content.decode()
    assert "c***@example.com" in page  # masked
    assert "/account/password/" in page and "/account/delete/" in page
    response = client.post("/my/settings/", {"case_email": "on", "subscription_sms": "on"})
    assert response.status_code == 302
    pref = services.preference_for(citizen)
    assert (pref.case_email, pref.case_sms, pref.subscription_email, pref.subscription_sms) == (
        True,
        False,
        False,
        True,
    )
    from govportal.audit.models import AuditRecord

    record = AuditRecord.objects.get(action="personal.preferences")
    assert record.after["case_email"] is True and record.before["case_email"] is False
    assert "通知设置已保存。" in client.get("/my/settings/").content.decode()
