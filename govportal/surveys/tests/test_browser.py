"""Browser journey: answer an open survey (a first try with a missing answer shows the error
summary and keeps the input), then read a closed survey's results — chart drawn, table
present — on a desktop and a phone-sized screen; axe-core (WCAG 2.1 AA) on every page, no
console errors. Screenshots: ``artifacts/screenshots/surveys-*.png``."""

from wagtail.models import Site

import pytest
from playwright.sync_api import expect

from govportal.conftest import build_site_group
from govportal.core.tests.browser import (
    DESKTOP,
    PHONE,
    assert_accessible,
    console_errors,
    require_chromium,
    screenshot,
)
from govportal.surveys.models import AnswerRule, SurveyResponse

from .conftest import add_response, make_survey, survey_channels

pytestmark = pytest.mark.browser
require_chromium()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_answer_an_open_survey_and_read_closed_results(browser, live_server, viewport):
    size = "phone" if viewport is PHONE else "desktop"
    group = build_site_group()
    port = int(live_server.url.rsplit(":", 1)[1])
    Site.objects.filter(pk=group.a.site.pk).update(hostname="localhost", port=port)
    channel = survey_channels(group.a.home)
    open_survey = make_survey(channel, slug="open", answer_rule=AnswerRule.DEVICE)
    closed = make_survey(channel, state="closed", slug="closed", title="2025年满意度调查")
    for single, multiple, rating in [(0, [0, 1], 5), (1, [1], 4), (1, [2], 3)]:
        add_response(closed, single=single, multiple=multiple, rating=rating, text="很好")

    context = browser.new_context(viewport=viewport, locale="zh-CN")
    page = context.new_page()
    errors = console_errors(page)
    base = live_server.url + channel.url_path[len(group.a.home.url_path) - 1 :]

    page.goto(base + "open/")
    expect(page.get_by_role("heading", level=1)).to_have_text(open_survey.title)
    assert_accessible(page, "open survey")
    screenshot(page, f"surveys-form-{size}")

    # Leave the rating out: the summary names it, the other answers stay.
    page.get_by_role("group", name="1. 您的年龄段").get_by_label("36–59岁").check()
    channels = page.get_by_role("group", name="2. 您最常使用的政务服务渠道")
    channels.get_by_label("政府网站").check()
    channels.get_by_label("12345热线").check()
    page.get_by_label("4. 您的其他意见和建议").fill("希望增加夜间办理。")
    page.get_by_role("button", name="提交问卷").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("此题为必答题，请选择1至5星。")
    expect(page.get_by_label("36–59岁")).to_be_checked()
    expect(page.get_by_label("4. 您的其他意见和建议")).to_have_value("希望增加夜间办理。")
    assert_accessible(page, "survey with errors")
    screenshot(page, f"surveys-form-errors-{size}")

    page.get_by_role("group", name="3. 您对本市政务服务的总体满意度").get_by_label(
        "4星 满意"
    ).check()
    page.get_by_role("button", name="提交问卷").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("感谢您的参与")
    assert_accessible(page, "thanks")
    assert SurveyResponse.objects.filter(survey=open_survey).count() == 1

    page.goto(base + "open/")
    expect(page.locator("[data-answered]")).to_contain_text("您已参与本次调查")

    page.goto(base + "closed/")
    expect(page.get_by_role("heading", name="调查结果")).to_be_visible()
    expect(page.locator("canvas[data-drawn]")).to_have_count(3)
    table = page.get_by_role("table", name="您的年龄段：各选项人数（本题作答 3 人）")
    expect(table.get_by_role("row", name="18–35岁 2 66.7%")).to_be_visible()
    expect(page.locator("[data-text-count]")).to_contain_text("本题共收到 3 条文字意见")
    assert_accessible(page, "closed results")
    screenshot(page, f"surveys-results-{size}")
    assert not errors, errors
    context.close()
