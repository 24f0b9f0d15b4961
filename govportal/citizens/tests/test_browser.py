"""Browser journeys of citizen accounts: Playwright driving Debian's chromium.

Registers by mobile with JavaScript on (the "获取验证码" countdown), signs out, finds that the
personal centre asks for a login, signs in, opens the personal centre and the 站内信 mailbox
(a message the platform sent meanwhile, read on opening), then deletes the account — on a
desktop and a phone-sized screen; saves screenshots to
``artifacts/screenshots/citizens-*.png``; fails on console errors and on serious
accessibility violations (axe-core, WCAG 2.1 AA).
"""

import re

import pytest

from govportal.citizens import services, sms
from govportal.core.tests.browser import (
    assert_accessible,
    console_errors,
    require_chromium,
    screenshot,
)
from govportal.personal.services import notify

pytestmark = pytest.mark.browser

PASSWORD = "Browser#Pass2026"  # noqa: S105

require_chromium()


def shot(page, name: str):
    screenshot(page, f"citizens-{name}")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize(
    "viewport", [{"width": 1366, "height": 900}, {"width": 375, "height": 812}]
)
def test_register_sign_in_and_delete(browser, live_server, viewport):
    base = live_server.url
    size = "phone" if viewport["width"] < 500 else "desktop"
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    page = context.new_page()
    errors = console_errors(page)
    number = "13766668888" if size == "phone" else "13766667777"

    page.goto(f"{base}/account/register/?next=/account/profile/")
    assert_accessible(page, "register")
    page.fill("#id_mobile", number)
    page.click("button[data-code-button]")
    button = page.locator("button[data-code-button]")
    assert button.is_disabled() and "秒后可重新获取" in button.inner_text()
    assert "验证码已发送至 137****" in page.locator(".field__sent").inner_text()
    code = re.search(r"验证码为 (\d{6})", sms.outbox[-1].text).group(1)

    # A weak password first: the errors are in Chinese and nothing typed is lost.
    page.fill("#id_code", code)
    page.fill("#id_password1", "weak")
    page.fill("#id_password2", "weak")
    page.click("button.account-form__submit")
    summary = page.locator("[data-error-summary]")
    assert summary.is_visible() and "至少 10 个字符" in summary.inner_text()
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    assert page.input_value("#id_mobile") == number and page.input_value("#id_code") == code
    assert_accessible(page, "register with errors")
    shot(page, f"register-errors-{size}")

    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.check("#id_agree")
    page.press("#id_password2", "Enter")  # Enter submits the form, it does not send a code
    page.wait_for_url(f"{base}/account/profile/")
    assert "注册成功" in page.inner_text("main")
    assert "137****" in page.inner_text("main")
    assert_accessible(page, "profile")
    shot(page, f"profile-{size}")

    page.goto(f"{base}/account/logout/")
    page.click("button.account-form__submit")

    # The platform writes to the new citizen: the message waits in the mailbox.
    citizen = services.find_citizen("sms", number)
    notify(
        citizen,
        "您的账号已开通",
        "欢迎使用个人中心。\n可在此查看办件进度和站内信。",
        important=True,
    )

    page.goto(f"{base}/my/")
    page.wait_for_url(re.compile(r"/account/login/"))  # the personal centre needs a login
    assert_accessible(page, "login")
    shot(page, f"login-{size}")
    page.fill("#id_pw-identifier", number)
    page.fill("#id_pw-password", PASSWORD)
    page.press("#id_pw-password", "Enter")
    page.wait_for_url(f"{base}/my/")
    main = page.inner_text("main")
    assert "个人中心" in main and "您的账号已开通" in main
    assert "您好，137****" in main  # addressed by the masked number, never the c_… username
    assert not re.search(r"c_[0-9a-f]{6}", main)
    assert page.locator(".summary-tile", has_text="未读站内信").inner_text().startswith("1")
    assert_accessible(page, "personal centre")
    shot(page, f"personal-centre-{size}")

    page.goto(f"{base}/my/messages/")
    row = page.locator(".mailbox__title", has_text="您的账号已开通")
    assert "未读" in row.inner_text() and "重要" in row.inner_text()
    assert "其中未读 1 封" in page.inner_text("main")
    assert_accessible(page, "mailbox")
    shot(page, f"mailbox-{size}")
    row.click()
    assert "可在此查看办件进度和站内信" in page.inner_text("main")
    page.goto(f"{base}/my/messages/?status=unread")
    assert "没有未读的站内信" in page.inner_text("main")  # opening it marked it read

    page.goto(f"{base}/account/delete/")
    assert_accessible(page, "delete")
    shot(page, f"delete-{size}")
    assert page.locator("[data-method-panel=code]").is_hidden()  # password chosen
    page.fill("#id_password", PASSWORD)
    page.check("#id_confirm")
    page.click("button.button--danger")
    page.wait_for_url(f"{base}/account/deleted/")
    assert services.find_citizen("sms", number) is None

    assert not errors, f"console errors: {errors}"
    context.close()
