"""Anonymous visitors get cached pages; any publish or settings change shows at once."""

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from govportal.content.factories import ArticlePageFactory, ChannelPageFactory, make_site
from govportal.core.models import PlatformSettings
from govportal.sites.models import SiteProfile

HOST = "www.cache.test"


@pytest.fixture
def site(db, settings):
    settings.GOVPORTAL_PAGE_CACHE_SECONDS = 300
    cache.clear()
    _, home, profile = make_site(hostname=HOST, title="缓存测试市", site_id_code="1399000555")
    news = ChannelPageFactory(parent=home, title="要闻动态", slug="news")
    article = ArticlePageFactory(parent=news, title="第一篇要闻", slug="first")
    return {"home": home, "news": news, "article": article, "profile": profile}


def get(client, path="/", **extra):
    return client.get(path, HTTP_HOST=HOST, **extra)


def test_second_visit_is_served_from_cache_with_one_query(client, site):
    PlatformSettings.load()  # created on first use, like on a site's very first visit
    first = get(client)
    assert first["X-Page-Cache"] == "miss"
    with CaptureQueriesContext(connection) as ctx:
        second = get(client)
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert len(ctx.captured_queries) == 1  # the content version
    # Security headers are still applied to cached responses.
    assert second["X-Content-Type-Options"] == "nosniff"


def test_publishing_and_withdrawing_show_immediately(client, site):
    assert "第一篇要闻" in get(client, "/news/").content.decode()
    ArticlePageFactory(parent=site["news"], title="新发布的通知", slug="new")
    assert "新发布的通知" in get(client, "/news/").content.decode()
    site["article"].unpublish()
    page = get(client, "/news/").content.decode()
    assert "第一篇要闻" not in page
    assert get(client, "/news/first/").status_code == 404


def test_settings_changes_invalidate(client, site):
    get(client)
    settings_obj = PlatformSettings.load()
    settings_obj.mourning_mode = True
    settings_obj.save()
    assert 'class="mourning' in get(client).content.decode()
    profile = SiteProfile.objects.get(pk=site["profile"].pk)
    profile.sponsor = "缓存测试市人民政府办公厅"
    profile.save()
    assert "缓存测试市人民政府办公厅" in get(client).content.decode()


def test_pagination_variants_are_cached_separately(client, site):
    for i in range(25):
        ArticlePageFactory(parent=site["news"], title=f"分页{i:02d}", slug=f"p{i}")
    one = get(client, "/news/?page=1").content
    two = get(client, "/news/?page=2").content
    assert one != two
    assert get(client, "/news/?page=2")["X-Page-Cache"] == "hit"


@pytest.mark.parametrize(
    "path,extra",
    [
        ("/search/?q=要闻", {}),  # search results
        ("/news/?utm_source=x", {}),  # unknown parameters
        ("/", {"HTTP_COOKIE": "sessionid=abc"}),  # a visitor with a session
    ],
)
def test_personal_or_unbounded_requests_bypass_the_cache(client, site, path, extra):
    get(client, path, **extra)
    response = get(client, path, **extra)
    assert "X-Page-Cache" not in response


def test_logged_in_staff_never_get_cached_pages(client, site, django_user_model):
    get(client)
    user = django_user_model.objects.create_user("staff", password="Staff!pass-2026x")
    client.force_login(user)
    assert "X-Page-Cache" not in get(client)


def test_not_found_is_not_cached(client, site):
    get(client, "/missing/")
    assert "X-Page-Cache" not in get(client, "/missing/")
