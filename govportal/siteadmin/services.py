"""Site staff and channel delegation (站点人员与权限, 栏目授权): every change, checked and logged.

Each function checks that ``actor`` manages ``site`` and that every group it touches is
one of the site's own groups (:func:`access.site_groups`), then writes a Wagtail audit-log
entry. Roles a person holds on other sites are never read out or changed. Permission
errors raise :class:`PermissionDenied`; refused input raises :class:`ValidationError` with
a Chinese message meant for the user.
"""

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q

from wagtail.log_actions import log
from wagtail.models import GroupPagePermission, Page, Site

from govportal.audit import context as audit_context
from govportal.audit.services import record
from govportal.organizations.models import Membership, Organization, SiteOrganization
from govportal.sites.roles import (
    ROLE_ADMINS,
    SITE_ROLES,
    create_channel_group,
    role_of,
    site_collection_of,
)

from . import access
from .models import ChannelDelegation

ACTION_USER_CREATED = "govportal.siteadmin.user_created"
ACTION_USER_ADDED = "govportal.siteadmin.user_added"
ACTION_ROLES_CHANGED = "govportal.siteadmin.roles_changed"
ACTION_USER_REMOVED = "govportal.siteadmin.user_removed"
ACTION_USER_DEACTIVATED = "govportal.siteadmin.user_deactivated"
ACTION_USER_ACTIVATED = "govportal.siteadmin.user_activated"
ACTION_DELEGATION_CREATED = "govportal.siteadmin.delegation_created"
ACTION_PASSWORD_RESET = "govportal.siteadmin.password_reset"  # noqa: S105 — an action code
ACTION_DELEGATION_MEMBERS = "govportal.siteadmin.delegation_members_changed"  # older entries
ACTION_DELEGATION_CHANGED = "govportal.siteadmin.delegation_changed"
ACTION_DELEGATION_REVOKED = "govportal.siteadmin.delegation_revoked"
ACTION_DELEGATION_REMOVED = "govportal.siteadmin.delegation_removed"

# Audit-trail labels (审计日志 操作类型) of the actions above, registered in ``apps.ready``.
AUDIT_LABELS = {
    ACTION_USER_CREATED: "站点人员：新建账号",
    ACTION_USER_ADDED: "站点人员：添加已有用户",
    ACTION_ROLES_CHANGED: "站点人员：修改角色",
    ACTION_USER_REMOVED: "站点人员：移出站点",
    ACTION_USER_DEACTIVATED: "站点人员：停用账号",
    ACTION_USER_ACTIVATED: "站点人员：启用账号",
    ACTION_PASSWORD_RESET: "站点人员：重置密码",
    ACTION_DELEGATION_CREATED: "栏目授权：新建",
    ACTION_DELEGATION_CHANGED: "栏目授权：修改单位或人员",
    ACTION_DELEGATION_REVOKED: "栏目授权：撤销",
    ACTION_DELEGATION_REMOVED: "栏目授权：随栏目删除而撤销",
}


def audit_code(action: str) -> str:
    """``govportal.siteadmin.user_removed`` → ``siteadmin.user_removed``."""
    return action.removeprefix("govportal.")


# -- reading -----------------------------------------------------------------------------


def role_labels(site: Site) -> dict[int, str]:
    """The site's groups → what they mean here, site roles first, then channels in tree order.

    "站点管理员", "审核员", "终审", "编辑", "栏目编辑：要闻" or "栏目授权：要闻（某单位）".
    """
    root = site.root_page
    group_ids = list(access.site_groups(site).values_list("pk", flat=True))
    anchors = (
        GroupPagePermission.objects.filter(group_id__in=group_ids)
        .select_related("group", "page")
        .order_by("page__path", "group__name")
    )
    delegations = {
        d.group_id: d
        for d in ChannelDelegation.objects.filter(group_id__in=group_ids).select_related(
            "organization"
        )
    }
    site_roles: dict[int, str] = {}
    channels: dict[int, str] = {}
    for perm in anchors:
        group = perm.group
        if group.pk in site_roles or group.pk in channels:
            continue
        role = role_of(group, perm.page, root)
        if role:
            site_roles[group.pk] = role
        elif group.pk in delegations:
            org = delegations[group.pk].organization
            channels[group.pk] = f"栏目授权：{perm.page.title}（{org.short_name or org.name}）"
        else:
            channels[group.pk] = f"栏目编辑：{perm.page.title}"
    ordered = sorted(site_roles.items(), key=lambda item: SITE_ROLES.index(item[1]))
    return dict(ordered) | channels


