"""Deadline clocks (期限计时) in working days, for every case type with a statutory period.

A clock counts working days (:mod:`govportal.core.workdays`) from a start date: the start
day is day 0, the next working day is day 1, and the period ends at the end of its last
working day (the *due date*). History is a list of events; everything else follows from
replaying them with :func:`replay` — pure functions, no database:

* ``start(on, days)``: the period begins (依申请公开: the day the request is received).
* ``pause(on, reason)`` … ``resume(on)``: the working days *after* the pause day up to and
  including the resume day do not count (条例第三十二条、第三十三条: 征求第三方和其他机关
  意见所需时间不计算在期限内; 补正 while waiting for the applicant). The due date moves by
  exactly those working days. While paused the due date is unknown (``None``) unless the
  period had already run out before the pause.
* ``extend(on, days)``: ``days`` more working days (条例第三十三条: one extension of at most 20
  working days, with the approval of the person in charge — the caller passes the limits).
* ``restart(on)``: a new period from ``on`` (条例第三十条: after a clarification, the period
  counts from the day the corrected request is received); earlier pauses no longer matter,
  extensions already granted stay.
* ``stop(on)``: the case was answered or closed; an open pause ends that day.

Reading a clock: :meth:`Clock.remaining_workdays` (working days left *after* ``today``: 0
means today is the last day, negative means overdue by that many working days),
:meth:`Clock.is_overdue`, :meth:`Clock.is_near_due`. :class:`Summary` holds just what those
need, so a list of cases can answer them from stored columns without reading the events.

The Django models :class:`~govportal.core.models.DeadlineClock` and
:class:`~govportal.core.models.ClockEvent` store a clock and its events and call these
functions; invalid transitions raise :class:`~django.core.exceptions.ValidationError`
with a Chinese message.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import models

from govportal.audit.actions import register_action

from .workdays import add_workdays, workday_checker, workdays_between

#: How many working days before the due date a case counts as near due (临近到期).
NEAR_DUE_WORKDAYS = 3


class Status(models.TextChoices):
    RUNNING = "running", "计时中"
    PAUSED = "paused", "已暂停"
    STOPPED = "stopped", "已结束"


class EventKind(models.TextChoices):
    START = "start", "开始计时"
    PAUSE = "pause", "暂停计时"
    RESUME = "resume", "恢复计时"
    EXTEND = "extend", "延长期限"
    RESTART = "restart", "重新计时"
    STOP = "stop", "结束计时"


class PauseReason(models.TextChoices):
    CLARIFICATION = "clarification", "补正（等待申请人补正）"
    THIRD_PARTY = "third_party", "征求第三方意见"
    OTHER_AGENCY = "other_agency", "征求其他机关意见"
    OTHER = "other", "其他"


AUDIT_ACTIONS = {f"deadline.{kind.value}": f"期限计时：{kind.label}" for kind in EventKind}
for _code, _label in AUDIT_ACTIONS.items():
    register_action(_code, _label)


def _fmt(day: date | None) -> str:
    return f"{day:%Y-%m-%d}" if day else ""


@dataclass(frozen=True)
class Event:
    """One step of a clock's history (the model :class:`ClockEvent` without people)."""

    kind: str
    on: date
    days: int = 0  # START: the period; EXTEND: the extra working days
    pause_reason: str = ""
    note: str = ""


@dataclass(frozen=True)
class Summary:
    """What lists need to know about a clock; stored on the clock's row.

    ``remaining_when_paused`` is the working days left when the current pause began.
    ``today`` should not be before the clock's last event.
    """

    status: str
    due_date: date | None
    remaining_when_paused: int | None = None
    stopped_on: date | None = None

    def remaining_workdays(self, today: date) -> int | None:
        """Working days left after ``today`` (0: last day; negative: overdue); for a
        paused clock the days left when it was paused; for a stopped one, the days that
        were left when it stopped. ``None`` only for a malformed summary."""
        if self.status == Status.PAUSED:
            return self.remaining_when_paused
        if self.due_date is None:
            return None
        if self.status == Status.STOPPED:
            return workdays_between(self.stopped_on, self.due_date)
        return workdays_between(today, self.due_date)

    def is_overdue(self, today: date) -> bool:
        """Past the due date and not stopped (a paused clock is overdue only if its
        period had already run out before the pause)."""
        return self.status != Status.STOPPED and self.due_date is not None and today > self.due_date

    def is_near_due(self, today: date, threshold: int = NEAR_DUE_WORKDAYS) -> bool:
        """Running, not overdue, and at most ``threshold`` working days left after today."""
        if self.status != Status.RUNNING or self.is_overdue(today):
            return False
        return workdays_between(today, self.due_date) <= threshold

    @property
    def stopped_late(self) -> bool:
        """Stopped (answered) after the due date."""
        return (
            self.status == Status.STOPPED
            and self.due_date is not None
            and self.stopped_on > self.due_date
        )


