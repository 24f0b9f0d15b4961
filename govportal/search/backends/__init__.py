"""Full-text backends (全文检索后端): the database's own engine, fed with bigram terms.

Chosen by the connection's vendor: SQLite → :mod:`.sqlite` (FTS5), PostgreSQL →
:mod:`.postgres` (tsvector + GIN). Both answer the same questions (see
:class:`.base.Backend`); the tables are created by migration 0002 of this app.
"""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.utils.module_loading import import_string

from .base import Backend, Filters, IndexRow, SearchPage

__all__ = ["Backend", "Filters", "IndexRow", "SearchPage", "get_backend"]

_BACKENDS: dict[str, Backend] = {}


def get_backend(vendor: str | None = None) -> Backend:
    """The backend for the database in use, or ``GOVPORTAL_SEARCH_BACKEND`` (a dotted path
    to a :class:`.base.Backend` subclass, e.g. an OpenSearch one: docs/operations.md)."""
    custom = getattr(settings, "GOVPORTAL_SEARCH_BACKEND", "")
    if custom and vendor is None:
        backend = _BACKENDS.get(custom)
        if backend is None:
            backend = _BACKENDS[custom] = import_string(custom)()
        return backend
    vendor = vendor or connection.vendor
    backend = _BACKENDS.get(vendor)
    if backend is None:
        if vendor == "sqlite":
            from .sqlite import SQLiteBackend as cls
        elif vendor == "postgresql":
            from .postgres import PostgresBackend as cls
        else:
            raise NotImplementedError(f"站内搜索不支持此数据库：{vendor}")
        backend = _BACKENDS[vendor] = cls()
    return backend
