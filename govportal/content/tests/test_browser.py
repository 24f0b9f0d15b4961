"""Browser journeys: Playwright driving Debian's chromium against a live server.

Opens the home page, a channel, an article, the site map and the admin login on two sites
of the demo group; saves screenshots to ``artifacts/screenshots/``; fails on console errors,
missing footer fields and serious accessibility violations (axe-core, WCAG 2.1 AA).
"""

import os

from django.core.management import call_command

from wagtail.models import Site

import pytest

from govportal.content.models import ArticlePage, ChannelPage
from govportal.core.tests.browser import (
    assert_accessible,
    console_errors,
    require_chromium,
    screenshot,
)
from govportal.sites.models import SiteProfile

pytestmark = pytest.mark.browser

FOOTER_LABELS = ("主办单位", "网站标识码", "ICP备", "公安机关备案号", "我为政府网站找错")

require_chromium()


@pytest.fixture
def demo_group(live_server):
    """The demo site group, with its portal on 127.0.0.1 and a department site on localhost."""
    call_command("load_demo_data", articles=40, verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    port = int(live_server.url.rsplit(":", 1)[1])
    portal = Site.objects.get(is_default_site=True)
    department = SiteProfile.objects.get(site_id_code="1399000012").site
    Site.objects.filter(pk=portal.pk).update(hostname="127.0.0.1", port=port)
    Site.objects.filter(pk=department.pk).update(hostname="localhost", port=port)
    for other in Site.objects.exclude(pk__in=[portal.pk, department.pk]):
        Site.objects.filter(pk=other.pk).update(hostname=f"site{other.pk}.invalid")
    return {
        "portal": (f"http://127.0.0.1:{port}", Site.objects.get(pk=portal.pk)),
        "department": (f"http://localhost:{port}", Site.objects.get(pk=department.pk)),
    }


def visit(browser, url: str, shot: str, *, mobile: bool = False):
    """Open ``url``; return (page, console errors). The caller closes the context."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844} if mobile else {"width": 1366, "height": 900},
        locale="zh-CN",
    )
    page = context.new_page()
    errors = console_errors(page)
    response = page.goto(url, wait_until="networkidle")
    assert response is not None and response.status == 200, (
        f"{url} answered {response and response.status}"
    )
    screenshot(page, shot)
    return page, errors


def assert_footer(page, url):
    footer = page.locator("footer").last
    assert footer.is_visible(), f"no visible footer on {url}"
    text = footer.inner_text()
    missing = [label for label in FOOTER_LABELS if label not in text]
    assert not missing, f"footer on {url} lacks {missing}"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_public_journeys_on_two_sites(browser, demo_group):
    for key in ("portal", "department"):
        check_site(browser, demo_group, key)


def check_site(browser, demo_group, key):
    base, site = demo_group[key]
    home = site.root_page.specific
    channel = ChannelPage.objects.descendant_of(home).live().filter(show_on_home=True).first()
    article = ArticlePage.objects.descendant_of(channel).live().order_by("-publish_time").first()
    code = SiteProfile.for_site(site).site_id_code

    pages = {
        "home": base + "/",
        "channel": base + channel.url_path[len(home.url_path) - 1 :],
        "article": base + article.url_path[len(home.url_path) - 1 :],
        "sitemap": base + "/sitemap/",
    }
    for name, url in pages.items():
        page, errors = visit(browser, url, f"{key}-{name}")
        try:
            assert not errors, f"console errors on {url}: {errors}"
            assert page.locator('meta[name="SiteIDCode"]').get_attribute("content") == code
            assert_footer(page, url)
            if name in {"home", "article"}:
                assert_accessible(page, url)
            if name == "article":
                assert page.locator("h1").first.inner_text().strip() == article.title
                # The font-size switch changes the body's size.
                before = page.evaluate(
                    "getComputedStyle(document.querySelector('.article__body')).fontSize"
                )
                page.get_by_role("button", name="大").first.click()
                after = page.evaluate(
                    "getComputedStyle(document.querySelector('.article__body')).fontSize"
                )
                assert page.locator("[data-font-size='large']").count() >= 1
                assert float(after.rstrip("px")) > float(before.rstrip("px")), (before, after)
        finally:
            page.context.close()

    # The same home page, on a phone: no horizontal scrolling.
    page, errors = visit(browser, base + "/", f"{key}-home-mobile", mobile=True)
    try:
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"home page scrolls sideways on a phone by {overflow}px"
        assert not errors
    finally:
        page.context.close()

    # The admin login of this site.
    page, errors = visit(browser, base + "/admin/login/", f"{key}-admin-login")
    try:
        assert not errors, f"console errors on admin login: {errors}"
        assert page.locator("input[name='username']").is_visible()
        assert page.locator("input[name='password']").is_visible()
        assert "登录" in page.content()
    finally:
        page.context.close()
