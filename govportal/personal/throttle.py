"""A fixed-window counter per client address, kept in the cache (shared by every server)."""

import hashlib

from django.conf import settings
from django.core.cache import cache

from govportal.audit.context import client_ip


def _key(scope: str, request) -> str:
    ip = client_ip(request) or "unknown"
    digest = hashlib.sha256(f"{settings.SECRET_KEY}|{ip}".encode()).hexdigest()[:32]
    return f"personal:throttle:{scope}:{digest}"


def hit(scope: str, request, *, limit: int, window: int) -> tuple[bool, bool]:
    """Count one attempt. Returns ``(allowed, first_refusal)`` for this window."""
    key = _key(scope, request)
    cache.add(key, 0, window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        count = 1
    if count <= limit:
        return True, False
    return False, count == limit + 1