def admin_group_ids(site: Site) -> set[int]:
    return {pk for pk, label in role_labels(site).items() if label == ROLE_ADMINS}


def person_groups(site: Site, user) -> list[Group]:
    """The user's groups on this site only."""
    return list(user.groups.filter(pk__in=access.site_groups(site).values("pk")))


def only_on_site(site: Site, user) -> bool:
    """Holds roles on no other site (and is no superuser or platform operator)."""
    if user.is_superuser or user.has_perm(access.PLATFORM_PERMISSION):
        return False
    return access.user_site_ids(user) <= {site.pk}


def organizations_for(site: Site):
    """The unit owning the site and its sub-units: whom it may delegate a channel to."""
    link = SiteOrganization.objects.filter(site=site).select_related("organization").first()
    if link is None:
        return Organization.objects.none()
    owner = link.organization
    return Organization.objects.filter(path__startswith=owner.path, is_active=True).order_by("path")


def delegable_channels(site: Site):
    """Channels and topics of the site (not the home page, not articles)."""
    from govportal.content.models import ChannelPage, TopicPage

    return Page.objects.descendant_of(site.root_page).type(ChannelPage, TopicPage).order_by("path")


# -- checks ------------------------------------------------------------------------------


def _require_manager(actor, site: Site) -> None:
    if not access.can_manage_site(actor, site):
        raise PermissionDenied("您没有管理该站点人员的权限。")


def _require_site_groups(site: Site, groups) -> list[Group]:
    groups = list(groups)
    allowed = set(access.site_groups(site).values_list("pk", flat=True))
    if any(group.pk not in allowed for group in groups):
        raise PermissionDenied("只能授予本站点的角色。")
    return groups


def _keeps_own_admin_role(site: Site, actor, user, new_group_ids: set[int]) -> None:
    if actor.pk != user.pk or access.is_platform_operator(actor):
        return
    if not admin_group_ids(site) & new_group_ids:
        raise ValidationError("不能取消自己在本站点的站点管理员角色，请由其他站点管理员操作。")


def _log(instance, action: str, actor, site: Site, **data) -> None:
    """Write the change to Wagtail's log (the staff page's history) and the audit trail."""
    data = {"site_id": site.pk, "site": site.site_name, **data}
    log(instance=instance, action=action, user=actor, data=data)
    extra = dict(data)
    before, after = extra.pop("before", None), extra.pop("after", None)
    if "username" in extra:  # record()'s own ``username`` names the actor
        extra["account"] = extra.pop("username")
    record(audit_code(action), user=actor, obj=instance, before=before, after=after, **extra)


def labels_of(site: Site, groups) -> list[str]:
    """What ``groups`` mean on ``site`` (see :func:`role_labels`)."""
    labels = role_labels(site)
    return [labels.get(g.pk, g.name) for g in groups]


def _set_site_groups(site: Site, user, groups) -> None:
    """Replace the user's groups of this site by ``groups``; other groups stay as they are."""
    current = set(person_groups(site, user))
    wanted = set(groups)
    if current - wanted:
        user.groups.remove(*(current - wanted))
    if wanted - current:
        user.groups.add(*(wanted - current))
    access.forget(user)


# -- people ------------------------------------------------------------------------------


@transaction.atomic
def create_staff_user(
    site: Site,
    actor,
    *,
    username: str,
    password: str,
    groups,
    display_name: str = "",
    email: str = "",
    mobile: str = "",
    organization: Organization | None = None,
):
    """A new staff account with roles on ``site`` (and optionally its 所属单位)."""
    _require_manager(actor, site)
    groups = _require_site_groups(site, groups)
    if not groups:
        raise ValidationError("请至少选择一个角色。")
    User = get_user_model()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError("该用户名已被使用。")
    user = User(
        username=username,
        display_name=display_name,
        first_name=display_name,
        email=email,
        mobile=mobile,
        is_staff=True,
    )
    password_validation.validate_password(password, user)
    user.set_password_for_owner_to_change(password)
    user.full_clean(exclude=["password"])
    user.save()
    user.groups.add(*groups)
    if organization is not None:
        if not organizations_for(site).filter(pk=organization.pk).exists():
            raise PermissionDenied("只能选择本站点所属单位及其下级单位。")
        Membership.objects.create(user=user, organization=organization, is_primary=True)
    _log(user, ACTION_USER_CREATED, actor, site, username=username, roles=labels_of(site, groups))
    return user


