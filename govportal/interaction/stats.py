"""来信统计: letter statistics per mailbox, unit or month of a period, and the monthly
publication of each site's figures (每月公开).

:func:`compute` reads the letters of a scope (a ``Letter`` queryset: a site's mailboxes, or
what a staff member may see) with **one** ``values()`` query and counts in Python. The
period is ``[start, end]``, both dates inclusive, in local time (``TIME_ZONE``,
Asia/Shanghai): a letter submitted at 23:59 on ``end`` counts, one at 00:00 the day after
does not.

Every figure, precisely (what the tables, the Excel file and the page's 统计口径 say):

收到
    Letters whose 来信时间 (``submitted_at``, local date) is in the period, whatever their
    state now: 收到 = 受理 + 不予受理 + 合并 + 待受理.
合并
    Of those received, the ones merged into another letter (state 已合并), even if they had
    been accepted before the merge.
受理
    Of those received, the ones accepted (受理日期 set) and not merged.
不予受理
    Of those received, the ones in state 不予受理.
待受理
    Of those received, the ones still waiting for 受理 (state 待受理).
已答复
    Letters whose 答复日期 (``answered_on``, the day the answer was approved) is in the
    period, whenever they were received. A reopened letter counts by its latest answer.
按期答复
    Of those answered, the ones answered on or before the due date of their answer period
    (``answered_on <= clock.due_date``; the due date includes extensions).
超期答复
    已答复 − 按期答复: answered after the due date.
超期未答
    Letters accepted on or before the period's last day, not merged or rejected, that had no
    answer at the end of that day (never answered, answered later, or reopened and not yet
    answered again) and whose due date is before that day. A letter with a paused clock (no
    due date) is not overdue. In the 按月 grouping each month is checked at its own last
    day (or the period's last day), so the rows do not add up to the total.
平均答复用时（工作日）
    Over the letters answered in the period: the mean of the working days from 受理日期 to
    答复日期 (:func:`govportal.core.workdays.workdays_between`: weekends, statutory holidays
    and 调休 make-up days counted as the calendar says; the day of 受理 is not counted,
    the day of the answer is), rounded half up to one decimal. “—” when nothing was
    answered.
按期率
    按期答复 ÷ 已答复, a percentage with one decimal; “—” when nothing was answered.
满意 / 基本满意 / 不满意 / 已评价
    Letters whose writer rated the answer in the period (``rated_at``, local date), by
    rating; 已评价 is their sum. A rating withdrawn by reopening no longer counts.
满意率
    (满意 + 基本满意) ÷ 已评价, a percentage with one decimal; “—” when nothing was rated.

Grouping: **mailbox** — the letter's mailbox; **unit** — the lead unit: the answering unit
(答复部门) if answered, else the unit holding the letter as 主办 (not returned), else
“未派单”; **month** — each figure counts in the month of its own date (来信, 答复, 评价).

Publication (:func:`publish_month`): the figures of a site's mailboxes for a complete month,
frozen as JSON in :class:`~.models.LetterMonthlyReport` (a later change of a letter does not
alter a published month) and shown at ``/letters/stats/``. :func:`publish_due_months`, run
by the daily letter job, publishes the previous month for every site with mailboxes.
"""

import calendar
import io
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from wagtail.models import Site

from govportal.audit.actions import register_action
from govportal.audit.services import record
from govportal.core.workdays import workdays_between

from .models import Letter, LetterAssignment, LetterMonthlyReport, MailboxPage
from .taxonomy import AssignmentRole, AssignmentStatus, Satisfaction, Status

GROUPS = {"mailbox": "信箱", "unit": "承办单位", "month": "月份"}
NO_UNIT = "未派单"
TOTAL_LABEL = "合计"

ACTIONS = {
    "letter.stats_publish": "来信统计：按月公开",
    "export.letter_stats": "导出来信统计",
}


def register_actions() -> None:
    for code, label in ACTIONS.items():
        register_action(code, label)


