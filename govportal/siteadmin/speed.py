"""Admin at site-group scale: per-row queries of Wagtail's page listings answered from the row.

Installed once from ``apps.ready``. Wagtail 8.0's ``PagePermissionTester.can_delete`` (also
behind ``can_move``) asks the database, for a user without publish permission, whether the
page *or any descendant* is live (or not theirs) — one query per row and per button in the
explorer and search listings (an editor's 50-row explorer page: 100 extra queries). For a
page that is itself live (or not theirs), or a leaf, the row already holds the answer; only
non-leaf pages still ask. The answers are the same as Wagtail's.
"""

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


def install() -> None:
    PagePermissionTester.can_delete = can_delete
