"""Header links and the anonymous page cache: no user's state is ever cached or shared."""

from django.core.cache import cache

import pytest

from govportal.personal.models import Message

pytestmark = pytest.mark.django_db

LOGIN = "登录 / 注册"
PERSONAL = "个人中心"


@pytest.fixture
def page_cache(settings):
    from govportal.core.models import PlatformSettings

    settings.GOVPORTAL_PAGE_CACHE_SECONDS = 300
    PlatformSettings.load()  # created on first use, which raises the content version
    cache.clear()


def test_anonymous_header_links_to_login_and_back(client):
    page = client.get("/").content.decode()
    assert f'href="/account/login/?next=%2F">{LOGIN}</a>' in page
    assert 'href="/my/"' not in page


def test_signed_in_header_links_to_personal_centre_with_unread_count(client, citizen):
    for n in range(3):
        Message.objects.create(recipient=citizen, title=f"消息{n}")
    Message.objects.create(recipient=citizen, title="已读", read_at="2026-01-01T00:00Z")
    client.force_login(citizen)
    page = client.get("/").content.decode()
    assert LOGIN not in page
    assert f'href="/my/">{PERSONAL}（3<span class="sr-only">封未读站内信</span>）</a>' in page


def test_no_count_without_unread_messages(client, citizen):
    client.force_login(citizen)
    assert f'href="/my/">{PERSONAL}</a>' in client.get("/").content.decode()


def test_page_cache_never_stores_or_serves_a_users_header(client, citizen, page_cache):
    Message.objects.create(recipient=citizen, title="未读的信")
    # A signed-in visitor first: their page must not be stored.
    client.force_login(citizen)
    mine = client.get("/")
    assert "X-Page-Cache" not in mine
    assert "个人中心（1" in mine.content.decode()
    client.logout()
    # Visitors without a session then get (and cache) the anonymous header only.
    from django.test import Client

    first = Client().get("/")
    assert first["X-Page-Cache"] == "miss"
    second = Client().get("/")
    assert second["X-Page-Cache"] == "hit"
    for response in (first, second):
        page = response.content.decode()
        assert LOGIN in page and "个人中心（" not in page and 'href="/my/"' not in page
    # And a signed-in visitor is never served the cached anonymous page.
    client.force_login(citizen)
    again = client.get("/")
    assert "X-Page-Cache" not in again
    assert "个人中心（1" in again.content.decode()


def test_channel_pages_stay_cacheable_with_the_subscribe_button(client, portal, page_cache):
    from govportal.content.factories import ChannelPageFactory

    ChannelPageFactory(parent=portal, title="通知公告", slug="notices")
    assert client.get("/notices/")["X-Page-Cache"] == "miss"
    hit = client.get("/notices/")
    assert hit["X-Page-Cache"] == "hit"
    assert "订阅本栏目" in hit.content.decode()
    assert "csrfmiddlewaretoken" not in hit.content.decode()


def test_personal_pages_are_private(client, citizen, page_cache):
    client.force_login(citizen)
    for url in ("/my/", "/my/messages/", "/my/cases/", "/my/subscriptions/", "/my/settings/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "private" in response["Cache-Control"], url


@pytest.mark.parametrize(
    "url", ["/my/", "/my/messages/", "/my/cases/", "/my/subscriptions/", "/my/settings/"]
)
def test_personal_pages_need_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/account/login/?next=")
