"""Working-day calendar (工作日历): every statutory deadline counts in these days.

A day is a working day (工作日) when:

1. an admin-edited :class:`~govportal.core.models.WorkdayOverride` for that date says so
   (it wins over everything else); otherwise
2. the ``chinesecalendar`` package knows the year (statutory holidays and 调休 make-up
   working days, as published each year by the 国务院办公厅); otherwise
3. Monday to Friday (a year the package does not know and that has no overrides yet is
   *not configured*: :func:`unconfigured_years`, the database system check
   ``govportal.core.W001`` (run by ``migrate``) and 设置 → 工作日历 say so).

Counting follows the rule for statutory periods (期间开始之日不计算在期间内): the day on
which something happens (a request is received, a clarification reply arrives) is day 0,
and **the next working day is day 1**. So ``add_workdays(received, 20)`` is the last day
to answer, and ``workdays_between(received, day)`` is how many working days of the period
have been used up by the end of ``day``.

The overrides are read once per process and kept in memory; saving or deleting an
override (through the ORM, which sends signals) clears that memory at once, and nothing is
remembered until that change commits (a rolled-back change must not linger). Other
processes (more app servers, the scheduler) re-read after :data:`CACHE_SECONDS` at the
latest; :func:`clear_cache` forces it (e.g. after ``QuerySet.update()``, which sends no
signals).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.checks import Tags, register
from django.core.checks import Warning as CheckWarning
from django.db import DatabaseError, transaction
from django.utils import timezone

import chinese_calendar
from chinese_calendar import constants as calendar_data

from govportal.audit.actions import register_action

#: How long another process may keep a stale copy of the overrides (seconds).
CACHE_SECONDS = 300

#: The years the ``chinesecalendar`` package carries data for.
PACKAGE_YEARS = frozenset(d.year for d in calendar_data.holidays)

#: From this month on, next year's schedule matters (deadlines started late in the year
#: end in the next one); the 国务院办公厅 usually publishes it in October or November.
NEXT_YEAR_FROM_MONTH = 10

AUDIT_ACTIONS = {
    "workday.override_create": "工作日历：添加调整",
    "workday.override_change": "工作日历：修改调整",
    "workday.override_delete": "工作日历：删除调整",
}
for _code, _label in AUDIT_ACTIONS.items():
    register_action(_code, _label)

_lock = threading.Lock()
_cache: dict[str, object] = {"loaded_at": None, "days": None, "unsettled": False}


def clear_cache() -> None:
    """Forget the overrides read so far; the next lookup reads them again."""
    with _lock:
        _cache.update(loaded_at=None, days=None, unsettled=False)


def overrides() -> dict[date, bool]:
    """Every override as ``{date: is_workday}`` (one query per process, see module doc)."""
    with _lock:
        loaded_at = _cache["loaded_at"]
        if loaded_at is not None and time.monotonic() - loaded_at < CACHE_SECONDS:
            return _cache["days"]  # type: ignore[return-value]
        unsettled = _cache["unsettled"]
    from .models import WorkdayOverride

    try:
        days = dict(WorkdayOverride.objects.values_list("date", "is_workday"))
    except DatabaseError:
        # Before ``migrate`` (system checks, the first deploy): no overrides yet. Do not
        # remember this answer; the table may exist on the next call.
        return {}
    if unsettled and transaction.get_connection().in_atomic_block:
        # An override changed in a transaction that has not committed yet (it may still
        # roll back): answer from the database but do not remember the answer.
        return days
    with _lock:
        _cache.update(days=days, loaded_at=time.monotonic(), unsettled=False)
    return days


def on_override_changed(**kwargs) -> None:
    """Signal receiver (post_save/post_delete of WorkdayOverride).

    Drops the cached set and stops caching until the change commits (then it is dropped
    again) or, if the change rolls back, until a lookup outside any transaction.
    """
    with _lock:
        _cache.update(loaded_at=None, days=None, unsettled=True)
    transaction.on_commit(clear_cache)


def _as_date(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def package_knows(year: int) -> bool:
    """Whether the ``chinesecalendar`` package has the statutory schedule for ``year``."""
    return year in PACKAGE_YEARS


def is_workday(day: date | datetime) -> bool:
    """Whether ``day`` is a working day (override → package → Monday–Friday)."""
    return _is_workday_with(_as_date(day), overrides())


def workday_checker():
    """``is_workday`` bound to one read of the overrides, for loops over many days."""
    days = overrides()
    return lambda day: _is_workday_with(_as_date(day), days)


def add_workdays(start: date | datetime, n: int) -> date:
    """The ``n``-th working day after ``start`` (``start`` itself is day 0 and never counts).

    ``add_workdays(received, 20)`` is the 20th working day after the day of receipt, i.e.
    the last day of a 20-working-day period. ``n == 0`` returns ``start`` unchanged (even
    if it is a holiday); a negative ``n`` counts backwards (the ``|n|``-th working day
    before ``start``).
    """
    day = _as_date(start)
    days = overrides()
    step = timedelta(days=1 if n >= 0 else -1)
    remaining = abs(n)
    while remaining:
        day += step
        if _is_workday_with(day, days):
            remaining -= 1
    return day


def workdays_between(a: date | datetime, b: date | datetime) -> int:
    """Working days after ``a`` up to and including ``b``.

    ``workdays_between(received, today)`` is how many working days of a period starting at
    ``received`` are used up by the end of ``today``. Zero when ``a == b``; negative (minus
    the working days after ``b`` up to and including ``a``) when ``b`` is before ``a``, so
    that ``add_workdays(a, workdays_between(a, b)) == b`` whenever ``b`` is a working day.
    """
    a, b = _as_date(a), _as_date(b)
    if b < a:
        return -workdays_between(b, a)
    days = overrides()
    count = 0
    day = a
    while day < b:
        day += timedelta(days=1)
        if _is_workday_with(day, days):
            count += 1
    return count


def next_workday(day: date | datetime, *, include_today: bool = False) -> date:
    """The first working day after ``day`` (or ``day`` itself if ``include_today`` and it is
    a working day — e.g. an online request submitted on a holiday is received on the
    next working day: ``next_workday(submitted, include_today=True)``)."""
    day = _as_date(day)
    if include_today and is_workday(day):
        return day
    return add_workdays(day, 1)


def _is_workday_with(day: date, days: dict[date, bool]) -> bool:
    override = days.get(day)
    if override is not None:
        return override
    if day.year in PACKAGE_YEARS:
        return chinese_calendar.is_workday(day)
    return day.weekday() < 5


# --- Coverage: which years are configured -----------------------------------------------


@dataclass(frozen=True)
class YearCoverage:
    """How the calendar of one year is known (shown in 设置 → 工作日历)."""

    year: int
    in_package: bool
    override_count: int

    @property
    def configured(self) -> bool:
        return self.in_package or self.override_count > 0

    @property
    def source(self) -> str:
        if self.in_package and self.override_count:
            return "chinesecalendar 软件包 + 本地调整"
        if self.in_package:
            return "chinesecalendar 软件包"
        if self.override_count:
            return "本地配置"
        return "未配置（按周一至周五计算）"

    @property
    def warning(self) -> str:
        return "" if self.configured else unconfigured_message(self.year)


def unconfigured_message(year: int) -> str:
    return (
        f"{year} 年的法定节假日尚未配置：系统暂按周一至周五为工作日计算期限，"
        f"节假日和调休上班日都不会被考虑。请在国务院办公厅公布 {year} 年部分节假日安排后，"
        f"到“设置 → 工作日历”逐日录入放假日和调休上班日，或升级 chinesecalendar 软件包。"
    )


def year_coverage(years) -> list[YearCoverage]:
    """Coverage of each of ``years`` (in the order given)."""
    counts: dict[int, int] = {}
    for day in overrides():
        counts[day.year] = counts.get(day.year, 0) + 1
    return [YearCoverage(y, package_knows(y), counts.get(y, 0)) for y in years]


def years_that_matter(today: date | None = None) -> list[int]:
    """This year, and next year from October on (periods started now end there)."""
    today = today or timezone.localdate()
    years = [today.year]
    if today.month >= NEXT_YEAR_FROM_MONTH:
        years.append(today.year + 1)
    return years


def unconfigured_years(today: date | None = None) -> list[int]:
    """The years that matter now (see :func:`years_that_matter`) but are not configured."""
    return [c.year for c in year_coverage(years_that_matter(today)) if not c.configured]


@register(Tags.database)
def check_calendar_configured(app_configs, databases=None, **kwargs):
    """``govportal.core.W001``: a year that matters now has no holiday schedule.

    A database check (it reads the overrides): shown by ``migrate`` and by
    ``check --database default``, not by a plain ``check --deploy``, which must not fail
    only because next year's schedule has not been published yet.
    """
    if not databases:
        return []
    return [
        CheckWarning(
            unconfigured_message(year),
            hint="设置 → 工作日历（/admin/workdays/）",
            id="govportal.core.W001",
        )
        for year in unconfigured_years()
    ]
