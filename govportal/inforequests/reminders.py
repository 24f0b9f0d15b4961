"""Daily reminders to 承办人 about near-due and overdue requests, and lapsed consultations.

``run_reminders_if_due()`` is called by ``run_scheduler`` on every pass and does the work
once a day (the pattern of :func:`govportal.audit.scheduler.prune_audit_if_due`);
``manage.py send_request_reminders`` runs it by hand.
"""

import logging
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from govportal.core.models import SchedulerHeartbeat
from govportal.core.workdays import workdays_between
from govportal.personal.models import Message
from govportal.personal.services import notify

from . import services
from .models import DisclosureRequest

logger = logging.getLogger(__name__)

HEARTBEAT = "inforequest_reminders"
EVERY = timedelta(days=1)
NEAR_TITLE = "依申请公开办件即将到期："
OVERDUE_TITLE = "依申请公开办件已超期："


def _already_sent(user, title) -> bool:
    """A reminder with this title went to ``user`` earlier today (the real day)."""
    return Message.objects.filter(
        recipient=user, title=title, created_at__date=timezone.localdate()
    ).exists()


def send_reminders(today=None) -> dict[str, int]:
    """Resume lapsed consultations, then one 站内信 per handler per case per day."""
    today = today or timezone.localdate()
    sent = {"near_due": 0, "overdue": 0, "resumed": services.resume_lapsed_consultations(today)}
    base = DisclosureRequest.objects.select_related("clock").prefetch_related("handlers")
    groups = (
        ("overdue", OVERDUE_TITLE, services.overdue(base, today)),
        ("near_due", NEAR_TITLE, services.near_due(base, today)),
    )
    for key, prefix, queryset in groups:
        for request_obj in queryset:
            due = request_obj.clock.due_date
            left = workdays_between(today, due)
            if key == "overdue":
                body = f"申请“{request_obj.subject}”已超过答复期限（{due:%Y-%m-%d}）{-left} 个工作日，请尽快答复。"
            else:
                body = f"申请“{request_obj.subject}”的答复期限为 {due:%Y-%m-%d}，还剩 {left} 个工作日。"
            title = f"{prefix}{request_obj.tracking_code}"
            for handler in request_obj.handlers.all():
                if not handler.is_active or _already_sent(handler, title):
                    continue
                notify(
                    handler,
                    title,
                    body,
                    important=key == "overdue",
                    link=reverse("inforequests_admin:detail", args=(request_obj.pk,)),
                )
                sent[key] += 1
    return sent


def run_reminders_if_due(now=None) -> bool:
    """Send the reminders once a day; True if they ran."""
    now = now or timezone.now()
    last = SchedulerHeartbeat.objects.filter(name=HEARTBEAT).first()
    if last is not None and timezone.localdate(now) <= timezone.localdate(last.last_run_at):
        return False
    result = send_reminders(timezone.localdate(now))
    SchedulerHeartbeat.objects.update_or_create(name=HEARTBEAT, defaults={"last_run_at": now})
    if any(result.values()):
        logger.info("inforequests reminders: %s", result)
    return True
