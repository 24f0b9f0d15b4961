"""Deadline clocks: pauses, extensions, restarts, overdue and near-due, refused steps.

Dates are counted by hand against the 2025/2026 holiday schedules (国务院办公厅 notices;
see ``test_workdays.py``, which also cross-checks them with ``chinesecalendar``). The
start day is day 0; the due date is the last working day of the period.
"""

from datetime import date

from django.core.exceptions import ValidationError

import pytest

from govportal.audit.models import AuditRecord
from govportal.conftest import make_user
from govportal.core import deadlines, workdays
from govportal.core.deadlines import Event, EventKind, PauseReason, Status
from govportal.core.models import ClockEvent, DeadlineClock

pytestmark = pytest.mark.django_db


def d(text: str) -> date:
    return date.fromisoformat(text)


@pytest.fixture(autouse=True)
def fresh_calendar():
    workdays.clear_cache()
    yield
    workdays.clear_cache()


@pytest.fixture
def handler():
    return make_user("handler", display_name="承办人甲")


@pytest.fixture
def chief():
    return make_user("chief", display_name="负责人乙")


# --- pure functions ----------------------------------------------------------------------

PAUSES = [
    # start, pause on, resume on, due without pause, due with pause, paused working days
    (
        "2025-03-03",
        "2025-03-10",
        "2025-03-14",
        "2025-03-31",
        "2025-04-07",  # 4 days later, stepping over 清明 (4/4)
        4,
    ),
    (
        "2026-02-02",
        "2026-02-12",
        "2026-02-26",
        "2026-03-06",
        "2026-03-13",  # paused over 春节: 2/13, Sat 2/14, 2/24, 2/25, 2/26 do not count
        5,
    ),
    (
        "2025-09-22",
        "2025-09-26",
        "2025-10-10",
        "2025-10-24",
        "2025-10-31",  # paused over 国庆: Sun 9/28, 9/29, 9/30, 10/9, 10/10
        5,
    ),
    (
        "2026-09-14",
        "2026-09-30",
        "2026-10-09",
        "2026-10-16",
        "2026-10-20",  # 10/8, 10/9 do not count; the make-up Sat 10/10 does
        2,
    ),
    ("2025-03-03", "2025-03-08", "2025-03-09", "2025-03-31", "2025-03-31", 0),  # a weekend
]


@pytest.mark.parametrize(("start", "pause", "resume", "due", "moved", "paused_days"), PAUSES)
def test_pause_moves_the_due_date_by_the_paused_working_days(
    start, pause, resume, due, moved, paused_days
):
    clock = deadlines.replay([Event(EventKind.START, d(start), days=20)])
    assert clock.due_date == d(due)
    clock = deadlines.apply(
        clock, Event(EventKind.PAUSE, d(pause), pause_reason=PauseReason.THIRD_PARTY)
    )
    assert clock.status == Status.PAUSED
    assert clock.due_date is None  # unknown until it resumes
    assert clock.is_overdue(d(resume)) is False
    remaining = clock.remaining_workdays(d(resume))
    assert remaining == 20 - workdays.workdays_between(d(start), d(pause))
    clock = deadlines.apply(clock, Event(EventKind.RESUME, d(resume)))
    assert clock.due_date == d(moved)
    assert clock.paused_workdays() == paused_days
    assert workdays.add_workdays(d(due), paused_days) == d(moved) or paused_days == 0
    assert clock.remaining_workdays(d(resume)) == remaining  # nothing used while paused


EXTENSIONS = [
    # start, extend by, due, extended due
    ("2025-09-22", 20, "2025-10-24", "2025-11-21"),
    # due on the make-up Saturday 2/14; the extension runs across 2026 春节
    ("2026-01-19", 20, "2026-02-14", "2026-03-20"),
    ("2026-01-19", 5, "2026-02-14", "2026-02-28"),  # ends on the make-up Saturday 2/28
]


@pytest.mark.parametrize(("start", "days", "due", "extended"), EXTENSIONS)
def test_extension_adds_working_days(start, days, due, extended, handler, chief):
    clock = DeadlineClock.begin(d(start), 20, actor=handler)
    assert clock.due_date == d(due)
    clock.extend(days, reason="涉及多个部门，需协调", approver=chief, on=d(due), actor=handler)
    clock.refresh_from_db()
    assert clock.due_date == d(extended)
    assert clock.extension_days == days
    event = clock.events.get(kind=EventKind.EXTEND)
    assert (event.days, event.approver, event.approver_name) == (days, chief, "负责人乙")
    record = AuditRecord.objects.get(action="deadline.extend")
    assert record.username == "handler"
    assert record.extra["批准人"] == "负责人乙"
    assert record.before["到期日"] == due and record.after["到期日"] == extended


