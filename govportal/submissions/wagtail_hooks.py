"""信息报送 in the admin: URLs, the 信息报送 menu, the 报送 page action and log actions."""

from django.urls import include, path, reverse, reverse_lazy

from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.widgets import Button
from wagtail.log_actions import LogFormatter

from govportal.content.models import ArticlePage

from . import services, urls


@hooks.register("register_admin_urls")
def register_submission_urls():
    return [path("submissions/", include(urls, namespace="submissions"))]


class HandlerMenuItem(MenuItem):
    """Shown only to people who may handle some site's inbox."""

    def is_shown(self, request):
        return services.handles_any_site(request.user)


@hooks.register("register_admin_menu_item")
def register_submissions_menu():
    menu = Menu(
        items=[
            MenuItem(
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


def _submit_button(page, user, priority):
    if not page.live or page.specific_class is not ArticlePage:
        return None
    if not services.can_submit(user, page):
        return None
    return Button(
        "报送",
        reverse("submissions:new", args=(page.pk,)),
        icon_name="mail",
        attrs={"title": "报送到上级或其他站点"},
        priority=priority,
    )


@hooks.register("register_page_listing_more_buttons")
def page_listing_submit_button(page, user, next_url=None):
    button = _submit_button(page, user, priority=70)
    if button is not None:
        yield button


@hooks.register("register_page_header_buttons")
def page_header_submit_button(page, user, view_name, next_url=None):
    button = _submit_button(page, user, priority=90)
    if button is not None:
        yield button


class SubmissionLogFormatter(LogFormatter):
    def describe(self, data) -> str:
        raise NotImplementedError

    def format_message(self, log_entry):
        data = log_entry.data or {}
        try:
            return self.describe(data)
        except (KeyError, TypeError):
            return str(self.label)


@hooks.register("register_log_actions")
def register_submission_log_actions(actions):
    @actions.register_action(services.ACTION_SUBMIT)
    class Submit(SubmissionLogFormatter):
        label = "信息报送：报送"

        def describe(self, data):
            channel = f"（建议栏目：{data['channel']}）" if data.get("channel") else ""
            return f"{data['organization']}报送到{data['target_site']}{channel}"

    @actions.register_action(services.ACTION_ADOPT)
    class Adopt(SubmissionLogFormatter):
        label = "信息报送：采用"

        def describe(self, data):
            return f"{data['target_site']}已采用，发布到“{data['channel']}”栏目"

    @actions.register_action(services.ACTION_DECLINE)
    class Decline(SubmissionLogFormatter):
        label = "信息报送：未采用"

        def describe(self, data):
            return f"{data['target_site']}未采用：{data['reason']}"

    @actions.register_action(services.ACTION_WITHDRAW)
    class Withdraw(SubmissionLogFormatter):
        label = "信息报送：撤回"

        def describe(self, data):
            return f"已撤回报送到{data['target_site']}的信息"