@transaction.atomic
def add_existing_user(site: Site, actor, username: str, groups):
    """Give an existing account (found by its exact username) roles on ``site``."""
    _require_manager(actor, site)
    groups = _require_site_groups(site, groups)
    if not groups:
        raise ValidationError("请至少选择一个角色。")
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise ValidationError(f"没有用户名为“{username}”的用户（须与用户名完全一致）。")
    if person_groups(site, user):
        raise ValidationError("该用户已是本站点人员，请在人员列表中修改其角色。")
    user.groups.add(*groups)
    access.forget(user)
    _log(
        user, ACTION_USER_ADDED, actor, site, username=user.username, roles=labels_of(site, groups)
    )
    return user


@transaction.atomic
def set_roles(site: Site, actor, user, groups) -> None:
    """The user's roles on ``site`` become ``groups`` (at least one)."""
    _require_manager(actor, site)
    groups = _require_site_groups(site, groups)
    if not groups:
        raise ValidationError("请至少选择一个角色；要让此人离开本站点，请使用“移出本站点”。")
    _keeps_own_admin_role(site, actor, user, {g.pk for g in groups})
    before = labels_of(site, person_groups(site, user))
    _set_site_groups(site, user, groups)
    after = labels_of(site, groups)
    if before != after:
        _log(
            user, ACTION_ROLES_CHANGED, actor, site, username=user.username,
            before=before, after=after,
        )  # fmt: skip


@transaction.atomic
def remove_from_site(site: Site, actor, user) -> None:
    """Take every role on ``site`` from the user; their roles elsewhere stay."""
    _require_manager(actor, site)
    if actor.pk == user.pk and not access.is_platform_operator(actor):
        raise ValidationError("不能把自己移出本站点。")
    before = labels_of(site, person_groups(site, user))
    _set_site_groups(site, user, [])
    _log(user, ACTION_USER_REMOVED, actor, site, username=user.username, before=before)


@transaction.atomic
def set_active(site: Site, actor, user, active: bool) -> None:
    """Deactivate (停用) or re-activate an account that belongs to this site only."""
    _require_manager(actor, site)
    if actor.pk == user.pk:
        raise ValidationError("不能停用自己的账号。")
    if not person_groups(site, user) or not only_on_site(site, user):
        raise ValidationError("该用户还在其他站点任职，只能由平台管理员停用或启用。")
    if user.is_active == active:
        return
    user.is_active = active
    user.save(update_fields=["is_active"])
    action = ACTION_USER_ACTIVATED if active else ACTION_USER_DEACTIVATED
    _log(user, action, actor, site, username=user.username)


def can_reset_password(site: Site, actor, user) -> bool:
    """Same scope as (de)activating: someone else holding roles on this site and no other."""
    return (
        access.can_manage_site(actor, site)
        and actor.pk != user.pk
        and bool(person_groups(site, user))
        and only_on_site(site, user)
    )


@transaction.atomic
def reset_password(site: Site, actor, user, password: str) -> None:
    """重置密码: the site admin sets a new password for a one-site account.

    The password rules (``AUTH_PASSWORD_VALIDATORS``) apply; the person's sessions end
    (Django's session hash follows the password) and they must change it at their next
    admin request. Neither log keeps the password.
    """
    _require_manager(actor, site)
    if not can_reset_password(site, actor, user):
        raise PermissionDenied("只能为仅在本站点任职的其他人员重置密码。")
    password_validation.validate_password(password, user)
    user.set_password_for_owner_to_change(password)
    user.save()
    _log(user, ACTION_PASSWORD_RESET, actor, site, username=user.username)


# -- channel delegation ------------------------------------------------------------------


def _resolve_members(site: Site, members, usernames: list[str]) -> list:
    User = get_user_model()
    found = list(User.objects.filter(username__in=usernames))
    missing = sorted(set(usernames) - {u.username for u in found})
    if missing:
        raise ValidationError("没有这些用户名的用户：" + "、".join(missing))
    people = set(access.site_people(site).filter(pk__in=[m.pk for m in members]))
    if len(people) != len({m.pk for m in members}):
        raise PermissionDenied("只能从本站点人员中选择。")
    return list({u.pk: u for u in [*people, *found]}.values())


