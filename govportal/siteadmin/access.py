"""Who sees which sites of the group (站点隔离), computed at most once per request.

* Platform operators (集约化平台管理员): superusers and holders of
  ``siteadmin.manage_site_group`` see every site.
* Everyone else sees the sites whose page tree holds a page on which one of their groups
  has a page permission (site roles are anchored on the site root, channel roles below it).
* A site is *managed* by the members of its ``<site>·站点管理员`` group (and operators).

The results are cached on the user object, which lives as long as the request: one query
for the user's permission paths and one for the sites' root paths, whatever the number
of sites, pages or permission rows.
"""

import bisect

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from wagtail.models import GroupPagePermission, Page, Site

from govportal.core.visibility import in_subtrees
from govportal.sites.roles import ROLE_ADMINS

PLATFORM_PERMISSION = "siteadmin.manage_site_group"
_CACHE = "_siteadmin_access_cache"


def _cache(user) -> dict:
    cache = getattr(user, _CACHE, None)
    if cache is None:
        cache = {}
        setattr(user, _CACHE, cache)
    return cache


def forget(user) -> None:
    """Drop the per-request cache (after changing the user's groups)."""
    if hasattr(user, _CACHE):
        delattr(user, _CACHE)


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def is_platform_operator(user) -> bool:
    """Superusers and platform operators (可管理站群) see and manage every site."""
    if not _active(user):
        return False
    return user.is_superuser or user.has_perm(PLATFORM_PERMISSION)


def site_roots() -> dict[int, str]:
    """Every site's id → the tree path of its root page."""
    return dict(Site.objects.values_list("pk", "root_page__path"))


def site_for_path(path: str, roots: dict[int, str] | None = None) -> int | None:
    """The id of the site whose tree contains ``path`` (the deepest one, if nested)."""
    roots = site_roots() if roots is None else roots
    best = None
    for site_id, root in roots.items():
        if path.startswith(root) and (best is None or len(root) > len(roots[best])):
            best = site_id
    return best


def site_ids_for_paths(paths, roots: dict[int, str] | None = None) -> set[int]:
    """Sites a permission on any of ``paths`` reaches: the (deepest) site containing the
    path, and every site whose root lies below it (a permission above the site roots, e.g.
    on the tree root, or on a site holding nested sites, covers them too)."""
    roots = site_roots() if roots is None else roots
    by_root = {root: site_id for site_id, root in roots.items()}
    ordered = sorted(by_root)
    steplen = Page.steplen
    found: set[int] = set()
    for path in paths:
        for end in range(len(path), 0, -steplen):
            site_id = by_root.get(path[:end])
            if site_id is not None:
                found.add(site_id)
                break
        # Roots strictly below ``path`` sort right after it, one contiguous run.
        index = bisect.bisect_right(ordered, path)
        while index < len(ordered) and ordered[index].startswith(path):
            found.add(by_root[ordered[index]])
            index += 1
    return found


def site_of(page: Page) -> Site | None:
    """The site whose tree contains ``page`` (the deepest one, if sites are nested)."""
    site_id = site_for_path(page.path)
    if site_id is None:
        return None
    return Site.objects.select_related("root_page").filter(pk=site_id).first()


def page_in_site(page: Page, site: Site) -> bool:
    return page.path.startswith(site.root_page.path)


def site_ids_for_user(user) -> frozenset[int]:
    """Ids of the sites ``user`` may see in the admin."""
    if not _active(user):
        return frozenset()
    cache = _cache(user)
    if "site_ids" not in cache:
        roots = site_roots()
        cache["roots"] = roots
        if is_platform_operator(user):
            cache["site_ids"] = frozenset(roots)
        else:
            paths = set(
                GroupPagePermission.objects.filter(group__user=user).values_list(
                    "page__path", flat=True
                )
            )
            cache["site_ids"] = frozenset(site_ids_for_paths(paths, roots))
    return cache["site_ids"]


def holds_page_permission(user) -> bool:
    """Has ``user`` a role on some site's pages (editor, reviewer, admin…)? Superusers do.

    The 三员 (system/security/audit admins) hold none, even when they may see every site.
    """
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    cache = _cache(user)
    if "holds_page_permission" not in cache:
        cache["holds_page_permission"] = GroupPagePermission.objects.filter(
            group__user=user
        ).exists()
    return cache["holds_page_permission"]


def sites_for_user(user) -> list[Site]:
    """The Wagtail sites ``user`` sees, in the site group's order."""
    ids = site_ids_for_user(user)
    if not ids:
        return []
    cache = _cache(user)
    if "sites" not in cache:
        cache["sites"] = list(
            Site.objects.filter(pk__in=ids)
            .select_related("root_page")
            .order_by("-is_default_site", "site_name", "pk")
        )
    return cache["sites"]


def visible_root_paths(user) -> list[str] | None:
    """Root paths of the user's sites, or ``None`` when nothing is to be hidden."""
    if is_platform_operator(user):
        return None
    ids = site_ids_for_user(user)
    roots = _cache(user).get("roots", {})
    return sorted(roots[i] for i in ids if i in roots)


