"""来信统计 against hand counts.

The fixture ``october`` builds eleven letters with explicit dates (October 2026; National Day
holiday 10-01…10-07, Saturday 10-10 a make-up working day) in two mailboxes of the world's
site: 市长信箱 (10 working days) and 咨询 (3 working days, lead unit 市交通局).

=====  =======  ===================  ========  =============  ======================  ========
#      mailbox  submitted (local)    accepted  unit           answered (due)          rated
=====  =======  ===================  ========  =============  ======================  ========
L1     市长     09-29 09:00          09-30     教育局         10-14 (10-20) 6 wd      10-15 满意
L2     市长     10-08 10:00          10-09     教育局         10-30 (10-22) 16 wd     10-31 不满意
L3     市长     10-12 10:00          10-12     交通局         10-16 (10-26) 4 wd      10-20 基本满意
L4     市长     10-10 10:00          rejected  未派单
L5     市长     10-13 10:00          merged    未派单
L6     市长     10-13 11:00          10-13     教育局         — (10-27: overdue)
L7     市长     10-31 23:59          —         未派单
L8     市长     11-01 00:00          —         未派单
L9     市长     10-20 10:00          10-20     未派单         — (11-03)
L10    咨询     10-29 16:00          10-29     交通局         — (11-03)
L11    咨询     10-21 10:00          10-21     交通局         11-02 (10-26)
=====  =======  ===================  ========  =============  ======================  ========
"""

import io
from datetime import date, datetime, time

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import pytest
from openpyxl import load_workbook

from govportal.audit.models import AuditRecord
from govportal.content.factories import make_site
from govportal.core.workdays import workdays_between
from govportal.interaction import reminders, services, stats
from govportal.interaction.factories import make_dated_letter, make_mailbox, make_staff
from govportal.interaction.models import Letter, LetterMonthlyReport
from govportal.interaction.taxonomy import MailboxKind, Satisfaction, Status

OCT = (date(2026, 10, 1), date(2026, 10, 31))


def at(y, m, d, hh=10, mm=0):
    return timezone.make_aware(datetime.combine(date(y, m, d), time(hh, mm)))


@pytest.fixture
def october(world):
    w = world
    consult = make_mailbox(w.mailbox.get_parent(), "咨询", MailboxKind.CONSULTATION,
                           slug="consult", units=[w.city],
                           categories=[("政策咨询", w.roads, [])])  # fmt: skip
    staff = w.staff
    roads_staff = type(staff)(w.dispatcher, make_staff("xj_roads", w.roads, "handle"),
                              make_staff("xj_roads_ok", w.roads, "approve"))  # fmt: skip
    edu_cat, roads_cat = list(w.mailbox.categories.order_by("sort_order"))
    mk = make_dated_letter
    L = {}
    L[1] = mk(
        w.mailbox,
        staff=staff,
        submitted_at=at(2026, 9, 29, 9),
        accepted_on=date(2026, 9, 30),
        answered_on=date(2026, 10, 14),
        rated_on=date(2026, 10, 15),
        writer=w.citizen,
        satisfaction=Satisfaction.SATISFIED,
        category=edu_cat,
    )
    L[2] = mk(
        w.mailbox,
        staff=staff,
        submitted_at=at(2026, 10, 8),
        accepted_on=date(2026, 10, 9),
        answered_on=date(2026, 10, 30),
        rated_on=date(2026, 10, 31),
        writer=w.citizen,
        satisfaction=Satisfaction.DISSATISFIED,
        category=edu_cat,
    )
    L[3] = mk(
        w.mailbox,
        staff=roads_staff,
        submitted_at=at(2026, 10, 12),
        accepted_on=date(2026, 10, 12),
        answered_on=date(2026, 10, 16),
        rated_on=date(2026, 10, 20),
        writer=w.citizen,
        satisfaction=Satisfaction.BASICALLY,
        category=roads_cat,
    )
    L[4] = mk(w.mailbox, staff=staff, submitted_at=at(2026, 10, 10), rejected=True)
    L[6] = mk(
        w.mailbox,
        staff=staff,
        submitted_at=at(2026, 10, 13, 11),
        accepted_on=date(2026, 10, 13),
        category=edu_cat,
    )
    L[5] = mk(w.mailbox, staff=staff, submitted_at=at(2026, 10, 13), merged_into=L[6])
    L[7] = mk(w.mailbox, staff=staff, submitted_at=at(2026, 10, 31, 23, 59))
    L[8] = mk(w.mailbox, staff=staff, submitted_at=at(2026, 11, 1, 0, 0))
    L[9] = mk(
        w.mailbox,
        staff=staff,
        submitted_at=at(2026, 10, 20),
        accepted_on=date(2026, 10, 20),
        dispatched=False,
    )
    L[10] = mk(
        consult,
        staff=roads_staff,
        submitted_at=at(2026, 10, 29, 16),
        accepted_on=date(2026, 10, 29),
    )
    L[11] = mk(consult, staff=roads_staff, submitted_at=at(2026, 10, 21),
               accepted_on=date(2026, 10, 21), answered_on=date(2026, 11, 2))  # fmt: skip
    return w, consult, L


