"""政府信息公开年报 in the admin: its URLs and a menu item under 报告 (Reports)."""

from django.urls import include, path, reverse_lazy

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import services, urls


class AnnualReportMenuItem(MenuItem):
    def is_shown(self, request):
        return services.may_use(request.user)


@hooks.register("register_admin_urls")
def register_annual_report_urls():
    return [path("annual-reports/", include(urls, namespace="annualreports"))]


@hooks.register("register_reports_menu_item")
def register_annual_report_menu_item():
    return AnnualReportMenuItem(
        "政府信息公开年报",
        reverse_lazy("annualreports:index"),
        name="annual-reports",
        icon_name="doc-full",
        order=950,
    )
