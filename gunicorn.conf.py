"""gunicorn for the embedded run (``make run``): serves every demo site's port and
starts the scheduled-publishing loop beside the workers."""

import os
import subprocess
import sys

_ports = os.environ.get("GOVPORTAL_PORTS", "8000,8001,8002,8003").split(",")
_host = os.environ.get("GOVPORTAL_BIND_HOST", "127.0.0.1")
bind = [f"{_host}:{port.strip()}" for port in _ports if port.strip()]
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_class = "gthread"
timeout = 60
graceful_timeout = 20
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-") or None
errorlog = "-"
wsgi_app = "govportal.wsgi:application"

_scheduler = None


def when_ready(server):
    """Start ``manage.py run_scheduler`` beside the server: scheduled publish with no cron."""
    global _scheduler
    if os.environ.get("GOVPORTAL_SCHEDULER", "1") != "1":
        return
    _scheduler = subprocess.Popen(  # noqa: S603 — fixed argv, no shell
        [sys.executable, "manage.py", "run_scheduler"],
        cwd=os.path.dirname(os.path.abspath(__file__)),
    )
    server.log.info("scheduler started (pid %s)", _scheduler.pid)


def post_worker_init(worker):
    """Freeze the start-up heap so the collector stops rescanning it (govportal/core/gctuning.py)."""
    # Load the application first (Django setup, URLconf, Wagtail registries) so they freeze too.
    from django.urls import get_resolver

    from govportal.core.gctuning import freeze_startup_objects

    get_resolver().url_patterns  # noqa: B018 — imports every view module
    if os.environ.get("GOVPORTAL_SEARCH_WARMUP", "1") == "1":
        # jieba and pypinyin dictionaries: loaded before the freeze, not in a visitor's search.
        from govportal.search.analysis import warm

        warm()
    figures = freeze_startup_objects()
    worker.log.info("gc: %(frozen)s start-up objects frozen, threshold0 %(threshold0)s", figures)


def on_exit(server):
    if _scheduler is not None and _scheduler.poll() is None:
        _scheduler.terminate()
        try:
            _scheduler.wait(timeout=10)
        except subprocess.TimeoutExpired:
            _scheduler.kill()
