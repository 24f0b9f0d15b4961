"""三员分立: the system, security and audit administrators are three different people.

* 系统管理员 (system admin): sites, site settings, collections, workflows, the site group —
  no accounts, groups or permissions, no audit trail, no page rights.
* 安全管理员 (security admin): accounts, groups and their permissions, the two-factor
  policy — no audit trail, no page rights, never their own roles.
* 审计管理员 (audit admin, group from migration ``audit 0003``): the audit trail only.

Rules kept in the model layer (``signal_handlers``), whatever code changes a membership:

1. one account holds at most one of the three roles;
2. a superuser holds neither the security nor the audit role;
3. none of the three holds content rights: no member of a role group may be in a group
   with page permissions, and no page permission may be granted to such a group;
4. a security admin cannot change their own roles.

The Wagtail user and group editors (``viewsets``) check the same rules first, so that the
person typing sees a form error instead of an error page.
"""

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from wagtail.models import GroupPagePermission

from govportal.audit.services import AUDIT_GROUP

SYSTEM_ADMINS = "系统管理员"
SECURITY_ADMINS = "安全管理员"
AUDIT_ADMINS = AUDIT_GROUP
ROLE_GROUPS = (SYSTEM_ADMINS, SECURITY_ADMINS, AUDIT_ADMINS)
# Superusers hold every right except reading the audit trail; these would undo the split.
NOT_FOR_SUPERUSERS = (SECURITY_ADMINS, AUDIT_ADMINS)

# What each role may do, as (app_label, codename); created by migration accounts 0004.
ROLE_PERMISSIONS = {
    SYSTEM_ADMINS: [
        ("wagtailadmin", "access_admin"),
        ("wagtailcore", "add_site"),
        ("wagtailcore", "change_site"),
        ("wagtailcore", "delete_site"),
        ("govsites", "change_siteprofile"),
        ("core", "change_platformsettings"),
        ("wagtailcore", "add_collection"),
        ("wagtailcore", "change_collection"),
        ("wagtailcore", "delete_collection"),
        ("wagtailcore", "add_workflow"),
        ("wagtailcore", "change_workflow"),
        ("wagtailcore", "delete_workflow"),
        ("wagtailcore", "add_task"),
        ("wagtailcore", "change_task"),
        ("wagtailcore", "delete_task"),
        ("siteadmin", "manage_site_group"),
    ],
    SECURITY_ADMINS: [
        ("wagtailadmin", "access_admin"),
        ("accounts", "add_user"),
        ("accounts", "change_user"),
        ("accounts", "delete_user"),
        ("accounts", "view_user"),
        ("auth", "add_group"),
        ("auth", "change_group"),
        ("auth", "delete_group"),
        ("auth", "view_group"),
        ("accounts", "change_twofactorpolicy"),
    ],
}

TWO_ROLES = "一个账号只能担任系统管理员、安全管理员、审计管理员中的一个角色（三员分立）：{user} 已是{held}，不能再担任{new}。"
SUPERUSER_ROLE = "超级管理员不能同时担任{role}（三员分立）：请为{role}使用单独的个人账号。"
CONTENT_RIGHTS = (
    "{role}不能拥有栏目/页面权限（三员分立）：{user} 不能加入含页面权限的角色“{group}”。"
)
CONTENT_GRANT = "角色“{group}”的成员中有三员（系统管理员、安全管理员、审计管理员），不能授予栏目/页面权限（三员分立）。"
OWN_ROLES = "安全管理员不能修改自己的角色或权限，请由另一位安全管理员办理。"


def role_names(names) -> list[str]:
    held = set(names)
    return [name for name in ROLE_GROUPS if name in held]


def user_roles(user) -> list[str]:
    """The 三员 roles ``user`` holds now."""
    if user is None or not getattr(user, "pk", None):
        return []
    return role_names(user.groups.values_list("name", flat=True))


def is_security_admin(user) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and user.groups.filter(name=SECURITY_ADMINS).exists()
    )


def content_group_ids(group_ids) -> set[int]:
    """Those of ``group_ids`` that hold a page permission (content rights)."""
    return set(
        GroupPagePermission.objects.filter(group_id__in=list(group_ids)).values_list(
            "group_id", flat=True
        )
    )


def check_membership(user, group_names, *, is_superuser: bool) -> None:
    """Raise ValidationError unless ``user`` may hold exactly these groups (by name).

    ``group_names`` is the complete set after the change; page rights are checked by the
    callers that know the group ids (:func:`check_groups`).
    """
    roles = role_names(group_names)
    display = user.get_username() or "该账号"
    if len(roles) > 1:
        raise ValidationError(
            TWO_ROLES.format(user=display, held=roles[0], new="、".join(roles[1:])),
            code="two_roles",
        )
    if is_superuser and roles and roles[0] in NOT_FOR_SUPERUSERS:
        raise ValidationError(SUPERUSER_ROLE.format(role=roles[0]), code="superuser_role")


def check_groups(user, groups, *, is_superuser: bool) -> None:
    """:func:`check_membership` plus: no role holder in a group with page permissions."""
    groups = list(groups)
    check_membership(user, [g.name for g in groups], is_superuser=is_superuser)
    roles = role_names(g.name for g in groups)
    if not roles:
        return
    content = content_group_ids(g.pk for g in groups if g.pk)
    for group in groups:
        if group.pk in content:
            raise ValidationError(
                CONTENT_RIGHTS.format(role=roles[0], user=user.get_username(), group=group.name),
                code="content_rights",
            )


def check_page_permission_grant(group: Group) -> None:
    """Raise ValidationError if ``group`` has a 三员 member (it must not get page rights)."""
    if group.pk is None:
        return
    if group.name in ROLE_GROUPS or (
        Group.objects.filter(name__in=ROLE_GROUPS, user__groups=group).exists()
    ):
        raise ValidationError(CONTENT_GRANT.format(group=group.name), code="content_grant")