@dataclass(frozen=True)
class Clock:
    """A clock's state after some events (see the module docstring)."""

    status: str
    start: date
    allowance: int
    last_on: date
    extension_days: int = 0
    extensions: int = 0
    restarts: int = 0
    pauses: tuple[tuple[date, date | None], ...] = field(default=())
    stopped_on: date | None = None

    @property
    def total_workdays(self) -> int:
        return self.allowance + self.extension_days

    @property
    def paused_since(self) -> date | None:
        return self.pauses[-1][0] if self.status == Status.PAUSED else None

    def paused_workdays(self) -> int:
        """Working days not counted because of (closed) pauses since the last (re)start."""
        return sum(workdays_between(p, r) for p, r in self.pauses if r is not None)

    def used_workdays(self, today: date) -> int:
        """Working days of the period used up by the end of ``today``."""
        end = min(today, self.stopped_on) if self.stopped_on else today
        if end <= self.start:
            return 0
        used = workdays_between(self.start, end)
        for paused, resumed in self.pauses:
            if paused >= end:
                break
            used -= workdays_between(paused, min(resumed or end, end))
        return used

    @property
    def due_date(self) -> date | None:
        """The last day of the period, or ``None`` while paused with days still left."""
        target = self.total_workdays
        open_pause = self.paused_since
        counted = 0
        day = self.start
        closed = [(p, r) for p, r in self.pauses if r is not None]
        is_workday = workday_checker()
        while counted < target:
            day += timedelta(days=1)
            if open_pause is not None and day > open_pause:
                return None
            if not is_workday(day) or any(p < day <= r for p, r in closed):
                continue
            counted += 1
        return day

    def summary(self) -> Summary:
        remaining = None
        if self.status == Status.PAUSED:
            remaining = self.total_workdays - self.used_workdays(self.paused_since)
        return Summary(self.status, self.due_date, remaining, self.stopped_on)

    def remaining_workdays(self, today: date) -> int | None:
        return self.summary().remaining_workdays(today)

    def is_overdue(self, today: date) -> bool:
        return self.summary().is_overdue(today)

    def is_near_due(self, today: date, threshold: int = NEAR_DUE_WORKDAYS) -> bool:
        return self.summary().is_near_due(today, threshold)

    def as_audit(self) -> dict:
        """A JSON-able snapshot for the audit trail's before/after."""
        return {
            "状态": Status(self.status).label,
            "起算日": _fmt(self.start),
            "期限（工作日）": self.allowance,
            "已延长（工作日）": self.extension_days,
            "到期日": _fmt(self.due_date),
            "暂停自": _fmt(self.paused_since),
            "结束日": _fmt(self.stopped_on),
        }


def _refuse(message: str, code: str):
    raise ValidationError(message, code=code)


