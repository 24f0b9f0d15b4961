"""Browser view of the published 来信统计 (/letters/stats/): month selector, tables with the
chart drawn over them, the Excel link — desktop and 375 px; axe WCAG 2.1 AA; no console
errors. Screenshots: ``artifacts/screenshots/interaction-stats-*.png``."""

from wagtail.models import Site

import pytest

from govportal.core.tests.browser import (
    DESKTOP,
    PHONE,
    assert_accessible,
    console_errors,
    require_chromium,
    screenshot,
)
from govportal.interaction import stats

from .test_stats import october  # noqa: F401 — the hand-counted letters

pytestmark = pytest.mark.browser
require_chromium()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE])
def test_public_stats_page(browser, live_server, october, viewport):  # noqa: F811
    w, _consult, _letters = october
    # The live server is http://localhost:<port>: make the world's site the one it finds.
    Site.objects.exclude(pk=w.site.pk).filter(hostname="localhost").delete()
    Site.objects.filter(pk=w.site.pk).update(hostname="localhost")
    stats.publish_month(w.site, 2026, 9)
    stats.publish_month(w.site, 2026, 10)
    size = "phone" if viewport["width"] < 500 else "desktop"
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    page = context.new_page()
    errors = console_errors(page)
    page.goto(f"{live_server.url}/letters/public/")
    page.click("text=查看来信统计")
    page.wait_for_selector("#table-mailbox")
    assert page.input_value("#stats-month") == "2026-10"  # newest first
    page.wait_for_selector("canvas[data-drawn='true']")
    row = page.locator("#table-mailbox tbody tr[data-row='市长信箱'] td")
    assert row.nth(0).inner_text() == "7"  # 收到
    assert page.locator("#table-mailbox tfoot td").nth(0).inner_text() == "9"
    assert_accessible(page, "letter stats")
    screenshot(page, f"interaction-stats-{size}")
    page.select_option("#stats-month", "2026-09")
    page.click("text=查看")
    page.wait_for_selector("text=统计期间：2026年9月1日至2026年9月30日")
    assert page.locator("#table-mailbox tfoot td").nth(0).inner_text() == "1"
    with page.expect_download() as download:
        page.click("text=下载 Excel 表格（2026年9月）")
    assert download.value.suggested_filename == "letter-stats-2026-09.xlsx"
    assert errors == []
    context.close()
