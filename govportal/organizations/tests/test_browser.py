"""Browser journey: an operator lists the tree, uploads a bad file, then a good one."""

from django.conf import settings

import pytest
from playwright.sync_api import expect

from govportal.core.tests.browser import console_errors, require_chromium, screenshot
from govportal.organizations.demo import build_demo_organizations
from govportal.organizations.models import Organization

from .test_services import CITY, code, good_rows, row, to_xlsx

pytestmark = pytest.mark.browser

require_chromium()


@pytest.fixture
def page(live_server, client, superuser, browser):
    client.force_login(superuser)
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    page.console_errors = console_errors(page)
    yield page


# Serialized like every live-server test: a plain flush would leave content types behind
# for the next serialized test's restore to collide with.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_operator_imports_organisations(page, live_server, tmp_path):
    build_demo_organizations()
    page.goto(f"{live_server.url}/admin/organizations/")
    expect(page.get_by_text("青山区教育局").first).to_be_visible()
    screenshot(page, "organizations-index")

    page.get_by_role("link", name="导入").first.click()
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(to_xlsx(good_rows() + [row("孤儿局", "无此单位", credit=code(50))]))
    page.set_input_files("input[type=file]", str(bad))
    page.get_by_role("button", name="上传并导入").click()
    expect(page.locator("#import-errors")).to_contain_text("第 6 行")
    expect(page.locator("#import-errors")).to_contain_text("上级单位“无此单位”不存在")
    screenshot(page, "organizations-import-errors")
    assert not Organization.objects.filter(name=CITY).exists()

    good = tmp_path / "good.xlsx"
    good.write_bytes(to_xlsx(good_rows()))
    page.set_input_files("input[type=file]", str(good))
    page.get_by_role("button", name="上传并导入").click()
    expect(page.locator("#import-result")).to_contain_text("导入成功：新增 4 个")
    assert Organization.objects.filter(name=CITY).exists()
    assert page.console_errors == []