def by_label(report):
    return {row.label: row for row in report.all_rows}


def figures(row):
    return {attr: getattr(row, attr) for attr in (
        "received", "accepted", "rejected", "merged", "waiting", "answered", "on_time", "late",
        "overdue_open", "avg_workdays_text", "on_time_rate_text", "satisfied", "basically",
        "dissatisfied", "rated", "satisfaction_rate_text")}  # fmt: skip


def test_the_fixture_has_the_dates_the_hand_counts_assume(october):
    _w, _c, L = october
    assert L[1].clock.due_date == date(2026, 10, 20)
    assert L[2].clock.due_date == date(2026, 10, 22)
    assert L[6].clock.due_date == date(2026, 10, 27)
    assert L[11].clock.due_date == date(2026, 10, 26)
    assert L[5].status == Status.MERGED and L[4].status == Status.REJECTED
    assert L[9].status == Status.ACCEPTED
    # Working days across National Day (14 calendar days, 6 working days incl. Saturday 10-10).
    assert workdays_between(date(2026, 9, 30), date(2026, 10, 14)) == 6


def test_per_mailbox_figures_match_the_hand_counts(october):
    w, consult, _L = october
    report = stats.compute(Letter.objects.all(), *OCT, "mailbox", mailboxes=[w.mailbox, consult])
    rows = by_label(report)
    assert [r.label for r in report.rows] == ["市长信箱", "咨询"]
    assert figures(rows["市长信箱"]) == {
        "received": 7, "accepted": 4, "rejected": 1, "merged": 1, "waiting": 1,
        "answered": 3, "on_time": 2, "late": 1, "overdue_open": 1,
        "avg_workdays_text": "8.7",  # (6 + 16 + 4) / 3
        "on_time_rate_text": "66.7%", "satisfied": 1, "basically": 1, "dissatisfied": 1,
        "rated": 3, "satisfaction_rate_text": "66.7%",
    }  # fmt: skip
    assert figures(rows["咨询"]) == {
        "received": 2, "accepted": 2, "rejected": 0, "merged": 0, "waiting": 0,
        "answered": 0, "on_time": 0, "late": 0, "overdue_open": 1,
        "avg_workdays_text": "—", "on_time_rate_text": "—", "satisfied": 0, "basically": 0,
        "dissatisfied": 0, "rated": 0, "satisfaction_rate_text": "—",
    }  # fmt: skip
    total = figures(rows["合计"])
    assert (total["received"], total["answered"], total["on_time"], total["overdue_open"]) == (
        9, 3, 2, 2,
    )  # fmt: skip
    assert total["avg_workdays_text"] == "8.7" and total["satisfaction_rate_text"] == "66.7%"


def test_per_unit_figures_match_the_hand_counts(october):
    w, _c, _L = october
    report = stats.compute(Letter.objects.all(), *OCT, "unit")
    assert [r.label for r in report.rows] == ["示例市交通运输局", "示例市教育局", "未派单"]
    rows = by_label(report)
    edu, roads, none = rows["示例市教育局"], rows["示例市交通运输局"], rows["未派单"]
    # 教育局: L2, L6 received; L1 (answered 10-14 across the holiday), L2 answered.
    assert (edu.received, edu.accepted, edu.answered, edu.on_time, edu.late) == (2, 2, 2, 1, 1)
    assert edu.avg_workdays_text == "11.0" and edu.overdue_open == 1  # (6 + 16) / 2; L6
    assert (edu.satisfied, edu.dissatisfied, edu.satisfaction_rate_text) == (1, 1, "50.0%")
    # 交通局: L3, L10, L11 received; L3 answered in 4 working days; L11 overdue at 10-31.
    assert (roads.received, roads.answered, roads.on_time, roads.overdue_open) == (3, 1, 1, 1)
    assert roads.avg_workdays_text == "4.0" and roads.basically == 1
    # 未派单: rejected L4, merged L5, waiting L7 and L9 (accepted, not dispatched).
    assert (none.received, none.accepted, none.rejected, none.merged, none.waiting) == (
        4, 1, 1, 1, 1,
    )  # fmt: skip
    assert none.answered == 0 and none.overdue_open == 0
    assert sum(r.received for r in report.rows) == report.total.received == 9


