"""Every public page type renders with the site's footer and the national meta tags."""

import io
import re
from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

import pytest
from bs4 import BeautifulSoup

from govportal.content.factories import (
    ArticlePageFactory,
    ChannelPageFactory,
    ExternalLinkChannelFactory,
    TopicPageFactory,
    make_site,
)
from govportal.content.models import ColumnType
from govportal.core.models import PlatformSettings

PUBDATE = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$")
LIST_TIME = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}")


@pytest.fixture
def portal(db):
    site, home, profile = make_site(
        hostname="www.shili.test", title="示例市人民政府", site_id_code="1399000001",
        public_domain="www.shili.gov.cn",
    )  # fmt: skip
    news = ChannelPageFactory(parent=home, title="要闻动态", slug="news", page_size=5)
    notices = ChannelPageFactory(
        parent=home, title="通知公告", slug="notices", column_type=ColumnType.NOTICE
    )
    topic = TopicPageFactory(parent=home, title="优化营商环境专题", slug="topic")
    link = ExternalLinkChannelFactory(parent=home, link_url="https://zwfw.example.gov.cn/")
    now = timezone.now()
    articles = [
        ArticlePageFactory(
            parent=news, title=f"要闻{i:02d}", slug=f"n{i}", publish_time=now - timedelta(hours=i)
        )
        for i in range(12)
    ]
    ArticlePageFactory(parent=notices, title="关于做好防汛工作的通知", slug="flood")
    ArticlePageFactory(parent=topic, title="营商环境十条措施", slug="ten")
    return {
        "site": site, "home": home, "profile": profile, "news": news, "notices": notices,
        "topic": topic, "link": link, "articles": articles,
    }  # fmt: skip


def get(client, portal, path, **extra):
    return client.get(path, HTTP_HOST=portal["site"].hostname, **extra)


def soup_of(response) -> BeautifulSoup:
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content.decode(), "html.parser")


def meta(soup: BeautifulSoup, name: str) -> str | None:
    tag = soup.find("meta", attrs={"name": name})
    return tag.get("content") if tag else None


def page_paths(portal) -> dict[str, str]:
    return {
        "home": "/",
        "channel": "/news/",
        "topic": "/topic/",
        "article": "/news/n0/",
        "topic_article": "/topic/ten/",
        "sitemap": "/sitemap/",
        "search": "/search/?q=要闻",
        "print": "/news/n0/print/",
    }


@pytest.mark.parametrize(
    "kind", ["home", "channel", "topic", "article", "topic_article", "sitemap", "search", "print"]
)
def test_every_page_has_site_meta_and_footer(client, portal, kind):
    soup = soup_of(get(client, portal, page_paths(portal)[kind]))
    assert meta(soup, "SiteName") == "示例市人民政府网站"
    assert meta(soup, "SiteDomain") == "www.shili.gov.cn"
    assert meta(soup, "SiteIDCode") == "1399000001"
    assert soup.html.get("lang", "").lower().startswith("zh")
    footer = soup.find_all("footer")[-1].get_text(" ", strip=True)
    for text in ("主办单位", "示例市人民政府办公室", "网站标识码", "1399000001",
                 "示ICP备12345678号", "示公网安备 99010202000001号", "我为政府网站找错"):  # fmt: skip
        assert text in footer, f"{kind}: footer lacks {text}"


@pytest.mark.parametrize("kind", ["channel", "topic", "article"])
def test_column_meta(client, portal, kind):
    soup = soup_of(get(client, portal, page_paths(portal)[kind]))
    expected = {"channel": ("要闻动态", "要闻动态"), "topic": ("优化营商环境专题", "专题专栏"),
                "article": ("要闻动态", "要闻动态")}[kind]  # fmt: skip
    assert (meta(soup, "ColumnName"), meta(soup, "ColumnType")) == expected
    assert meta(soup, "ColumnDescription") is not None
    assert meta(soup, "ColumnKeywords") is not None


