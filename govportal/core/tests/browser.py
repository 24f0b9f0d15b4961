"""Shared pieces of the browser tests (Playwright driving Debian's chromium).

A browser test module does::

    from govportal.core.tests.browser import (
        assert_accessible, browser, console_errors, require_chromium, screenshot,
    )

    pytestmark = pytest.mark.browser
    require_chromium()

``browser`` is a per-test fixture (started after the serialized database is restored:
Playwright's event loop changes the context Django keeps connections in, so a browser
started earlier would hide the restored database from the test). Screenshots go to
``artifacts/screenshots/``.
"""

import os
import shutil
from pathlib import Path

from django.conf import settings

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SCREENSHOTS = Path(settings.BASE_DIR) / "artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 375, "height": 812}


def require_chromium() -> None:
    """Skip the calling module without chromium, unless CI demands it."""
    if CHROMIUM is not None:
        return
    if os.environ.get("GOVPORTAL_REQUIRE_BROWSER") == "1":
        raise RuntimeError("chromium is required for the browser tests but is not installed")
    pytest.skip("chromium is not installed (scripts/ensure_browser.sh)", allow_module_level=True)


@pytest.fixture
def browser():
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def console_errors(page) -> list[str]:
    """A list that fills with the page's console errors and uncaught exceptions."""
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def assert_accessible(page, where: str) -> None:
    """No serious or critical axe-core violation of WCAG 2.1 A/AA on the current page."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21aa"]}}
    )
    serious = [
        f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes)"
        for v in results.response["violations"]
        if v.get("impact") in {"serious", "critical"}
    ]
    assert not serious, f"accessibility violations on {where}: {serious}"
