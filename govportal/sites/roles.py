"""Editorial roles per site and per channel subtree (录入 / 审核 / 站点管理员).

A role is a Wagtail group whose page permissions are anchored on a page: the site's
root for site-wide roles, a channel for channel editors. Wagtail's permission
policy then confines the group to that subtree in the explorer, the editor and
every chooser. Images and documents live in one collection per site.
"""

from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission

from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    GroupSitePermission,
    Page,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

# The site-wide roles, by the suffix of their group name (``<site>·<role>``); each is
# anchored on the site root. Channel groups are anchored below the root.
ROLE_ADMINS = "站点管理员"
ROLE_REVIEWERS = "审核员"
ROLE_FINAL_REVIEWERS = "终审"
ROLE_EDITORS = "编辑"
SITE_ROLES = (ROLE_EDITORS, ROLE_REVIEWERS, ROLE_FINAL_REVIEWERS, ROLE_ADMINS)

EDITOR_PAGE_PERMS = ("add_page", "change_page", "lock_page", "unlock_page")
REVIEWER_PAGE_PERMS = ("change_page",)
ADMIN_PAGE_PERMS = (
    "add_page",
    "change_page",
    "publish_page",
    "bulk_delete_page",
    "lock_page",
    "unlock_page",
)
MEDIA_PERMS = {
    "wagtailimages": ("add_image", "change_image", "choose_image"),
    "wagtaildocs": ("add_document", "change_document", "choose_document"),
}
ADMIN_MEDIA_PERMS = {
    "wagtailimages": ("add_image", "change_image", "delete_image", "choose_image"),
    "wagtaildocs": ("add_document", "change_document", "delete_document", "choose_document"),
}


@dataclass
class SiteRoles:
    """The groups and workflow that make up one site's editorial set-up."""

    admins: Group
    reviewers: Group
    editors: Group
    final_reviewers: Group | None
    collection: Collection
    workflow: Workflow


def _perm(app_label: str, codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _page_perm(codename: str) -> Permission:
    return _perm("wagtailcore", codename)


def _grant_pages(group: Group, page: Page, codenames) -> None:
    for codename in codenames:
        GroupPagePermission.objects.get_or_create(
            group=group, page=page, permission=_page_perm(codename)
        )


def _grant_collection(group: Group, collection: Collection, perms: dict) -> None:
    for app_label, codenames in perms.items():
        for codename in codenames:
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=collection, permission=_perm(app_label, codename)
            )


def _admin_group(name: str) -> Group:
    group, _ = Group.objects.get_or_create(name=name)
    group.permissions.add(_perm("wagtailadmin", "access_admin"))
    return group


def site_collection(short_name: str) -> Collection:
    root = Collection.get_first_root_node()
    existing = root.get_children().filter(name=short_name).first()
    return existing or root.add_child(name=short_name)


def setup_site_roles(root_page: Page, short_name: str, *, two_level: bool = False) -> SiteRoles:
    """Create (idempotently) the site's groups, permissions and review workflow.

    ``two_level`` adds a 终审 step after 审核 (初审), e.g. for the city portal.
    """
    collection = site_collection(short_name)
    admins = _admin_group(f"{short_name}·{ROLE_ADMINS}")
    reviewers = _admin_group(f"{short_name}·{ROLE_REVIEWERS}")
    editors = _admin_group(f"{short_name}·{ROLE_EDITORS}")
    final_reviewers = _admin_group(f"{short_name}·{ROLE_FINAL_REVIEWERS}") if two_level else None

    _grant_pages(admins, root_page, ADMIN_PAGE_PERMS)
    _grant_collection(admins, collection, ADMIN_MEDIA_PERMS)
    # Site admins edit their own site's profile (网站信息), and only their own site's.
    for site in Site.objects.filter(root_page=root_page):
        GroupSitePermission.objects.get_or_create(
            group=admins, site=site, permission=_perm("govsites", "change_siteprofile")
        )
    for group in filter(None, (reviewers, final_reviewers)):
        _grant_pages(group, root_page, REVIEWER_PAGE_PERMS)
        _grant_collection(group, collection, {"wagtailimages": ("choose_image",)})
    _grant_pages(editors, root_page, EDITOR_PAGE_PERMS)
    _grant_collection(editors, collection, MEDIA_PERMS)

    workflow = configure_workflow(root_page, short_name, reviewers, final_reviewers)
    return SiteRoles(admins, reviewers, editors, final_reviewers, collection, workflow)


def configure_workflow(
    root_page: Page, short_name: str, reviewers: Group, final_reviewers: Group | None = None
) -> Workflow:
    """One-level (审核) or two-level (初审 → 终审) review for everything under ``root_page``."""
    levels = [
        (f"{short_name}·审核" if final_reviewers is None else f"{short_name}·初审", reviewers)
    ]
    if final_reviewers is not None:
        levels.append((f"{short_name}·终审", final_reviewers))
    name = f"{short_name}{'两级' if final_reviewers else '一级'}审核"
    workflow, _ = Workflow.objects.get_or_create(name=name)
    for order, (task_name, group) in enumerate(levels):
        task = GroupApprovalTask.objects.filter(name=task_name).first()
        if task is None:
            task = GroupApprovalTask.objects.create(name=task_name)
        task.groups.set([group])
        WorkflowTask.objects.update_or_create(
            workflow=workflow, task=task, defaults={"sort_order": order}
        )
    WorkflowPage.objects.update_or_create(page=root_page, defaults={"workflow": workflow})
    return workflow


def create_channel_editors(channel: Page, short_name: str, collection: Collection) -> Group:
    """A group that may add and edit pages only inside ``channel`` (栏目编辑)."""
    return create_channel_group(channel, f"{short_name}·{channel.title}·编辑", collection)


def create_channel_group(channel: Page, name: str, collection: Collection) -> Group:
    """The group ``name``, confined to adding and editing inside ``channel``.

    Publishing still goes through the site's review workflow (no publish permission);
    images and documents are chosen from and added to the site's ``collection``.
    """
    group = _admin_group(name)
    _grant_pages(group, channel, EDITOR_PAGE_PERMS)
    _grant_collection(group, collection, MEDIA_PERMS)
    return group


def role_of(group: Group, anchor: Page, root_page: Page) -> str:
    """The site-wide role a group holds (see ``SITE_ROLES``), or "" for a channel group."""
    if anchor.pk != root_page.pk:
        return ""
    return next((role for role in SITE_ROLES if group.name.endswith(f"·{role}")), "")


def site_collection_of(root_page: Page) -> Collection | None:
    """The collection the site's role groups hold their image/document permissions on."""
    groups = GroupPagePermission.objects.filter(page=root_page).values("group_id")
    return (
        Collection.objects.filter(group_permissions__group_id__in=groups)
        .exclude(depth=1)
        .order_by("depth", "pk")
        .first()
    )
