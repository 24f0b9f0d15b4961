"""Senders that always fail, to prove a failed e-mail/SMS never loses the 站内信."""

from django.core.mail.backends.base import BaseEmailBackend


class BrokenEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionError("mail server down")


class BrokenSmsBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionError("SMS gateway down")
