"""The pluggable SMS sender (短信): the file, console and in-memory backends, and a gateway."""

import io
import json

from govportal.citizens import sms


class RecordingGateway(sms.BaseSmsBackend):
    """What a deployment writes: a class with send_messages()."""

    sent: list = []

    def send_messages(self, messages):
        RecordingGateway.sent.extend(messages)
        return len(messages)


def test_send_sms_uses_the_configured_backend(settings):
    settings.GOVPORTAL_SMS_BACKEND = "govportal.citizens.tests.test_sms.RecordingGateway"
    RecordingGateway.sent = []
    sms.send_sms("13800138000", "您好")
    assert RecordingGateway.sent == [sms.SmsMessage("13800138000", "您好")]


def test_locmem_backend_keeps_messages_in_the_outbox():
    sms.send_sms("13800138000", "验证码 123456")  # test settings use LocmemBackend
    assert sms.outbox[-1] == sms.SmsMessage("13800138000", "验证码 123456")


def test_file_backend_appends_json_lines(settings, tmp_path):
    settings.GOVPORTAL_SMS_BACKEND = "govportal.citizens.sms.FileBackend"
    settings.GOVPORTAL_SMS_FILE_PATH = str(tmp_path / "sms" / "sms.log")
    sms.send_sms("13800138000", "第一条")
    sms.send_sms("13900139000", "第二条")
    lines = (tmp_path / "sms" / "sms.log").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert [(r["to"], r["text"]) for r in records] == [
        ("13800138000", "第一条"),
        ("13900139000", "第二条"),
    ]
    assert all(r["time"] for r in records)


def test_console_backend_prints():
    stream = io.StringIO()
    sms.ConsoleBackend(stream=stream).send_messages([sms.SmsMessage("13800138000", "你好")])
    assert "13800138000" in stream.getvalue() and "你好" in stream.getvalue()