#: (attribute, column heading) of every figure, in table order.
COLUMNS = [
    ("received", "收到"),
    ("accepted", "受理"),
    ("rejected", "不予受理"),
    ("merged", "合并"),
    ("waiting", "待受理"),
    ("answered", "已答复"),
    ("on_time", "按期答复"),
    ("late", "超期答复"),
    ("overdue_open", "超期未答"),
    ("avg_workdays_text", "平均答复用时（工作日）"),
    ("on_time_rate_text", "按期率"),
    ("satisfied", "满意"),
    ("basically", "基本满意"),
    ("dissatisfied", "不满意"),
    ("rated", "已评价"),
    ("satisfaction_rate_text", "满意率"),
]

#: The definitions shown under the tables (keep in step with the module docstring).
DEFINITIONS = [
    ("统计期间", "按北京时间计算，起止日期均包含在内。"),
    ("收到", "来信时间在统计期间内的来信，包括后来合并、不予受理和尚未受理的来信。收到 = 受理 + 不予受理 + 合并 + 待受理。"),
    ("受理", "收到的来信中已受理且未被合并的件数。"),
    ("不予受理", "收到的来信中不予受理的件数。"),
    ("合并", "收到的来信中与其他来信反映同一事项、已合并办理的件数。"),
    ("待受理", "收到的来信中尚未受理的件数。"),
    ("已答复", "答复日期在统计期间内的来信（不论何时来信）；重新办理的来信按最近一次答复计。"),
    ("按期答复", "已答复的来信中，答复日期不晚于答复期限（含延期）的件数；超期答复 = 已答复 − 按期答复。"),
    ("超期未答", "截至统计期间最后一天已受理、尚未答复且已过答复期限的来信（按月统计时按各月最后一天计）。"),
    ("平均答复用时", "统计期间内已答复来信从受理到答复所用工作日的平均数（不含受理当日，节假日和周末不计，调休上班日计入），保留一位小数。"),
    ("按期率", "按期答复 ÷ 已答复。"),
    ("满意率", "写信人在统计期间内评价的来信中，（满意 + 基本满意）÷ 已评价。"),
    ("承办单位", "已答复的按答复部门统计，未答复的按主办单位统计，尚未派单的列为“未派单”。"),
]  # fmt: skip

ONE_DECIMAL = Decimal("0.1")


def _one_decimal(value: Decimal) -> Decimal:
    return value.quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def _percent(part: int, whole: int) -> Decimal | None:
    return _one_decimal(Decimal(part) * 100 / whole) if whole else None


@dataclass
class StatsRow:
    """One row of the table: a mailbox, a unit, a month or the total (合计)."""

    key: str
    label: str
    received: int = 0
    accepted: int = 0
    rejected: int = 0
    merged: int = 0
    waiting: int = 0
    answered: int = 0
    on_time: int = 0
    overdue_open: int = 0
    workdays_total: int = 0
    satisfied: int = 0
    basically: int = 0
    dissatisfied: int = 0
    is_total: bool = field(default=False)

    @property
    def late(self) -> int:
        return self.answered - self.on_time

    @property
    def rated(self) -> int:
        return self.satisfied + self.basically + self.dissatisfied

    @property
    def avg_workdays(self) -> Decimal | None:
        if not self.answered:
            return None
        return _one_decimal(Decimal(self.workdays_total) / self.answered)

    @property
    def on_time_rate(self) -> Decimal | None:
        return _percent(self.on_time, self.answered)

    @property
    def satisfaction_rate(self) -> Decimal | None:
        return _percent(self.satisfied + self.basically, self.rated)

    @property
    def avg_workdays_text(self) -> str:
        value = self.avg_workdays
        return "—" if value is None else str(value)

    @property
    def on_time_rate_text(self) -> str:
        value = self.on_time_rate
        return "—" if value is None else f"{value}%"

    @property
    def satisfaction_rate_text(self) -> str:
        value = self.satisfaction_rate
        return "—" if value is None else f"{value}%"

    def cells(self) -> list:
        """The figures in :data:`COLUMNS` order, as shown."""
        return [getattr(self, attr) for attr, _ in COLUMNS]

    def as_data(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @classmethod
    def from_data(cls, data: dict) -> "StatsRow":
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})


