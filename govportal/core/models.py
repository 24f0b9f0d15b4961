"""Platform-wide settings, the scheduler's heartbeat, the working-day calendar's overrides
and deadline clocks."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from . import deadlines, workdays


@register_setting(icon="cog")
class PlatformSettings(BaseGenericSetting):
    """平台设置: switches that apply to every site of the group at once."""

    mourning_mode = models.BooleanField(
        _("Mourning mode (all sites in grey)"),
        default=False,
        help_text=_(
            "For national memorial days, days of mourning for major disasters and the like: "
            "when on, every page of every site in the group is shown in grey."
        ),
    )
    mourning_ends_at = models.DateTimeField(
        _("Mourning mode ends at"),
        null=True,
        blank=True,
        help_text=_("Leave empty to switch it off by hand."),
    )

    panels = [FieldPanel("mourning_mode"), FieldPanel("mourning_ends_at")]

    class Meta:
        verbose_name = _("Platform settings")
        verbose_name_plural = _("Platform settings")

    @property
    def mourning_active(self) -> bool:
        if not self.mourning_mode:
            return False
        return self.mourning_ends_at is None or self.mourning_ends_at > timezone.now()


class SchedulerHeartbeat(models.Model):
    """When the built-in scheduler last ran, so the admin can tell if it stopped."""

    name = models.CharField(max_length=50, primary_key=True)
    last_run_at = models.DateTimeField()
    published = models.PositiveIntegerField(default=0)
    expired = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("Scheduler heartbeat")
        verbose_name_plural = _("Scheduler heartbeats")

    def __str__(self) -> str:
        return f"{self.name} @ {self.last_run_at:%Y-%m-%d %H:%M:%S}"


# --- Working-day calendar and deadline clocks (see workdays.py, deadlines.py) -------------


class WorkdayOverride(models.Model):
    """工作日调整: one day whose status overrides the chinesecalendar package (or, for a
    year the package does not know, Monday–Friday)."""

    date = models.DateField("日期", unique=True)
    is_workday = models.BooleanField(
        "当天上班",
        choices=[(False, "放假（不上班）"), (True, "上班（含调休上班日）")],
        default=False,
        help_text="法定节假日选“放假”；周六、周日调休上班选“上班”。",
    )
    note = models.CharField(
        "说明", max_length=100, blank=True, help_text="例如：春节、国庆节调休上班。"
    )

    class Meta:
        ordering = ["date"]
        verbose_name = "工作日调整"
        verbose_name_plural = "工作日调整"

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {'上班' if self.is_workday else '放假'}"


def _person_name(user) -> str:
    if user is None:
        return ""
    return getattr(user, "display_name", "") or user.get_username()


class DeadlineClockQuerySet(models.QuerySet):
    """List filters that agree with :meth:`DeadlineClock.is_overdue` / ``is_near_due``."""

    def overdue(self, today=None):
        today = today or timezone.localdate()
        return self.exclude(status=deadlines.Status.STOPPED).filter(due_date__lt=today)

    def near_due(self, today=None, threshold: int = deadlines.NEAR_DUE_WORKDAYS):
        today = today or timezone.localdate()
        return self.filter(
            status=deadlines.Status.RUNNING,
            due_date__gte=today,
            due_date__lte=workdays.add_workdays(today, threshold),
        )


class DeadlineClock(models.Model):
    """期限计时: a period of working days that can pause, extend, restart and stop.

    A case owns its clock through a one-to-one field on the case, e.g.::

        clock = models.OneToOneField(
            "core.DeadlineClock", on_delete=models.PROTECT, related_name="disclosure_request"
        )
        request.clock = DeadlineClock.begin(received_on, 20, actor=user)

    The events (:class:`ClockEvent`) are the history; the columns below are derived from
    them by :mod:`govportal.core.deadlines` after every step, so lists can filter and sort
    by ``status`` and ``due_date``: ``DeadlineClock.objects.overdue(today)`` and
    ``.near_due(today, threshold)`` agree with :meth:`is_overdue` and :meth:`is_near_due`.
    """

    status = models.CharField(
        "状态", max_length=10, choices=deadlines.Status.choices, default=deadlines.Status.RUNNING
    )
    start_date = models.DateField("起算日", help_text="当天不计入期限，下一个工作日为第 1 天。")
    workdays_allowed = models.PositiveSmallIntegerField("期限（工作日）")
    extension_days = models.PositiveSmallIntegerField("已延长（工作日）", default=0)
    due_date = models.DateField(
        "到期日", null=True, blank=True, db_index=True, help_text="暂停期间未定时为空。"
    )
    paused_since = models.DateField("暂停自", null=True, blank=True)
    remaining_when_paused = models.SmallIntegerField("暂停时剩余工作日", null=True, blank=True)
    stopped_on = models.DateField("结束日", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = DeadlineClockQuerySet.as_manager()

    class Meta:
        verbose_name = "期限计时"
        verbose_name_plural = "期限计时"
        indexes = [models.Index(fields=["status", "due_date"], name="core_clock_status_due")]

    def __str__(self) -> str:
        return (
            f"期限计时 #{self.pk}（{self.start_date:%Y-%m-%d} 起 "
            f"{self.workdays_allowed + self.extension_days} 个工作日）"
        )

    # --- reading ---------------------------------------------------------------------------

    @property
    def summary(self) -> deadlines.Summary:
        return deadlines.Summary(
            self.status, self.due_date, self.remaining_when_paused, self.stopped_on
        )

    def remaining_workdays(self, today=None) -> int | None:
        """Working days left after ``today`` (default: today); 0 = last day; < 0 overdue."""
        return self.summary.remaining_workdays(today or timezone.localdate())

    def is_overdue(self, today=None) -> bool:
        return self.summary.is_overdue(today or timezone.localdate())

    def is_near_due(self, today=None, threshold: int = deadlines.NEAR_DUE_WORKDAYS) -> bool:
        return self.summary.is_near_due(today or timezone.localdate(), threshold)

    @property
    def stopped_late(self) -> bool:
        return self.summary.stopped_late

    def state(self) -> deadlines.Clock | None:
        """The full state, replayed from the stored events."""
        return deadlines.replay(e.as_event() for e in self.events.order_by("pk"))

    # --- steps -----------------------------------------------------------------------------

    @classmethod
    def begin(cls, start_date, workdays: int, *, actor=None, note: str = "", audit: bool = True):
        """Create a running clock of ``workdays`` working days from ``start_date``."""
        event = deadlines.Event(deadlines.EventKind.START, start_date, days=workdays, note=note)
        clock_state = deadlines.apply(None, event)
        with transaction.atomic():
            clock = cls(start_date=start_date, workdays_allowed=workdays)
            clock._store(clock_state)
            clock.save()
            ClockEvent.record(clock, event, actor=actor)
            if audit:
                clock._audit(event, None, clock_state, actor)
        return clock

    def pause(self, on=None, *, reason: str, note: str = "", actor=None, audit: bool = True):
        """Stop counting from the day after ``on`` (default today) until resumed."""
        return self._step(
            deadlines.Event(
                deadlines.EventKind.PAUSE, self._day(on), pause_reason=reason, note=note
            ),
            actor=actor,
            audit=audit,
        )

    def resume(self, on=None, *, note: str = "", actor=None, audit: bool = True):
        """Count again from the day after ``on`` (default today)."""
        return self._step(
            deadlines.Event(deadlines.EventKind.RESUME, self._day(on), note=note),
            actor=actor,
            audit=audit,
        )

    def extend(
        self,
        days: int,
        *,
        reason: str,
        approver,
        on=None,
        actor=None,
        max_extensions: int | None = None,
        max_extension_days: int | None = None,
        audit: bool = True,
    ):
        """Add ``days`` working days, approved by ``approver`` (a user), for ``reason``."""
        if approver is None:
            raise ValidationError("延长期限须经负责人批准，请选择批准人。", code="approver")
        return self._step(
            deadlines.Event(deadlines.EventKind.EXTEND, self._day(on), days=days, note=reason),
            actor=actor,
            approver=approver,
            audit=audit,
            max_extensions=max_extensions,
            max_extension_days=max_extension_days,
        )

    def restart(
        self, on=None, *, note: str = "", actor=None, max_restarts=None, audit: bool = True
    ):
        """A new period from ``on`` (e.g. the day the clarification reply arrived)."""
        return self._step(
            deadlines.Event(deadlines.EventKind.RESTART, self._day(on), note=note),
            actor=actor,
            audit=audit,
            max_restarts=max_restarts,
        )

    def stop(self, on=None, *, note: str = "", actor=None, audit: bool = True):
        """The case is answered or closed on ``on`` (default today)."""
        return self._step(
            deadlines.Event(deadlines.EventKind.STOP, self._day(on), note=note),
            actor=actor,
            audit=audit,
        )

    # --- internals -------------------------------------------------------------------------

    @staticmethod
    def _day(on):
        return on or timezone.localdate()

    def _store(self, clock_state: deadlines.Clock) -> None:
        summary = clock_state.summary()
        self.status = clock_state.status
        self.start_date = clock_state.start
        self.workdays_allowed = clock_state.allowance
        self.extension_days = clock_state.extension_days
        self.due_date = summary.due_date
        self.paused_since = clock_state.paused_since
        self.remaining_when_paused = summary.remaining_when_paused
        self.stopped_on = clock_state.stopped_on

    def _step(self, event, *, actor=None, approver=None, audit=True, **limits):
        with transaction.atomic():
            # Lock the row so two handlers cannot both take "the one extension".
            locked = type(self).objects.select_for_update().get(pk=self.pk)
            before = locked.state()
            after = deadlines.apply(before, event, **limits)
            ClockEvent.record(locked, event, actor=actor, approver=approver)
            self._store(after)
            self.save()
            if audit:
                self._audit(event, before, after, actor, approver=approver)
        return self

    def _audit(self, event, before, after, actor, approver=None) -> None:
        from govportal.audit.services import record

        extra = {"日期": f"{event.on:%Y-%m-%d}"}
        if event.days and event.kind == deadlines.EventKind.EXTEND:
            extra["延长（工作日）"] = event.days
        if event.pause_reason:
            extra["原因"] = deadlines.PauseReason(event.pause_reason).label
        if event.note:
            extra["说明"] = event.note
        if approver is not None:
            extra["批准人"] = _person_name(approver)
        record(
            f"deadline.{event.kind}",
            user=actor,
            obj=self,
            before=before.as_audit() if before else None,
            after=after.as_audit(),
            **extra,
        )


class ClockEvent(models.Model):
    """计时记录: one step in a clock's history, with who did it and when."""

    clock = models.ForeignKey(
        DeadlineClock, on_delete=models.CASCADE, related_name="events", verbose_name="期限计时"
    )
    kind = models.CharField("操作", max_length=10, choices=deadlines.EventKind.choices)
    on = models.DateField("生效日期")
    days = models.SmallIntegerField("工作日数", default=0)
    pause_reason = models.CharField(
        "暂停原因", max_length=20, choices=deadlines.PauseReason.choices, blank=True
    )
    note = models.TextField("理由或说明", blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="操作人",
    )
    actor_name = models.CharField("操作人姓名", max_length=150, blank=True)
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="批准人",
    )
    approver_name = models.CharField("批准人姓名", max_length=150, blank=True)
    created_at = models.DateTimeField("记录时间", default=timezone.now)

    class Meta:
        ordering = ["clock", "pk"]
        verbose_name = "计时记录"
        verbose_name_plural = "计时记录"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on:%Y-%m-%d}"

    @classmethod
    def record(cls, clock, event, *, actor=None, approver=None) -> "ClockEvent":
        return cls.objects.create(
            clock=clock,
            kind=event.kind,
            on=event.on,
            days=event.days,
            pause_reason=event.pause_reason,
            note=event.note,
            actor=actor,
            actor_name=_person_name(actor),
            approver=approver,
            approver_name=_person_name(approver),
        )

    def as_event(self) -> deadlines.Event:
        return deadlines.Event(self.kind, self.on, self.days, self.pause_reason, self.note)


post_save.connect(workdays.on_override_changed, sender=WorkdayOverride)
post_delete.connect(workdays.on_override_changed, sender=WorkdayOverride)
