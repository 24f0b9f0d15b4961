"""Generating, editing and publishing reports in the admin; who may do it."""

import datetime
import io

from django.urls import reverse

import pytest
from pypdf import PdfReader

from govportal.annualreports import services
from govportal.annualreports.factories import AnnualReportFactory
from govportal.annualreports.models import AnnualReport, AnnualReportPage, ReportKind, ReportStatus
from govportal.audit.models import AuditRecord
from govportal.conftest import public_get
from govportal.disclosure.models import DisclosureIndexPage
from govportal.disclosure.taxonomy import Genre
from govportal.inforequests.taxonomy import Outcome

from .test_tables import make_requests

d = datetime.date

TEXTS = {
    "overview_proactive": "主动公开了规章和规范性文件。",
    "overview_requests": "依法办理申请。",
    "overview_management": "规范信息管理。",
    "overview_platform": "网站平台运行平稳。",
    "overview_supervision": "纳入考核。",
    "problems": "解读形式单一。\n将增加图解。",
}


def form_data(**overrides):
    data = {key: "0" for key in services.ENTERED_INT_FIELDS}
    data.update({"fees": "0", **TEXTS})
    data.update({k: str(v) for k, v in overrides.items()})
    return data


def edit_url(report):
    return reverse("annualreports:edit", args=(report.pk,))


@pytest.fixture
def report_a(world):
    make_requests(world.org_a)
    return AnnualReportFactory(organization=world.org_a, year=2025)


def publish(client, report):
    return client.post(reverse("annualreports:publish", args=(report.pk,)), follow=True)


# -- generate --------------------------------------------------------------------------------


def test_generate_creates_a_draft_and_refuses_a_duplicate(client, world):
    client.force_login(world.staff_a)
    url = reverse("annualreports:generate")
    page = client.get(url)
    assert page.status_code == 200
    assert 'value="2025"' in page.content.decode()  # last year by default

    data = {"organization": world.org_a_sub.pk, "year": 2025, "kind": ReportKind.ORGANIZATION}
    response = client.post(url, data)
    report = AnnualReport.objects.get(organization=world.org_a_sub, year=2025)
    assert response.status_code == 302 and response.url == edit_url(report)
    assert report.status == ReportStatus.DRAFT
    assert report.title == "甲区教育局2025年政府信息公开工作年度报告"
    assert AuditRecord.objects.filter(
        action=services.ACTION_GENERATE, object_id=str(report.pk)
    ).exists()

    again = client.post(url, data)
    assert again.status_code == 200
    assert "已经生成" in again.content.decode()
    assert AnnualReport.objects.filter(organization=world.org_a_sub, year=2025).count() == 1


@pytest.mark.parametrize(
    ("who", "org", "kind", "error"),
    [
        ("staff_a", "org_a_sub", ReportKind.ROLLUP, "只有政府（含区县政府）可以生成政府汇总年报"),
        ("staff_a", "org_b", ReportKind.ORGANIZATION, "请从列表中选择您所在的单位"),
        ("staff_b", "org_a", ReportKind.ORGANIZATION, "请从列表中选择您所在的单位"),
    ],
)
def test_generate_refuses(client, world, who, org, kind, error):
    client.force_login(getattr(world, who))
    response = client.post(
        reverse("annualreports:generate"),
        {"organization": getattr(world, org).pk, "year": 2025, "kind": kind},
    )
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not AnnualReport.objects.exists()


def test_generate_refuses_a_future_year(client, world):
    client.force_login(world.staff_a)
    year = datetime.date.today().year + 1
    response = client.post(
        reverse("annualreports:generate"),
        {"organization": world.org_a.pk, "year": year, "kind": ReportKind.ORGANIZATION},
    )
    assert "年度应在 2008 年到" in response.content.decode()


