"""Browser journey: a citizen applies → receipt → staff confirm and answer → the citizen
reads the answer and downloads the 答复书 — on a desktop and a phone-sized screen, with
axe-core (WCAG 2.1 AA) on each public page and no console errors."""

from pathlib import Path

import pytest

from govportal.core.tests.browser import (  # noqa: F401 — browser is a fixture
    DESKTOP,
    PHONE,
    assert_accessible,
    browser,
    console_errors,
    require_chromium,
    screenshot,
)
from govportal.inforequests.factories import ID_CARD
from govportal.inforequests.models import DisclosureRequest

from .conftest import PASSWORD

pytestmark = pytest.mark.browser
require_chromium()


def shot(page, name):
    screenshot(page, f"inforequests-{name}")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_apply_confirm_answer_download(world, browser, live_server, viewport):  # noqa: F811
    base = live_server.url
    size = "phone" if viewport["width"] < 500 else "desktop"
    context = browser.new_context(viewport=viewport, locale="zh-CN", accept_downloads=True)
    page = context.new_page()
    errors = console_errors(page)

    page.goto(f"{base}/account/login/?mode=password&next=/disclosure/requests/apply/")
    page.fill("#id_pw-identifier", "13800138000")
    page.fill("#id_pw-password", PASSWORD)
    page.press("#id_pw-password", "Enter")
    page.wait_for_url(f"{base}/disclosure/requests/apply/")
    assert page.input_value("#id_phone") == "13800138000"  # prefilled from the account
    # Choosing an organisation type hides the person fields (JS), and back.
    page.check("input[name=applicant_type][value=commercial]")
    assert page.locator("#id_person_name").is_hidden()
    page.check("input[name=applicant_type][value=natural]")
    # live_server's host is not the world's site: choose the agency explicitly.
    page.select_option("#id_organization", str(world.city.pk))
    page.fill("#id_subject", "示例小学扩建工程批复")
    page.click("form[data-foi-form] button[type=submit]")
    assert page.locator("#form-errors").is_visible()
    assert page.input_value("#id_subject") == "示例小学扩建工程批复"  # kept after the error
    assert_accessible(page, "apply form with errors")
    shot(page, f"apply-errors-{size}")
    page.fill("#id_person_name", "王小明")
    page.fill("#id_id_number", ID_CARD)
    page.fill("#id_description", "请提供示例小学扩建工程的立项批复。")
    page.check("#id_declaration")
    page.click("form[data-foi-form] button[type=submit]")
    page.wait_for_url("**/receipt/**")
    code = page.inner_text("#tracking-code").strip()
    assert code.startswith("YS") and "20 个工作日" in page.inner_text("main")
    assert_accessible(page, "receipt")
    shot(page, f"receipt-{size}")

    # Staff confirm and answer (another browser context: the admin).
    staff = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    admin = staff.new_page()
    admin.goto(f"{base}/admin/login/")
    admin.fill("#id_username", "foi_h1")
    admin.fill("#id_password", PASSWORD)
    admin.press("#id_password", "Enter")
    admin.wait_for_url(f"{base}/admin/")
    request_obj = DisclosureRequest.objects.get(tracking_code=code)
    admin.goto(f"{base}/admin/inforequests/{request_obj.pk}/confirm/")
    admin.click("#action-submit")
    admin.wait_for_url(f"{base}/admin/inforequests/{request_obj.pk}/")
    assert "已确认收到" in admin.inner_text("main")
    admin.goto(f"{base}/admin/inforequests/{request_obj.pk}/answer/")
    admin.check("input[name=answer_type][value=already_public]")
    assert admin.locator("select[name=outcome] option").count() == 1  # only 予以公开 fits
    admin.fill("#id_public_location", "示例市人民政府网站“政府信息公开”栏目")
    admin.click("button[value=answer]")
    admin.wait_for_url(f"{base}/admin/inforequests/{request_obj.pk}/")
    assert "已答复" in admin.inner_text("main")
    shot(admin, f"admin-answered-{size}")
    staff.close()

    page.goto(f"{base}/my/cases/")
    page.click(f"a[href='/disclosure/requests/{code}/']")
    main = page.inner_text("main")
    assert "已答复" in main and "已主动公开" in main
    assert_accessible(page, "applicant detail")
    shot(page, f"answered-{size}")
    with page.expect_download() as info:
        page.click("#letter-link")
    download = info.value
    assert download.suggested_filename.endswith(".pdf")
    assert Path(download.path()).read_bytes().startswith(b"%PDF")
    assert not errors, f"console errors: {errors}"
    context.close()
