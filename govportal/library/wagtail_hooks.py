"""资源库 in the admin: URLs, the 资源库 menu, the 加入资源库 page action, log actions."""

from django.urls import include, path, reverse, reverse_lazy

from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.widgets import Button
from wagtail.log_actions import LogFormatter

from govportal.content.models import ArticlePage
from govportal.submissions.services import handles_any_site

from . import services, urls


@hooks.register("register_admin_urls")
def register_library_urls():
    return [path("library/", include(urls, namespace="library"))]


class LibraryMenuItem(MenuItem):
    """Shown to people who may add pages on some site (editors, site admins)."""

    def is_shown(self, request):
        # Same answer as ``services.can_use_library`` (any handled site), without loading
        # every site on each admin page; cached for the request.
        return handles_any_site(request.user)


@hooks.register("register_admin_menu_item")
def register_library_menu():
    menu = Menu(
        items=[
            LibraryMenuItem(
                "资源库", reverse_lazy("library:index"), name="library-index", icon_name="folder-open-inverse", order=100
            ),
            LibraryMenuItem(
                "上传资源", reverse_lazy("library:upload"), name="library-upload", icon_name="upload", order=200
            ),
            LibraryMenuItem(
                "推送收件箱", reverse_lazy("library:inbox"), name="library-inbox", icon_name="tasks", order=300
            ),
        ]
    )  # fmt: skip
    return SubmenuMenuItem(
        "统一信息资源库", menu, icon_name="folder-open-inverse", name="library", order=270
    )


def _add_button(page, user, priority):
    if not page.live or page.specific_class is not ArticlePage:
        return None
    if not services.can_add_article(user, page):
        return None
    return Button(
        "加入资源库",
        reverse("library:add_article", args=(page.pk,)),
        icon_name="folder-open-inverse",
        attrs={"title": "加入统一信息资源库，供其他站点推送和引用"},
        priority=priority,
    )


@hooks.register("register_page_listing_more_buttons")
def page_listing_library_button(page, user, next_url=None):
    button = _add_button(page, user, priority=75)
    if button is not None:
        yield button


@hooks.register("register_page_header_buttons")
def page_header_library_button(page, user, view_name, next_url=None):
    button = _add_button(page, user, priority=95)
    if button is not None:
        yield button


class LibraryLogFormatter(LogFormatter):
    def describe(self, data) -> str:
        raise NotImplementedError

    def format_message(self, log_entry):
        data = log_entry.data or {}
        try:
            return self.describe(data)
        except (KeyError, TypeError):
            return str(self.label)


@hooks.register("register_log_actions")
def register_library_log_actions(actions):
    @actions.register_action(services.ACTION_ADD)
    class Add(LibraryLogFormatter):
        label = "资源库：入库"

        def describe(self, data):
            return f"{data['source_site']}将{data['kind']}“{data['title']}”加入资源库（{data['scope']}）"

    @actions.register_action(services.ACTION_PUSH)
    class Push(LibraryLogFormatter):
        label = "资源库：推送"

        def describe(self, data):
            return f"推送到{data['target_site']}"

    @actions.register_action(services.ACTION_PLACE)
    class Place(LibraryLogFormatter):
        label = "资源库：引用"

        def describe(self, data):
            state = "已发布" if data.get("live") else "待审核"
            return f"{data['target_site']}引用到“{data['channel']}”栏目（{state}）"

    @actions.register_action(services.ACTION_DECLINE)
    class Decline(LibraryLogFormatter):
        label = "资源库：拒绝推送"

        def describe(self, data):
            return f"{data['target_site']}拒绝了推送：{data['reason']}"

    @actions.register_action(services.ACTION_WITHDRAW)
    class Withdraw(LibraryLogFormatter):
        label = "资源库：撤回"

        def describe(self, data):
            return f"从资源库撤回，{data['pages']} 个引用页随之下线"

    @actions.register_action(services.ACTION_RESTORE)
    class Restore(LibraryLogFormatter):
        label = "资源库：恢复"

        def describe(self, data):
            return f"恢复使用，{data['pages']} 个引用页重新上线"

    @actions.register_action(services.ACTION_SOURCE_WITHDRAWN)
    class SourceWithdrawn(LibraryLogFormatter):
        label = "资源库：来源撤下"

        def describe(self, data):
            return f"{data['cause']}，{data['pages']} 个引用页随之下线"

    @actions.register_action(services.ACTION_SOURCE_RESTORED)
    class SourceRestored(LibraryLogFormatter):
        label = "资源库：来源恢复"

        def describe(self, data):
            return f"原文重新发布，{data['pages']} 个引用页重新上线"
