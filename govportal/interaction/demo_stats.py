"""Demo 来信统计: a short history of letters in the two complete months before today, then the
published monthly statistics of those months for every site with mailboxes.

The letters of :func:`.demo.build_demo_letters` are dated relative to today and fall mostly in
the current month, so without a history the published months would be nearly empty. Each
month gets six letters (on time, late, rejected, dissatisfied, a consultation, one to the
教育局's 局长信箱) through the real services with explicit dates. Idempotent: a month whose
history exists is not built again, and a published month is never republished.

Call after ``build_demo_letters`` (it needs its mailboxes and staff).
"""

from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from wagtail.models import Site

from govportal.citizens.models import Channel
from govportal.citizens.services import find_citizen
from govportal.core.workdays import add_workdays, next_workday

from . import stats
from .demo import build_mailboxes
from .factories import Staff, make_dated_letter
from .models import Letter
from .taxonomy import Satisfaction

#: The first letter of each month's history; its presence marks the month as built.
MARKER_TITLE = "建议在老旧小区加装电梯"


def _user(username):
    return get_user_model().objects.filter(username=username).first()


def _at(day: date, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 30)))


def _history(year: int, month: int, built: dict, today: date) -> int:
    start, _end = stats.month_bounds(year, month)
    if Letter.objects.filter(title=MARKER_TITLE, submitted_at__date__gte=start,
                             submitted_at__date__lte=_end).exists():  # fmt: skip
        return 0
    dispatcher, handler, approver = (
        _user("letter_dispatcher"), _user("letter_handler"), _user("letter_approver")
    )  # fmt: skip
    if dispatcher is None or handler is None or approver is None:
        return 0
    edu_staff = Staff(dispatcher, handler, approver)
    qs_staff = Staff(dispatcher, _user("letter_handler_qs"), _user("letter_approver_qs"))
    head_staff = Staff(_user("letter_dispatcher_edu") or dispatcher, handler, approver)
    citizen = find_citizen(Channel.SMS, "13800138000")
    mayor = built["mayor"]
    cats = {c.name: c for c in mayor.categories.all()}

    def answered(accepted, n):
        day = add_workdays(accepted, n)
        return day if day < today else None

    def rated(day):
        return (
            day + timedelta(days=1) if day and citizen and day + timedelta(days=1) < today else None
        )

    specs = [
        # title, box, category, staff, submitted day, workdays to answer, rating
        (MARKER_TITLE, mayor, "城市管理", qs_staff, 3, 6, Satisfaction.SATISFIED),
        ("建议延长图书馆周末开放时间", mayor, "教育", edu_staff, 6, 13, Satisfaction.BASICALLY),
        ("咨询个人所得税汇算", mayor, "教育", edu_staff, 9, None, None),  # rejected
        ("学校食堂饭菜质量差", mayor, "教育", edu_staff, 12, 8, Satisfaction.DISSATISFIED),
        ("咨询学籍转入手续", built["consultation"], None, edu_staff, 14, 2, None),
        ("建议学校错峰放学", built["head"], None, head_staff, 17, 4, Satisfaction.SATISFIED),
    ]
    made = 0
    for title, box, cat, staff, day, workdays, rating in specs:
        if box is None or staff.handler is None or staff.approver is None:
            continue
        submitted = start + timedelta(days=day)
        category = cats.get(cat) if cat else None
        data = {"title": title, "body": f"{title}，请有关部门研究答复。"}
        if workdays is None:
            make_dated_letter(box, staff=staff, submitted_at=_at(submitted), rejected=True,
                              category=category, data=data)  # fmt: skip
            made += 1
            continue
        accepted = next_workday(submitted, include_today=True)
        answer_day = answered(accepted, workdays)
        rate_day = rated(answer_day) if rating else None
        make_dated_letter(box, staff=staff, submitted_at=_at(submitted), accepted_on=accepted,
                          answered_on=answer_day, rated_on=rate_day,
                          satisfaction=rating or Satisfaction.SATISFIED,
                          writer=citizen if rate_day else None, category=category,
                          data=data)  # fmt: skip
        made += 1
    return made


@transaction.atomic
def build_demo_letter_stats(stdout=None, today: date | None = None) -> list:
    """Letter history for the last two complete months, and their published statistics."""
    today = today or timezone.localdate()
    built = build_mailboxes()
    if built is None:
        return []
    months = [stats.previous_month(today)]
    months.insert(0, stats.previous_month(date(*months[0], 1)))
    made = sum(_history(y, m, built, today) for y, m in months)
    reports = []
    for site in Site.objects.select_related("root_page").order_by("pk"):
        if not stats.site_mailboxes(site):
            continue
        for y, m in months:
            report, _created = stats.publish_month(site, y, m, today=today)
            reports.append(report)
    if stdout is not None:
        stdout.write(
            f"  来信统计: {made} letters of earlier months, {len(reports)} monthly reports "
            "published at /letters/stats/ (admin: /admin/letters/stats/)"
        )
    return reports
