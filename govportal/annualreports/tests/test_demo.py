"""The demo reports: built on the demo organisation tree and catalogue, once."""

from govportal.annualreports.demo import build_demo_annual_reports
from govportal.annualreports.models import AnnualReport, AnnualReportPage, ReportKind, ReportStatus
from govportal.content.factories import ChannelPageFactory
from govportal.content.models import ColumnType
from govportal.disclosure.factories import DisclosureIndexPageFactory
from govportal.organizations.demo import build_demo_organizations
from govportal.organizations.services import link_site


def test_demo_publishes_the_city_reports_once(site_group):
    city = build_demo_organizations()
    link_site(site_group.a.site, city)
    channel = ChannelPageFactory(parent=site_group.a.home, title="政府信息公开", slug="xxgk",
                                 column_type=ColumnType.DISCLOSURE)  # fmt: skip
    DisclosureIndexPageFactory(parent=channel)

    made = build_demo_annual_reports()
    assert {(r.organization.name, r.kind, r.status) for r in made} == {
        ("示例市人民政府", ReportKind.ORGANIZATION, ReportStatus.PUBLISHED),
        ("示例市教育局", ReportKind.ORGANIZATION, ReportStatus.PUBLISHED),
        ("示例市财政局", ReportKind.ORGANIZATION, ReportStatus.DRAFT),
        ("示例市人民政府", ReportKind.ROLLUP, ReportStatus.PUBLISHED),
    }
    assert all(r.deadline_state() == "on_time" for r in made if r.is_published)
    assert AnnualReportPage.objects.live().count() == 3
    assert build_demo_annual_reports() == []
    assert AnnualReport.objects.count() == 4
