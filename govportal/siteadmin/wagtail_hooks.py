"""Admin wiring: the 站点人员与权限 menu, its URLs, log actions, and site confinement of the
page chooser and the dashboard (the shadowed report views are in ``overrides.py``)."""

from django.urls import include, path, reverse_lazy

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.models import Site

from . import access, services, urls
from .common import DataLogFormatter


@hooks.register("register_admin_urls")
def register_siteadmin_urls():
    return [path("site-staff/", include(urls, namespace="siteadmin"))]


class SiteStaffMenuItem(MenuItem):
    """Shown to site admins and platform operators."""

    def is_shown(self, request):
        return bool(access.managed_site_ids(request.user))


@hooks.register("register_admin_menu_item")
def register_site_staff_menu():
    return SiteStaffMenuItem(
        "站点人员与权限",
        reverse_lazy("siteadmin:index"),
        name="site-staff",
        icon_name="group",
        order=240,
    )


@hooks.register("register_permissions")
def register_platform_permission():
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(
        content_type__app_label="siteadmin", codename="manage_site_group"
    )


# -- confinement -------------------------------------------------------------------------


@hooks.register("construct_page_chooser_queryset")
def confine_page_chooser(pages, request):
    """Only pages of the user's own sites (and the way down to them) can be chosen."""
    condition = access.visible_pages_q(request.user)
    return pages if condition is None else pages.filter(condition)


@hooks.register("construct_homepage_panels")
def confine_site_profile_warning(request, panels):
    """The incomplete-site-profile warning lists only the sites the user may edit."""
    from .panels import SiteProfileWarningPanel

    for index, panel in enumerate(panels):
        if getattr(panel, "name", "") == SiteProfileWarningPanel.name:
            panels[index] = SiteProfileWarningPanel(request)


@hooks.register("construct_homepage_panels")
def quick_moderation_panel(request, panels):
    """Wagtail's 待审核 panel asks each site's review tasks one by one; ours asks once."""
    from .panels import WorkflowObjectsToModeratePanel

    for index, panel in enumerate(panels):
        if getattr(panel, "name", "") == WorkflowObjectsToModeratePanel.name:
            panels[index] = WorkflowObjectsToModeratePanel()


# -- speed at site-group scale -------------------------------------------------------------

_SITE_ROOT_PATHS = "_siteadmin_site_root_paths"


@hooks.register("register_page_listing_buttons", order=-1000)
def share_site_root_paths(page, user, next_url=None):
    """Give each listed page the request's copy of the sites' root paths (adds no button).

    Wagtail's row buttons ask ``page.url`` without a request, so every row fetched and
    unpickled the whole ``Site.get_site_root_paths()`` list (300 sites) from the cache —
    a Redis round trip per row in production. Runs before Wagtail's button hooks; the
    copy is kept on the user object, which lives as long as the request.
    """
    paths = getattr(user, _SITE_ROOT_PATHS, None)
    if paths is None:
        paths = Site.get_site_root_paths()
        setattr(user, _SITE_ROOT_PATHS, paths)
    if not hasattr(page, "_wagtail_cached_site_root_paths"):
        page._wagtail_cached_site_root_paths = paths
    return []


# -- audit log ---------------------------------------------------------------------------


def _roles(names) -> str:
    return "、".join(names) or "无"


@hooks.register("register_log_actions")
def register_siteadmin_log_actions(actions):
    @actions.register_action(services.ACTION_USER_CREATED)
    class UserCreated(DataLogFormatter):
        label = "站点人员：新建账号"

        def describe(self, data):
            return f"在{data['site']}新建账号 {data['username']}，角色：{_roles(data['roles'])}"

    @actions.register_action(services.ACTION_USER_ADDED)
    class UserAdded(DataLogFormatter):
        label = "站点人员：添加已有用户"

        def describe(self, data):
            return f"将 {data['username']} 添加为{data['site']}人员，角色：{_roles(data['roles'])}"

    @actions.register_action(services.ACTION_ROLES_CHANGED)
    class RolesChanged(DataLogFormatter):
        label = "站点人员：修改角色"

        def describe(self, data):
            return (
                f"{data['username']} 在{data['site']}的角色由 {_roles(data['before'])} "
                f"改为 {_roles(data['after'])}"
            )

    @actions.register_action(services.ACTION_USER_REMOVED)
    class UserRemoved(DataLogFormatter):
        label = "站点人员：移出站点"

        def describe(self, data):
            return f"将 {data['username']} 移出{data['site']}（原角色：{_roles(data['before'])}）"

    @actions.register_action(services.ACTION_USER_DEACTIVATED)
    class UserDeactivated(DataLogFormatter):
        label = "站点人员：停用账号"

        def describe(self, data):
            return f"停用了{data['site']}人员 {data['username']} 的账号"

    @actions.register_action(services.ACTION_USER_ACTIVATED)
    class UserActivated(DataLogFormatter):
        label = "站点人员：启用账号"

        def describe(self, data):
            return f"启用了{data['site']}人员 {data['username']} 的账号"

    @actions.register_action(services.ACTION_PASSWORD_RESET)
    class PasswordReset(DataLogFormatter):
        label = "站点人员：重置密码"

        def describe(self, data):
            return f"重置了{data['site']}人员 {data['username']} 的密码"

    @actions.register_action(services.ACTION_DELEGATION_CREATED)
    class DelegationCreated(DataLogFormatter):
        label = "栏目授权：新建"

        def describe(self, data):
            return (
                f"将{data['site']}栏目“{data['channel']}”授权给{data['organization']}，"
                f"人员：{_roles(data['members'])}"
            )

    @actions.register_action(services.ACTION_DELEGATION_MEMBERS)
    class DelegationMembers(DataLogFormatter):
        label = "栏目授权：修改人员"

        def describe(self, data):
            return (
                f"{data['site']}栏目“{data['channel']}”的授权人员由 {_roles(data['before'])} "
                f"改为 {_roles(data['after'])}"
            )

    @actions.register_action(services.ACTION_DELEGATION_CHANGED)
    class DelegationChanged(DataLogFormatter):
        label = "栏目授权：修改"

        def describe(self, data):
            before, after = data["before"], data["after"]
            changes = []
            if before["organization"] != after["organization"]:
                changes.append(f"授权单位由{before['organization']}改为{after['organization']}")
            if before["members"] != after["members"]:
                changes.append(
                    f"授权人员由 {_roles(before['members'])} 改为 {_roles(after['members'])}"
                )
            return f"{data['site']}栏目“{data['channel']}”：" + "；".join(changes)

    @actions.register_action(services.ACTION_DELEGATION_REMOVED)
    class DelegationRemoved(DataLogFormatter):
        label = "栏目授权：随栏目删除撤销"

        def describe(self, data):
            return (
                f"{data['site']}栏目“{data['channel']}”已删除，对{data['organization']}的授权"
                f"及用户组“{data['group']}”随之删除"
            )

    @actions.register_action(services.ACTION_DELEGATION_REVOKED)
    class DelegationRevoked(DataLogFormatter):
        label = "栏目授权：撤销"

        def describe(self, data):
            return f"撤销了{data['site']}栏目“{data['channel']}”对{data['organization']}的授权"
