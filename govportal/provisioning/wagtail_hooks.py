"""站群管理 in the admin: URLs, the menu (platform operators only) and the audit action."""

from django.urls import include, path, reverse_lazy

from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.log_actions import LogFormatter

from govportal.siteadmin.access import is_platform_operator

from . import urls
from .services import ACTION_CREATE_SITE


@hooks.register("register_admin_urls")
def register_provisioning_urls():
    return [path("provisioning/", include(urls, namespace="provisioning"))]


class OperatorMenuItem(MenuItem):
    def is_shown(self, request):
        return is_platform_operator(request.user)


class OperatorSubmenuMenuItem(SubmenuMenuItem):
    def is_shown(self, request):
        return is_platform_operator(request.user)


@hooks.register("register_admin_menu_item")
def register_site_group_menu():
    menu = Menu(
        items=[
            OperatorMenuItem(
                "全部网站",
                reverse_lazy("provisioning:index"),
                name="site-group-sites",
                icon_name="site",
                order=100,
            ),
            OperatorMenuItem(
                "新建网站",
                reverse_lazy("provisioning:new"),
                name="site-group-new",
                icon_name="plus",
                order=200,
            ),
        ]
    )
    return OperatorSubmenuMenuItem("站群管理", menu, icon_name="site", name="site-group", order=250)


@hooks.register("register_log_actions")
def register_provisioning_log_actions(actions):
    @actions.register_action(ACTION_CREATE_SITE)
    class CreateSite(LogFormatter):
        label = "站群管理：开通网站"

        def format_message(self, log_entry):
            data = log_entry.data or {}
            try:
                return (
                    f"开通网站“{data['site']}”（{data['hostname']}，网站标识码 {data['site_id_code']}，"
                    f"所属单位 {data['organization']}，栏目模板 {data['template']}）"
                )
            except (KeyError, TypeError):
                return str(self.label)
