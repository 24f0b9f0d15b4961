"""Scheduled publishing (生效) and expiry (失效) without cron.

``run_scheduler`` (started beside gunicorn by ``gunicorn.conf.py``) calls
:func:`run_due_publications` every ``GOVPORTAL_SCHEDULER_INTERVAL`` seconds. It
uses Wagtail's own ``publish_scheduled`` logic, so revisions, logs and signals are
exactly what a manual publish produces.
"""

import io
import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from wagtail.models import Page, Revision

from .models import SchedulerHeartbeat

logger = logging.getLogger(__name__)


@dataclass
class SchedulerResult:
    published: int
    expired: int


def due_counts(now=None) -> tuple[int, int]:
    now = now or timezone.now()
    due_publish = Revision.page_revisions.filter(approved_go_live_at__lte=now).count()
    due_expire = Page.objects.filter(live=True, expire_at__lt=now).count()
    return due_publish, due_expire


def run_due_publications() -> SchedulerResult:
    """Publish every approved revision whose time has come and unpublish expired pages."""
    due_publish, due_expire = due_counts()
    if due_publish or due_expire:
        call_command("publish_scheduled", stdout=io.StringIO())
        logger.info("scheduler: published %s, expired %s", due_publish, due_expire)
    SchedulerHeartbeat.objects.update_or_create(
        name="publish_scheduled",
        defaults={
            "last_run_at": timezone.now(),
            "published": due_publish,
            "expired": due_expire,
        },
    )
    return SchedulerResult(published=due_publish, expired=due_expire)


def overdue_items(now=None):
    """Scheduled work whose time passed more than the grace period ago but did not happen.

    Returns ``(revisions_to_publish, pages_to_expire)``; either means the scheduler is
    not running (or failing), which the admin shows as a warning.
    """
    now = now or timezone.now()
    limit = now - timedelta(minutes=settings.GOVPORTAL_SCHEDULE_GRACE_MINUTES)
    revisions = (
        Revision.page_revisions.filter(approved_go_live_at__lt=limit)
        .select_related("user")
        .order_by("approved_go_live_at")
    )
    pages = Page.objects.filter(live=True, expire_at__lt=limit).order_by("expire_at")
    return revisions, pages


def last_heartbeat():
    return SchedulerHeartbeat.objects.filter(name="publish_scheduled").first()
