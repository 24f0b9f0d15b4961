"""The whole closed loop of a letter (来信办理闭环) in a real browser, person by person.

A citizen signs in and writes to the 市长信箱 agreeing to publication (同意公开) → receipt
with the tracking code → the dispatcher accepts and dispatches it to 市教育局 → a handler
of 市教育局 signs it, drafts the answer and submits it → the approver approves it → anyone
(here on a 375 px phone) reads it in 来信选登 with the writer masked → the citizen rates it
满意 on their own letter page and sees 已办结.

The citizen writes signed in, as a real citizen who wants to rate the answer must: rating
and 我的办件 are for the writer's own account only (an anonymous writer can follow the
letter with the code but cannot rate it). Each person has their own browser context.
axe (WCAG 2.1 AA) runs on the form, the receipt, the public pages and the writer's page;
any console error fails the test. Screenshots: ``artifacts/screenshots/journey-letter-*.png``.
"""

import re
from urllib.parse import urlsplit

import pytest

from govportal.core.tests.browser import (
    DESKTOP,
    PHONE,
    assert_accessible,
    console_errors,
    require_chromium,
    screenshot,
)
from govportal.interaction.models import Letter
from govportal.interaction.taxonomy import Status

from .conftest import PASSWORD

pytestmark = pytest.mark.browser
require_chromium()

TITLE = "示例小学门口上学时段交通拥堵"
BODY = "每天早上七点半示例小学门口车辆乱停，孩子过马路很危险，建议设置临时停车区。联系我：13800138000。"
ANSWER = "您好！市教育局已会同交警部门在示例小学门口设置临时停车区，并安排护学岗。感谢您的监督。"


def _page(browser, watched, viewport=DESKTOP):
    """A page in a browser context of its own (one per person), its console watched."""
    page = browser.new_context(viewport=viewport, locale="zh-CN").new_page()
    watched.append(console_errors(page))
    return page


