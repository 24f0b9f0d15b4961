"""Fixtures of the citizen-account tests: clean outboxes, a registered citizen, code readers."""

import re

from django.core import mail

import pytest

from govportal.citizens import services, sms

PASSWORD = "Citizen#Pass2026"  # noqa: S105 — test accounts only
EMAIL = "wang@example.org"
MOBILE = "13912345678"


@pytest.fixture(autouse=True)
def portal_site(db):
    """The pages extend the public base template: they need a portal site for any host."""
    from wagtail.models import Site

    from govportal.content.factories import make_site

    # Wagtail's own default site answers "localhost" (the live server): replace it.
    Site.objects.filter(hostname="localhost").delete()
    Site.objects.filter(is_default_site=True).update(is_default_site=False)
    site, _home, _profile = make_site(hostname="localhost", is_default=True)
    return site


@pytest.fixture(autouse=True)
def _clean_outboxes(settings):
    sms.outbox.clear()
    mail.outbox = []
    yield
    sms.outbox.clear()


def last_sms_code(to: str | None = None) -> str:
    messages = [m for m in sms.outbox if to is None or m.to == to]
    assert messages, "no text message was sent"
    return re.search(r"验证码为 (\d{6})", messages[-1].text).group(1)


def last_mail_code(to: str | None = None) -> str:
    messages = [m for m in mail.outbox if to is None or to in m.to]
    assert messages, "no e-mail was sent"
    return re.search(r"验证码为 (\d{6})", messages[-1].body).group(1)


@pytest.fixture
def citizen(db):
    """王市民: e-mail and mobile verified, password PASSWORD."""
    return services.register_citizen(
        email=EMAIL, mobile=MOBILE, password=PASSWORD, display_name="王市民", via="email"
    )


def page_text(response) -> str:
    """The visible text of a response, tags removed (for "the user sees …" assertions)."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
