"""The working-day calendar across Spring Festival and National Day, overrides, and 2027.

Expected dates come from the 国务院办公厅 notices on the holiday schedules (关于2025年部分
节假日安排的通知, 国办发明电〔2024〕12号; 关于2026年部分节假日安排的通知, published
November 2025) and were counted by hand on a calendar:

* 2025 春节: 1/28 (Tue)–2/4 (Tue) off; Sun 1/26 and Sat 2/8 are working days.
* 2025 清明: 4/4 (Fri)–4/6 off.
* 2025 国庆·中秋: 10/1–10/8 off; Sun 9/28 and Sat 10/11 are working days.
* 2026 春节: 2/15 (Sun)–2/23 (Mon) off; Sat 2/14 and Sat 2/28 are working days.
* 2026 中秋: 9/25 (Fri)–9/27 off. 国庆: 10/1–10/7 off; Sun 9/20 and Sat 10/10 working days.

``test_expectations_agree_with_chinese_calendar`` cross-checks every day listed here
against the ``chinesecalendar`` package itself.
"""

from datetime import date

from django.contrib.auth.models import Permission
from django.db import transaction
from django.urls import reverse

import chinese_calendar
import pytest

from govportal.audit.models import AuditRecord
from govportal.conftest import make_user
from govportal.core import workdays
from govportal.core.models import WorkdayOverride
from govportal.core.workdays import add_workdays, is_workday, next_workday, workdays_between


def d(text: str) -> date:
    return date.fromisoformat(text)


@pytest.fixture(autouse=True)
def fresh_calendar():
    """Overrides are cached per process; a test's rolled-back rows must not leak."""
    workdays.clear_cache()
    yield
    workdays.clear_cache()


IS_WORKDAY = [
    # 2025 Spring Festival
    ("2025-01-24", True, "Friday before"),
    ("2025-01-25", False, "ordinary Saturday"),
    ("2025-01-26", True, "make-up Sunday"),
    ("2025-01-27", True, "Monday before the holiday"),
    ("2025-01-28", False, "除夕 (first day off)"),
    ("2025-01-29", False, "初一"),
    ("2025-02-03", False, "Monday inside the holiday"),
    ("2025-02-04", False, "last day off"),
    ("2025-02-05", True, "first day back"),
    ("2025-02-08", True, "make-up Saturday"),
    ("2025-02-09", False, "ordinary Sunday"),
    # 2025 National Day
    ("2025-09-28", True, "make-up Sunday"),
    ("2025-09-30", True, "Tuesday before"),
    ("2025-10-01", False, "National Day"),
    ("2025-10-06", False, "Mid-Autumn inside the break"),
    ("2025-10-08", False, "last day off (a Wednesday)"),
    ("2025-10-09", True, "first day back"),
    ("2025-10-11", True, "make-up Saturday"),
    # 2026 Spring Festival
    ("2026-02-13", True, "Friday before"),
    ("2026-02-14", True, "make-up Saturday"),
    ("2026-02-15", False, "first day off (Sunday)"),
    ("2026-02-17", False, "初一 (a Tuesday)"),
    ("2026-02-23", False, "last day off (a Monday)"),
    ("2026-02-24", True, "first day back"),
    ("2026-02-28", True, "make-up Saturday"),
    ("2026-03-01", False, "ordinary Sunday"),
    # 2026 Mid-Autumn and National Day
    ("2026-09-20", True, "make-up Sunday"),
    ("2026-09-25", False, "Mid-Autumn (a Friday)"),
    ("2026-10-01", False, "National Day"),
    ("2026-10-07", False, "last day off (a Wednesday)"),
    ("2026-10-08", True, "first day back"),
    ("2026-10-10", True, "make-up Saturday"),
    ("2026-10-11", False, "ordinary Sunday"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("day", "expected", "why"), IS_WORKDAY)
def test_is_workday(day, expected, why):
    assert is_workday(d(day)) is expected, why


@pytest.mark.parametrize(("day", "expected", "why"), IS_WORKDAY)
def test_expectations_agree_with_chinese_calendar(day, expected, why):
    assert chinese_calendar.is_workday(d(day)) is expected, why


ADD_20 = [
    # start (day 0), 20th working day after it; counted by hand (see the module docstring)
    ("2025-01-20", "2025-02-21", "across 2025 春节 incl. Sun 1/26 and Sat 2/8"),
    ("2025-09-22", "2025-10-24", "across 2025 国庆 incl. Sun 9/28 and Sat 10/11"),
    ("2026-02-09", "2026-03-13", "across 2026 春节 incl. Sat 2/14 and Sat 2/28"),
    ("2026-09-14", "2026-10-16", "across 2026 中秋+国庆 incl. Sun 9/20 and Sat 10/10"),
    ("2025-03-03", "2025-03-31", "a month without holidays"),
    ("2026-02-14", "2026-03-20", "starting on a make-up Saturday (it is day 0)"),
    ("2026-02-17", "2026-03-20", "received during the holiday: day 1 is 2/24"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("start", "due", "why"), ADD_20)
def test_add_20_workdays(start, due, why):
    assert add_workdays(d(start), 20) == d(due), why
    # and back again: the due date is 20 working days after the start
    assert workdays_between(d(start), d(due)) == 20, why


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        ("2026-02-13", 1, "2026-02-14"),  # Friday → make-up Saturday
        ("2026-02-14", 1, "2026-02-24"),  # over the whole Spring Festival
        ("2025-10-10", 1, "2025-10-11"),  # make-up Saturday
        ("2025-09-30", 1, "2025-10-09"),
        ("2026-02-24", -1, "2026-02-14"),  # backwards
        ("2025-02-05", -2, "2025-01-26"),  # back over the holiday to the make-up Sunday
        ("2026-02-17", 0, "2026-02-17"),  # zero: unchanged, even on a holiday
    ],
)
def test_add_workdays_steps(start, n, expected):
    assert add_workdays(d(start), n) == d(expected)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("2025-01-27", "2025-02-05", 1),  # only 2/5: 1/27 itself is not counted
        ("2025-01-24", "2025-01-26", 1),  # Sat no, make-up Sun yes
        ("2026-02-13", "2026-02-24", 2),  # Sat 2/14 and Tue 2/24
        ("2026-02-15", "2026-02-23", 0),  # inside the holiday
        ("2025-09-27", "2025-10-12", 6),  # 9/28 Sun, 9/29, 9/30, 10/9, 10/10, 10/11 Sat
        ("2026-10-08", "2026-10-08", 0),  # same day
        ("2025-02-21", "2025-01-20", -20),  # reversed
        ("2026-02-24", "2026-02-13", -2),
    ],
)
def test_workdays_between(a, b, expected):
    assert workdays_between(d(a), d(b)) == expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("day", "include_today", "expected"),
    [
        ("2026-02-13", False, "2026-02-14"),
        ("2026-02-14", True, "2026-02-14"),
        ("2026-02-15", True, "2026-02-24"),  # an online request on a holiday
        ("2025-10-08", False, "2025-10-09"),
        ("2025-10-09", False, "2025-10-10"),
    ],
)
def test_next_workday(day, include_today, expected):
    assert next_workday(d(day), include_today=include_today) == d(expected)


