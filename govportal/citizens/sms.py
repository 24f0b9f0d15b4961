"""Text messages (短信) through a pluggable sender, shaped like Django's e-mail backends.

::

    from govportal.citizens.sms import send_sms
    send_sms("13800138000", "【示例市人民政府】您的验证码为 123456，10 分钟内有效。")

``settings.GOVPORTAL_SMS_BACKEND`` is the dotted path of the sender class:

| backend | what it does |
|---|---|
| ``govportal.citizens.sms.FileBackend`` | appends one JSON line per message to ``GOVPORTAL_SMS_FILE_PATH`` (default ``var/sms.log``): the embedded/demo default, so a tester can read the code |
| ``govportal.citizens.sms.ConsoleBackend`` | prints each message to standard output |
| ``govportal.citizens.sms.LocmemBackend`` | keeps messages in the module-level ``outbox`` list (the test settings) |

**Plugging in a real SMS gateway** (运营商/云短信平台): write a class with the same shape and
name it in the environment, e.g. ``GOVPORTAL_SMS_BACKEND=myorg.sms.GatewayBackend``::

    class GatewayBackend(BaseSmsBackend):
        def send_messages(self, messages):          # a list of SmsMessage(to, text)
            for message in messages:
                gateway.send(phone=message.to, content=message.text)   # raise on failure
            return len(messages)

Its ``__init__`` receives ``fail_silently`` and any keyword arguments given to
:func:`get_backend`; read credentials from settings/environment, never from code. Raise an
exception when the gateway refuses a message: the caller tells the user that sending failed.
``manage.py check --deploy`` notes (citizens.I001) while a development backend is configured.
"""

import json
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

DEFAULT_BACKEND = "govportal.citizens.sms.FileBackend"
# Backends that deliver nothing to a phone; `check --deploy` warns about them.
DEVELOPMENT_BACKENDS = frozenset(
    {
        "govportal.citizens.sms.FileBackend",
        "govportal.citizens.sms.ConsoleBackend",
        "govportal.citizens.sms.LocmemBackend",
    }
)

# LocmemBackend's messages, newest last (tests clear it: ``sms.outbox.clear()``).
outbox: list["SmsMessage"] = []


@dataclass(frozen=True)
class SmsMessage:
    """One text message: the mainland mobile number (11 digits) and the text."""

    to: str
    text: str


class BaseSmsBackend:
    """What every sender provides: ``send_messages(messages) -> number sent``."""

    def __init__(self, fail_silently: bool = False, **kwargs):
        self.fail_silently = fail_silently

    def send_messages(self, messages: list[SmsMessage]) -> int:
        raise NotImplementedError("SMS backends must implement send_messages().")


class ConsoleBackend(BaseSmsBackend):
    """Prints each message (development)."""

    def __init__(self, *args, stream=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.stream = stream or sys.stdout
        self._lock = threading.RLock()

    def send_messages(self, messages: list[SmsMessage]) -> int:
        with self._lock:
            for message in messages:
                self.stream.write(f"[短信] 发送至 {message.to}：{message.text}\n")
            self.stream.flush()
        return len(messages)


class FileBackend(BaseSmsBackend):
    """Appends one JSON line per message (``{"time", "to", "text"}``) to a file."""

    _lock = threading.Lock()

    def __init__(self, *args, file_path=None, **kwargs):
        super().__init__(*args, **kwargs)
        configured = file_path or getattr(settings, "GOVPORTAL_SMS_FILE_PATH", None)
        self.file_path = Path(configured or Path(settings.BASE_DIR) / "var" / "sms.log")

    def send_messages(self, messages: list[SmsMessage]) -> int:
        self.file_path.parent.mkdir(parents=True, exist_ok=True)
        lines = [
            json.dumps(
                {"time": timezone.now().isoformat(), "to": m.to, "text": m.text},
                ensure_ascii=False,
            )
            for m in messages
        ]
        with self._lock, self.file_path.open("a", encoding="utf-8") as file:
            for line in lines:
                file.write(line + "\n")
        return len(messages)


class LocmemBackend(BaseSmsBackend):
    """Keeps messages in :data:`outbox` (tests)."""

    def send_messages(self, messages: list[SmsMessage]) -> int:
        outbox.extend(messages)
        return len(messages)


def get_backend(backend: str | None = None, **kwargs) -> BaseSmsBackend:
    path = backend or getattr(settings, "GOVPORTAL_SMS_BACKEND", None) or DEFAULT_BACKEND
    return import_string(path)(**kwargs)


def send_sms(to: str, text: str) -> None:
    """Send one text message to ``to`` (a mainland mobile number) through the configured backend.

    Raises whatever the backend raises when the message cannot be sent.
    """
    get_backend().send_messages([SmsMessage(to=to, text=text)])