def visible_pages_q(user) -> Q | None:
    """Pages in the user's sites and the ancestors of their roots (to navigate down).

    ``None`` means every page (platform operators); no site at all means only the root.
    """
    paths = visible_root_paths(user)
    if paths is None:
        return None
    steplen = Page.steplen
    ancestors = {p[:end] for p in paths for end in range(steplen, len(p), steplen)}
    condition = Q(path__in=ancestors) | Q(depth=1)
    if paths:
        condition |= in_subtrees(paths)
    return condition


def page_is_visible(user, page: Page) -> bool:
    paths = visible_root_paths(user)
    if paths is None or page.depth == 1:
        return True
    return any(page.path.startswith(p) or p.startswith(page.path) for p in paths)


# -- site administration --------------------------------------------------------------------


def managed_site_ids(user) -> frozenset[int]:
    """Ids of the sites ``user`` administers: member of their 站点管理员 group, or operator."""
    if not _active(user):
        return frozenset()
    cache = _cache(user)
    if "managed" not in cache:
        if is_platform_operator(user):
            cache["managed"] = site_ids_for_user(user)
        else:
            site_ids_for_user(user)
            roots = cache["roots"]
            admin_paths = set(
                GroupPagePermission.objects.filter(
                    group__user=user, group__name__endswith=f"·{ROLE_ADMINS}"
                ).values_list("page__path", flat=True)
            )
            cache["managed"] = frozenset(
                site_id for site_id, root in roots.items() if root in admin_paths
            )
    return cache["managed"]


def managed_sites(user) -> list[Site]:
    ids = managed_site_ids(user)
    return [site for site in sites_for_user(user) if site.pk in ids]


def can_manage_site(user, site: Site | None) -> bool:
    return site is not None and site.pk in managed_site_ids(user)


def _foreign_group_ids(root_path: str):
    """Groups holding a page permission outside the site, or any model permission beyond
    admin access: a site admin must never change those (they reach further than the site)."""
    outside = GroupPagePermission.objects.exclude(page__path__startswith=root_path).values(
        "group_id"
    )
    access = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    powerful = Group.permissions.through.objects.exclude(permission=access).values("group_id")
    return outside, powerful


def site_groups(site: Site):
    """The groups of ``site``: page permissions anchored only inside its tree.

    These are the site's roles (站点管理员, 审核员, 终审, 编辑), its channel editors and
    channel delegations — the groups its site admins may give and take.
    """
    root_path = site.root_page.path
    outside, powerful = _foreign_group_ids(root_path)
    return (
        Group.objects.filter(page_permissions__page__path__startswith=root_path)
        .exclude(pk__in=outside)
        .exclude(pk__in=powerful)
        .distinct()
    )


def site_people(site: Site):
    """Users holding any role on ``site``."""
    return get_user_model().objects.filter(groups__in=site_groups(site).values("pk")).distinct()


def user_site_ids(user) -> frozenset[int]:
    """The sites another user has roles on (for "belongs only to this site" checks)."""
    paths = GroupPagePermission.objects.filter(group__user=user).values_list(
        "page__path", flat=True
    )
    return frozenset(site_ids_for_paths(set(paths)))


# -- sites where the user adds content (信息报送 inboxes, the resource library) ------------


def add_permission_paths(user) -> list[str]:
    """Tree paths of the pages on which the user's groups may add pages."""
    return list(
        GroupPagePermission.objects.filter(
            group__user=user, permission__codename="add_page"
        ).values_list("page__path", flat=True)
    )


def handled_sites(user) -> list[Site]:
    """The sites where ``user`` may add pages somewhere (editors, channel editors, site
    admins; superusers: all), by name: whose 报送 inbox, library pushes and files they
    handle. Two queries, whatever the number of sites."""
    if not _active(user):
        return []
    sites = list(Site.objects.select_related("root_page").order_by("site_name", "pk"))
    if user.is_superuser:
        return sites
    paths = add_permission_paths(user)
    if not paths:
        return []
    ids = site_ids_for_paths(paths, {site.pk: site.root_page.path for site in sites})
    return [site for site in sites if site.pk in ids]


def handles_any_site(user) -> bool:
    """``bool(handled_sites(user))`` without loading every site: for menus shown on every
    admin page. At most two small queries, whatever the number of sites; cached with the
    rest of this module's answers on the user object (the request's lifetime)."""
    if not _active(user):
        return False
    cache = _cache(user)
    if "handles_any" not in cache:
        if user.is_superuser:
            cache["handles_any"] = Site.objects.exists()
        else:
            paths = add_permission_paths(user)
            if not paths:
                cache["handles_any"] = False
            else:
                # A site root at or above a permission path (its prefixes), or below one.
                steplen = Page.steplen
                prefixes = {p[:end] for p in paths for end in range(steplen, len(p) + 1, steplen)}
                condition = Q(root_page__path__in=prefixes)
                for p in paths:
                    condition |= Q(root_page__path__startswith=p)
                cache["handles_any"] = Site.objects.filter(condition).exists()
    return cache["handles_any"]