def _staff_page(browser, watched, base, username):
    """A signed-in admin page for one member of staff."""
    page = _page(browser, watched)
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.press("#id_password", "Enter")
    page.wait_for_url(f"{base}/admin/")
    return page


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_letter_from_writing_to_a_satisfied_rating(browser, live_server, world):
    base = live_server.url
    # The world's site answers at the live server's address, as a real site at its own host
    # (else Wagtail's default ``localhost`` site would be found and 来信选登 would be empty).
    address = urlsplit(base)
    world.site.hostname, world.site.port = address.hostname, address.port
    world.site.save()
    watched = []  # console errors, one list per page

    # 1. The citizen signs in and writes to the mayor's mailbox, agreeing to publication.
    citizen = _page(browser, watched)
    write_url = f"/letters/mailbox/{world.mailbox.pk}/"
    citizen.goto(f"{base}/account/login/?mode=password&next={write_url}")
    citizen.fill("#id_pw-identifier", "13800138000")
    citizen.fill("#id_pw-password", PASSWORD)
    citizen.press("#id_pw-password", "Enter")
    citizen.wait_for_url(f"{base}{write_url}")
    assert citizen.locator("#id_captcha_1").count() == 0  # signed in: no CAPTCHA
    assert_accessible(citizen, "letter form")
    citizen.fill("#id_title", TITLE)
    citizen.fill("#id_body", BODY)
    citizen.select_option("#id_category", label="教育")
    citizen.fill("#id_name", "王小明")
    citizen.fill("#id_phone", "13800138000")
    citizen.check("#id_wants_public")
    screenshot(citizen, "journey-letter-1-form")
    citizen.click("button.letter-form__submit")
    citizen.wait_for_selector("#tracking-code")
    letter = Letter.objects.get(title=TITLE)
    code = citizen.inner_text("#tracking-code")
    assert code == letter.tracking_code and letter.writer_id == world.citizen.pk
    assert letter.wants_public
    assert_accessible(citizen, "receipt")
    screenshot(citizen, "journey-letter-2-receipt")
    detail = f"{base}/admin/letters/{letter.pk}/"

    # 2. The dispatcher accepts it (category 教育) and dispatches it to 市教育局.
    dispatcher = _staff_page(browser, watched, base, "xj_dispatcher")
    dispatcher.goto(detail)
    dispatcher.click("#actions >> text=受理")
    assert dispatcher.locator("#id_category option:checked").inner_text() == "教育"
    dispatcher.click("#action-submit")
    dispatcher.wait_for_url(detail)
    assert "已受理，答复期限" in dispatcher.inner_text("main")
    dispatcher.click("#actions >> text=派单")
    assert dispatcher.locator("#id_lead option:checked").inner_text() == world.edu.name
    dispatcher.click("#action-submit")
    dispatcher.wait_for_url(detail)
    assert f"已派单给{world.edu.name}" in dispatcher.inner_text("main")
    # Reloaded: Wagtail's success banner fades in, and axe would catch it half-way.
    dispatcher.goto(detail)
    dispatcher.click("#add-assist summary")  # 增加协办单位, offered after dispatch
    assert dispatcher.is_visible("#add-assist-submit")
    assert_accessible(dispatcher, "letter page after dispatch")
    dispatcher.locator("#add-assist").scroll_into_view_if_needed()
    screenshot(dispatcher, "journey-letter-3-dispatched")
    letter.refresh_from_db()
    assert letter.status == Status.DISPATCHED

    # 3. A handler of 市教育局 signs it, drafts the answer and submits it for review.
    handler = _staff_page(browser, watched, base, "xj_handler")
    handler.goto(detail)
    handler.click("#actions >> text=签收（市教育局）")
    handler.click("#action-submit")
    handler.wait_for_url(detail)
    handler.click("#actions >> text=拟写答复")
    handler.fill("#id_body", ANSWER)
    screenshot(handler, "journey-letter-4-reply")
    handler.click("#action-submit")
    handler.wait_for_url(detail)
    assert "答复已提交审核" in handler.inner_text("main")
    letter.refresh_from_db()
    assert letter.status == Status.REVIEWING

    # 4. The approver of 市教育局 approves it: the reply becomes the (public) answer.
    approver = _staff_page(browser, watched, base, "xj_approver")
    approver.goto(detail)
    approver.click("#actions >> text=审核答复")
    assert approver.inner_text("#reply-body") == ANSWER
    assert approver.is_checked("input[name=decision][value=approve]")
    assert approver.is_checked("#id_public")
    approver.click("#action-submit")
    approver.wait_for_url(detail)
    assert "答复已批准" in approver.inner_text("main")
    screenshot(approver, "journey-letter-5-approved")
    letter.refresh_from_db()
    assert letter.status == Status.ANSWERED and letter.answer_text == ANSWER

    # 5. Anyone, on a phone: 来信选登 lists it, the writer masked, the answer shown.
    reader = _page(browser, watched, PHONE)
    reader.goto(f"{base}/letters/public/")
    assert_accessible(reader, "public letters")
    screenshot(reader, "journey-letter-6-public-list-phone")
    reader.click(f"text={TITLE}")
    reader.wait_for_url(re.compile(rf".*/letters/public/{letter.pk}/$"))
    assert_accessible(reader, "public letter")
    screenshot(reader, "journey-letter-7-public-letter-phone")
    text = reader.inner_text("main")
    assert "王**" in text and ANSWER in text and world.edu.name in text
    html = reader.content()
    assert "王小明" not in html and "13800138000" not in html
    assert reader.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # 6. The citizen opens their own letter (我的办件), rates it 满意 and sees 已办结.
    citizen.goto(f"{base}/letters/mine/{code}/")
    assert ANSWER in citizen.inner_text("main")
    assert_accessible(citizen, "my letter")
    citizen.check("input[name=satisfaction][value=satisfied]")
    citizen.click("text=提交评价")
    citizen.wait_for_selector("text=感谢您的评价")
    assert "已办结" in citizen.inner_text("main")
    assert_accessible(citizen, "my letter, rated")
    screenshot(citizen, "journey-letter-8-rated")
    letter.refresh_from_db()
    assert letter.status == Status.CLOSED and letter.satisfaction == "satisfied"

    assert [e for errors in watched for e in errors] == []