def test_period_boundaries_are_local_days(october):
    _w, _c, L = october
    oct_ = stats.compute(Letter.objects.filter(pk__in=[L[7].pk, L[8].pk]), *OCT)
    nov = stats.compute(Letter.objects.filter(pk__in=[L[7].pk, L[8].pk]),
                        date(2026, 11, 1), date(2026, 11, 30))  # fmt: skip
    assert oct_.total.received == 1  # 23:59 on 31 October counts in October…
    assert nov.total.received == 1  # …00:00 on 1 November in November


def test_month_grouping_counts_each_figure_in_its_own_month(october):
    report = stats.compute(Letter.objects.all(), date(2026, 9, 1), date(2026, 11, 30), "month")
    rows = by_label(report)
    assert [r.label for r in report.rows] == ["2026年9月", "2026年10月", "2026年11月"]
    assert rows["2026年9月"].received == 1 and rows["2026年9月"].answered == 0
    assert rows["2026年10月"].received == 9 and rows["2026年10月"].answered == 3
    assert rows["2026年11月"].received == 1 and rows["2026年11月"].answered == 1  # L8; L11
    # L11 was overdue and open on 31 October, answered late on 2 November.
    assert rows["2026年10月"].overdue_open == 2 and rows["2026年11月"].late == 1
    assert report.total.received == 11


def test_an_empty_period_and_a_reversed_one(october):
    report = stats.compute(Letter.objects.all(), date(2026, 8, 1), date(2026, 8, 31), "unit")
    assert report.rows == [] and report.total.received == 0
    assert report.total.avg_workdays_text == "—"
    with pytest.raises(Exception, match="开始日期不能晚于结束日期"):
        stats.compute(Letter.objects.all(), date(2026, 10, 2), date(2026, 10, 1))


@pytest.mark.parametrize("group", ["mailbox", "unit", "month"])
def test_query_count_does_not_grow_with_the_letters(october, group):
    _w, consult, _L = october
    workdays_between(date(2026, 1, 1), date(2026, 1, 5))  # the calendar's overrides, cached
    with CaptureQueriesContext(connection) as few:
        stats.compute(Letter.objects.filter(mailbox=consult), *OCT, group)
    with CaptureQueriesContext(connection) as many:
        stats.compute(Letter.objects.all(), *OCT, group)
    assert len(few) == len(many) == 1


# -- monthly publication ------------------------------------------------------------------------


def test_publish_month_freezes_the_figures_and_is_idempotent(october):
    w, _c, L = october
    report, created = stats.publish_month(w.site, 2026, 10)
    assert created
    by_mailbox, by_unit = stats.frozen(report)
    assert by_label(by_mailbox)["市长信箱"].waiting == 1
    assert by_label(by_unit)["示例市教育局"].answered == 2
    assert AuditRecord.objects.filter(action="letter.stats_publish").count() == 1
    # A later change of a letter does not alter the published month…
    services.reject(L[7], "重复反映。", actor=w.dispatcher)
    live = stats.compute(Letter.objects.all(), *OCT, mailboxes=[w.mailbox])
    assert by_label(live)["市长信箱"].waiting == 0
    again, created = stats.publish_month(w.site, 2026, 10)
    assert not created and again.pk == report.pk
    assert by_label(stats.frozen(again)[0])["市长信箱"].waiting == 1
    assert LetterMonthlyReport.objects.count() == 1
    assert AuditRecord.objects.filter(action="letter.stats_publish").count() == 1


def test_a_month_not_over_cannot_be_published(october):
    w, _c, _L = october
    with pytest.raises(Exception, match="尚未结束"):
        stats.publish_month(w.site, 2026, 11, today=date(2026, 11, 30))


def test_publish_due_months_publishes_last_month_for_sites_with_mailboxes(october):
    w, _c, _L = october
    empty_site, _home, _p = make_site(
        "empty.example", 80, title="无信箱网站", site_id_code="1399000002"
    )
    published = stats.publish_due_months(date(2026, 11, 5))
    assert [(r.site_id, r.year, r.month) for r in published] == [(w.site.pk, 2026, 10)]
    assert stats.publish_due_months(date(2026, 11, 6)) == []
    assert not LetterMonthlyReport.objects.filter(site=empty_site).exists()


