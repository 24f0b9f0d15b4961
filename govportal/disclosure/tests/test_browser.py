"""Browser journey through a site's 政府信息公开目录 on a desktop and a phone-sized screen.

Browse by category, filter by 文号 (a wrong year first: a clear error, the typed values
kept), open a 废止 document (banner and metadata block), follow to the document that
replaced it; axe-core (WCAG 2.1 AA) on each page; no console errors. Screenshots:
``artifacts/screenshots/disclosure-*.png``.
"""

import datetime

from wagtail.models import Site

import pytest
from playwright.sync_api import expect

from govportal.core.tests.browser import (
    DESKTOP,
    PHONE,
    assert_accessible,
    console_errors,
    require_chromium,
    screenshot,
)
from govportal.disclosure.demo import add_guide_and_rules
from govportal.disclosure.models import DisclosureCategory
from govportal.disclosure.taxonomy import Validity

from .conftest import build_catalogues, make_entry

pytestmark = pytest.mark.browser
require_chromium()

D = datetime.date


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_browse_filter_and_read_a_repealed_document(browser, live_server, viewport):
    size = "phone" if viewport is PHONE else "desktop"
    cats = build_catalogues()
    port = int(live_server.url.rsplit(":", 1)[1])
    Site.objects.filter(pk=cats.group.a.site.pk).update(hostname="localhost", port=port)
    Site.objects.filter(pk=cats.group.b.site.pk).update(hostname="b.invalid")
    add_guide_and_rules(cats.index_a.get_parent(), cats.index_a, cats.org_a)
    cat = {c.code: c for c in DisclosureCategory.objects.all()}
    new = make_entry(
        cats.index_a,
        title="甲区数据资源管理办法（2026年修订）",
        written_date=D(2026, 3, 2),
        published=D(2026, 3, 5),
        doc_number="甲政规〔2026〕3号",
        category=cat["regulations-normative"],
    )
    make_entry(
        cats.index_a,
        title="甲区数据资源管理办法",
        written_date=D(2024, 5, 6),
        published=D(2024, 5, 9),
        doc_number="甲政规〔2024〕1号",
        category=cat["regulations-normative"],
        validity=Validity.REPEALED,
        expiry_date=D(2026, 3, 5),
        replaced_by=new,
    )
    for n in range(3):
        make_entry(cats.index_a, title=f"甲区2025年第{n + 1}季度统计数据",
                   written_date=D(2025, 4 + 3 * n, 1), published=D(2025, 4 + 3 * n, 3),
                   category=cat["statistics"])  # fmt: skip

    context = browser.new_context(viewport=viewport, locale="zh-CN")
    page = context.new_page()
    errors = console_errors(page)
    base = live_server.url
    catalogue_path = cats.index_a.url_path[len(cats.group.a.home.url_path) - 1 :]

    page.goto(base + catalogue_path)
    expect(page.get_by_role("heading", name="全部信息")).to_be_visible()
    sections = page.get_by_role("navigation", name="政府信息公开")
    expect(sections.get_by_role("link", name="公开指南")).to_be_visible()
    assert_accessible(page, "catalogue")
    screenshot(page, f"disclosure-catalogue-{size}")

    # Browse: 统计信息 lists exactly the three statistics entries.
    page.get_by_role("navigation", name="按主动公开内容分类浏览").get_by_role(
        "link", name="统计信息"
    ).click()
    expect(page.locator(".disclosure-list tbody tr")).to_have_count(3)

    # Filter by 文号 with an impossible year: the error names the field, input is kept.
    page.goto(base + catalogue_path)
    page.get_by_label("文号").fill("甲政规〔2024〕1号")
    page.get_by_label("发布年份").fill("20x4")
    page.get_by_role("button", name="检索").click()
    expect(page.get_by_role("alert")).to_contain_text("检索条件有误")
    expect(page.get_by_label("文号")).to_have_value("甲政规〔2024〕1号")
    expect(page.get_by_label("发布年份")).to_have_value("20x4")
    assert_accessible(page, "catalogue with a filter error")
    screenshot(page, f"disclosure-filter-error-{size}")

    page.get_by_label("发布年份").fill("2024")
    page.get_by_role("button", name="检索").click()
    rows = page.locator(".disclosure-list tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("废止")

    # The repealed document: banner in words, metadata block, link to its replacement.
    rows.first.get_by_role("link", name="甲区数据资源管理办法").click()
    banner = page.locator("[data-validity-banner]")
    expect(banner).to_contain_text("本文件已废止")
    expect(page.locator("[data-disclosure-meta]")).to_contain_text("甲政规〔2024〕1号")
    assert_accessible(page, "repealed entry")
    screenshot(page, f"disclosure-repealed-{size}")
    banner.get_by_role("link", name=new.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(new.title)
    expect(page.locator("[data-validity-banner]")).to_have_count(0)

    # 公开指南 from the section navigation.
    page.goto(base + catalogue_path)
    page.get_by_role("navigation", name="政府信息公开").get_by_role("link", name="公开指南").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("政府信息公开指南")
    assert_accessible(page, "guide")
    context.close()
    assert not errors, f"console errors: {errors}"