# -- permissions -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["edit", "pdf", "publish"])
@pytest.mark.parametrize(
    ("who", "expected"),
    [("staff_a", 200), ("staff_b", 404), ("outsider", "denied"), (None, "login")],
)
def test_who_may_open_a_report(client, world, report_a, name, who, expected):
    if who:
        client.force_login(getattr(world, who))
    url = reverse(f"annualreports:{name}", args=(report_a.pk,))
    response = client.post(url, form_data()) if name == "publish" else client.get(url)
    if expected == "login":
        assert response.status_code == 302 and "/login/" in response.url
    elif expected == "denied":
        assert response.status_code in (302, 403)
        assert "/login/" not in response.get("Location", "")
    elif expected == 404:
        assert response.status_code == 404
    elif name == "publish":
        assert response.status_code == 302  # back to the edit page
    else:
        assert response.status_code == 200
    if who != "staff_a":
        assert AnnualReport.objects.get(pk=report_a.pk).status == ReportStatus.DRAFT


def test_the_list_shows_only_the_users_units(client, world, report_a):
    AnnualReportFactory(organization=world.org_b, year=2025)
    client.force_login(world.staff_b)
    html = client.get(reverse("annualreports:index")).content.decode()
    assert "乙市财政局2025年" in html
    assert "甲区人民政府2025年" not in html
    client.force_login(world.staff_a)
    html = client.get(reverse("annualreports:index")).content.decode()
    assert "甲区人民政府2025年" in html and "乙市财政局2025年" not in html
    assert "应于2026年1月31日前发布" in html
    assert "✓ 通过" in html
    # 甲区教育局 has no 2025 report yet
    assert "甲区教育局" in html.split('id="missing-reports"')[1]


# -- edit ------------------------------------------------------------------------------------


def test_staff_edits_are_saved_and_audited(client, world, report_a):
    client.force_login(world.staff_a)
    response = client.post(
        edit_url(report_a), form_data(licensing=12, fees="3.1416", review_upheld=2)
    )
    assert response.status_code == 302
    report = AnnualReport.objects.get(pk=report_a.pk)
    assert report.entered["licensing"] == 12
    assert report.entered["fees"] == "3.1416"
    assert report.texts["problems"] == "解读形式单一。\n将增加图解。"
    assert report.updated_by == world.staff_a
    assert AuditRecord.objects.filter(
        action=services.ACTION_EDIT, object_id=str(report.pk)
    ).exists()
    html = client.get(edit_url(report)).content.decode()
    assert "3.1416" in html


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("licensing", "-1", "不能为负数"),
        ("licensing", "abc", "应为整数"),
        ("fees", "1.23456", "最多保留四位小数"),
        ("fees", "-3", "收费金额不能为负数"),
    ],
)
def test_bad_input_is_refused_and_nothing_typed_is_lost(
    client, world, report_a, field, value, message
):
    client.force_login(world.staff_a)
    response = client.post(edit_url(report_a), form_data(**{field: value}, penalty=7))
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert "纳入考核。" in html and 'value="7"' in html  # what was typed is still there
    assert AnnualReport.objects.get(pk=report_a.pk).entered == {}


def test_derived_numbers_cannot_be_posted(client, world, report_a):
    client.force_login(world.staff_a)
    client.post(edit_url(report_a), {**form_data(), "new": "999", "table3": "x"})
    report = AnnualReport.objects.get(pk=report_a.pk)
    assert "new" not in report.entered and "table3" not in report.entered
    assert services.derived(report)["table3"]["new"]["total"] == 11


# -- publish ---------------------------------------------------------------------------------


def test_publish_refuses_missing_texts(client, world, report_a):
    client.force_login(world.staff_a)
    html = publish(client, report_a).content.decode()
    assert "未发布" in html and "（一）主动公开" in html
    assert AnnualReport.objects.get(pk=report_a.pk).status == ReportStatus.DRAFT


def test_publish_refuses_an_inconsistent_request_table(client, world, report_a):
    make_requests(world.org_a, [("natural", d(2025, 5, 1), d(2024, 12, 30), Outcome.PUBLIC, None)])
    client.force_login(world.staff_a)
    client.post(edit_url(report_a), form_data())
    page = client.get(edit_url(report_a)).content.decode()
    assert "数据核对未通过" in page and 'id="publish-button"' not in page
    html = publish(client, report_a).content.decode()
    assert "表三数据不平衡" in html and "自然人、总计" in html
    assert not AnnualReportPage.objects.exists()