def test_the_daily_letter_job_publishes_the_previous_month(october):
    w, _c, _L = october
    assert reminders.run_letter_reminders_if_due(at(2026, 11, 3, 8))
    assert LetterMonthlyReport.objects.filter(site=w.site, year=2026, month=10).exists()


# -- public page --------------------------------------------------------------------------------


def test_public_page_without_published_months_says_so(world, client):
    response = client.get(reverse("interaction:stats"))
    assert response.status_code == 200
    assert "暂未公开来信统计" in response.content.decode()


def test_public_page_shows_only_this_sites_published_months(october, client):
    w, _c, _L = october
    stats.publish_month(w.site, 2026, 10)
    other, _home, _p = make_site("other.example", 80, title="另一网站", site_id_code="1399000003")
    LetterMonthlyReport.objects.create(site=other, year=2026, month=9, data={})
    html = client.get(reverse("interaction:stats")).content.decode()
    assert "2026年10月来信统计" in html and "2026年9月来信统计" not in html
    assert 'scope="col">收到</th>' in html and 'scope="row">市长信箱</th>' in html
    assert "示例市人民政府2026年10月各信箱来信办理情况</caption>" in html
    assert "统计口径" in html and "vendor/chartjs/chart.umd.min.js" in html
    assert 'aria-hidden="true"' in html and "data-letter-stats-chart" in html
    # Another site's month is not shown here, nor downloadable.
    html = client.get(reverse("interaction:stats") + "?month=2026-09").content.decode()
    assert "没有公开的来信统计" in html and "2026年10月各信箱" in html
    assert client.get(reverse("interaction:stats_xlsx", args=(2026, 9))).status_code == 404


def test_public_list_links_to_the_statistics(world, client):
    html = client.get(reverse("interaction:public_list")).content.decode()
    assert reverse("interaction:stats") in html


def test_public_xlsx_reads_back_the_published_figures(october, client):
    w, _c, _L = october
    stats.publish_month(w.site, 2026, 10)
    response = client.get(reverse("interaction:stats_xlsx", args=(2026, 10)))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["按信箱", "按承办单位", "统计口径"]
    sheet = book["按信箱"]
    header = [c.value for c in sheet[3]]
    assert header[:3] == ["信箱", "收到", "受理"]
    rows = {r[0]: r for r in sheet.iter_rows(min_row=4, values_only=True)}
    mayor, total = rows["市长信箱"], rows["合计"]
    assert mayor[header.index("收到")] == 7 and mayor[header.index("超期未答")] == 1
    assert mayor[header.index("平均答复用时（工作日）")] == pytest.approx(8.7)
    assert mayor[header.index("按期率")] == pytest.approx(0.667)
    assert total[header.index("收到")] == 9
    assert rows["咨询"][header.index("按期率")] == "—"


# -- admin report -------------------------------------------------------------------------------

ADMIN_URL = "/admin/letters/stats/"
OCT_QUERY = {"start": "2026-10-01", "end": "2026-10-31", "group": "mailbox"}


def test_admin_needs_a_letter_role(world, client):
    response = client.get(ADMIN_URL)
    assert response.status_code == 302 and "login" in response.url
    from django.contrib.auth.models import Permission

    nobody = make_staff("xj_nobody", world.city)
    nobody.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    client.force_login(nobody)
    response = client.get(ADMIN_URL)  # Wagtail turns the refusal into a redirect with a message
    assert response.status_code in (302, 403) and "report" not in (response.context or {})
    assert response.status_code == 403 or response.url == "/admin/"


def test_admin_dispatcher_sees_the_mailboxes_figures(october, client):
    w, _c, _L = october
    client.force_login(w.dispatcher)
    response = client.get(ADMIN_URL, OCT_QUERY)
    report = response.context["report"]
    assert by_label(report)["市长信箱"].received == 7
    assert report.total.received == 9
    html = response.content.decode()
    assert 'scope="row">咨询</th>' in html and "统计口径" in html


def test_a_unit_handler_sees_only_their_units_letters(october, client):
    w, _c, _L = october
    client.force_login(w.handler)  # 教育局: L1, L2, L6 are assigned to it
    report = client.get(ADMIN_URL, {**OCT_QUERY, "group": "unit"}).context["report"]
    assert [r.label for r in report.rows] == ["示例市教育局"]
    assert (report.total.received, report.total.answered, report.total.overdue_open) == (2, 2, 1)


