"""Browser journey: a reader opens a policy document, follows its 图解 and 视频解读, and
comes back through 相关政策文件 — on a desktop and a phone-sized screen; screenshots to
``artifacts/screenshots/interpretation-*.png``; fails on console errors and on serious
accessibility violations (axe-core, WCAG 2.1 AA)."""

from wagtail.models import Site

import pytest

from govportal.core.tests.browser import (
    assert_accessible,
    console_errors,
    require_chromium,
    screenshot,
)
from govportal.disclosure.tests.conftest import build_catalogues, make_entry
from govportal.interpretation.factories import InterpretationPageFactory

from .conftest import interpretation_channel

pytestmark = pytest.mark.browser

require_chromium()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize(
    "viewport", [{"width": 1280, "height": 900}, {"width": 375, "height": 812}]
)
def test_reader_moves_between_a_document_and_its_interpretations(browser, live_server, viewport):
    cats = build_catalogues()
    host, port = live_server.url.removeprefix("http://").rsplit(":", 1)
    Site.objects.filter(pk=cats.group.a.site.pk).update(hostname=host, port=int(port))
    channel = interpretation_channel(cats.group.a.home)
    doc = make_entry(cats.index_a, title="甲区促进就业创业实施办法", doc_number="")
    InterpretationPageFactory(
        parent=channel, title="《甲区促进就业创业实施办法》政策解读", policies=[doc]
    )
    InterpretationPageFactory(
        parent=channel, title="视频解读：就业创业新政怎么享", kind="video", policies=[doc],
        transcript="主持人：各位观众大家好。\n\n嘉宾：这份文件聚焦就业创业。",
    )  # fmt: skip
    InterpretationPageFactory(
        parent=channel, title="关于灵活就业人员参保问题的回应", kind="response", policies=[doc]
    )

    size = "phone" if viewport["width"] < 500 else "desktop"
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    page = context.new_page()
    errors = console_errors(page)

    page.goto(live_server.url + "/" + doc.url_path.removeprefix(cats.group.a.home.url_path))
    block = page.locator("[data-policy-interpretations]")
    assert block.get_by_role("heading", name="政策解读").is_visible()
    assert block.get_by_role("heading", name="回应关切").is_visible()
    assert_accessible(page, f"policy document ({size})")
    screenshot(page, f"interpretation-policy-{size}")

    block.get_by_role("link", name="视频解读：就业创业新政怎么享").click()
    page.wait_for_load_state()
    assert page.locator("details.interp-transcript[open]").is_visible()
    assert "这份文件聚焦就业创业" in page.locator(".interp-transcript").inner_text()
    other = page.locator("[data-sibling-interpretations]")
    assert other.get_by_role("link", name="《甲区促进就业创业实施办法》政策解读").is_visible()
    assert_accessible(page, f"video interpretation ({size})")
    screenshot(page, f"interpretation-video-{size}")

    page.locator("[data-related-policies] > ul").get_by_role("link").first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "甲区促进就业创业实施办法"
    assert not errors, errors
    context.close()
