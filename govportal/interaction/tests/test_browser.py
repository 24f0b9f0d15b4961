"""Browser journey of an anonymous writer: fill the 市长信箱 form with the CAPTCHA (test mode,
answer "PASSED"), see the receipt — desktop and 375 px; axe WCAG 2.1 AA; no console errors.
Screenshots: ``artifacts/screenshots/interaction-write-*.png``."""

import pytest

from govportal.core.tests.browser import (
    assert_accessible,
    console_errors,
    require_chromium,
    screenshot,
)
from govportal.interaction.models import Letter

pytestmark = pytest.mark.browser
require_chromium()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize(
    "viewport", [{"width": 1366, "height": 900}, {"width": 375, "height": 812}]
)
def test_anonymous_writer_submits_a_letter(browser, live_server, world, viewport, monkeypatch):
    from captcha.conf import settings as captcha_settings

    monkeypatch.setattr(captcha_settings, "CAPTCHA_TEST_MODE", True)
    size = "phone" if viewport["width"] < 500 else "desktop"
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    page = context.new_page()
    errors = console_errors(page)
    page.goto(f"{live_server.url}/letters/mailbox/{world.mailbox.pk}/")
    assert_accessible(page, "write")
    screenshot(page, f"interaction-write-form-{size}")
    page.fill("#id_title", "青山路口红绿灯时间太短")
    page.fill("#id_body", "青山路与幸福路交叉口行人绿灯只有十秒，老人过马路来不及。")
    page.select_option("#id_category", label="交通出行")
    page.fill("#id_name", "李四")
    page.fill("#id_phone", "13712345678")
    page.fill("#id_captcha_1", "PASSED")
    page.click("button.letter-form__submit")
    page.wait_for_selector("#tracking-code")
    assert_accessible(page, "receipt")
    screenshot(page, f"interaction-write-receipt-{size}")
    letter = Letter.objects.get()
    assert page.inner_text("#tracking-code") == letter.tracking_code
    assert errors == []
    context.close()