def test_admin_filters_by_mailbox_and_defaults_to_this_month(october, client):
    w, consult, _L = october
    client.force_login(w.dispatcher)
    report = client.get(ADMIN_URL, {**OCT_QUERY, "mailbox": consult.pk}).context["report"]
    assert [r.label for r in report.rows] == ["咨询"] and report.total.received == 2
    response = client.get(ADMIN_URL)
    form = response.context["form"]
    today = timezone.localdate()
    assert form.cleaned_data["start"] == today.replace(day=1)
    assert form.cleaned_data["end"] == today


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"start": "2026-10-31", "end": "2026-10-01"}, "结束日期不能早于开始日期"),
        ({"start": "2026-13-01", "end": "2026-10-31"}, "请输入有效的日期"),
        ({"start": "", "end": "2026-10-31"}, "请填写开始日期"),
    ],
)
def test_admin_form_errors_are_clear_and_keep_the_input(october, client, query, message):
    w, _c, _L = october
    client.force_login(w.dispatcher)
    response = client.get(ADMIN_URL, {**query, "group": "unit"})
    html = response.content.decode()
    assert response.status_code == 200 and response.context["report"] is None
    assert message in html and 'role="alert"' in html
    assert f'value="{query["end"]}"' in html  # what was typed is still there
    assert '<option value="unit" selected>' in html


def test_admin_excel_export_is_audited(october, client):
    w, _c, _L = october
    client.force_login(w.dispatcher)
    response = client.get(ADMIN_URL, {**OCT_QUERY, "group": "unit", "format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content))["按承办单位"]
    rows = {r[0]: r for r in sheet.iter_rows(min_row=4, values_only=True)}
    assert rows["未派单"][1] == 4 and rows["合计"][1] == 9
    audit = AuditRecord.objects.get(action="export.letter_stats")
    assert audit.user_id == w.dispatcher.pk and audit.after["收到"] == 9


def test_letter_list_links_to_the_report(world, client):
    client.force_login(world.dispatcher)
    html = client.get("/admin/letters/").content.decode()
    assert ADMIN_URL in html


# -- demo ---------------------------------------------------------------------------------------


def test_demo_publishes_the_last_two_complete_months_with_letters(db, settings, tmp_path):
    from govportal.citizens.demo import build_demo_citizens
    from govportal.content.factories import ChannelPageFactory
    from govportal.content.models import ColumnType
    from govportal.interaction.demo import build_demo_letters
    from govportal.interaction.demo_stats import build_demo_letter_stats
    from govportal.organizations.demo import build_demo_organizations
    from govportal.organizations.models import Organization, SiteOrganization

    settings.GOVPORTAL_PRIVATE_MEDIA_ROOT = tmp_path
    build_demo_organizations()
    build_demo_citizens()
    for host, title, code in [("www.shili.test", "示例市人民政府", "1399000001"),
                              ("jyj.shili.test", "示例市教育局", "1399000023")]:  # fmt: skip
        site, home, _ = make_site(host, 80, title=title, site_id_code=code)
        SiteOrganization.objects.create(
            site=site, organization=Organization.objects.get(name=title)
        )
        if title == "示例市人民政府":
            ChannelPageFactory(parent=home, title="互动交流", slug="interaction",
                               column_type=ColumnType.INTERACTION)  # fmt: skip
    build_demo_letters()
    today = timezone.localdate()
    reports = build_demo_letter_stats(today=today)
    last = stats.previous_month(today)
    before = stats.previous_month(date(*last, 1))
    assert sorted({(r.year, r.month) for r in reports}) == [before, last]
    assert len(reports) == 4  # two sites × two months
    for report in reports:
        by_mailbox, _by_unit = stats.frozen(report)
        assert by_mailbox.total.received >= 1  # no published month is empty
    portal = next(r for r in reports if r.site.hostname == "www.shili.test")
    by_mailbox, by_unit = stats.frozen(portal)
    assert {r.label for r in by_mailbox.rows} >= {"市长信箱", "咨询", "投诉举报"}
    assert "局长信箱" not in {r.label for r in by_mailbox.rows}  # the 教育局 site's own
    count = Letter.objects.count()
    assert build_demo_letter_stats(today=today) == reports  # idempotent
    assert Letter.objects.count() == count