@dataclass
class StatsReport:
    """The rows of one grouping over one period, with the total row."""

    group: str
    start: date
    end: date
    rows: list[StatsRow]
    total: StatsRow

    @property
    def group_label(self) -> str:
        return GROUPS[self.group]

    @property
    def all_rows(self) -> list[StatsRow]:
        return [*self.rows, self.total]

    def chart(self) -> dict:
        """Data for the bar chart (收到 / 已答复 / 按期答复 per row)."""
        return {
            "labels": [r.label for r in self.rows],
            "series": [
                {"label": "收到", "data": [r.received for r in self.rows]},
                {"label": "已答复", "data": [r.answered for r in self.rows]},
                {"label": "按期答复", "data": [r.on_time for r in self.rows]},
            ],
        }

    def as_data(self) -> dict:
        return {
            "group": self.group,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "rows": [r.as_data() for r in self.rows],
            "total": self.total.as_data(),
        }

    @classmethod
    def from_data(cls, data: dict) -> "StatsReport":
        return cls(
            group=data["group"],
            start=date.fromisoformat(data["start"]),
            end=date.fromisoformat(data["end"]),
            rows=[StatsRow.from_data(r) for r in data["rows"]],
            total=StatsRow.from_data(data["total"]),
        )


# -- computing ----------------------------------------------------------------------------------


