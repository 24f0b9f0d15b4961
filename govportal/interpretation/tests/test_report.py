"""报告 → 政策文件未解读: policy documents of the user's sites with no live interpretation;
only people with a site role see it; the export works and is audited."""

import csv
import datetime
import io
import json

from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

import pytest
from bs4 import BeautifulSoup

from govportal.audit.models import AuditRecord
from govportal.conftest import make_user
from govportal.disclosure.taxonomy import Genre, Openness, Validity
from govportal.interpretation.factories import InterpretationPageFactory
from govportal.interpretation.policies import policy_documents

from .conftest import make_entry

URL = reverse("interpretation_uninterpreted_report")


def listed(response) -> list[str]:
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    return [a.get_text(strip=True) for a in soup.select("table tbody td a")]


def category(code):
    from govportal.disclosure.models import DisclosureCategory

    return DisclosureCategory.objects.get(code=code)


@pytest.fixture
def docs(world):
    """Besides the world's documents (doc_a, doc_a2 uninterpreted so far; doc_b on B)."""
    cats = world.cats
    today = timezone.localdate()
    year = today.year
    made = {
        "live": make_entry(cats.index_a, title="已有解读的文件"),
        "draft_only": make_entry(cats.index_a, title="只有草稿解读的文件"),
        "response_only": make_entry(cats.index_a, title="只有回应的文件"),
        "opinion": make_entry(
            cats.index_a,
            title="甲区关于推进数字政府建设的实施意见",
            genre=Genre.OPINION,
            category=category("other"),
            doc_number=f"甲政发〔{year}〕3号",
        ),  # fmt: skip
        "statistics": make_entry(
            cats.index_a, title="甲区统计数据", genre=Genre.OTHER, category=category("other")
        ),
        "plain_notice": make_entry(
            cats.index_a,
            title="甲区关于放假安排的通知",
            genre=Genre.NOTICE,
            category=category("other"),
        ),
        "repealed": make_entry(cats.index_a, title="已废止的办法", validity=Validity.REPEALED),
        "on_request": make_entry(
            cats.index_a, title="依申请公开的办法", openness=Openness.ON_REQUEST
        ),
        "old": make_entry(
            cats.index_a,
            title="很早以前的办法",
            written_date=datetime.date(2023, 5, 4),
            published=datetime.date(2023, 5, 8),
        ),  # fmt: skip
        "unpublished": make_entry(cats.index_a, title="未发布的办法", live=False),
    }
    InterpretationPageFactory(parent=world.channel_a, title="解读甲", policies=[made["live"]])
    InterpretationPageFactory(
        parent=world.channel_a, title="草稿解读", policies=[made["draft_only"]], live=False
    )
    InterpretationPageFactory(
        parent=world.channel_a, title="回应", kind="response", policies=[made["response_only"]]
    )
    return made


def test_the_policy_document_rule(world, docs):
    titles = set(policy_documents().values_list("title", flat=True))
    assert {
        "甲区关于推进数字政府建设的实施意见",
        "只有草稿解读的文件",
        "甲区促进就业创业实施办法",
    } <= titles
    for excluded in ("甲区统计数据", "甲区关于放假安排的通知", "已废止的办法", "依申请公开的办法",
                     "很早以前的办法", "未发布的办法"):  # fmt: skip
        assert excluded not in titles


def test_lists_uninterpreted_documents_of_the_site_and_not_interpreted_ones(client, world, docs):
    client.force_login(world.cats.group.a.admin)
    rows = listed(client.get(URL))
    assert sorted(rows) == sorted(
        [
            "甲区促进就业创业实施办法",
            "甲区养老服务补贴管理办法",
            "只有草稿解读的文件",  # a draft is not an interpretation yet
            "只有回应的文件",  # a response to a concern is not one either
            "甲区关于推进数字政府建设的实施意见",
        ]
    )
    assert "已有解读的文件" not in rows


def test_columns_show_number_publisher_date_days_and_site(client, world, docs):
    client.force_login(world.cats.group.a.admin)
    soup = BeautifulSoup(client.get(URL).content, "html.parser")
    headings = [th.get_text(strip=True) for th in soup.select("table thead th")]
    assert headings == ["名称", "文号", "发布机构", "发布日期", "已发布天数", "站点"]
    row = next(
        tr for tr in soup.select("table tbody tr") if "甲区促进就业创业实施办法" in tr.get_text()
    )
    cells = [td.get_text(strip=True) for td in row.select("td")]
    published = timezone.localtime(world.doc_a.publish_time).date()
    assert cells[1] == world.doc_a.doc_number
    assert cells[2] == "甲区人民政府"
    assert cells[4] == str((timezone.localdate() - published).days)
    assert cells[5] == world.cats.group.a.site.site_name