# --- overrides ---------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("day", "override", "why"),
    [
        ("2026-02-14", False, "a make-up Saturday cancelled"),
        ("2026-02-17", True, "a holiday turned into a working day"),
        ("2026-03-02", False, "an extra day off on a Monday"),
        ("2026-03-07", True, "an extra working Saturday"),
    ],
)
def test_override_wins_over_the_package(day, override, why):
    assert is_workday(d(day)) is not override
    WorkdayOverride.objects.create(date=d(day), is_workday=override, note=why)
    assert is_workday(d(day)) is override, why
    WorkdayOverride.objects.get(date=d(day)).delete()
    assert is_workday(d(day)) is not override, "deleting the override restores the package"


@pytest.mark.django_db
def test_override_moves_a_deadline():
    assert add_workdays(d("2026-02-09"), 20) == d("2026-03-13")
    WorkdayOverride.objects.create(date=d("2026-03-02"), is_workday=False, note="临时放假")
    assert add_workdays(d("2026-02-09"), 20) == d("2026-03-16")
    override = WorkdayOverride.objects.get(date=d("2026-03-02"))
    override.is_workday = True
    override.save()
    assert add_workdays(d("2026-02-09"), 20) == d("2026-03-13")


@pytest.mark.django_db
def test_overrides_are_read_once_not_per_day(django_assert_num_queries):
    WorkdayOverride.objects.create(date=d("2027-02-08"), is_workday=False)
    workdays.clear_cache()
    with django_assert_num_queries(1):
        add_workdays(d("2027-01-04"), 60)
        workdays_between(d("2027-01-04"), d("2027-06-30"))
        is_workday(d("2027-02-08"))


@pytest.mark.django_db
def test_a_rolled_back_override_does_not_linger():
    class Undo(Exception):
        pass

    with pytest.raises(Undo), transaction.atomic():
        WorkdayOverride.objects.create(date=d("2026-03-02"), is_workday=False)
        assert not is_workday(d("2026-03-02"))
        raise Undo
    assert is_workday(d("2026-03-02"))
    assert add_workdays(d("2026-02-09"), 20) == d("2026-03-13")


# --- years the package does not know ------------------------------------------------------


