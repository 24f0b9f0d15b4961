"""Who is acting, and from where, for code that has no request at hand.

:class:`~govportal.audit.middleware.AuditContextMiddleware` keeps the current request in a
context variable, so a signal handler deep inside a publish still records the editor and
their IP. Commands and background work can name the actor with :func:`acting_as`.
"""

import ipaddress
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings


@dataclass(frozen=True)
class Actor:
    request: object | None = None
    user: object | None = None
    ip: str | None = None


_current: ContextVar[Actor | None] = ContextVar("govportal_audit_actor", default=None)


def current() -> Actor | None:
    return _current.get()


@contextmanager
def using_request(request):
    token = _current.set(Actor(request=request))
    try:
        yield
    finally:
        _current.reset(token)


@contextmanager
def acting_as(user=None, ip: str | None = None):
    """Attribute the audit records written inside the block to ``user`` (and ``ip``)."""
    token = _current.set(Actor(user=user, ip=normalise_ip(ip)))
    try:
        yield
    finally:
        _current.reset(token)


def normalise_ip(value) -> str | None:
    """The canonical text of an IP address (as PostgreSQL's ``inet`` returns it), or None."""
    if not value:
        return None
    try:
        address = ipaddress.ip_address(str(value).strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return str(address)


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]):
    return tuple(ipaddress.ip_network(p.strip(), strict=False) for p in proxies if p.strip())


def _trusted(address: str, networks) -> bool:
    ip = ipaddress.ip_address(address)
    return any(ip in net for net in networks)


def client_ip(request) -> str | None:
    """The client's address: ``REMOTE_ADDR``, unless that is a trusted proxy.

    Behind proxies listed in ``GOVPORTAL_AUDIT_TRUSTED_PROXIES`` (addresses or networks),
    ``X-Forwarded-For`` is read from the right, skipping trusted proxies; the first other
    address is the client. With no trusted proxies (the default) the header is ignored, so
    a client cannot forge its own address.
    """
    remote = normalise_ip(request.META.get("REMOTE_ADDR"))
    networks = _networks(tuple(getattr(settings, "GOVPORTAL_AUDIT_TRUSTED_PROXIES", ())))
    if remote is None or not networks or not _trusted(remote, networks):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [normalise_ip(h) for h in forwarded.split(",")]
    for hop in reversed(hops):
        if hop is None:
            break  # a malformed hop: trust nothing further left of it
        if not _trusted(hop, networks):
            return hop
    # Every hop is one of our proxies: the leftmost is where the request came from.
    return hops[0] if hops and hops[0] else remote
