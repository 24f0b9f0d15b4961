"""The public search page (站内搜索/站群检索): results with highlighting, scope, every
filter, date errors, sort, pagination, promotions, "did you mean", pinyin, the empty state
with hot searches, and the query log (page 2 and robots not counted)."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.core.cache import cache
from django.utils import timezone

import pytest
from bs4 import BeautifulSoup

from govportal.content.factories import ChannelPageFactory, make_site
from govportal.organizations.factories import OrganizationFactory
from govportal.search import indexing, stats
from govportal.search.models import Promotion, QueryStat
from govportal.search.registry import Doc

SH = ZoneInfo("Asia/Shanghai")
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36"


def at(y, m, d) -> datetime:
    return datetime(y, m, d, 10, 0, tzinfo=SH)


class World:
    pass


@pytest.fixture
def world(db):
    cache.clear()
    w = World()
    w.site_a, w.home_a, _ = make_site(
        hostname="a.search.test", title="甲市人民政府", site_id_code="1399000201"
    )
    w.site_b, w.home_b, _ = make_site(
        hostname="b.search.test", title="乙县人民政府", site_id_code="1399000202"
    )
    w.news = ChannelPageFactory(parent=w.home_a, title="要闻动态", slug="news")
    w.policy = ChannelPageFactory(parent=w.home_a, title="政策文件库", slug="policy")
    w.org = OrganizationFactory(name="甲市发展和改革委员会", short_name="甲市发改委")

    def doc(key, title, body, site, published, kind="news", channel=None, org=None):
        return Doc(
            key=key,
            kind=kind,
            title=title,
            body=body,
            url=f"http://{site.hostname}/{key.replace(':', '-')}/",
            published_at=published,
            site_id=site.pk,
            channel_id=channel.pk if channel else None,
            channel_path=channel.path if channel else "",
            organization_id=org.pk if org else None,
        )

    docs = [
        doc("t:1", "关于优化营商环境的若干措施", "为进一步优化营商环境，现提出以下措施。",
            w.site_a, at(2025, 3, 1), channel=w.news),
        doc("t:2", "一图读懂营商环境新政", "本文解读营商环境相关政策。",
            w.site_a, at(2024, 6, 10), kind="interpretation", channel=w.policy, org=w.org),
        doc("t:3", "2025年政务公开工作要点", "全面推进政务公开标准化规范化。",
            w.site_a, at(2025, 1, 5), kind="policy", channel=w.policy),
        doc("t:4", "一季度经济运行情况", "一季度全市营商环境持续改善，经济平稳。",
            w.site_a, at(2025, 5, 1), channel=w.news),
        doc("t:5", "乙县营商环境评价报告", "乙县发布营商环境评价报告。",
            w.site_b, at(2025, 2, 1)),
    ]  # fmt: skip
    for i in range(25):
        docs.append(
            doc(f"s:{i}", f"社会保险通知第{i + 1}号", "关于社会保险缴费的通知。",
                w.site_a, at(2024, 1, 1) + timedelta(days=i), channel=w.news)
        )  # fmt: skip
    indexing.index_documents(docs)
    return w


def get(client, path="/search/", host="a.search.test", ua=BROWSER, **params):
    response = client.get(path, params, HTTP_HOST=host, HTTP_USER_AGENT=ua)
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser")


def titles(soup) -> list[str]:
    return [h.get_text("", strip=True) for h in soup.select("#search-results h2")]


def test_results_are_highlighted_with_kind_site_date_and_url(client, world):
    soup = get(client, q="营商环境")
    found = titles(soup)
    assert "关于优化营商环境的若干措施" in found and "一图读懂营商环境新政" in found
    assert "乙县营商环境评价报告" not in found, "this site only by default"
    assert "找到约 3 条结果" in soup.select_one("#search-count").get_text()
    assert "用时" in soup.select_one("#search-count").get_text()
    first = soup.select("#search-results > li")[0]
    assert first.select_one("h2 mark").get_text() == "营商环境"
    assert first.select_one(".search-result__summary mark")
    text = first.get_text(" ", strip=True)
    assert "新闻动态" in text and "甲市人民政府" in text and "2025-03-01" in text
    assert "http://a.search.test/t-1/" in text
    # The query stays in the box and the page is the 本站 scope.
    assert soup.select_one("#id_q")["value"] == "营商环境"
    assert soup.select_one("input[name=scope][value=site]").has_attr("checked")


def test_page_stays_chinese_when_the_browser_asks_for_english(client, world):
    response = client.get(
        "/search/", {"q": "营商环境"}, HTTP_HOST="a.search.test", HTTP_ACCEPT_LANGUAGE="en"
    )
    text = BeautifulSoup(response.content.decode(), "html.parser").get_text()
    assert "找到约 3 条结果" in text and "筛选与排序" in text


def test_header_search_box_leads_to_the_page(client, world):
    home = BeautifulSoup(client.get("/", HTTP_HOST="a.search.test").content.decode(), "html.parser")
    form = home.select_one("form.header-search")
    assert form["action"] == "/search/"
    assert form.select_one("input")["name"] == "q"


def test_group_scope_searches_every_site_and_the_site_filter_narrows_it(client, world):
    found = titles(get(client, q="营商环境", scope="group"))
    assert "乙县营商环境评价报告" in found and "关于优化营商环境的若干措施" in found
    found = titles(get(client, q="营商环境", scope="group", site=world.site_b.pk))
    assert found == ["乙县营商环境评价报告"]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"kind": "interpretation"}, ["一图读懂营商环境新政"]),
        ({"org": "ORG"}, ["一图读懂营商环境新政"]),
        ({"channel": "POLICY"}, ["一图读懂营商环境新政"]),
        ({"date_from": "2025-01-01", "date_to": "2025-04-30"}, ["关于优化营商环境的若干措施"]),
        ({"date_to": "2024-12-31"}, ["一图读懂营商环境新政"]),
    ],
)
def test_each_filter_narrows_the_results(client, world, filters, expected):
    filters = {
        k: {"ORG": world.org.pk, "POLICY": world.policy.pk}.get(v, v) for k, v in filters.items()
    }
    soup = get(client, q="营商环境", **filters)
    assert titles(soup) == expected
    # A set filter opens the panel and says how many are set.
    details = soup.select_one("#search-filters")
    assert details.has_attr("open")
    assert "已选" in details.select_one("summary").get_text()


def test_filters_offer_the_sites_channels_kinds_and_organizations(client, world):
    soup = get(client, q="营商环境")
    assert [o.get_text() for o in soup.select("#id_channel option")] == [
        "全部栏目", "要闻动态", "政策文件库",
    ]  # fmt: skip
    sites = [o.get_text() for o in soup.select("#id_site option")]
    assert "甲市人民政府网站" in sites and "乙县人民政府网站" in sites
    kinds = [label.get_text(strip=True) for label in soup.select(".search-filter--kinds label")]
    assert kinds[:3] == ["新闻动态", "政策文件", "信息公开"]
    assert "甲市发改委" in [o.get_text() for o in soup.select("#id_org option")]
    # Filters are grouped with a legend for screen readers.
    legends = [legend.get_text() for legend in soup.select("fieldset legend")]
    assert {"搜索范围", "内容类型", "发布日期", "排序"} <= set(legends)


def test_bad_dates_are_reported_and_kept(client, world):
    soup = get(client, q="营商环境", date_from="2025-13-01", kind="news")
    errors = soup.select_one("#search-errors").get_text()
    assert "请输入正确的日期" in errors
    assert soup.select_one("#id_date_from")["value"] == "2025-13-01"
    assert soup.select_one("#id_date_from")["aria-invalid"] == "true"
    assert soup.select_one("#id_q")["value"] == "营商环境"
    assert soup.select_one("input[name=kind][value=news]").has_attr("checked")
    assert soup.select_one("#search-results") is None

    soup = get(client, q="营商环境", date_from="2025-05-01", date_to="2025-01-01")
    assert "结束日期不能早于开始日期" in soup.select_one("#search-errors").get_text()
    assert soup.select_one("#id_date_to")["value"] == "2025-01-01"


def test_too_long_query_gets_a_clear_message_and_is_kept(client, world):
    long_query = "营商环境" * 26  # 104 characters
    soup = get(client, q=long_query)
    assert "搜索词最多 100 个字" in soup.select_one("#search-errors").get_text()
    assert soup.select_one("#id_q")["value"] == long_query
    assert soup.select_one("#search-results") is None


def test_sort_by_time_puts_the_newest_first(client, world):
    by_relevance = titles(get(client, q="营商环境"))
    by_time = titles(get(client, q="营商环境", sort="time"))
    assert by_relevance[0] != "一季度经济运行情况", "a title match ranks above a text match"
    assert by_time == ["一季度经济运行情况", "关于优化营商环境的若干措施", "一图读懂营商环境新政"]
    soup = get(client, q="营商环境", sort="time")
    assert soup.select_one("input[name=sort][value=time]").has_attr("checked")


def test_pagination_keeps_query_and_filters(client, world):
    soup = get(client, q="社会保险", kind="news", sort="time")
    assert len(titles(soup)) == 10
    assert "找到约 25 条结果" in soup.select_one("#search-count").get_text()
    next_link = soup.select_one("a[rel=next]")["href"]
    for part in ("q=%E7%A4%BE%E4%BC%9A%E4%BF%9D%E9%99%A9", "kind=news", "sort=time", "page=2"):
        assert part in next_link
    page2 = get(client, q="社会保险", kind="news", sort="time", page=2)
    assert titles(page2)[0] == "社会保险通知第15号"  # newest first: 25 … 16, then 15
    page3 = get(client, q="社会保险", kind="news", sort="time", page=3)
    assert len(titles(page3)) == 5
    # A page number past the end shows the last page instead of nothing.
    assert titles(get(client, q="社会保险", page=99)) == titles(page3)


def test_promoted_result_comes_first_marked_as_pinned(client, world):
    Promotion.objects.create(query="营商环境", page=world.policy, description="政策汇编")
    Promotion.objects.create(query="营商环境", site=world.site_b, external_url="http://b.example/")
    Promotion.objects.create(
        query="营商环境",
        external_url="http://old.example/",
        title="已过期的置顶",
        ends_at=timezone.now() - timedelta(days=1),
    )
    soup = get(client, q="营商环境")
    first = soup.select("#search-results > li")[0]
    assert "置顶" in first.select_one(".search-badge").get_text()
    assert first.select_one("h2 a").get_text() == "政策文件库"
    assert "政策汇编" in first.get_text()
    html = str(soup)
    assert "http://b.example/" not in html, "another site's promotion"
    assert "已过期的置顶" not in html
    # Full-width / traditional input finds the same promotion; page 2 has none.
    assert titles(get(client, q="營商環境"))[0].startswith("置顶")
    assert "置顶" not in " ".join(titles(get(client, q="社会保险", page=2)))


def test_did_you_mean_links_to_the_corrected_query(client, world):
    indexing.rebuild_terms()
    soup = get(client, q="营商环竟", scope="group")
    link = soup.select_one("#search-suggestion a")
    assert link.get_text() == "营商环境"
    assert (
        "scope=group" in link["href"] and "q=%E8%90%A5%E5%95%86%E7%8E%AF%E5%A2%83" in link["href"]
    )
    follow = get(client, q="营商环境", scope="group")
    assert "乙县营商环境评价报告" in titles(follow)


def test_pinyin_input_is_searched_as_chinese_with_a_note(client, world):
    indexing.rebuild_terms()
    soup = get(client, q="zwgk")
    assert "已按“政务公开”搜索" in soup.select_one("#search-pinyin").get_text()
    assert "2025年政务公开工作要点" in titles(soup)


def searched(query, site, results, times, day=None):
    for _ in range(times):
        stats.log_search(query, site, results, day=day)


def test_empty_states_show_tips_and_hot_searches(client, world):
    searched("营商环境", world.site_a, 3, 4)
    searched("社会保险", world.site_a, 25, 3)
    searched("没有的词", world.site_a, 0, 5)
    searched("只搜过两次", world.site_a, 9, 2)
    cache.clear()
    soup = get(client)
    hot = [a.get_text() for a in soup.select("#search-hot a")]
    assert hot == ["营商环境", "社会保险"], (
        "most searched first; nothing that found nothing or was searched too rarely"
    )
    assert "请输入关键词" in soup.get_text()

    soup = get(client, q="完全不存在的内容")
    nothing = soup.select_one("#search-nothing")
    assert "未找到与“完全不存在的内容”相关的信息" in nothing.get_text()
    assert "搜索小提示" in nothing.get_text()
    assert "营商环境" in [a.get_text() for a in nothing.select("a")]
    assert "scope=group" in nothing.select_one("a")["href"]


def stat(query, site):
    return QueryStat.objects.filter(query=query, site=site).first()


def test_searches_are_logged_once_per_search_not_for_paging_or_robots(client, world):
    get(client, q="社会保险")
    get(client, q="  社会保险 ")
    assert stat("社会保险", world.site_a).searches == 2
    assert stat("社会保险", world.site_a).last_result_count == 25
    get(client, q="社会保险", page=2)
    get(client, q="社会保险", ua="Mozilla/5.0 (compatible; Baiduspider/2.0)")
    get(client, q="社会保险", ua="")
    assert stat("社会保险", world.site_a).searches == 2
    get(client, q="不存在的东西")
    row = stat("不存在的东西", world.site_a)
    assert (row.searches, row.empty_searches, row.day) == (1, 1, timezone.localdate())
    # Traditional input is logged in its normalized form.
    get(client, q="營商環境")
    assert stat("营商环境", world.site_a).searches == 1


def test_hot_searches_are_per_site_and_recent(world):
    searched("旧词", world.site_a, 5, 3, day=timezone.localdate() - timedelta(days=40))
    searched("乙县热词", world.site_b, 5, 3)
    searched("甲市热词", world.site_a, 5, 3)
    cache.clear()
    assert stats.hot_searches(world.site_a) == ["甲市热词"]
    assert set(stats.hot_searches(None)) == {"甲市热词", "乙县热词"}


def test_hot_searches_follow_the_editors_rules_and_hide_personal_data(client, world):
    from govportal.search.models import HotSearchRule

    searched("营商环境", world.site_a, 8, 9)
    searched("代办证件加微信", world.site_a, 3, 7)
    searched("张三 13912345678", world.site_a, 1, 6)
    searched("110101199003077777", world.site_a, 1, 5)
    searched("社会保险", world.site_a, 5, 4)
    cache.clear()
    assert stats.hot_searches(world.site_a) == ["营商环境", "代办证件加微信", "社会保险"], (
        "phone and ID-card numbers never shown"
    )
    # Rules apply at once, without waiting for the cache.
    HotSearchRule.objects.create(word="代辦", action="block")  # traditional: still blocks 代办
    HotSearchRule.objects.create(word="一网通办", action="pin", sort_order=2)
    HotSearchRule.objects.create(word="乙县推荐", action="pin", site=world.site_b)
    HotSearchRule.objects.create(word="政务公开", action="pin", sort_order=1, site=world.site_a)
    HotSearchRule.objects.create(word="停用的词", action="pin", enabled=False)
    assert stats.hot_searches(world.site_a) == ["政务公开", "一网通办", "营商环境", "社会保险"]
    assert stats.hot_searches(world.site_b) == ["乙县推荐", "一网通办"], "by sort order"
    assert stats.hot_searches(None)[0] == "一网通办", "the group list has the group-wide pins"
    assert "政务公开" not in stats.hot_searches(None)
    soup = get(client)
    assert [a.get_text() for a in soup.select("#search-hot a")] == [
        "政务公开",
        "一网通办",
        "营商环境",
        "社会保险",
    ]
    HotSearchRule.objects.filter(word="代辦").delete()
    assert "代办证件加微信" in stats.hot_searches(world.site_a)


@pytest.mark.parametrize(
    ("agent", "bot"),
    [
        (BROWSER, False),
        ("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", True),
        ("Sogou web spider/4.0", True),
        ("curl/8.5.0", True),
        ("python-requests/2.32", True),
        ("", True),
    ],
)
def test_bot_detection(agent, bot):
    assert stats.is_bot(agent) is bot


def test_zero_result_report_counts(world):
    today = date(2025, 6, 2)
    stats.log_search("无结果词", world.site_a, 0, day=today)
    stats.log_search("无结果词", world.site_a, 0, day=today)
    stats.log_search("有结果词", world.site_a, 4, day=today)
    rows = stats.query_report("zero", [world.site_a.pk], today, today)
    assert [(r.query, r.searches, r.empty_searches) for r in rows] == [("无结果词", 2, 2)]
    hot = stats.query_report("hot", None, today, today)
    assert [r.query for r in hot] == ["无结果词", "有结果词"]
