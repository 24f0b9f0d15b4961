"""Public visibility of pages, computed once per request.

Wagtail's ``PageQuerySet.public()`` loads every view restriction each time it is
called; a home page with ten channel blocks paid for that ten times. Here the
restricted paths are read once per request and reused by every listing.
"""

from django.db.models import Q

from wagtail.models import PageViewRestriction


def restricted_paths(request=None) -> tuple[str, ...]:
    """Tree paths of pages behind a view restriction (their subtrees are private too)."""
    cached = getattr(request, "_govportal_restricted_paths", None)
    if cached is not None:
        return cached
    paths = tuple(PageViewRestriction.objects.values_list("page__path", flat=True))
    if request is not None:
        request._govportal_restricted_paths = paths
    return paths


def in_subtrees(paths) -> Q:
    """Pages at or below any of the tree ``paths`` (an empty Q matches everything: check
    ``paths`` first)."""
    condition = Q()
    for path in paths:
        condition |= Q(path__startswith=path)
    return condition


def public(queryset, request=None):
    """``queryset`` without pages under a view restriction (like ``.public()``)."""
    paths = restricted_paths(request)
    if not paths:
        return queryset
    return queryset.exclude(in_subtrees(paths))