def test_clarification_restarts_the_clock_from_the_reply(handler):
    clock = DeadlineClock.begin(d("2026-02-09"), 20, actor=handler)
    assert clock.due_date == d("2026-03-13")
    clock.pause(d("2026-02-10"), reason=PauseReason.CLARIFICATION, actor=handler)
    assert clock.due_date is None and clock.remaining_workdays(d("2026-02-27")) == 19
    clock.restart(d("2026-03-02"), note="申请人提交补正材料", actor=handler, max_restarts=1)
    assert (clock.status, clock.start_date, clock.due_date) == (
        Status.RUNNING,
        d("2026-03-02"),
        d("2026-03-30"),
    )
    assert clock.remaining_workdays(d("2026-03-02")) == 20
    with pytest.raises(ValidationError, match="只能重新计时 1 次"):
        clock.restart(d("2026-03-05"), actor=handler, max_restarts=1)
    kinds = list(clock.events.values_list("kind", flat=True))
    assert kinds == ["start", "pause", "restart"]


# today, remaining working days after today, overdue, near due (threshold 3)
# clock: received 2025-01-20, 20 working days → due 2025-02-21 (Friday)
READINGS = [
    ("2025-01-20", 20, False, False),
    ("2025-01-27", 14, False, False),  # 1/21–1/24, Sun 1/26, 1/27 used
    ("2025-02-01", 14, False, False),  # holiday: nothing used since 1/27
    ("2025-02-14", 5, False, False),
    ("2025-02-18", 3, False, True),
    ("2025-02-20", 1, False, True),
    ("2025-02-21", 0, False, True),  # the last day
    ("2025-02-22", 0, True, False),  # Saturday after: overdue although no working day passed
    ("2025-02-24", -1, True, False),
    ("2025-03-07", -10, True, False),
]


@pytest.mark.parametrize(("today", "remaining", "overdue", "near"), READINGS)
def test_overdue_and_near_due(today, remaining, overdue, near):
    clock = DeadlineClock.begin(d("2025-01-20"), 20)
    day = d(today)
    assert clock.remaining_workdays(day) == remaining
    assert clock.is_overdue(day) is overdue
    assert clock.is_near_due(day) is near
    # the stored columns answer exactly like the replayed history
    state = clock.state()
    assert state.remaining_workdays(day) == remaining
    assert state.total_workdays - state.used_workdays(day) == remaining
    # and lists find them by their columns
    assert DeadlineClock.objects.overdue(day).exists() is overdue
    assert DeadlineClock.objects.near_due(day).exists() is near


def test_near_due_threshold_is_the_callers():
    clock = DeadlineClock.begin(d("2025-01-20"), 20)
    assert not clock.is_near_due(d("2025-02-14"))
    assert clock.is_near_due(d("2025-02-14"), threshold=5)


def test_a_paused_clock_is_neither_near_due_nor_overdue_unless_already_late():
    clock = DeadlineClock.begin(d("2025-01-20"), 20)
    clock.pause(d("2025-02-19"), reason=PauseReason.THIRD_PARTY)
    assert clock.remaining_workdays(d("2025-03-20")) == 2
    assert not clock.is_near_due(d("2025-03-20")) and not clock.is_overdue(d("2025-03-20"))

    late = DeadlineClock.begin(d("2025-01-20"), 20)
    late.pause(d("2025-02-24"), reason=PauseReason.OTHER_AGENCY)
    assert late.due_date == d("2025-02-21")  # the period had run out before the pause
    assert late.remaining_workdays(d("2025-03-20")) == -1
    assert late.is_overdue(d("2025-03-20"))
    assert list(DeadlineClock.objects.overdue(d("2025-03-20"))) == [late]


@pytest.mark.parametrize(
    ("stop_on", "late", "remaining"),
    [("2025-02-20", False, 1), ("2025-02-21", False, 0), ("2025-02-25", True, -2)],
)
def test_stopping_freezes_the_clock(stop_on, late, remaining):
    clock = DeadlineClock.begin(d("2025-01-20"), 20)
    clock.stop(d(stop_on), note="已答复")
    assert clock.status == Status.STOPPED and clock.stopped_on == d(stop_on)
    assert clock.stopped_late is late
    assert not clock.is_overdue(d("2025-06-01")) and not clock.is_near_due(d("2025-02-21"))
    assert clock.remaining_workdays(d("2025-06-01")) == remaining


def test_stopping_a_paused_clock_ends_the_pause():
    clock = DeadlineClock.begin(d("2025-03-03"), 20)
    clock.pause(d("2025-03-10"), reason=PauseReason.THIRD_PARTY)
    clock.stop(d("2025-03-14"))
    assert clock.due_date == d("2025-04-07") and clock.paused_since is None


# --- refused steps -----------------------------------------------------------------------


def _running():
    return DeadlineClock.begin(d("2025-03-03"), 20)


def _paused():
    clock = _running()
    clock.pause(d("2025-03-05"), reason=PauseReason.THIRD_PARTY)
    return clock


def _stopped():
    clock = _running()
    clock.stop(d("2025-03-20"))
    return clock


def _extended():
    clock = _running()
    clock.extend(20, reason="情况复杂", approver=make_user("boss"), on=d("2025-03-20"))
    return clock


