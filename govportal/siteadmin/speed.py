"""Admin at site-group scale: per-row queries of Wagtail's page listings answered from the row.

Installed once from ``apps.ready``. Wagtail 8.0's ``PagePermissionTester.can_delete`` (also
behind ``can_move``) asks the database, for a user without publish permission, whether the
page *or any descendant* is live (or not theirs) — one query per row and per button in the
explorer and search listings (an editor's 50-row explorer page: 100 extra queries). For a
page that is itself live (or not theirs), or a leaf, the row already holds the answer; only
non-leaf pages still ask. The answers are the same as Wagtail's.

The explorer also restricts every listing to ``pk IN (explorable pages)``: a subquery that
ORs one ``descendant_of`` per permission row (an editor of a site holds four on the same
home page, so four copies) plus the ancestors of each, and that PostgreSQL answers with a
sequential scan of the whole page table (60 ms at 100,000 pages, for the COUNT and again
for the rows). When the explored page lies inside a subtree where the user holds an
explore-granting permission (add, change, publish, lock, unlock, bulk_delete) — or the
user is a superuser — every child and descendant of it is explorable by Wagtail's own
rule, so the filter is dropped; listings above the user's permission roots still use it.
"""

from wagtail.admin.views.pages.listing import ExplorableIndexView
from wagtail.models import PagePermissionTester

_original_can_delete = PagePermissionTester.can_delete


def _decided_from_row(tester, ignore_bulk: bool) -> bool | None:
    """Wagtail's answer when the page row alone decides it, else ``None`` (ask Wagtail)."""
    user, page = tester.user, tester.page
    if not user.is_active or tester.page_is_root or user.is_superuser:
        return None  # decided by Wagtail without a query
    permissions = tester.permissions
    is_leaf = page.numchild == 0
    if "bulk_delete" not in permissions and not is_leaf and not ignore_bulk:
        return None  # Wagtail: False without a query
    if "change" in permissions:
        if "publish" in permissions:
            return None  # Wagtail: True without a query
        # Wagtail: no live page in the subtree, the page included.
        if page.live:
            return False
        return True if is_leaf else None
    if "add" in permissions:
        # Wagtail: every page of the subtree is the user's (and, without publish, not live).
        if page.owner_id != user.pk or ("publish" not in permissions and page.live):
            return False
        return True if is_leaf else None
    return None  # Wagtail: False without a query


def can_delete(self, ignore_bulk=False):
    decided = _decided_from_row(self, ignore_bulk)
    return _original_can_delete(self, ignore_bulk) if decided is None else decided


_original_get_base_queryset = ExplorableIndexView.get_base_queryset
EXPLORE_ACTIONS = {"add", "change", "publish", "lock", "unlock", "bulk_delete"}


def whole_subtree_explorable(policy, user, page) -> bool:
    """Is every descendant of ``page`` explorable by ``user`` (Wagtail's explorable_instances)?"""
    if not user.is_active:
        return False
    if user.is_superuser:
        return True
    codenames = policy._get_permission_codenames(EXPLORE_ACTIONS)
    return any(
        perm.permission.codename in codenames and page.path.startswith(perm.page.path)
        for perm in policy.get_cached_permissions_for_user(user)
    )


def get_base_queryset(self):
    if self.is_searching_whole_tree or not whole_subtree_explorable(
        self.permission_policy, self.request.user, self.parent_page
    ):
        return _original_get_base_queryset(self)
    manager = self.model._default_manager
    if self.is_searching or self.is_filtering:
        pages = manager.descendant_of(self.parent_page)
    else:
        pages = manager.child_of(self.parent_page)
    return self.annotate_queryset(pages)


def install() -> None:
    PagePermissionTester.can_delete = can_delete
    ExplorableIndexView.get_base_queryset = get_base_queryset