def test_article_meta_and_content(client, portal):
    article = portal["articles"][0]
    soup = soup_of(get(client, portal, "/news/n0/"))
    assert meta(soup, "ArticleTitle") == article.title
    assert PUBDATE.match(meta(soup, "PubDate"))
    assert meta(soup, "PubDate") == timezone.localtime(article.publish_time).strftime(
        "%Y-%m-%d %H:%M"
    )
    assert meta(soup, "ContentSource") == article.source
    assert meta(soup, "Author") == article.author
    assert meta(soup, "Keywords") == article.keywords
    assert meta(soup, "Description") == article.summary
    assert meta(soup, "Url").endswith("/news/n0/")
    text = soup.get_text(" ", strip=True)
    assert article.source in text and article.author in text
    # The newest article has a "previous" (older) neighbour and no "next".
    assert "要闻01" in text
    assert "没有了" in text
    assert soup.find("a", href=re.compile(r"/news/n0/print/"))


def test_channel_lists_newest_first_with_times_and_paginates(client, portal):
    soup = soup_of(get(client, portal, "/news/"))
    main = soup.find("main")
    titles = [
        a.get_text(strip=True)
        for a in main.find_all("a")
        if a.get_text(strip=True).startswith("要闻")
    ]
    titles = [t for t in titles if re.fullmatch(r"要闻\d\d", t)]
    assert titles == ["要闻00", "要闻01", "要闻02", "要闻03", "要闻04"]
    assert len(LIST_TIME.findall(main.get_text(" "))) >= 5
    page3 = soup_of(get(client, portal, "/news/?page=3")).find("main").get_text(" ")
    assert "要闻10" in page3 and "要闻11" in page3 and "要闻09" not in page3
    # Out-of-range and junk page numbers land on a real page instead of an error.
    assert "要闻11" in soup_of(get(client, portal, "/news/?page=99")).get_text()
    assert "要闻00" in soup_of(get(client, portal, "/news/?page=abc")).get_text()


def test_home_lists_channels_and_site_map_shows_tree(client, portal):
    home = soup_of(get(client, portal, "/")).get_text(" ")
    assert "要闻00" in home and "关于做好防汛工作的通知" in home
    sitemap = soup_of(get(client, portal, "/sitemap/"))
    links = {a.get_text(strip=True) for a in sitemap.find("main").find_all("a")}
    assert {"要闻动态", "通知公告", "优化营商环境专题", "办事服务"} <= links


def test_external_link_channel_redirects(client, portal):
    response = get(client, portal, portal["link"].url_path[len(portal["home"].url_path) - 1 :])
    assert response.status_code == 302
    assert response["Location"] == "https://zwfw.example.gov.cn/"


def rebuild_search_index():
    """Pages enter the index through the queue after commit, which a ``db`` test never
    reaches; rebuild it as the command does."""
    call_command("rebuild_search_index", stdout=io.StringIO())


def test_search_finds_chinese_titles(client, portal):
    rebuild_search_index()
    soup = soup_of(get(client, portal, "/search/?q=防汛"))
    assert "关于做好防汛工作的通知" in soup.get_text()
    empty = soup_of(get(client, portal, "/search/?q=不存在的词语"))
    assert "关于做好防汛工作的通知" not in empty.get_text()


def test_mourning_mode_turns_every_site_grey(client, portal):
    other_site, *_ = make_site(hostname="fgw.shili.test", title="示例市发展和改革委员会",
                               site_id_code="1399000012")  # fmt: skip
    for host in ("www.shili.test", "fgw.shili.test"):
        html = client.get("/", HTTP_HOST=host).content.decode()
        assert "mourning" not in BeautifulSoup(html, "html.parser").html.get("class", [])
    settings_obj = PlatformSettings.load()
    settings_obj.mourning_mode = True
    settings_obj.save()
    for host in ("www.shili.test", "fgw.shili.test"):
        soup = BeautifulSoup(client.get("/", HTTP_HOST=host).content.decode(), "html.parser")
        assert "mourning" in soup.html.get("class", [])
    # An end time in the past switches it off by itself.
    settings_obj.mourning_ends_at = timezone.now() - timedelta(minutes=1)
    settings_obj.save()
    soup = BeautifulSoup(
        client.get("/", HTTP_HOST="fgw.shili.test").content.decode(), "html.parser"
    )
    assert "mourning" not in soup.html.get("class", [])


