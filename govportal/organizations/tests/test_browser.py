"""Browser journey: an operator lists the tree, uploads a bad file, then a good one."""

import os
import shutil
from pathlib import Path

from django.conf import settings

import pytest
from playwright.sync_api import expect

from govportal.organizations.demo import build_demo_organizations
from govportal.organizations.models import Organization

from .test_services import CITY, code, good_rows, row, to_xlsx

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SCREENSHOTS = Path(settings.BASE_DIR) / "artifacts" / "screenshots"

if CHROMIUM is None:
    if os.environ.get("GOVPORTAL_REQUIRE_BROWSER") == "1":
        raise RuntimeError("chromium is required for the browser tests but is not installed")
    pytest.skip("chromium is not installed (scripts/ensure_browser.sh)", allow_module_level=True)


@pytest.fixture
def page(live_server, client, superuser):
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    client.force_login(superuser)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
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
        page.console_errors = []
        page.on(
            "console", lambda m: page.console_errors.append(m.text) if m.type == "error" else None
        )
        yield page
        browser.close()


def test_operator_imports_organisations(page, live_server, tmp_path):
    build_demo_organizations()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.goto(f"{live_server.url}/admin/organizations/")
    expect(page.get_by_text("青山区教育局").first).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / "organizations-index.png"), full_page=True)

    page.get_by_role("link", name="导入").first.click()
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(to_xlsx(good_rows() + [row("孤儿局", "无此单位", credit=code(50))]))
    page.set_input_files("input[type=file]", str(bad))
    page.get_by_role("button", name="上传并导入").click()
    expect(page.locator("#import-errors")).to_contain_text("第 6 行")
    expect(page.locator("#import-errors")).to_contain_text("上级单位“无此单位”不存在")
    page.screenshot(path=str(SCREENSHOTS / "organizations-import-errors.png"), full_page=True)
    assert not Organization.objects.filter(name=CITY).exists()

    good = tmp_path / "good.xlsx"
    good.write_bytes(to_xlsx(good_rows()))
    page.set_input_files("input[type=file]", str(good))
    page.get_by_role("button", name="上传并导入").click()
    expect(page.locator("#import-result")).to_contain_text("导入成功：新增 4 个")
    assert Organization.objects.filter(name=CITY).exists()
    assert page.console_errors == []
