"""The 政府汇总 roll-up: sums the government and its units; lists where each number came from."""

import datetime

from govportal.annualreports import services
from govportal.annualreports.factories import AnnualReportFactory
from govportal.annualreports.models import CATEGORY_CODE, ReportKind, due_date
from govportal.disclosure.models import DisclosureCategory
from govportal.inforequests.taxonomy import Outcome

from .test_admin import TEXTS
from .test_tables import REQUESTS, make_requests

d = datetime.date


def test_rollup_sums_its_units_and_lists_their_sources(world):
    make_requests(world.org_a)  # 11 new, 2 carried in
    make_requests(world.org_a_sub, [("commercial", d(2025, 3, 3), d(2025, 3, 20), Outcome.PUBLIC, None),
                                    ("natural", d(2024, 12, 1), None, "", None)])  # fmt: skip
    make_requests(world.org_b, REQUESTS)  # not below 甲区人民政府
    sub = AnnualReportFactory(
        organization=world.org_a_sub, texts=TEXTS, entered={"licensing": 5, "fees": "1.5000"}
    )
    services.publish(sub, world.staff_a)
    AnnualReportFactory(organization=world.org_a, entered={"licensing": 7, "fees": "0.2500",
                                                           "review_upheld": 3})  # fmt: skip
    # data changing after the unit published does not reach the roll-up
    make_requests(world.org_a_sub, [("natural", d(2025, 5, 5), None, "", None)])

    rollup = AnnualReportFactory(organization=world.org_a, kind=ReportKind.ROLLUP)
    numbers = services.derived(rollup)
    table = numbers["table3"]
    assert table["new"]["total"] == 11 + 1
    assert table["new"]["commercial"] == 1 + 1
    assert table["carried_in"]["total"] == 2 + 1
    assert table["outcomes"][Outcome.PUBLIC]["total"] == 2 + 1
    assert table["carried_out"]["total"] == 3 + 1
    assert services.check_failures(table) == []
    entered = services.entered_numbers(rollup, numbers)
    assert entered["licensing"] == 12 and entered["fees"] == "1.7500"
    assert entered["review_upheld"] == 3
    assert [(u["name"], u["source"]) for u in numbers["units"]] == [
        ("甲区人民政府", "draft"),
        ("甲区教育局", "published"),
    ]
    assert rollup.title == "甲区2025年政府信息公开工作年度报告"
    assert rollup.due_date == d(2026, 3, 31) == due_date(2025, ReportKind.ROLLUP)


def test_rollup_edit_page_has_no_number_fields(client, world):
    rollup = AnnualReportFactory(organization=world.org_a, kind=ReportKind.ROLLUP)
    client.force_login(world.staff_a)
    html = client.get(f"/admin/annual-reports/{rollup.pk}/").content.decode()
    assert "政府汇总年报的各表数据都由所辖单位汇总" in html
    assert 'name="licensing"' not in html
    assert "附：汇总范围" in html and "未生成年报" in html


def test_the_migration_made_the_annual_report_category(db):
    category = DisclosureCategory.objects.get(code=CATEGORY_CODE)
    assert category.name == "政府信息公开年报" and category.parent is None