def test_each_site_shows_its_own_profile(client, portal):
    make_site(hostname="fgw.shili.test", title="示例市发展和改革委员会", site_id_code="1399000012",
              sponsor="示例市发展和改革委员会")  # fmt: skip
    soup = BeautifulSoup(
        client.get("/", HTTP_HOST="fgw.shili.test").content.decode(), "html.parser"
    )
    assert meta(soup, "SiteIDCode") == "1399000012"
    assert "示例市发展和改革委员会" in soup.find_all("footer")[-1].get_text()


@pytest.mark.parametrize("kind,limit", [("home", 30), ("channel", 24), ("article", 24)])
def test_pages_render_in_bounded_queries(
    client, portal, django_assert_max_num_queries, kind, limit
):
    path = {"home": "/", "channel": "/news/", "article": "/news/n3/"}[kind]
    get(client, portal, path)  # warm per-process caches (content types, site root paths)
    with django_assert_max_num_queries(limit):
        assert get(client, portal, path).status_code == 200


def test_query_count_does_not_grow_with_articles(client, portal, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(path):
        get(client, portal, path)
        with CaptureQueriesContext(connection) as ctx:
            get(client, portal, path)
        return len(ctx.captured_queries)

    before = {p: count(p) for p in ("/", "/news/", "/news/n3/")}
    for i in range(30):
        ArticlePageFactory(parent=portal["news"], title=f"追加{i}", slug=f"extra{i}")
    after = {p: count(p) for p in ("/", "/news/", "/news/n3/")}
    assert after == before


def test_restricted_pages_stay_out_of_public_lists(client, portal):
    from wagtail.models import PageViewRestriction

    secret = ChannelPageFactory(parent=portal["home"], title="内部通知", slug="internal")
    ArticlePageFactory(parent=secret, title="仅限内部人员阅读的通知", slug="secret")
    assert "仅限内部人员阅读的通知" in get(client, portal, "/").content.decode()
    rebuild_search_index()
    # Text, not markup: search results mark the matched words (仅限<mark>内部人员</mark>…).
    assert (
        "仅限内部人员阅读的通知" in soup_of(get(client, portal, "/search/?q=内部人员")).get_text()
    )
    PageViewRestriction.objects.create(page=secret, restriction_type=PageViewRestriction.LOGIN)
    rebuild_search_index()
    for path in ("/", "/sitemap/", "/search/?q=内部人员"):
        text = soup_of(get(client, portal, path)).get_text()
        assert "仅限内部人员阅读的通知" not in text, path
    # The page itself asks for a login instead of showing the text.
    response = get(client, portal, "/internal/secret/")
    assert response.status_code == 302 and "login" in response["Location"]


def test_not_found_page_on_a_site_without_a_portal_home(client, site_group):
    """The default site of a fresh install has Wagtail's bare root page: its 404 page still
    renders (without the search and site-map links, which need a portal home)."""
    from wagtail.models import Site

    default = Site.objects.get(is_default_site=True)
    assert not hasattr(default.root_page.specific, "reverse_subpage")
    response = client.get("/no-such-page/", HTTP_HOST="unknown-host.example")
    assert response.status_code == 404
    text = response.content.decode()
    assert "抱歉，您访问的页面不存在" in text
    assert "查看网站地图" not in text

    response = client.get("/no-such-page/", HTTP_HOST=site_group.a.site.hostname)
    assert response.status_code == 404
    assert "查看网站地图" in response.content.decode()
