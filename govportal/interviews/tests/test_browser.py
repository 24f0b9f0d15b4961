"""Browser journey: a visitor asks on the live page; a moderator approves and answers in
the console (a second browser context); the visitor's page shows the answer without a
reload — on a desktop and a phone-sized screen, axe-core (WCAG 2.1 AA), no console errors.
Screenshots: ``artifacts/screenshots/interviews-*.png``."""

from wagtail.models import Site

import pytest
from playwright.sync_api import expect

from govportal.conftest import PASSWORD, build_site_group
from govportal.core.tests.browser import (
    DESKTOP,
    PHONE,
    assert_accessible,
    console_errors,
    require_chromium,
    screenshot,
)
from govportal.interviews.factories import add_guest
from govportal.interviews.models import Question

from .conftest import make_interview

pytestmark = pytest.mark.browser
require_chromium()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_question_answered_live_without_reload(browser, live_server, viewport):
    size = "phone" if viewport is PHONE else "desktop"
    group = build_site_group()
    port = int(live_server.url.rsplit(":", 1)[1])
    Site.objects.filter(pk=group.a.site.pk).update(hostname="localhost", port=port)
    Site.objects.filter(pk=group.b.site.pk).update(hostname="b.invalid")
    interview = make_interview(group.a)
    add_guest(interview, "周涛", "示例市体育局局长")
    interview.save_revision().publish()
    path = interview.url_path[len(group.a.home.url_path) - 1 :]
    base = live_server.url

    visitor_context = browser.new_context(viewport=viewport, locale="zh-CN")
    visitor = visitor_context.new_page()
    errors = console_errors(visitor)
    visitor.goto(base + path)
    expect(visitor.get_by_role("heading", level=1)).to_have_text(interview.topic)
    expect(visitor.locator("[data-status-label]")).to_have_text("直播中")
    assert_accessible(visitor, "live page")
    visitor.evaluate("window.__notReloaded = true")

    # Too long first: a clear error, the text kept; then a valid question.
    visitor.get_by_label("问题").fill("问" * 501)
    expect(visitor.locator("[data-count]")).to_contain_text("已超出1字")
    visitor.get_by_role("button", name="提交问题").click()
    expect(visitor.locator("[data-ask-result]")).to_contain_text("问题不能超过500字")
    expect(visitor.get_by_label("问题")).to_have_value("问" * 501)
    assert_accessible(visitor, "live page with an error")
    visitor.get_by_label("昵称（选填）").fill("跑步爱好者")
    visitor.get_by_label("问题").fill("健身步道晚上的照明什么时候能改善？")
    visitor.get_by_role("button", name="提交问题").click()
    expect(visitor.locator("[data-ask-result]")).to_contain_text("提问已提交，经审核后显示")
    expect(visitor.get_by_label("问题")).to_have_value("")
    expect(visitor.locator("[data-stream-list]")).not_to_contain_text("健身步道")
    screenshot(visitor, f"interviews-live-asked-{size}")
    question = Question.objects.get(interview=interview)

    # The moderator (A's editor) approves and answers on the guest's behalf.
    staff = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    admin = staff.new_page()
    admin_errors = console_errors(admin)
    admin.goto(f"{base}/admin/login/")
    admin.fill("#id_username", group.a.editor.username)
    admin.fill("#id_password", PASSWORD)
    admin.press("#id_password", "Enter")
    admin.wait_for_url(f"{base}/admin/")
    admin.goto(f"{base}/admin/interviews/{interview.pk}/")
    expect(admin.locator("[data-list=pending]")).to_contain_text("健身步道晚上的照明")
    admin.get_by_role("button", name=f"通过 #{question.pk}").click()
    expect(admin.locator("[data-list=to_answer]")).to_contain_text("健身步道晚上的照明")

    # The approved question reaches the visitor by polling, still unanswered.
    expect(visitor.locator("[data-stream-list]")).to_contain_text(
        "健身步道晚上的照明", timeout=15000
    )
    expect(visitor.locator("[data-stream-list]")).to_contain_text("跑步爱好者")

    admin.get_by_label("回答嘉宾").select_option(label="周涛")
    admin.get_by_label(f"回答 #{question.pk}").fill("今年年底前完成全市健身步道照明改造。")
    admin.get_by_role("button", name=f"发布回答 #{question.pk}").click()
    expect(admin.locator("[data-list=answered]")).to_contain_text("今年年底前完成")
    screenshot(admin, f"interviews-console-{size}")
    staff.close()

    item = visitor.locator(f'[data-key="q{question.pk}"]')
    expect(item).to_contain_text("今年年底前完成全市健身步道照明改造。", timeout=15000)
    expect(item).to_contain_text("周涛")
    expect(visitor.locator("[data-announcer]")).to_have_text("周涛回答了网友提问")
    assert visitor.evaluate("window.__notReloaded === true")  # no reload happened
    assert_accessible(visitor, "live page with the answer")
    screenshot(visitor, f"interviews-live-answered-{size}")
    visitor_context.close()
    assert not errors, f"console errors: {errors}"
    assert not admin_errors, f"admin console errors: {admin_errors}"