def _local_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def month_bounds(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def previous_month(today: date) -> tuple[int, int]:
    first = today.replace(day=1) - timedelta(days=1)
    return first.year, first.month


def _months(start: date, end: date) -> list[tuple[int, int]]:
    months, (y, m) = [], (start.year, start.month)
    while (y, m) <= (end.year, end.month):
        months.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return months


def month_label(year: int, month: int) -> str:
    return f"{year}年{month}月"


def fetch(letters, start: date, end: date) -> list[dict]:
    """One query: the letters of ``letters`` that any figure of ``[start, end]`` counts."""
    since, until = _local_start(start), _local_start(end + timedelta(days=1))
    lead = LetterAssignment.objects.filter(letter=OuterRef("pk"), role=AssignmentRole.LEAD).exclude(
        status=AssignmentStatus.RETURNED
    )
    relevant = (
        Q(submitted_at__gte=since, submitted_at__lt=until)
        | Q(answered_on__gte=start, answered_on__lte=end)
        | Q(rated_at__gte=since, rated_at__lt=until)
        | Q(accepted_on__lte=end, clock__due_date__lt=end)
        & ~Q(status__in=[Status.REJECTED, Status.MERGED])
        & (Q(answered_on__isnull=True) | Q(answered_on__gte=start) | Q(status__in=Status.open_values()))
    )  # fmt: skip
    return list(
        letters.filter(relevant)
        .order_by()
        .annotate(
            lead_id=Subquery(lead.values("organization_id")[:1]),
            lead_name=Subquery(lead.values("organization__name")[:1]),
        )
        .values(
            "pk",
            "status",
            "mailbox_id",
            "mailbox__title",
            "submitted_at",
            "accepted_on",
            "answered_on",
            "answer_unit_id",
            "answer_unit__name",
            "clock__due_date",
            "clock__start_date",
            "satisfaction",
            "rated_at",
            "lead_id",
            "lead_name",
        )  # fmt: skip
    )


def _unit(letter: dict) -> tuple[str, str]:
    if letter["answered_on"] and letter["answer_unit_id"]:
        return f"u{letter['answer_unit_id']}", letter["answer_unit__name"]
    if letter["lead_id"]:
        return f"u{letter['lead_id']}", letter["lead_name"]
    return "none", NO_UNIT


def _overdue_open_at(letter: dict, day: date) -> bool:
    """Accepted, unanswered and past its due date at the end of ``day``."""
    if letter["status"] in (Status.REJECTED, Status.MERGED):
        return False
    accepted, due = letter["accepted_on"], letter["clock__due_date"]
    if accepted is None or accepted > day or due is None or due >= day:
        return False
    answered = letter["answered_on"]
    if answered is None or answered > day:
        return True
    # Answered by then, unless reopened (a new clock from the reopening day) and still open.
    started = letter["clock__start_date"]
    return letter["status"] in Status.open_values() and started is not None and started <= day


def aggregate(letters: Iterable[dict], start: date, end: date, group: str, *,
              mailboxes: Iterable[MailboxPage] = ()) -> StatsReport:  # fmt: skip
    """Count the fetched ``letters`` (see :func:`fetch`) into rows of ``group``."""
    if group not in GROUPS:
        raise ValueError(f"unknown grouping {group!r}")
    rows: dict[str, StatsRow] = {}
    if group == "mailbox":
        for box in mailboxes:
            rows[f"m{box.pk}"] = StatsRow(f"m{box.pk}", box.title)
    elif group == "month":
        for y, m in _months(start, end):
            rows[f"{y:04d}-{m:02d}"] = StatsRow(f"{y:04d}-{m:02d}", month_label(y, m))
    total = StatsRow("total", TOTAL_LABEL, is_total=True)

    def row_for(letter: dict, day: date) -> StatsRow:
        if group == "mailbox":
            key, label = f"m{letter['mailbox_id']}", letter["mailbox__title"]
        elif group == "unit":
            key, label = _unit(letter)
        else:
            key, label = f"{day.year:04d}-{day.month:02d}", month_label(day.year, day.month)
        if key not in rows:
            rows[key] = StatsRow(key, label)
        return rows[key]

    checkpoints = (
        [min(month_bounds(y, m)[1], end) for y, m in _months(start, end)]
        if group == "month"
        else [end]
    )
    for letter in letters:
        targets = []
        submitted = timezone.localdate(letter["submitted_at"])
        if start <= submitted <= end:
            status = letter["status"]
            if status == Status.MERGED:
                attr = "merged"
            elif status == Status.REJECTED:
                attr = "rejected"
            elif letter["accepted_on"] is not None:
                attr = "accepted"
            else:
                attr = "waiting"
            targets.append((submitted, {"received": 1, attr: 1}))
        answered = letter["answered_on"]
        if answered is not None and start <= answered <= end:
            due = letter["clock__due_date"]
            bump = {"answered": 1, "on_time": int(due is not None and answered <= due)}
            if letter["accepted_on"] is not None:
                bump["workdays_total"] = workdays_between(letter["accepted_on"], answered)
            targets.append((answered, bump))
        if letter["rated_at"] is not None and letter["satisfaction"]:
            rated = timezone.localdate(letter["rated_at"])
            if start <= rated <= end:
                attr = {
                    Satisfaction.SATISFIED: "satisfied",
                    Satisfaction.BASICALLY: "basically",
                    Satisfaction.DISSATISFIED: "dissatisfied",
                }.get(letter["satisfaction"])
                if attr:
                    targets.append((rated, {attr: 1}))
        for day, bump in targets:
            for target in (row_for(letter, day), total):
                for attr, n in bump.items():
                    setattr(target, attr, getattr(target, attr) + n)
        for day in checkpoints:
            if _overdue_open_at(letter, day):
                row_for(letter, day).overdue_open += 1
        if _overdue_open_at(letter, end):
            total.overdue_open += 1

    ordered = list(rows.values())
    if group == "unit":
        ordered.sort(key=lambda r: (r.key == "none", r.label))
    elif group == "month":
        ordered.sort(key=lambda r: r.key)
    return StatsReport(group, start, end, ordered, total)


def compute(letters, start: date, end: date, group: str = "mailbox", *,
            mailboxes: Iterable[MailboxPage] = ()) -> StatsReport:  # fmt: skip
    """The statistics of the ``letters`` queryset over ``[start, end]`` grouped by ``group``
    (``mailbox`` | ``unit`` | ``month``); ``mailboxes`` get a row even without letters."""
    if start > end:
        raise ValidationError("开始日期不能晚于结束日期。", code="period")
    return aggregate(fetch(letters, start, end), start, end, group, mailboxes=mailboxes)


# -- monthly publication ------------------------------------------------------------------------


def site_mailboxes(site: Site) -> list[MailboxPage]:
    """The mailboxes of ``site``: under its root page and not under a deeper site's root."""
    root = site.root_page
    nested = [
        s.root_page.path
        for s in Site.objects.exclude(pk=site.pk).select_related("root_page")
        if s.root_page.path.startswith(root.path) and s.root_page.path != root.path
    ]
    boxes = MailboxPage.objects.filter(path__startswith=root.path).order_by("path")
    return [b for b in boxes if not any(b.path.startswith(p) for p in nested)]


def month_reports(site: Site, year: int, month: int) -> dict:
    """The frozen data of one month: the per-mailbox and per-unit tables."""
    start, end = month_bounds(year, month)
    boxes = site_mailboxes(site)
    letters = fetch(Letter.objects.filter(mailbox__in=boxes), start, end)
    return {
        "mailbox": aggregate(letters, start, end, "mailbox", mailboxes=boxes).as_data(),
        "unit": aggregate(letters, start, end, "unit").as_data(),
    }


def publish_month(site: Site, year: int, month: int, *, user=None, today: date | None = None):
    """Freeze and publish ``site``'s figures of a complete month; returns ``(report,
    created)``. An already published month is returned unchanged (idempotent)."""
    today = today or timezone.localdate()
    if not 1 <= month <= 12:
        raise ValidationError("月份应在 1 到 12 之间。", code="month")
    if month_bounds(year, month)[1] >= today:
        raise ValidationError(f"{month_label(year, month)}尚未结束，不能发布。", code="future")
    existing = LetterMonthlyReport.objects.filter(site=site, year=year, month=month).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            report = LetterMonthlyReport.objects.create(
                site=site, year=year, month=month, data=month_reports(site, year, month)
            )
            total = report.data["mailbox"]["total"]
            record("letter.stats_publish", user=user, obj=report,
                   after={"网站": site.site_name or site.hostname, "月份": month_label(year, month),
                          "收到": total["received"], "已答复": total["answered"]})  # fmt: skip
    except IntegrityError:  # published concurrently
        return LetterMonthlyReport.objects.get(site=site, year=year, month=month), False
    return report, True


def publish_due_months(today: date | None = None) -> list[LetterMonthlyReport]:
    """Publish the previous month for every site that has mailboxes, if not yet published."""
    today = today or timezone.localdate()
    year, month = previous_month(today)
    published = []
    for site in Site.objects.select_related("root_page").order_by("pk"):
        if LetterMonthlyReport.objects.filter(site=site, year=year, month=month).exists():
            continue
        if not site_mailboxes(site):
            continue
        report, created = publish_month(site, year, month, today=today)
        if created:
            published.append(report)
    return published


# -- Excel --------------------------------------------------------------------------------------


def workbook(title: str, sheets: list[tuple[str, StatsReport]]) -> bytes:
    """An .xlsx file: one sheet per report (figures as numbers, rates as percent cells) and a
    sheet of the definitions (统计口径)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    wb.remove(wb.active)
    for name, report in sheets:
        ws = wb.create_sheet(name[:31])
        ws.append([title])
        ws["A1"].font = Font(bold=True, size=14)
        ws.append([f"统计期间：{report.start:%Y-%m-%d} 至 {report.end:%Y-%m-%d}"])
        ws.append([report.group_label, *(label for _, label in COLUMNS)])
        for cell in ws[3]:
            cell.font = Font(bold=True)
        for row in report.all_rows:
            values = []
            for attr, _label in COLUMNS:
                if attr == "avg_workdays_text":
                    value = row.avg_workdays
                    values.append(float(value) if value is not None else "—")
                elif attr.endswith("_rate_text"):
                    value = getattr(row, attr.removesuffix("_text"))
                    values.append(float(value) / 100 if value is not None else "—")
                else:
                    values.append(getattr(row, attr))
            ws.append([row.label, *values])
            for col, (attr, _label) in enumerate(COLUMNS, start=2):
                if attr.endswith("_rate_text"):
                    ws.cell(row=ws.max_row, column=col).number_format = "0.0%"
            if row.is_total:
                for cell in ws[ws.max_row]:
                    cell.font = Font(bold=True)
        ws.column_dimensions["A"].width = 28
    ws = wb.create_sheet("统计口径")
    ws.append(["指标", "口径"])
    for term, text in DEFINITIONS:
        ws.append([term, text])
    ws.column_dimensions["B"].width = 100
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def frozen(report: LetterMonthlyReport) -> tuple[StatsReport, StatsReport]:
    """The published per-mailbox and per-unit tables of a monthly report."""
    return StatsReport.from_data(report.data["mailbox"]), StatsReport.from_data(report.data["unit"])


def report_caption(site_name: str, report: StatsReport, what: str) -> str:
    """A table caption naming the period, e.g. ``2026年10月各信箱来信办理情况``."""
    start, end = report.start, report.end
    if start.day == 1 and end == month_bounds(start.year, start.month)[1]:
        period = month_label(start.year, start.month)
    else:
        period = f"{start:%Y-%m-%d}至{end:%Y-%m-%d}"
    return f"{site_name}{period}{what}来信办理情况"
