"""信息报送 in the admin: URLs, the 信息报送 menu, the 报送 page action and log actions."""

from django.urls import include, path, reverse_lazy

from wagtail import hooks
from wagtail.admin.menu import Menu, SubmenuMenuItem

from govportal.siteadmin.common import (
    DataLogFormatter,
    HandlerMenuItem,
    SiteRoleMenuItem,
    register_article_button,
)

from . import services, urls


@hooks.register("register_admin_urls")
def register_submission_urls():
    return [path("submissions/", include(urls, namespace="submissions"))]


@hooks.register("register_admin_menu_item")
def register_submissions_menu():
    menu = Menu(
        items=[
            SiteRoleMenuItem(
                "我的报送",
                reverse_lazy("submissions:mine"),
                name="my-submissions",
                icon_name="mail",
                order=100,
            ),
            HandlerMenuItem(
                "报送收件箱",
                reverse_lazy("submissions:inbox"),
                name="submission-inbox",
                icon_name="tasks",
                order=200,
            ),
            HandlerMenuItem(
                "报送统计",
                reverse_lazy("submissions:stats"),
                name="submission-stats",
                icon_name="table",
                order=300,
            ),
        ]
    )
    return SubmenuMenuItem("信息报送", menu, icon_name="mail", name="submissions", order=260)


register_article_button(
    "报送",
    "submissions:new",
    allowed=services.can_submit,
    icon_name="mail",
    title="报送到上级或其他站点",
    listing_priority=70,
    header_priority=90,
)


@hooks.register("register_log_actions")
def register_submission_log_actions(actions):
    @actions.register_action(services.ACTION_SUBMIT)
    class Submit(DataLogFormatter):
        label = "信息报送：报送"

        def describe(self, data):
            channel = f"（建议栏目：{data['channel']}）" if data.get("channel") else ""
            return f"{data['organization']}报送到{data['target_site']}{channel}"

    @actions.register_action(services.ACTION_ADOPT)
    class Adopt(DataLogFormatter):
        label = "信息报送：采用"

        def describe(self, data):
            return f"{data['target_site']}已采用，发布到“{data['channel']}”栏目"

    @actions.register_action(services.ACTION_DECLINE)
    class Decline(DataLogFormatter):
        label = "信息报送：未采用"

        def describe(self, data):
            return f"{data['target_site']}未采用：{data['reason']}"

    @actions.register_action(services.ACTION_WITHDRAW)
    class Withdraw(DataLogFormatter):
        label = "信息报送：撤回"

        def describe(self, data):
            return f"已撤回报送到{data['target_site']}的信息"
