"""个人资料: masked contacts, changing e-mail/mobile by a code to the new contact."""

from django.urls import reverse

import pytest

from govportal.audit.models import AuditRecord
from govportal.citizens import services
from govportal.conftest import make_user

from .conftest import EMAIL, MOBILE, last_mail_code, last_sms_code, page_text

pytestmark = pytest.mark.django_db
PROFILE = reverse("citizens:profile")


@pytest.fixture
def signed_in(client, citizen):
    client.force_login(citizen, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_profile_shows_contacts_masked(signed_in):
    response = signed_in.get(PROFILE)
    html = response.content.decode()
    assert "139****5678" in html and "w***@example.org" in html
    assert MOBILE not in html and EMAIL not in html


def test_profile_update_is_saved_and_audited_without_values(signed_in, citizen):
    response = signed_in.post(PROFILE, {"display_name": " 老王 ", "real_name": "王 小明"})
    assert response.status_code == 302
    citizen.refresh_from_db()
    assert citizen.display_name == "老王" and citizen.citizen_profile.real_name == "王 小明"
    record = AuditRecord.objects.get(action="citizen.profile_update")
    assert record.extra["fields"] == ["display_name", "real_name"]
    assert "王 小明" not in str(record.extra)


def test_change_mobile_with_a_code_to_the_new_number(signed_in, citizen):
    url = reverse("citizens:change_mobile")
    new = "13788889999"
    sent = signed_in.post(url, {"contact": new, "action": "send_code"})
    assert "验证码已发送至 137****9999" in page_text(sent)
    done = signed_in.post(url, {"contact": new, "code": last_sms_code(new), "action": "submit"})
    assert done.status_code == 302
    citizen = type(citizen).objects.get(pk=citizen.pk)
    assert services.contact_mobile(citizen) == new
    assert services.find_citizen("sms", MOBILE) is None
    record = AuditRecord.objects.get(action="citizen.contact_change")
    assert record.before == {"mobile": "139****5678"} and record.after == {"mobile": "137****9999"}


def test_change_email(signed_in, citizen):
    url = reverse("citizens:change_email")
    signed_in.post(url, {"contact": "New@Example.org", "action": "send_code"})
    done = signed_in.post(
        url,
        {
            "contact": "New@Example.org",
            "code": last_mail_code("new@example.org"),
            "action": "submit",
        },
    )
    assert done.status_code == 302
    citizen.refresh_from_db()
    assert citizen.email == "new@example.org"


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        ("mobile", "13600000000", "已被其他账号使用"),
        ("mobile", MOBILE, "这就是您当前的手机号码"),
        ("mobile", "1234", "请输入有效的 11 位手机号码"),
        ("email", "other@example.org", "已被其他账号使用"),
        ("email", "not-an-email", "电子邮箱格式不正确"),
        ("email", "", "请填写新的电子邮箱。"),
    ],
)
def test_contact_change_refusals(signed_in, kind, value, message):
    services.register_citizen(
        email="other@example.org", mobile="13600000000", password=None, via="email"
    )
    response = signed_in.post(
        reverse(f"citizens:change_{kind}"), {"contact": value, "action": "send_code"}
    )
    assert message in page_text(response)
    if value:
        assert f'value="{value}"' in response.content.decode()


def test_code_for_the_new_contact_is_bound_to_the_account(client, citizen):
    """A code another account asked for cannot be used to take the number."""
    other = services.register_citizen(email="x@example.org", password=None, via="email")
    client.force_login(other, backend="django.contrib.auth.backends.ModelBackend")
    url = reverse("citizens:change_mobile")
    new = "13788880000"
    client.post(url, {"contact": new, "action": "send_code"})
    code = last_sms_code(new)
    client.force_login(citizen, backend="django.contrib.auth.backends.ModelBackend")
    response = client.post(url, {"contact": new, "code": code, "action": "submit"})
    assert response.status_code == 200 and "请先获取验证码" in page_text(response)
    assert services.contact_mobile(type(citizen).objects.get(pk=citizen.pk)) == MOBILE


@pytest.mark.parametrize(
    "name",
    ["citizens:profile", "citizens:password_change", "citizens:change_email", "citizens:delete"],
)
def test_pages_need_a_signed_in_citizen(client, name):
    anonymous = client.get(reverse(name))
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/account/login/?next=")
    staff = make_user("staffer", is_staff=True)
    client.force_login(staff)
    refused = client.get(reverse(name))
    assert refused.status_code == 403 and "管理后台" in page_text(refused)


def test_services_for_the_personal_centre(citizen):
    staff = make_user("staffer", is_staff=True, mobile="13500000000")
    assert services.is_citizen(citizen) and not services.is_citizen(staff)
    assert services.contact_mobile(citizen) == MOBILE and services.contact_mobile(staff) == ""


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("13800138000", ("sms", "13800138000")),
        ("+86 138-0013-8000", ("sms", "13800138000")),
        ("１３８００１３８０００", ("sms", "13800138000")),
        (" Li@Example.ORG ", ("email", "li@example.org")),
    ],
)
def test_identifiers_are_normalised(typed, expected):
    assert services.classify_identifier(typed) == expected