def apply(
    clock: Clock | None,
    event: Event,
    *,
    max_extensions: int | None = None,
    max_extension_days: int | None = None,
    max_restarts: int | None = None,
) -> Clock:
    """The clock after ``event``; :class:`ValidationError` if the step is not allowed.

    ``max_extensions`` / ``max_extension_days`` / ``max_restarts`` are the case type's
    rules (依申请公开: one extension of at most 20 working days, one clarification).
    """
    kind = event.kind
    if kind not in EventKind.values:
        _refuse(f"未知的计时操作：{kind}", "unknown")
    if kind == EventKind.START:
        if clock is not None:
            _refuse("已经开始计时，不能再次开始。", "started")
        if event.days < 1:
            _refuse("期限至少为 1 个工作日。", "days")
        return Clock(Status.RUNNING, event.on, event.days, last_on=event.on)
    if clock is None:
        _refuse("尚未开始计时。", "not_started")
    label = EventKind(kind).label
    if clock.status == Status.STOPPED:
        _refuse(f"计时已于 {_fmt(clock.stopped_on)} 结束，不能再{label}。", "stopped")
    if event.on < clock.last_on:
        _refuse(f"日期不能早于上一次计时操作的日期（{_fmt(clock.last_on)}）。", "date_order")
    clock = replace(clock, last_on=event.on)

    if kind == EventKind.PAUSE:
        if clock.status == Status.PAUSED:
            _refuse(f"计时已于 {_fmt(clock.paused_since)} 暂停，不能重复暂停。", "paused")
        if event.pause_reason not in PauseReason.values:
            _refuse("请选择暂停计时的原因。", "pause_reason")
        if event.pause_reason == PauseReason.OTHER and not event.note.strip():
            _refuse("暂停原因为“其他”时，请说明具体原因。", "note")
        return replace(clock, status=Status.PAUSED, pauses=(*clock.pauses, (event.on, None)))

    if kind == EventKind.RESUME:
        if clock.status != Status.PAUSED:
            _refuse("计时没有暂停，无需恢复。", "not_paused")
        return replace(clock, status=Status.RUNNING, pauses=_close_pause(clock, event.on))

    if kind == EventKind.EXTEND:
        if event.days < 1:
            _refuse("延长的期限至少为 1 个工作日。", "days")
        if max_extension_days is not None and event.days > max_extension_days:
            _refuse(f"每次最多延长 {max_extension_days} 个工作日。", "too_long")
        if max_extensions is not None and clock.extensions >= max_extensions:
            _refuse(
                f"期限只能延长 {max_extensions} 次，已经延长过 {clock.extensions} 次。",
                "extended",
            )
        if not event.note.strip():
            _refuse("请填写延长期限的理由。", "note")
        if clock.is_overdue(event.on):
            _refuse(f"已超过期限（{_fmt(clock.due_date)}），不能再延长。", "overdue")
        return replace(
            clock,
            extension_days=clock.extension_days + event.days,
            extensions=clock.extensions + 1,
        )

    if kind == EventKind.RESTART:
        if max_restarts is not None and clock.restarts >= max_restarts:
            _refuse(f"只能重新计时 {max_restarts} 次，已经重新计时过。", "restarted")
        return replace(
            clock, status=Status.RUNNING, start=event.on, pauses=(), restarts=clock.restarts + 1
        )

    # STOP
    return replace(
        clock, status=Status.STOPPED, stopped_on=event.on, pauses=_close_pause(clock, event.on)
    )


def _close_pause(clock: Clock, on: date) -> tuple[tuple[date, date | None], ...]:
    if clock.status != Status.PAUSED:
        return clock.pauses
    paused, _ = clock.pauses[-1]
    return (*clock.pauses[:-1], (paused, on))


def replay(events: Iterable[Event], **limits) -> Clock | None:
    """The clock after all ``events`` in order (``None`` for no events)."""
    clock = None
    for event in events:
        clock = apply(clock, event, **limits)
    return clock


def due_date(start: date, workdays: int) -> date:
    """The due date of a plain period (no pauses): ``add_workdays(start, workdays)``."""
    return add_workdays(start, workdays)


def badge(
    clock,
    today: date,
    *,
    is_open: bool,
    near_threshold: int = NEAR_DUE_WORKDAYS,
    not_started: str = "未起算",
    closed: str = "已办结",
    closed_late: str = "已办结",
) -> tuple[str, str]:
    """(css modifier, text) of a case's deadline for lists and detail pages; the text always
    says what the colour means. ``clock`` is a :class:`~govportal.core.models.DeadlineClock`
    or ``None`` (not started); ``is_open`` is the case's own state."""
    if clock is None:
        return ("", not_started)
    if not is_open:
        if clock.stopped_late:
            late = workdays_between(clock.due_date, clock.stopped_on)
            return ("late", f"{closed_late}（超期 {late} 个工作日）")
        return ("done", closed)
    if clock.status == Status.PAUSED:
        if clock.due_date and today > clock.due_date:
            return ("overdue", f"超期 {workdays_between(clock.due_date, today)} 个工作日（暂停中）")
        return ("paused", f"暂停计时（剩 {clock.remaining_when_paused} 个工作日）")
    left = clock.remaining_workdays(today)
    if left is None:
        return ("", "—")
    if left < 0:
        return ("overdue", f"超期 {-left} 个工作日")
    if clock.is_near_due(today, near_threshold):
        return ("near", f"临近到期：剩 {left} 个工作日" if left else "今天到期")
    return ("ok", f"剩 {left} 个工作日")
