"""置顶结果: the results editors pin above the others for a query.

A promotion matches when its query equals the searched query, both normalized like every
query (full-width → half-width, traditional → simplified, lower case; the editor's form
stores the normalized query); it applies to its site
or, without a site, to every site of the group; it is shown between ``starts_at`` and
``ends_at`` and only while its page is live and public.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q
from django.utils import timezone

from wagtail.models import Page, Site

from govportal.core.visibility import public

from .models import Promotion


@dataclass(frozen=True)
class PromotedResult:
    title: str
    url: str
    description: str
    page_id: int | None

    @property
    def key(self) -> str:
        """The search-index key of the promoted page (to drop it from the ranked hits)."""
        return f"page:{self.page_id}" if self.page_id else ""


def normalize(text: str) -> str:
    """The engine's normalization (NFKC, 繁→简, lower case, collapsed spaces)."""
    from .analysis import normalize as engine_normalize

    return engine_normalize(text or "").strip()


def active_promotions(
    query: str, site: Site | None, *, request=None, now: datetime | None = None
) -> list[PromotedResult]:
    """The promoted results for ``query`` on ``site``, in the editors' order."""
    wanted = normalize(query)
    if not wanted:
        return []
    now = now or timezone.now()
    site_q = Q(site__isnull=True) | Q(site=site) if site else Q(site__isnull=True)
    found = list(
        Promotion.objects.filter(site_q, query=wanted[:100])
        .filter(Q(starts_at__isnull=True) | Q(starts_at__lte=now))
        .filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now))
        .order_by("sort_order", "pk")
    )
    page_ids = [p.page_id for p in found if p.page_id]
    pages = {}
    if page_ids:
        pages = {
            page.pk: page
            for page in public(Page.objects.live().filter(pk__in=page_ids), request).specific()
        }
    results = []
    for promotion in found:
        if promotion.page_id:
            page = pages.get(promotion.page_id)
            if page is None:
                continue  # unpublished or restricted: never advertise it
            url = page.get_url(request=request) or page.url
            title = promotion.title or page.title
            description = promotion.description or getattr(page, "search_description", "")
        else:
            url, title, description = promotion.external_url, promotion.title, promotion.description
        results.append(PromotedResult(title, url, description, promotion.page_id))
    return results
