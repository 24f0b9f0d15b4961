"""资源库 in the admin: URLs, the 资源库 menu, the 加入资源库 page action, log actions."""

from django.urls import include, path, reverse_lazy

from wagtail import hooks
from wagtail.admin.menu import Menu, SubmenuMenuItem

from govportal.siteadmin.common import DataLogFormatter, HandlerMenuItem, register_article_button

from . import services, urls


@hooks.register("register_admin_urls")
def register_library_urls():
    return [path("library/", include(urls, namespace="library"))]


@hooks.register("register_admin_menu_item")
def register_library_menu():
    menu = Menu(
        items=[
            HandlerMenuItem(
                "资源库", reverse_lazy("library:index"), name="library-index", icon_name="folder-open-inverse", order=100
            ),
            HandlerMenuItem(
                "上传资源", reverse_lazy("library:upload"), name="library-upload", icon_name="upload", order=200
            ),
            HandlerMenuItem(
                "本站文件入库", reverse_lazy("library:add_existing"), name="library-existing", icon_name="doc-full", order=250
            ),
            HandlerMenuItem(
                "推送收件箱", reverse_lazy("library:inbox"), name="library-inbox", icon_name="tasks", order=300
            ),
        ]
    )  # fmt: skip
    return SubmenuMenuItem(
        "统一信息资源库", menu, icon_name="folder-open-inverse", name="library", order=270
    )


register_article_button(
    "加入资源库",
    "library:add_article",
    allowed=services.can_add_article,
    icon_name="folder-open-inverse",
    title="加入统一信息资源库，供其他站点推送和引用",
    listing_priority=75,
    header_priority=95,
)


@hooks.register("register_log_actions")
def register_library_log_actions(actions):
    @actions.register_action(services.ACTION_ADD)
    class Add(DataLogFormatter):
        label = "资源库：入库"

        def describe(self, data):
            return f"{data['source_site']}将{data['kind']}“{data['title']}”加入资源库（{data['scope']}）"

    @actions.register_action(services.ACTION_PUSH)
    class Push(DataLogFormatter):
        label = "资源库：推送"

        def describe(self, data):
            return f"推送到{data['target_site']}"

    @actions.register_action(services.ACTION_PLACE)
    class Place(DataLogFormatter):
        label = "资源库：引用"

        def describe(self, data):
            state = "已发布" if data.get("live") else "待审核"
            return f"{data['target_site']}引用到“{data['channel']}”栏目（{state}）"

    @actions.register_action(services.ACTION_DECLINE)
    class Decline(DataLogFormatter):
        label = "资源库：拒绝推送"

        def describe(self, data):
            return f"{data['target_site']}拒绝了推送：{data['reason']}"

    @actions.register_action(services.ACTION_WITHDRAW)
    class Withdraw(DataLogFormatter):
        label = "资源库：撤回"

        def describe(self, data):
            return f"从资源库撤回，{data['pages']} 个引用页随之下线"

    @actions.register_action(services.ACTION_RESTORE)
    class Restore(DataLogFormatter):
        label = "资源库：恢复"

        def describe(self, data):
            return f"恢复使用，{data['pages']} 个引用页重新上线"

    @actions.register_action(services.ACTION_SOURCE_WITHDRAWN)
    class SourceWithdrawn(DataLogFormatter):
        label = "资源库：来源撤下"

        def describe(self, data):
            return f"{data['cause']}，{data['pages']} 个引用页随之下线"

    @actions.register_action(services.ACTION_SOURCE_RESTORED)
    class SourceRestored(DataLogFormatter):
        label = "资源库：来源恢复"

        def describe(self, data):
            return f"原文重新发布，{data['pages']} 个引用页重新上线"