def test_publish_creates_the_catalogue_entry_page_and_pdf(client, world, report_a):
    client.force_login(world.staff_a)
    client.post(edit_url(report_a), form_data(licensing=321, fees="45.6789", direct_pending=4))
    response = publish(client, report_a)
    assert "已发布" in response.content.decode()

    report = AnnualReport.objects.get(pk=report_a.pk)
    page = AnnualReportPage.objects.get(pk=report.page_id)
    assert report.status == ReportStatus.PUBLISHED and page.live
    assert page.title == "甲区人民政府2025年政府信息公开工作年度报告"
    assert page.index_number and page.category.code == "annual-report"
    assert page.category.parent is None
    assert page.genre == Genre.REPORT and page.publisher == world.org_a
    assert page.written_date == report.published_on
    assert page.get_parent().specific_class is DisclosureIndexPage
    assert page.get_parent().pk == world.cats.index_a.pk
    assert page.revisions.count() == 1
    assert AuditRecord.objects.filter(
        action=services.ACTION_PUBLISH, object_id=str(report.pk)
    ).exists()

    html = public_get(client, page).content.decode()
    assert page.index_number in html
    assert "三、收到和处理政府信息公开申请情况" in html
    assert '<caption id="ar-t3">' in html
    assert 'role="region" tabindex="0"' in html
    assert "<td>321</td>" in html and "45.6789" in html
    assert '<tr class="ar-level-0" data-row="一、本年新收政府信息公开申请数量">' in html
    assert "数据核对通过" in html
    assert "下载PDF版" in html

    pdf = PdfReader(io.BytesIO(page.pdf.file.read()))
    text = "".join(p.extract_text() for p in pdf.pages)
    compact = text.replace(" ", "").replace("\n", "")
    assert "甲区人民政府2025年政府信息公开工作年度报告" in compact
    assert "收到和处理政府信息公开申请情况" in compact
    assert "45.6789" in compact and "321" in compact
    assert page.index_number in compact
    assert pdf.metadata.title == page.title


def test_the_catalogue_category_filter_finds_it(client, world, report_a):
    client.force_login(world.staff_a)
    client.post(edit_url(report_a), form_data())
    publish(client, report_a)
    client.logout()
    index = world.cats.index_a
    html = public_get(client, index, "?category=annual-report").content.decode()
    assert "甲区人民政府2025年政府信息公开工作年度报告" in html
    data = client.get("/api/v1/disclosure/entries/?category=annual-report").json()
    assert [r["title"] for r in data["results"]] == ["甲区人民政府2025年政府信息公开工作年度报告"]


def test_numbers_are_frozen_after_publication(client, world, report_a):
    client.force_login(world.staff_a)
    client.post(edit_url(report_a), form_data())
    publish(client, report_a)
    make_requests(world.org_a, [("natural", d(2025, 6, 1), d(2025, 6, 9), Outcome.PUBLIC, None)])

    report = AnnualReport.objects.get(pk=report_a.pk)
    assert services.compute(report)["table3"]["new"]["total"] == 12  # the data moved
    assert services.derived(report)["table3"]["new"]["total"] == 11  # the report did not
    # republishing with new texts keeps the frozen numbers
    client.post(edit_url(report), form_data(problems="新的问题。"))
    assert AnnualReport.objects.get(pk=report.pk).has_unpublished_changes
    publish(client, report)
    page = AnnualReportPage.objects.get(pk=report.page_id)
    assert page.content["table3"]["new"]["total"] == 11
    assert page.content["texts"]["problems"] == "新的问题。"
    assert page.revisions.count() == 2
    assert AnnualReportPage.objects.count() == 1


def test_publish_without_any_catalogue_is_refused(world):
    from django.core.exceptions import ValidationError

    DisclosureIndexPage.objects.filter(pk=world.cats.index_a.pk).delete()
    report = AnnualReportFactory(organization=world.org_a_sub, year=2025, texts=TEXTS)
    with pytest.raises(ValidationError, match="没有带“政府信息公开目录”的网站"):
        services.publish(report, world.staff_a)
