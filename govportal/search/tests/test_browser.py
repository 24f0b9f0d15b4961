"""Browser journey of a visitor searching: type a query, open the filters, narrow by kind
and date, sort by time, see highlighted results — desktop and 375 px; axe WCAG 2.1 AA; no
console errors. Screenshots: ``artifacts/screenshots/search-*.png``."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.core.cache import cache

from wagtail.models import Site

import pytest

from govportal.content.factories import ChannelPageFactory, make_site
from govportal.core.tests.browser import (
    DESKTOP,
    PHONE,
    assert_accessible,
    console_errors,
    require_chromium,
    screenshot,
)
from govportal.search import indexing
from govportal.search.registry import Doc

pytestmark = pytest.mark.browser
require_chromium()

SH = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def indexed(db):
    cache.clear()
    # The live server answers on localhost: take over the bare default site of the install.
    Site.objects.filter(hostname="localhost").delete()
    site, home, _ = make_site("localhost", 80, title="示例市人民政府", is_default=True)
    news = ChannelPageFactory(parent=home, title="要闻动态", slug="news")
    texts = [
        ("关于进一步优化营商环境的实施意见", "policy", (2025, 3, 1),
         "为持续优化营商环境，激发市场主体活力，结合本市实际，提出如下实施意见。"),
        ("营商环境改革“一件事一次办”解读", "interpretation", (2025, 2, 12),
         "市发展改革委就营商环境改革中的“一件事一次办”答记者问。"),
        ("全市召开营商环境工作推进会", "news", (2024, 11, 20),
         "会议总结了今年营商环境工作，部署下一阶段任务。"),
        ("一季度全市经济运行平稳", "news", (2025, 4, 18),
         "一季度营商环境持续改善，新增市场主体同比增长12%。"),
    ]  # fmt: skip
    indexing.index_documents(
        Doc(
            key=f"demo:{i}",
            kind=kind,
            title=title,
            body=body,
            url=f"/news/demo-{i}/",
            published_at=datetime(*day, 9, 30, tzinfo=SH),
            site_id=site.pk,
            channel_id=news.pk,
            channel_path=news.path,
        )
        for i, (title, kind, day, body) in enumerate(texts)
    )
    return site


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE])
def test_visitor_searches_with_filters_and_sees_highlights(browser, live_server, indexed, viewport):
    size = "phone" if viewport["width"] < 500 else "desktop"
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    page = context.new_page()
    errors = console_errors(page)
    page.goto(f"{live_server.url}/")
    if size == "desktop":
        page.fill("#header-search-q", "营商环境")
        page.click(".header-search__button")
    else:
        page.goto(f"{live_server.url}/search/?q=营商环境")
    page.wait_for_selector("#search-results")
    assert "找到约 4 条结果" in page.inner_text("#search-count")
    assert page.locator("#search-results mark").first.inner_text() == "营商环境"
    filters = page.locator("#search-filters")
    # Filters start open on a wide screen and folded on a phone.
    assert filters.evaluate("d => d.open") is (size == "desktop")
    assert_accessible(page, f"results ({size})")
    screenshot(page, f"search-results-{size}")

    if size == "phone":
        page.click("#search-filters summary")
    page.check("input[name=kind][value=news]")
    page.fill("#id_date_from", "2025-01-01")
    page.check("input[name=sort][value=time]")
    page.click(".search-filters__apply")
    page.wait_for_selector("#search-results")
    titles = page.locator("#search-results h2").all_inner_texts()
    assert titles == ["一季度全市经济运行平稳"]
    assert page.locator("#search-filters").evaluate("d => d.open")
    assert "已选 2 项" in page.inner_text("#search-filters summary")
    assert_accessible(page, f"filtered ({size})")
    screenshot(page, f"search-filtered-{size}")

    # A bad period is reported beside the kept input.
    page.fill("#id_date_to", "2024-01-01")
    page.click(".search-filters__apply")
    page.wait_for_selector("#search-errors")
    assert "结束日期不能早于开始日期" in page.inner_text("#search-errors")
    assert page.input_value("#id_date_from") == "2025-01-01"
    assert_accessible(page, f"date error ({size})")
    screenshot(page, f"search-date-error-{size}")
    # Nothing runs off the side of a phone.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"], width
    assert errors == []
    context.close()
