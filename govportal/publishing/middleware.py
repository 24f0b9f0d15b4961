"""Whole-page cache for anonymous visitors, invalidated by the content version.

A public page is rendered once per content version and then served from the cache
(Redis when ``REDIS_URL`` is set, process memory otherwise) without touching the page
tree: one small query reads the version. Anything personal is never cached: requests
with a session cookie, non-GET requests, the admin, search results, responses that set
cookies or are not plain 200 HTML.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse

from .models import ContentVersion

SKIP_PREFIXES = ("/admin/", "/documents/", "/media/", "/static/", "/sitemap.xml")
# Query parameters that select a variant of a cacheable page; any other means "don't".
VARIANT_PARAMS = {"page"}
HEADERS_KEPT = ("Content-Type", "Content-Language", "Vary", "X-Frame-Options")


def _cacheable_request(request) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False
    path = request.path
    if path.startswith(SKIP_PREFIXES) or path.endswith("/search/"):
        return False
    return set(request.GET) <= VARIANT_PARAMS


def _key(request, version: int) -> str:
    query = "&".join(f"{k}={v}" for k, v in sorted(request.GET.items()))
    raw = f"{request.get_host()}|{request.path}|{query}"
    return f"pagecache:{version}:{hashlib.sha256(raw.encode()).hexdigest()}"


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = getattr(settings, "GOVPORTAL_PAGE_CACHE_SECONDS", 0)
        if not seconds or not _cacheable_request(request):
            return self.get_response(request)
        key = _key(request, ContentVersion.current())
        stored = cache.get(key)
        if stored is not None:
            content, headers = stored
            response = HttpResponse(content)
            for name, value in headers.items():
                response[name] = value
            response["X-Page-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and response.get("Content-Type", "").startswith("text/html")
            and "private" not in response.get("Cache-Control", "")
        ):
            headers = {h: response[h] for h in HEADERS_KEPT if h in response}
            cache.set(key, (response.content, headers), seconds)
            response["X-Page-Cache"] = "miss"
        return response
