"""Daily 来信 reminders and escalation: near-due and overdue 站内信 to the lead unit's
handlers, automatic 督办 of overdue letters, the hard alarm well before 3 months, and
closing answers left unrated for REOPEN_DAYS; and the monthly publication of the letter
statistics (:func:`.stats.publish_due_months`).

``run_letter_reminders_if_due()`` is called by ``run_scheduler`` on every pass and does the
work once a day (like :mod:`govportal.inforequests.reminders`);
``manage.py send_letter_reminders`` runs it by hand.
"""

import logging
from datetime import timedelta

from django.utils import timezone

from govportal.audit.services import record
from govportal.core.models import SchedulerHeartbeat
from govportal.core.workdays import workdays_between
from govportal.personal.models import Message
from govportal.personal.services import notify

from . import services, stats
from .models import Letter
from .taxonomy import HARD_ALARM_DAYS

logger = logging.getLogger(__name__)

HEARTBEAT = "letter_reminders"
NEAR_TITLE = "来信即将到期："
OVERDUE_TITLE = "来信已超期："
ALARM_TITLE = "来信超长未答复告警："
#: The inspection's limit for an unanswered consultation (about 3 months).
THREE_MONTHS_DAYS = 90


def _already_sent(user, title, today) -> bool:
    return Message.objects.filter(recipient=user, title=title, created_at__date=today).exists()


def _remind(letters, prefix, body_for, today, *, important) -> int:
    sent = 0
    for letter in letters:
        lead = services.lead_assignment(letter)
        if lead is None:
            continue
        title = f"{prefix}{letter.tracking_code}"
        for user in services.staff_of([lead.organization_id], "handle_letter"):
            if _already_sent(user, title, timezone.localdate()):
                continue
            notify(user, title, body_for(letter), important=important,
                   link=services.admin_url(letter))  # fmt: skip
            sent += 1
    return sent


def escalate_overdue(today) -> int:
    """An open Supervision (automatic) for every overdue letter without one."""
    created = 0
    for letter in services.overdue(Letter.objects.select_related("clock", "mailbox"), today):
        if services.open_supervision(letter) is not None or not services.supervising_units(letter):
            continue
        due = letter.clock.due_date
        services.supervise(
            letter,
            f"超过答复期限（{due:%Y-%m-%d}）{workdays_between(due, today)} 个工作日未答复",
            automatic=True,
        )
        created += 1
    return created


def hard_alarms(today) -> int:
    """Open letters accepted ≥ HARD_ALARM_DAYS calendar days ago: alarm once."""
    cutoff = today - timedelta(days=HARD_ALARM_DAYS)
    raised = 0
    letters = Letter.objects.open().filter(accepted_on__lte=cutoff, hard_alarm_at__isnull=True)
    for letter in letters.select_related("mailbox"):
        left = THREE_MONTHS_DAYS - (today - letter.accepted_on).days
        letter.hard_alarm_at = timezone.now()
        letter.save(update_fields=["hard_alarm_at", "updated_at"])
        services.event(letter, "hard_alarm", "", public=False,
                       note=f"受理已 {(today - letter.accepted_on).days} 天仍未答复，距3个月期限仅剩{left}天。")  # fmt: skip
        record("letter.hard_alarm", obj=letter, after={"剩余天数": left})
        title = f"{ALARM_TITLE}{letter.tracking_code}"
        body = (f"来信“{letter.title}”于{letter.accepted_on:%Y-%m-%d}受理，至今未答复，"
                f"距3个月期限仅剩{left}天，请立即督促办理。")  # fmt: skip
        units = {u.pk for u in services.handling_units(letter.mailbox)}
        for codename, unit_ids in (
            ("dispatch_letter", units),
            ("supervise_letter", units | {u.pk for u in services.supervising_units(letter)}),
        ):
            for user in services.staff_of(list(unit_ids), codename):
                if not _already_sent(user, title, timezone.localdate()):
                    notify(user, title, body, important=True, link=services.admin_url(letter))
        raised += 1
    return raised


def send_reminders(today=None) -> dict[str, int]:
    today = today or timezone.localdate()
    base = Letter.objects.select_related("clock", "mailbox")

    def near_body(letter):
        due = letter.clock.due_date
        return f"来信“{letter.title}”的答复期限为 {due:%Y-%m-%d}，还剩 {workdays_between(today, due)} 个工作日。"

    def overdue_body(letter):
        due = letter.clock.due_date
        return f"来信“{letter.title}”已超过答复期限（{due:%Y-%m-%d}）{workdays_between(due, today)} 个工作日，请尽快答复。"

    result = {
        "near_due": _remind(services.near_due(base, today), NEAR_TITLE, near_body, today,
                            important=False),
        "overdue": _remind(services.overdue(base, today), OVERDUE_TITLE, overdue_body, today,
                           important=True),
    }  # fmt: skip
    result["supervised"] = escalate_overdue(today)
    result["hard_alarm"] = hard_alarms(today)
    result["closed"] = services.close_unrated(today)
    return result


def run_letter_reminders_if_due(now=None) -> bool:
    """Send the reminders once a day; True if they ran."""
    now = now or timezone.now()
    last = SchedulerHeartbeat.objects.filter(name=HEARTBEAT).first()
    if last is not None and timezone.localdate(now) <= timezone.localdate(last.last_run_at):
        return False
    result = send_reminders(timezone.localdate(now))
    # 来信统计: publish the previous month's figures once it is over (idempotent).
    result["stats_published"] = len(stats.publish_due_months(timezone.localdate(now)))
    SchedulerHeartbeat.objects.update_or_create(name=HEARTBEAT, defaults={"last_run_at": now})
    if any(result.values()):
        logger.info("letter reminders: %s", result)
    return True
