"""The public search page (站内搜索/站群检索), reached at ``<site>/search/`` through
:meth:`govportal.content.models.PortalHomePage.search`.

Thin: the form validates, :func:`govportal.search.query.search` finds, ``promotions``
pins, ``stats`` counts; this module only wires them and renders.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpResponse

from wagtail.models import Site

from . import promotions, stats
from .forms import SearchForm
from .sources import display_url

PER_PAGE = 10
MAX_PAGE = 100  # deeper pages are for scrapers, not readers
TEMPLATE = "search/search_page.html"


def _page_number(request) -> int:
    try:
        number = int(request.GET.get("page", 1))
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), MAX_PAGE)


def _count_text(total: int, capped: bool) -> str:
    text = f"{total:,}".replace(",", " ") if total >= 10000 else str(total)
    return f"{text}+" if capped else text


def search_page(request, home) -> HttpResponse:
    """Render the search page of ``home``'s site for ``request.GET``."""
    site = Site.find_for_request(request) or home.get_site()
    form = SearchForm(request.GET, current_site=site, home=home)
    valid = form.is_valid()
    query = form.query
    number = _page_number(request)
    context = {
        "form": form,
        "query": query,
        "page_title": "搜索",
        "response": None,
        "promoted": [],
        "hits": [],
        "page_obj": None,
        "hot_searches": stats.hot_searches(site),
        "filters_open": form.filters_used > 0 or bool(form.errors),
    }
    if valid and query:
        from .query import search

        response = search(form.to_request(page=number, per_page=PER_PAGE))
        if response.pages and number > response.pages:
            number = response.pages
            response = search(form.to_request(page=number, per_page=PER_PAGE))
        promoted = []
        if number == 1:
            promoted = promotions.active_promotions(query, site, request=request)
        promoted_keys = {p.key for p in promoted if p.key}
        promoted_urls = {p.url for p in promoted}
        hits = [
            h
            for h in response.hits
            if h.document.key not in promoted_keys and h.document.url not in promoted_urls
        ]
        for hit in hits:  # this site's results as paths, other sites' as full addresses
            hit.href = display_url(hit.document.url, site)
        # Pagination over the (capped) total: a lazy range, nothing loaded.
        paginator = Paginator(range(min(response.total, MAX_PAGE * PER_PAGE)), PER_PAGE)
        context.update(
            response=response,
            hits=hits,
            promoted=promoted,
            page_obj=paginator.page(min(response.page, paginator.num_pages)),
            total_text=_count_text(response.total, response.total_capped),
            seconds=f"{max(response.took_ms / 1000, 0.01):.2f}",
            found=bool(response.total or promoted),
        )
        if stats.should_log(request, number):
            stats.log_search(response.parsed.normalized, site, response.total + len(promoted))
    return home.render(request, context_overrides=context, template=TEMPLATE)
