"""An interview channel on site A of the shared site group, and helpers.

``live_interview`` / ``make_interview`` add pages to A's 在线访谈 channel; the site group's
editor and admin of A moderate, B's editor and admin must be refused.
"""

import datetime

from django.core.cache import cache
from django.utils import timezone

import pytest

from govportal.conftest import make_user, public_get
from govportal.content.factories import ChannelPageFactory
from govportal.content.models import ColumnType
from govportal.interviews.factories import InterviewPageFactory, add_guest, guest_group

NOW = timezone.now


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()  # the question throttle counts in the cache
    yield
    cache.clear()


def interviews_channel(home):
    return ChannelPageFactory(
        parent=home, title="在线访谈", slug="interviews", column_type=ColumnType.INTERACTION
    )


def make_interview(site, *, minutes_from_start=30, hours=2, **extra):
    """An interview on ``site`` (a PortalSite) that started ``minutes_from_start`` ago."""
    channel = interviews_channel(site.home)
    start = NOW() - datetime.timedelta(minutes=minutes_from_start)
    page = InterviewPageFactory(
        parent=channel,
        title=extra.pop("title", "全民健身设施建设与开放"),
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=hours),
        **extra,
    )
    return page


@pytest.fixture
def interview(site_group):
    page = make_interview(site_group.a)
    add_guest(page, "周涛", "示例市体育局局长")
    add_guest(page, "吴芳", "示例市体育局群众体育处处长")
    return page


@pytest.fixture
def guest_user(interview):
    user = make_user("guest_zhou", guest_group(), is_staff=True)
    row = interview.guests.get(name="周涛")
    row.user = user
    row.save()
    return user


@pytest.fixture
def citizen(db):
    return make_user("citizen_li")


def get_page(client, page, suffix="", **extra):
    return public_get(client, page, suffix, **extra)


def post_page(client, page, suffix, data, **extra):
    from urllib.parse import urlsplit

    from wagtail.models import Page

    url = Page.objects.get(pk=page.pk).get_url()
    parts = urlsplit(url)
    return client.post(parts.path + suffix, data, HTTP_HOST=parts.netloc or "testserver", **extra)
