"""The monthly 信息报送通报 against hand counts, in the admin and in the Excel export."""

import io
from datetime import datetime
from zoneinfo import ZoneInfo

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest
from openpyxl import load_workbook

from govportal.audit.models import AuditRecord
from govportal.content.factories import ArticlePageFactory
from govportal.submissions.models import Submission, SubmissionStatus
from govportal.submissions.services import monthly_stats

S = SubmissionStatus
SHANGHAI = ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.django_db


def at(*args):
    return datetime(*args, tzinfo=SHANGHAI)


@pytest.fixture
def march(world):
    """Hand-made submissions to site B (and one to C) around March 2025."""
    a, b, c = world.a, world.b, world.c

    def add(site, org, status, when, target=None):
        article = ArticlePageFactory(parent=site.news)
        return Submission.objects.create(
            article=article,
            source_site=site.site,
            organization=org,
            submitter=site.editor,
            target_site=target or b.site,
            status=status,
            created_at=when,
        )

    # 甲区 (site A): 3 counted in March: 2 adopted, 1 declined; 1 withdrawn (not counted).
    add(a, world.district, S.ADOPTED, at(2025, 3, 1, 0, 5))  # just after local midnight
    add(a, world.district, S.ADOPTED, at(2025, 3, 15, 10))
    add(a, world.district, S.DECLINED, at(2025, 3, 31, 23, 50))
    add(a, world.district, S.WITHDRAWN, at(2025, 3, 20))
    # Outside March (local time): February and 1 April 00:30 (still 31 March in UTC).
    add(a, world.district, S.ADOPTED, at(2025, 2, 28, 23, 59))
    add(a, world.district, S.ADOPTED, at(2025, 4, 1, 0, 30))
    # 乙局 (site C): 2 in March: 1 adopted, 1 pending → same adopted count, lower rate.
    add(c, world.bureau, S.ADOPTED, at(2025, 3, 2))
    add(c, world.bureau, S.SUBMITTED, at(2025, 3, 3))
    # 某街道 (a sub-unit without a site): 1 adopted of 1 → rate 100%, ranks first.
    add(a, world.street, S.ADOPTED, at(2025, 3, 4))
    # To site C, not B: counted only when all target sites are included.
    add(a, world.district, S.DECLINED, at(2025, 3, 5), target=c.site)
    return world


def as_tuples(rows):
    return [
        (r.rank, r.organization.name, r.submitted, r.adopted, r.declined, r.pending, r.rate_display)
        for r in rows
    ]


def test_march_for_site_b_matches_hand_counts(march):
    rows = monthly_stats(2025, 3, target_sites=[march.b.site])
    assert as_tuples(rows) == [
        (1, "示例市甲区人民政府", 3, 2, 1, 0, "66.7%"),
        (2, "甲区某街道办事处", 1, 1, 0, 0, "100.0%"),
        (3, "示例市乙局", 2, 1, 0, 1, "50.0%"),
    ]
    # B's own unit is the receiver, so it is not listed.


def test_march_for_all_sites_lists_every_site_owner(march):
    rows = monthly_stats(2025, 3)
    assert as_tuples(rows) == [
        (1, "示例市甲区人民政府", 4, 2, 2, 0, "50.0%"),
        (2, "甲区某街道办事处", 1, 1, 0, 0, "100.0%"),
        (3, "示例市乙局", 2, 1, 0, 1, "50.0%"),
        (4, "示例市人民政府", 0, 0, 0, 0, "—"),
    ]


def test_months_around_and_empty_month(march):
    feb = {r.organization.name: r for r in monthly_stats(2025, 2, [march.b.site])}
    assert (feb["示例市甲区人民政府"].submitted, feb["示例市甲区人民政府"].adopted) == (1, 1)
    april = {r.organization.name: r for r in monthly_stats(2025, 4, [march.b.site])}
    assert april["示例市甲区人民政府"].submitted == 1
    # Nothing submitted: every unit listed with 0 and "—", all tied at rank 1.
    rows = monthly_stats(2024, 12, [march.b.site])
    assert {(r.rank, r.submitted, r.adopted, r.rate, r.rate_display) for r in rows} == {
        (1, 0, 0, None, "—")
    }
    assert {r.organization.name for r in rows} == {"示例市甲区人民政府", "示例市乙局"}


def test_stats_page_and_excel_export_show_the_same_numbers(march, client):
    client.force_login(march.b.editor)
    url = reverse("submissions:stats")
    page = client.get(url, {"month": "2025-03"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "2025年3月信息报送通报" in html
    assert "66.7%" in html and "100.0%" in html

    response = client.get(url, {"month": "2025-03", "format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "2025年3月信息报送通报"
    assert [c.value for c in sheet[2]] == [
        "排名",
        "单位",
        "报送数",
        "采用数",
        "未采用数",
        "待处理数",
        "采用率",
    ]
    body = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    expected = monthly_stats(2025, 3, target_sites=[march.b.site])
    assert len(body) == len(expected) + 1
    for values, row in zip(body, expected, strict=False):
        assert values[:6] == [
            row.rank,
            row.organization.name,
            row.submitted,
            row.adopted,
            row.declined,
            row.pending,
        ]
        assert f"{values[6] * 100:.1f}%" == row.rate_display
    assert body[-1][1:6] == ["合计", 6, 4, 1, 1]
    assert sheet.cell(row=3, column=7).number_format == "0.0%"


def test_stats_page_shows_dash_for_zero_and_default_month(world, client):
    client.force_login(world.b.admin)
    html = client.get(reverse("submissions:stats")).content.decode()
    assert "信息报送通报" in html and "—" in html


def test_stats_refused_to_users_handling_no_site(world, client):
    client.force_login(world.a.reviewer)  # may edit but add nowhere
    response = client.get(reverse("submissions:stats"))
    assert response.status_code == 302 and response.url == reverse("wagtailadmin_home")


def test_excel_export_is_audited_and_the_page_is_not(march, client):
    client.force_login(march.b.editor)
    url = reverse("submissions:stats")
    client.get(url, {"month": "2025-03"})
    assert not AuditRecord.objects.filter(action="export.submission_stats").exists()
    client.get(url, {"month": "2025-03", "format": "xlsx"})
    record = AuditRecord.objects.get(action="export.submission_stats")
    assert record.user_id == march.b.editor.pk
    assert record.extra == {"file": "submission-stats-2025-03.xlsx"}  # names the month
    assert record.object_type == "submissions.submission"


def test_excel_export_queries_do_not_grow_with_a_year_of_submissions(world, client):
    """The month is counted in the database (indexed 报送时间, GROUP BY 单位); the other
    months of the year and the number of submissions add no query."""
    a, b = world.a, world.b
    articles = [ArticlePageFactory(parent=a.news) for _ in range(3)]

    def fill(count, start):
        Submission.objects.bulk_create(
            Submission(
                article=articles[n % 3],
                source_site=a.site,
                organization=world.district,
                target_site=b.site,
                status=[S.ADOPTED, S.DECLINED, S.WITHDRAWN][n % 3],
                created_at=at(2025, 1 + n % 12, 1 + n % 28, 10),
            )
            for n in range(start, start + count)
        )

    client.force_login(b.editor)
    url = reverse("submissions:stats")
    params = {"month": "2025-03", "format": "xlsx"}
    client.get(url, params)  # warm caches

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url, params).status_code == 200
        return len(captured)

    fill(24, 0)
    few = queries()
    fill(1200, 24)
    assert queries() == few