REFUSED = [
    (
        _paused,
        "pause",
        {"on": d("2025-03-06"), "reason": PauseReason.CLARIFICATION},
        "不能重复暂停",
    ),
    (_running, "resume", {"on": d("2025-03-06")}, "计时没有暂停"),
    (_stopped, "pause", {"on": d("2025-03-21"), "reason": PauseReason.THIRD_PARTY}, "计时已于"),
    (_stopped, "resume", {"on": d("2025-03-21")}, "不能再恢复计时"),
    (_stopped, "restart", {"on": d("2025-03-21")}, "不能再重新计时"),
    (_stopped, "stop", {"on": d("2025-03-21")}, "不能再结束计时"),
    (_running, "pause", {"on": d("2025-03-01"), "reason": PauseReason.THIRD_PARTY}, "不能早于"),
    (_running, "pause", {"on": d("2025-03-05"), "reason": ""}, "请选择暂停计时的原因"),
    (_running, "pause", {"on": d("2025-03-05"), "reason": PauseReason.OTHER}, "请说明具体原因"),
    (
        _extended,
        "extend",
        {"days": 5, "reason": "再延", "on": d("2025-03-25"), "max_extensions": 1},
        "期限只能延长 1 次",
    ),
    (
        _running,
        "extend",
        {"days": 21, "reason": "复杂", "on": d("2025-03-20"), "max_extension_days": 20},
        "每次最多延长 20 个工作日",
    ),
    (_running, "extend", {"days": 0, "reason": "复杂", "on": d("2025-03-20")}, "至少为 1 个工作日"),
    (_running, "extend", {"days": 5, "reason": " ", "on": d("2025-03-20")}, "请填写延长期限的理由"),
    (_running, "extend", {"days": 5, "reason": "迟了", "on": d("2025-04-01")}, "已超过期限"),
    (_running, "extend", {"days": 5, "reason": "复杂", "approver": None}, "须经负责人批准"),
]


@pytest.mark.parametrize(("make", "step", "kwargs", "message"), REFUSED)
def test_invalid_steps_are_refused(make, step, kwargs, message):
    clock = make()
    if step == "extend":
        kwargs = {"approver": make_user("approver"), **kwargs}
    before = (clock.events.count(), AuditRecord.objects.count())
    due = DeadlineClock.objects.get(pk=clock.pk).due_date
    with pytest.raises(ValidationError, match=message):
        getattr(clock, step)(**kwargs)
    assert (clock.events.count(), AuditRecord.objects.count()) == before, "nothing recorded"
    assert DeadlineClock.objects.get(pk=clock.pk).due_date == due


def test_a_clock_cannot_start_twice_or_with_no_days():
    clock = deadlines.replay([Event(EventKind.START, d("2025-03-03"), days=20)])
    with pytest.raises(ValidationError, match="已经开始计时"):
        deadlines.apply(clock, Event(EventKind.START, d("2025-03-04"), days=20))
    with pytest.raises(ValidationError, match="至少为 1 个工作日"):
        DeadlineClock.begin(d("2025-03-03"), 0)
    with pytest.raises(ValidationError, match="尚未开始计时"):
        deadlines.apply(None, Event(EventKind.PAUSE, d("2025-03-03"), pause_reason="other"))


# --- history and audit -------------------------------------------------------------------


def test_every_step_is_kept_with_actor_and_audited(handler, chief):
    clock = DeadlineClock.begin(d("2025-09-22"), 20, actor=handler)
    clock.pause(
        d("2025-09-24"), reason=PauseReason.THIRD_PARTY, note="征求某公司意见", actor=handler
    )
    clock.resume(d("2025-10-15"), actor=handler)
    clock.extend(20, reason="需要进一步核实", approver=chief, on=d("2025-10-20"), actor=handler)
    clock.stop(d("2025-11-20"), note="已答复", actor=handler)

    events = list(ClockEvent.objects.filter(clock=clock))
    assert [e.kind for e in events] == ["start", "pause", "resume", "extend", "stop"]
    assert {e.actor_name for e in events} == {"承办人甲"}
    assert events[1].get_pause_reason_display() == "征求第三方意见"
    assert all(e.created_at for e in events)

    codes = list(
        AuditRecord.objects.filter(action__startswith="deadline.")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert codes == [f"deadline.{k}" for k in ("start", "pause", "resume", "extend", "stop")]
    pause = AuditRecord.objects.get(action="deadline.pause")
    assert pause.object_id == str(clock.pk) and pause.extra["原因"] == "征求第三方意见"

    # the history replays to the stored state
    state = clock.state()
    assert state.due_date == clock.due_date
    assert state.status == Status.STOPPED and not clock.stopped_late
    # paused: 9/25, 9/26, Sun 9/28, 9/29, 9/30, 10/9, 10/10, Sat 10/11, 10/13, 10/14, 10/15
    assert state.paused_workdays() == 11
    # 2 days used before the pause, 18 after 10/15 → 11/10; extended by 20 → 12/8
    assert clock.due_date == d("2025-12-08")
