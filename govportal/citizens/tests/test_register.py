"""注册: by mobile and by e-mail, end to end through the pages a citizen uses."""

from django.contrib.auth import get_user_model
from django.urls import reverse

import pytest

from govportal.audit.models import AuditRecord
from govportal.citizens import services
from govportal.citizens.models import CitizenProfile, OneTimeCode

from .conftest import EMAIL, MOBILE, PASSWORD, last_mail_code, last_sms_code, page_text

pytestmark = pytest.mark.django_db
URL = reverse("citizens:register")
NEW_PASSWORD = "Shimin#2026pass"  # noqa: S105


def form(by="mobile", **fields):
    data = {
        "by": by,
        "code": "",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "display_name": "",
        "agree": "on",
        "action": "submit",
    }
    data.update(fields)
    return data


def test_register_by_mobile_end_to_end(client):
    number = "13655556666"
    sent = client.post(URL, form(mobile=number, action="send_code", password1="", password2=""))
    assert sent.status_code == 200
    assert "验证码已发送至 136****6666" in page_text(sent)
    assert 'value="13655556666"' in sent.content.decode()  # what was typed comes back

    done = client.post(URL, form(mobile=number, code=last_sms_code(number), display_name="小李"))
    assert done.status_code == 302 and done["Location"] == "/my/"

    user = get_user_model().objects.get(citizen_profile__isnull=False, display_name="小李")
    assert user.username.startswith("c_") and not user.is_staff and not user.is_superuser
    assert services.contact_mobile(user) == number and user.email == ""
    assert user.citizen_profile.mobile_verified_at is not None
    assert user.check_password(NEW_PASSWORD)
    assert client.session["_auth_user_id"] == str(user.pk)
    record = AuditRecord.objects.get(action="citizen.register")
    assert record.after["via"] == "mobile" and record.after["mobile"] == "136****6666"
    assert number not in str(record.after)


def test_register_by_email_end_to_end(client):
    client.post(URL, form(by="email", email="Zhao@Example.org", action="send_code"))
    code = last_mail_code("zhao@example.org")
    done = client.post(
        URL + "?next=/account/profile/",
        form(by="email", email="Zhao@Example.org", code=code, next="/account/profile/"),
    )
    assert done.status_code == 302 and done["Location"] == "/account/profile/"
    user = get_user_model().objects.get(email="zhao@example.org")
    assert services.is_citizen(user) and user.citizen_profile.email_verified_at is not None


def test_citizens_never_reach_the_admin(client):
    number = "13655557777"
    client.post(URL, form(mobile=number, action="send_code"))
    client.post(URL, form(mobile=number, code=last_sms_code(number)))
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"mobile": ""}, "mobile", "请填写手机号码。"),
        ({"mobile": "12345"}, "mobile", "请输入有效的 11 位手机号码"),
        ({"code": ""}, "code", "请填写验证码。"),
        ({"code": "000000"}, "code", "请先获取验证码"),
        ({"password1": "short", "password2": "short"}, "password1", "必须包含至少 10 个字符"),
        ({"password1": "abcdefghijkl", "password2": "abcdefghijkl"}, "password1", "至少 3 类"),
        ({"password2": "Different#2026x"}, "password2", "两次输入的密码不一致"),
        ({"agree": ""}, "agree", "请阅读并同意《用户协议与隐私政策》后再注册"),
    ],
)
def test_errors_are_in_chinese_and_typed_values_stay(client, fields, field, message):
    data = form(**{"mobile": "13655558888", "display_name": "小王", **fields})
    response = client.post(URL, data)
    assert response.status_code == 200
    text = page_text(response)
    assert message in text and "请修正以下问题" in text
    html = response.content.decode()
    assert 'value="小王"' in html  # nickname kept
    if fields.get("mobile", "13655558888") == "13655558888":
        assert 'value="13655558888"' in html
    assert 'aria-invalid="true"' in html
    assert not get_user_model().objects.filter(display_name="小王").exists()


@pytest.mark.parametrize(("by", "contact"), [("mobile", MOBILE), ("email", EMAIL.upper())])
def test_a_registered_contact_cannot_register_again(client, citizen, by, contact):
    field = "mobile" if by == "mobile" else "email"
    response = client.post(URL, form(by=by, action="send_code", **{field: contact}))
    assert "已注册，请直接登录" in page_text(response)
    assert not OneTimeCode.objects.exists()  # no code sent
    assert CitizenProfile.objects.count() == 1


def test_wrong_code_keeps_everything_and_the_right_code_still_works(client):
    number = "13655559999"
    client.post(URL, form(mobile=number, action="send_code"))
    code = last_sms_code(number)
    bad = f"{(int(code) + 1) % 1_000_000:06d}"
    response = client.post(URL, form(mobile=number, code=bad, display_name="小周"))
    text = page_text(response)
    assert "验证码不正确，还可以再试 4 次" in text
    html = response.content.decode()
    assert f'value="{bad}"' in html and 'value="小周"' in html
    assert f'value="{NEW_PASSWORD}"' in html  # the new password need not be typed again
    done = client.post(URL, form(mobile=number, code=code, display_name="小周"))
    assert done.status_code == 302


def test_send_code_twice_within_a_minute_is_refused_with_the_wait(client):
    number = "13655550000"
    client.post(URL, form(mobile=number, action="send_code"))
    again = client.post(URL, form(mobile=number, action="send_code"))
    assert "秒后再重新获取" in page_text(again)
    assert 'data-wait="' in again.content.decode()
    assert OneTimeCode.objects.count() == 1


def test_register_page_links_terms_and_both_ways(client):
    response = client.get(URL)
    text = page_text(response)
    assert "手机号码注册" in text and "电子邮箱注册" in text and "用户协议与隐私政策" in text
    terms = client.get(reverse("citizens:terms"))
    assert "个人信息保护法" in page_text(terms)


def test_used_password_rules_come_from_settings(client):
    response = client.get(URL)
    assert "10 个字符" in page_text(response)


def test_registered_user_can_log_in_afterwards(client, citizen):
    client.logout()
    response = client.post(
        reverse("citizens:login"),
        {"mode": "password", "pw-identifier": EMAIL, "pw-password": PASSWORD},
    )
    assert response.status_code == 302
