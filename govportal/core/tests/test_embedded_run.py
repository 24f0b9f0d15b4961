"""The embedded run as ``make run`` starts it: gunicorn with the scheduler beside it.

A page whose scheduled time arrives while the server runs must go live by itself, with no cron and no
command run by hand; and the server answers on every configured port.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from django.conf import settings

import pytest

ROOT = Path(settings.BASE_DIR)
GUNICORN = Path(sys.executable).parent / "gunicorn"

SETUP = """
from datetime import timedelta
from django.utils import timezone
from wagtail.models import Page, Site
from govportal.content.factories import ArticlePageFactory, ChannelPageFactory, make_site
Site.objects.all().delete()
site, home, _ = make_site(hostname="127.0.0.1", port={port}, is_default=True)
news = ChannelPageFactory(parent=home, title="要闻动态", slug="news")
page = ArticlePageFactory(parent=news, title="定时发布的通知", slug="timed", live=False)
page.go_live_at = timezone.now() + timedelta(hours=1)
page.save_revision().publish()
assert not Page.objects.get(pk=page.pk).live
"""

# Time passes: the scheduled moment is now a second away (in the revision and the page).
ARRIVE = """
from datetime import timedelta
from django.utils import timezone
from wagtail.models import Page, Revision
when = timezone.now() + timedelta(seconds=1)
revision = Revision.page_revisions.get(approved_go_live_at__isnull=False)
content = dict(revision.content, go_live_at=when.isoformat())
Revision.objects.filter(pk=revision.pk).update(content=content, approved_go_live_at=when)
Page.objects.filter(pk=revision.object_id).update(go_live_at=when)
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 — loopback only
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:
        return 0


@pytest.mark.skipif(not GUNICORN.exists(), reason="gunicorn is not installed in this environment")
def test_scheduled_page_goes_live_under_gunicorn_without_cron(tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "govportal.settings.dev",
        "GOVPORTAL_VAR_DIR": str(tmp_path),
        "GOVPORTAL_PORTS": str(port),
        "GOVPORTAL_SCHEDULER_INTERVAL": "1",
        "GUNICORN_ACCESSLOG": "",
        "WEB_CONCURRENCY": "1",
    }
    env.pop("DATABASE_URL", None)  # the embedded run: its own SQLite file

    def manage(*args):
        subprocess.run(  # noqa: S603 — fixed argv
            [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True,
            capture_output=True,
        )  # fmt: skip

    manage("migrate", "--noinput")
    manage("collectstatic", "--noinput")
    manage("shell", "-c", SETUP.format(port=port))

    server = subprocess.Popen(  # noqa: S603 — fixed argv
        [str(GUNICORN), "-c", "gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        url = f"http://127.0.0.1:{port}/news/timed/"
        deadline = time.monotonic() + 20
        while status(f"http://127.0.0.1:{port}/") != 200:
            assert time.monotonic() < deadline, "gunicorn did not start"
            time.sleep(0.2)
        time.sleep(2)  # a scheduler tick or two with nothing due
        assert status(url) == 404, "the page was live before its time"
        manage("shell", "-c", ARRIVE)
        deadline = time.monotonic() + 30
        while (code := status(url)) != 200:
            assert time.monotonic() < deadline, f"scheduled page still answers {code}"
            time.sleep(0.5)
    finally:
        server.terminate()
        _, err = server.communicate(timeout=30)
    log = err.decode(errors="replace")
    assert "scheduler started" in log
    assert "scheduler: published 1" in log
