"""注销账号: re-authenticate, data gone at once, audit kept, other apps told first."""

from django.contrib.auth import get_user_model
from django.urls import reverse

import pytest

from govportal.audit.models import AuditRecord
from govportal.citizens.models import CitizenProfile, OneTimeCode
from govportal.citizens.signals import citizen_account_deleted

from .conftest import MOBILE, PASSWORD, last_sms_code, page_text

pytestmark = pytest.mark.django_db
URL = reverse("citizens:delete")


@pytest.fixture
def signed_in(client, citizen):
    client.post(
        reverse("citizens:login"),
        {"mode": "password", "pw-identifier": MOBILE, "pw-password": PASSWORD},
    )
    return client


@pytest.fixture
def heard():
    calls = []

    def receiver(sender, user, request=None, **kwargs):
        calls.append((user.pk, get_user_model().objects.filter(pk=user.pk).exists()))

    citizen_account_deleted.connect(receiver, dispatch_uid="test-heard")
    yield calls
    citizen_account_deleted.disconnect(dispatch_uid="test-heard")


def test_page_states_the_data_rules_before_confirming(signed_in):
    text = page_text(signed_in.get(URL))
    for words in ("立即删除", "站内信", "订阅", "依法保留", "依申请公开", "脱敏", "6 个月"):
        assert words in text


def test_delete_with_password(signed_in, citizen, heard):
    pk = citizen.pk
    username = citizen.username
    assert AuditRecord.objects.filter(user_id=pk).exists()  # register and login records
    response = signed_in.post(URL, {"method": "password", "password": PASSWORD, "confirm": "on"})
    assert response.status_code == 302 and response["Location"] == reverse("citizens:deleted")
    assert not get_user_model().objects.filter(pk=pk).exists()
    assert not CitizenProfile.objects.filter(user_id=pk).exists()
    assert not OneTimeCode.objects.filter(user_id=pk).exists()
    assert heard == [(pk, True)]  # told while the account still existed
    assert signed_in.session.get("_auth_user_id") is None
    # The audit trail keeps everything, by username; the chain still verifies.
    record = AuditRecord.objects.get(action="citizen.delete")
    assert record.username == username and record.user_id is None
    assert AuditRecord.objects.filter(username=username, action="auth.login").exists()
    from govportal.audit.chain import verify_chain

    assert verify_chain().broken is None
    assert "账号已注销" in page_text(signed_in.get(response["Location"]))


def test_delete_with_a_code(signed_in, citizen, heard):
    sent = signed_in.post(URL, {"method": "code", "action": "send_code"})
    assert "验证码已发送至 139****5678" in page_text(sent)
    response = signed_in.post(
        URL,
        {"method": "code", "code": last_sms_code(MOBILE), "confirm": "on", "action": "submit"},
    )
    assert response.status_code == 302
    assert not get_user_model().objects.filter(pk=citizen.pk).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"method": "password", "password": "Wrong#Pass2026", "confirm": "on"}, "登录密码不正确"),
        ({"method": "password", "password": "", "confirm": "on"}, "请填写登录密码"),
        ({"method": "password", "password": PASSWORD}, "请确认已阅读注销说明"),
        ({"method": "code", "code": "123456", "confirm": "on"}, "请先获取验证码"),
    ],
)
def test_refusals_keep_the_account(signed_in, citizen, heard, data, message):
    response = signed_in.post(URL, {**data, "action": "submit"})
    assert response.status_code == 200 and message in page_text(response)
    assert get_user_model().objects.filter(pk=citizen.pk).exists()
    assert heard == []


def test_a_receiver_that_fails_aborts_the_deletion(signed_in, citizen):
    def refuse(sender, user, **kwargs):
        raise RuntimeError("cannot detach")

    citizen_account_deleted.connect(refuse, dispatch_uid="test-refuse")
    try:
        with pytest.raises(RuntimeError):
            signed_in.post(URL, {"method": "password", "password": PASSWORD, "confirm": "on"})
    finally:
        citizen_account_deleted.disconnect(dispatch_uid="test-refuse")
    assert get_user_model().objects.filter(pk=citizen.pk).exists()
    assert not AuditRecord.objects.filter(action="citizen.delete").exists()