def _group_name(site: Site, channel: Page, organization: Organization, group=None) -> str:
    short = getattr(getattr(site, "siteprofile", None), "short_name", "") or site.site_name
    base = f"{short}·{channel.title}·{organization.short_name or organization.name}·栏目授权"
    base = base[:140]
    others = Group.objects.exclude(pk=group.pk) if group is not None else Group.objects.all()
    name, counter = base, 2
    while others.filter(name=name).exists():
        name, counter = f"{base}{counter}", counter + 1
    return name


@transaction.atomic
def create_delegation(
    site: Site, actor, channel: Page, organization: Organization, members=(), usernames=()
) -> ChannelDelegation:
    """Hand the channel subtree to a sub-unit and its people (逻辑子站)."""
    _require_manager(actor, site)
    if not delegable_channels(site).filter(pk=channel.pk).exists():
        raise PermissionDenied("只能授权本站点的栏目。")
    if not organizations_for(site).filter(pk=organization.pk).exists():
        raise PermissionDenied("只能授权给本站点所属单位及其下级单位。")
    users = _resolve_members(site, members, list(usernames))
    collection = site_collection_of(site.root_page)
    if collection is None:
        raise ValidationError("本站点没有图片和文档的集合，请先由平台管理员配置站点角色。")
    group = create_channel_group(channel, _group_name(site, channel, organization), collection)
    delegation = ChannelDelegation.objects.create(
        site=site, channel=channel, organization=organization, group=group, created_by=actor
    )
    if users:
        group.user_set.add(*users)
    _log(
        delegation, ACTION_DELEGATION_CREATED, actor, site,
        channel=channel.title, organization=organization.name,
        members=sorted(u.username for u in users),
    )  # fmt: skip
    return delegation


def _delegation_state(delegation: ChannelDelegation) -> dict:
    return {
        "organization": delegation.organization.name,
        "members": sorted(delegation.group.user_set.values_list("username", flat=True)),
    }


@transaction.atomic
def update_delegation(
    delegation: ChannelDelegation, actor, *, organization: Organization, members=(), usernames=()
) -> None:
    """Change the unit a channel is delegated to and its people (the checks of creation)."""
    site = delegation.site
    _require_manager(actor, site)
    if not organizations_for(site).filter(pk=organization.pk).exists():
        raise PermissionDenied("只能授权给本站点所属单位及其下级单位。")
    users = _resolve_members(site, members, list(usernames))
    before = _delegation_state(delegation)
    group = delegation.group
    if organization.pk != delegation.organization_id:
        delegation.organization = organization
        delegation.save(update_fields=["organization"])
        group.name = _group_name(site, delegation.channel, organization, group=group)
        group.save(update_fields=["name"])
    group.user_set.set(users)
    after = _delegation_state(delegation)
    if before != after:
        _log(
            delegation, ACTION_DELEGATION_CHANGED, actor, site,
            channel=delegation.channel.title, before=before, after=after,
        )  # fmt: skip


@transaction.atomic
def revoke_delegation(delegation: ChannelDelegation, actor) -> None:
    """Withdraw the delegation: its group, with its permissions and members, is deleted."""
    site = delegation.site
    _require_manager(actor, site)
    members = sorted(delegation.group.user_set.values_list("username", flat=True))
    _log(
        delegation, ACTION_DELEGATION_REVOKED, actor, site,
        channel=delegation.channel.title, organization=delegation.organization.name,
        members=members,
    )  # fmt: skip
    group = delegation.group
    delegation._revoked = True  # recorded above, not as a removal by page deletion
    delegation.delete()
    group.delete()


def delegation_removed(delegation: ChannelDelegation) -> None:
    """Record a delegation that goes because its channel (or site, or group) is deleted.

    Called before the deletion (``pre_delete``); the group itself is deleted in the same
    cascade (:func:`models.delete_with_group`), which the audit trail records too.
    """
    actor = audit_context.current()
    user = getattr(actor.request, "user", None) if actor and actor.request else None
    user = user if user is not None and user.is_authenticated else getattr(actor, "user", None)
    group = delegation.group
    _log(
        delegation, ACTION_DELEGATION_REMOVED, user, delegation.site,
        channel=delegation.channel.title, organization=delegation.organization.name,
        group=group.name,
        members=sorted(group.user_set.values_list("username", flat=True)),
    )  # fmt: skip


def site_log_entries(site: Site):
    """This site's staff and delegation history, newest first."""
    from wagtail.models import ModelLogEntry

    return ModelLogEntry.objects.filter(
        Q(action__startswith="govportal.siteadmin."), data__site_id=site.pk
    ).select_related("user")