@pytest.mark.django_db
def test_2027_falls_back_to_monday_to_friday_and_warns():
    assert not workdays.package_knows(2027)
    assert is_workday(d("2027-01-01"))  # a Friday, New Year's Day: not known yet
    assert not is_workday(d("2027-01-02"))  # Saturday
    assert add_workdays(d("2027-01-01"), 5) == d("2027-01-08")

    late_2026 = d("2026-11-21")
    assert workdays.unconfigured_years(late_2026) == [2027]
    assert workdays.unconfigured_years(d("2026-06-01")) == []  # next year not yet relevant
    assert workdays.unconfigured_years(d("2027-03-01")) == [2027]

    [warning] = workdays.check_calendar_configured(None, databases=["default"])
    assert warning.id == "govportal.core.W001"
    assert "2027 年的法定节假日尚未配置" in warning.msg
    assert workdays.check_calendar_configured(None) == []  # not a database check run


@pytest.mark.django_db
def test_overrides_configure_an_unknown_year():
    WorkdayOverride.objects.create(date=d("2027-01-01"), is_workday=False, note="元旦")
    assert not is_workday(d("2027-01-01"))
    assert workdays.unconfigured_years(d("2026-11-21")) == []
    [coverage] = workdays.year_coverage([2027])
    assert coverage.configured and coverage.source == "本地配置" and coverage.override_count == 1


# --- 设置 → 工作日历 ----------------------------------------------------------------------

INDEX = "/admin/workdays/"
ADD = "/admin/workdays/new/"


@pytest.fixture
def operator(db):
    user = make_user("calendar-operator", is_staff=True)
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
        Permission.objects.get(content_type__app_label="siteadmin", codename="manage_site_group"),
    )
    return user


@pytest.fixture
def clerk(db):
    user = make_user("calendar-clerk", is_staff=True)
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    return user


def test_operator_sees_coverage_and_the_2027_warning(client, operator):
    client.force_login(operator)
    html = client.get(INDEX).content.decode()
    assert "工作日历" in html
    assert "各年份节假日安排" in html
    assert "chinesecalendar 软件包" in html
    assert "未配置" in html
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert INDEX in home  # 设置 → 工作日历 in the menu


def test_non_operators_are_refused(client, clerk):
    client.force_login(clerk)
    for url in (INDEX, ADD):
        response = client.get(url)
        assert response.status_code in (302, 403)
        assert "各年份节假日安排" not in response.content.decode()
    assert client.post(ADD, {"date": "2027-01-01", "is_workday": "False"}).status_code in (
        302,
        403,
    )
    assert not WorkdayOverride.objects.exists()
    assert INDEX not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_operator_enters_a_holiday_period_in_one_go(client, operator):
    client.force_login(operator)
    response = client.post(
        ADD,
        {"date": "2027-02-05", "end_date": "2027-02-11", "is_workday": "False", "note": "春节"},
    )
    assert response.status_code == 302
    days = list(WorkdayOverride.objects.values_list("date", flat=True))
    assert days == [d("2027-02-05"), *(d(f"2027-02-{n:02d}") for n in range(6, 12))]
    assert not is_workday(d("2027-02-08"))  # a Monday, now off
    records = AuditRecord.objects.filter(action="workday.override_create")
    assert records.count() == 7
    assert records.first().username == operator.username
    html = client.get(INDEX + "?year=2027").content.decode()
    assert "本地配置" in html and "春节" in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"date": "2027-02-10", "end_date": "2027-02-01", "is_workday": "False"},
            "结束日期不能早于日期",
        ),
        (
            {"date": "2027-01-01", "end_date": "2027-03-01", "is_workday": "False"},
            "一次最多录入 31 天",
        ),
        (
            {"date": "2027-02-01", "end_date": "2027-02-07", "is_workday": "False"},
            "以下日期已经有调整记录：2027-02-03",
        ),
        ({"date": "2027-02-03", "is_workday": "True"}, "这一天已经有调整记录"),
        ({"date": "2027-02-30", "is_workday": "False"}, "有效的日期"),
    ],
)
def test_bad_input_is_refused_in_chinese_and_kept(client, operator, data, message):
    WorkdayOverride.objects.create(date=d("2027-02-03"), is_workday=False)
    client.force_login(operator)
    response = client.post(ADD, {**data, "note": "我输入的说明"})
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert "我输入的说明" in html
    assert WorkdayOverride.objects.count() == 1


def test_edit_and_delete_are_audited(client, operator):
    override = WorkdayOverride.objects.create(date=d("2027-10-01"), is_workday=False, note="国庆")
    client.force_login(operator)
    edit = f"/admin/workdays/edit/{override.pk}/"
    response = client.post(edit, {"date": "2027-10-01", "is_workday": "True", "note": "改为上班"})
    assert response.status_code == 302
    assert is_workday(d("2027-10-01"))
    change = AuditRecord.objects.get(action="workday.override_change")
    assert change.before["当天"] == "放假" and change.after["当天"] == "上班"

    response = client.post(f"/admin/workdays/delete/{override.pk}/")
    assert response.status_code == 302
    assert not WorkdayOverride.objects.exists()
    deleted = AuditRecord.objects.get(action="workday.override_delete")
    assert deleted.before["日期"] == "2027-10-01"
    assert is_workday(d("2027-10-01"))  # a Friday again, by the Mon–Fri fallback
