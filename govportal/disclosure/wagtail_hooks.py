"""公开目录 in the admin: the 超期主动公开 report (报告) and the category taxonomy (snippets)."""

from django.urls import path, reverse_lazy

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from govportal.siteadmin import access

from .models import DisclosureCategory
from .views import LateDisclosureReportView


class SiteRoleReportMenuItem(MenuItem):
    def is_shown(self, request):
        return access.holds_page_permission(request.user)


@hooks.register("register_admin_urls")
def register_disclosure_report_urls():
    return [
        path(
            "reports/late-disclosure/",
            LateDisclosureReportView.as_view(),
            name="disclosure_late_report",
        ),
        path(
            "reports/late-disclosure/results/",
            LateDisclosureReportView.as_view(results_only=True),
            name="disclosure_late_report_results",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_late_disclosure_menu_item():
    return SiteRoleReportMenuItem(
        "超期主动公开",
        reverse_lazy("disclosure_late_report"),
        name="late-disclosure",
        icon_name="time",
        order=900,
    )


class DisclosureCategoryViewSet(SnippetViewSet):
    model = DisclosureCategory
    icon = "list-ul"
    menu_label = "主动公开内容分类"
    list_display = ["name", "parent", "code", "sort_order"]
    ordering = ["sort_order", "code"]


register_snippet(DisclosureCategoryViewSet)
