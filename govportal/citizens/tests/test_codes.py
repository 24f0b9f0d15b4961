"""One-time codes (验证码): hashed, 10 minutes, 5 tries, single use, purpose-bound, throttled."""

from datetime import timedelta

from django.utils import timezone

import pytest

from govportal.citizens import codes
from govportal.citizens.models import Channel, OneTimeCode, Purpose

from .conftest import last_mail_code, last_sms_code

pytestmark = pytest.mark.django_db

MOBILE = "13711112222"


def send(purpose=Purpose.REGISTER, destination=MOBILE, channel=Channel.SMS):
    codes.issue(purpose, channel, destination)
    return last_sms_code(destination) if channel == Channel.SMS else last_mail_code(destination)


def test_code_is_six_digits_sent_by_sms_and_stored_only_as_a_hash():
    code = send()
    assert len(code) == 6 and code.isdigit()
    row = OneTimeCode.objects.get()
    assert code not in row.code_hash and MOBILE not in row.destination_key
    assert (row.expires_at - row.created_at) == timedelta(minutes=10)


def test_code_by_email_names_its_purpose():
    from django.core import mail

    codes.issue(Purpose.RESET, Channel.EMAIL, "Li@Example.org")
    assert mail.outbox[-1].to == ["li@example.org"]
    assert "找回密码" in mail.outbox[-1].subject and "10 分钟内有效" in mail.outbox[-1].body


def test_right_code_is_accepted_once():
    code = send()
    codes.verify(Purpose.REGISTER, Channel.SMS, MOBILE, code)
    with pytest.raises(codes.CodeInvalid, match="已失效"):
        codes.verify(Purpose.REGISTER, Channel.SMS, MOBILE, code)


def test_full_width_digits_and_spaces_are_accepted():
    code = send()
    typed = " ".join(chr(ord(d) + 0xFEE0) for d in code)  # １ ２ ３ …
    codes.verify(Purpose.REGISTER, Channel.SMS, "+86 137-1111-2222", typed)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "请填写验证码"),
        ("12345", "6 位数字"),
        ("abcdef", "6 位数字"),
    ],
)
def test_malformed_codes_are_explained(typed, message):
    send()
    with pytest.raises(codes.CodeInvalid, match=message):
        codes.verify(Purpose.REGISTER, Channel.SMS, MOBILE, typed)


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def test_wrong_code_counts_down_then_the_code_is_dead():
    code = send()
    for left in (4, 3, 2, 1):
        with pytest.raises(codes.CodeInvalid, match=f"还可以再试 {left} 次"):
            codes.verify(Purpose.REGISTER, Channel.SMS, MOBILE, wrong(code))
    with pytest.raises(codes.CodeInvalid, match="输错次数过多"):
        codes.verify(Purpose.REGISTER, Channel.SMS, MOBILE, wrong(code))
    # Even the right code no longer works.
    with pytest.raises(codes.CodeInvalid, match="输错次数过多"):
        codes.verify(Purpose.REGISTER, Channel.SMS, MOBILE, code)


def test_expired_code_is_refused():
    code = send()
    OneTimeCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(codes.CodeInvalid, match="已过期"):
        codes.verify(Purpose.REGISTER, Channel.SMS, MOBILE, code)


@pytest.mark.parametrize(
    ("purpose", "channel", "destination"),
    [
        (Purpose.LOGIN, Channel.SMS, MOBILE),  # another purpose
        (Purpose.REGISTER, Channel.SMS, "13711113333"),  # another number
    ],
)
def test_code_is_bound_to_purpose_and_destination(purpose, channel, destination):
    code = send()
    with pytest.raises(codes.CodeInvalid):
        codes.verify(purpose, channel, destination, code)


def test_a_new_code_replaces_the_previous_one():
    first = send()
    OneTimeCode.objects.update(created_at=timezone.now() - timedelta(seconds=61))
    second = send()
    if first != second:
        with pytest.raises(codes.CodeInvalid):
            codes.verify(Purpose.REGISTER, Channel.SMS, MOBILE, first)
    codes.verify(Purpose.REGISTER, Channel.SMS, MOBILE, second)


def test_resend_waits_60_seconds_per_destination():
    send()
    with pytest.raises(codes.CodeThrottled, match="秒后再重新获取") as refused:
        codes.issue(Purpose.LOGIN, Channel.SMS, MOBILE)  # any purpose counts
    assert 55 <= refused.value.wait <= 60
    assert codes.seconds_until_resend(Channel.SMS, MOBILE) > 0
    OneTimeCode.objects.update(created_at=timezone.now() - timedelta(seconds=61))
    send()


def test_hourly_cap_per_destination(settings):
    settings.GOVPORTAL_CITIZEN_CODE_HOURLY_PER_DESTINATION = 3
    for _ in range(3):
        send()
        OneTimeCode.objects.update(created_at=timezone.now() - timedelta(seconds=61))
    with pytest.raises(codes.CodeThrottled, match="每小时上限"):
        codes.issue(Purpose.REGISTER, Channel.SMS, MOBILE)


def test_hourly_cap_per_ip(settings, rf):
    settings.GOVPORTAL_CITIZEN_CODE_HOURLY_PER_IP = 2
    request = rf.post("/", REMOTE_ADDR="203.0.113.9")
    codes.issue(Purpose.REGISTER, Channel.SMS, "13700000001", request=request)
    codes.issue(Purpose.REGISTER, Channel.SMS, "13700000002", request=request)
    with pytest.raises(codes.CodeThrottled, match="您所在的网络"):
        codes.issue(Purpose.REGISTER, Channel.SMS, "13700000003", request=request)
    other = rf.post("/", REMOTE_ADDR="203.0.113.10")
    codes.issue(Purpose.REGISTER, Channel.SMS, "13700000003", request=other)


def test_gateway_failure_is_reported_and_voids_the_code(settings):
    settings.GOVPORTAL_SMS_BACKEND = "govportal.citizens.tests.test_codes.BrokenGateway"
    with pytest.raises(codes.CodeDeliveryFailed, match="发送失败"):
        codes.issue(Purpose.REGISTER, Channel.SMS, MOBILE)
    assert OneTimeCode.objects.get().consumed_at is not None


class BrokenGateway:
    def __init__(self, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionError("gateway down")


def test_decoy_counts_for_the_throttle_but_sends_nothing():
    from govportal.citizens import sms

    codes.issue(Purpose.RESET, Channel.SMS, MOBILE, decoy=True)
    assert sms.outbox == []
    with pytest.raises(codes.CodeThrottled):
        codes.issue(Purpose.RESET, Channel.SMS, MOBILE, decoy=True)
    with pytest.raises(codes.CodeInvalid, match="验证码不正确"):
        codes.verify(Purpose.RESET, Channel.SMS, MOBILE, "123456")