@pytest.mark.parametrize(
    ("user_key", "expected_present", "expected_absent"),
    [
        ("a.admin", "甲区促进就业创业实施办法", "乙市政府采购管理规定"),
        ("a.editor", "甲区促进就业创业实施办法", "乙市政府采购管理规定"),
        ("a.channel_editor", "甲区促进就业创业实施办法", "乙市政府采购管理规定"),
        ("b.admin", "乙市政府采购管理规定", "甲区促进就业创业实施办法"),
        ("b.reviewer", "乙市政府采购管理规定", "甲区促进就业创业实施办法"),
    ],
)
def test_each_user_sees_only_their_sites(
    client, world, docs, user_key, expected_present, expected_absent
):
    site, role = user_key.split(".")
    client.force_login(getattr(getattr(world.cats.group, site), role))
    rows = listed(client.get(URL))
    assert expected_present in rows and expected_absent not in rows


def test_superuser_sees_every_site_and_filters(client, world, docs, superuser):
    client.force_login(superuser)
    rows = listed(client.get(URL))
    assert "甲区促进就业创业实施办法" in rows and "乙市政府采购管理规定" in rows
    assert listed(client.get(URL, {"site": world.cats.group.b.site.pk})) == ["乙市政府采购管理规定"]
    by_publisher = listed(client.get(URL, {"publisher": world.cats.org_b.pk}))
    assert by_publisher == ["乙市政府采购管理规定"]
    today = timezone.localdate()
    assert (
        listed(client.get(URL, {"published_from": str(today + datetime.timedelta(days=1))})) == []
    )
    assert "乙市政府采购管理规定" in listed(
        client.get(
            URL,
            {"published_from": str(today - datetime.timedelta(days=5)), "published_to": str(today)},
        )
    )


def test_since_setting_moves_the_first_day(client, world, docs, settings):
    settings.GOVPORTAL_INTERPRETATION_SINCE = "2023-01-01"
    client.force_login(world.cats.group.a.admin)
    assert "很早以前的办法" in listed(client.get(URL))


def test_a_live_interpretation_takes_the_document_off_the_list(client, world, docs):
    client.force_login(world.cats.group.a.admin)
    assert "甲区养老服务补贴管理办法" in listed(client.get(URL))
    InterpretationPageFactory(
        parent=world.channel_b, title="乙站解读甲站文件", policies=[world.doc_a2]
    )
    assert "甲区养老服务补贴管理办法" not in listed(client.get(URL))


def test_people_without_a_site_role_and_anonymous_visitors_are_refused(client, world, docs):
    staff = make_user("system_admin_like", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(staff)
    refused = client.get(URL)
    assert refused.status_code == 302 and refused["Location"] == reverse("wagtailadmin_home")
    citizen = make_user("citizen_like")
    client.force_login(citizen)
    refused = client.get(URL)
    assert refused.status_code == 302 and "login" in refused["Location"]
    client.logout()
    response = client.get(URL)
    assert response.status_code == 302 and "login" in response["Location"]
    assert client.get(URL, {"export": "csv"}).status_code == 302


def test_report_is_in_the_reports_menu_for_site_staff_only(client, world):
    label = json.dumps("政策文件未解读")[1:-1]  # the menu reaches the page as escaped JSON
    client.force_login(world.cats.group.a.editor)
    assert label in client.get(reverse("wagtailadmin_home")).content.decode()
    staff = make_user("no_site_role", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(staff)
    assert label not in client.get(reverse("wagtailadmin_home")).content.decode()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_carries_the_rows_and_is_audited(client, world, docs, fmt):
    client.force_login(world.cats.group.a.admin)
    response = client.get(URL, {"export": fmt})
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(content.decode("utf-8"))))
    else:
        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(content)).active
        rows = [
            [("" if c is None else str(c)) for c in r] for r in sheet.iter_rows(values_only=True)
        ]
    assert rows[0] == ["名称", "文号", "索引号", "发布机构", "发布日期", "已发布天数", "站点"]
    titles = {r[0] for r in rows[1:]}
    assert "甲区促进就业创业实施办法" in titles and "已有解读的文件" not in titles
    assert "乙市政府采购管理规定" not in titles
    record = (
        AuditRecord.objects.filter(action="interpretation.export_uninterpreted_report")
        .order_by("-seq")
        .first()
    )
    assert record is not None and record.after == {"format": fmt, "rows": len(rows) - 1}
