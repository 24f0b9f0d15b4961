from django.contrib.auth import get_user_model
from django.core.cache import cache

import pytest

from govportal.conftest import PASSWORD


@pytest.fixture(autouse=True)
def portal(db):
    """The default site (what the personal pages' header and footer show)."""
    from wagtail.models import Site

    from govportal.content.factories import make_site

    Site.objects.all().delete()
    site, home, _profile = make_site("testserver", 80, title="示例市人民政府", is_default=True)
    home.save_revision().publish()
    return home


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    """Private files under a temporary directory, a clean cache and SMS outbox per test."""
    settings.GOVPORTAL_PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.GOVPORTAL_SMS_BACKEND = "govportal.citizens.sms.LocmemBackend"
    settings.GOVPORTAL_NOTIFY_SITE_NAME = "示例市人民政府"
    settings.GOVPORTAL_PUBLIC_BASE_URL = "https://www.example.gov.cn"
    cache.clear()
    try:
        from govportal.citizens import sms
    except ImportError:
        yield
        return
    sms.outbox.clear()
    yield
    sms.outbox.clear()


def sms_outbox():
    from govportal.citizens import sms

    return sms.outbox


@pytest.fixture
def make_citizen(db):
    def make(username="c_zhang", **extra):
        extra.setdefault("email", f"{username}@example.com")
        return get_user_model().objects.create_user(username=username, password=PASSWORD, **extra)

    return make


@pytest.fixture
def citizen(make_citizen):
    return make_citizen()


@pytest.fixture
def other(make_citizen):
    return make_citizen("c_li")
