"""政策解读 in the admin: the 政策文件未解读 report (报告)."""

from django.urls import path, reverse_lazy

from wagtail import hooks

from govportal.disclosure.wagtail_hooks import SiteRoleReportMenuItem

from .views import UninterpretedPolicyReportView


@hooks.register("register_admin_urls")
def register_interpretation_report_urls():
    return [
        path(
            "reports/uninterpreted-policies/",
            UninterpretedPolicyReportView.as_view(),
            name="interpretation_uninterpreted_report",
        ),
        path(
            "reports/uninterpreted-policies/results/",
            UninterpretedPolicyReportView.as_view(results_only=True),
            name="interpretation_uninterpreted_report_results",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_uninterpreted_menu_item():
    return SiteRoleReportMenuItem(
        "政策文件未解读",
        reverse_lazy("interpretation_uninterpreted_report"),
        name="uninterpreted-policies",
        icon_name="doc-full",
        order=910,
    )
