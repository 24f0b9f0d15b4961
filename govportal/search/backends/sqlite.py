# ruff: noqa: S608 — the SQL is assembled from constant fragments; values are parameters.
"""SQLite backend: an FTS5 table ``govsearch_fts(title, body, tags)`` whose rowid is the
SearchDocument id, holding the bigram terms of :func:`analysis.index_terms`.

A query word is an FTS5 phrase of its bigrams ("营商 商环 环境"); a group of synonyms is an
OR of phrases; the groups are ANDed. The filters that select documents (site, kind,
channel and its sub-channels, organisation) are tokens in the ``tags`` column (``s12``,
``knews``, ``c00010002``, ``o3``), so FTS5 intersects them with the words itself: a count
or a page of a site never materialises the group-wide match. Only the date range is
filtered on the document table.

Ranking does not compute a score for every match: *title matches first* (the title
column matches the whole query), then recency. Each tier is a page "newest first": FTS5
lists the matches and SQLite sorts them, unless the tier is so big that walking the time
index newest first and probing FTS5 per document (``MATCH … AND rowid = d.id``) is
cheaper — a word in most documents then costs a page's worth of probes. Counts stop at
the cap. A trigger on the document table deletes the FTS row of a deleted document (also
through cascades: a site deleted); pages are read through the document table.
"""

from __future__ import annotations

import time

from django.db import connection

from ..analysis import ParsedQuery, phrase_tokens
from .base import Backend, Filters, IndexRow, SearchPage, filter_tags

_IN_MATCH = "d.id IN (SELECT rowid FROM govsearch_fts WHERE govsearch_fts MATCH %s)"
_PROBE = "EXISTS (SELECT 1 FROM govsearch_fts WHERE govsearch_fts MATCH %s AND rowid = d.id)"
#: A rowid probe costs about this many times a listed match (measured: ~180 µs vs ~1.5 µs).
PROBE_COST = 120
DATE_COLUMNS = {"published_at": "d.published_at"}
WALK_COLUMNS = {"site": "d.site_id", "kind": "d.kind", "published_at": "d.published_at"}


def _phrase(word: str) -> str | None:
    pt = phrase_tokens(word)
    if pt is None:
        return None
    return '"' + " ".join(pt.tokens) + '"' + (" *" if pt.prefix_last else "")


def _or(words: list[str]) -> str | None:
    phrases = [p for p in (_phrase(w) for w in words) if p]
    if not phrases:
        return None
    return "(" + " OR ".join(phrases) + ")"


def _tag_filter(filters: Filters) -> str:
    return " AND ".join(f"(tags : ({' OR '.join(group)}))" for group in filters.tag_groups())


def match_expression(parsed: ParsedQuery, filters: Filters | None = None) -> tuple[str, str] | None:
    """(FTS5 expression of the whole query, of the title tier), filter tags included."""
    groups = [g for g in (_or(group) for group in parsed.groups) if g]
    if not groups:
        return None
    positive = " AND ".join(groups)
    full = f"({{title body}} : ({positive}))"
    title = f"(title : ({positive}))"
    tag = _tag_filter(filters) if filters else ""
    if tag:
        full, title = f"{full} AND {tag}", f"{title} AND {tag}"
    excluded = _or(parsed.excluded) if parsed.excluded else None
    if excluded:
        not_ = f"({{title body}} : {excluded})"
        full, title = f"({full}) NOT {not_}", f"({title}) NOT {not_}"
    return full, title


class SQLiteBackend(Backend):
    vendor = "sqlite"

    def write(self, rows: list[IndexRow], *, fresh: bool = False) -> None:
        if not rows:
            return
        with connection.cursor() as cursor:
            if not fresh:
                self._delete(cursor, [r.doc_id for r in rows])
            cursor.executemany(
                "INSERT INTO govsearch_fts (rowid, title, body, tags) VALUES (%s, %s, %s, %s)",
                [
                    (
                        r.doc_id,
                        " ".join(r.title_tokens),
                        " ".join(r.body_tokens),
                        " ".join(filter_tags(r)),
                    )
                    for r in rows
                ],
            )

    def _delete(self, cursor, doc_ids: list[int]) -> None:
        for start in range(0, len(doc_ids), 500):
            chunk = doc_ids[start : start + 500]
            cursor.execute(
                f"DELETE FROM govsearch_fts WHERE rowid IN ({', '.join(['%s'] * len(chunk))})",
                chunk,
            )

    def delete(self, doc_ids: list[int]) -> None:
        with connection.cursor() as cursor:
            self._delete(cursor, list(doc_ids))

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM govsearch_fts")

    def analyze(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO govsearch_fts (govsearch_fts) VALUES ('optimize')")
            cursor.execute("ANALYZE govsearch_searchdocument")

    def search(self, parsed, filters, *, sort, offset, limit, cap) -> SearchPage:
        prepared = _prepare(parsed, filters)
        if prepared is None:
            return SearchPage([], set(), 0, False)
        (full, title), dates, date_params = prepared
        with connection.cursor() as cursor:
            # Counts are cap + 1 at most: "cap + 1" means "at least that many", and a
            # match that big is always walked.
            matches = self._count(cursor, full, dates, date_params, cap)
            if matches == 0:
                return SearchPage([], set(), 0, False)
            capped = matches > cap
            total = min(matches, cap)
            page = _Pager(self, cursor, filters, offset, limit, cap)
            if sort == "time":
                return SearchPage(page.ids(matches, [full], []), set(), total, capped)
            title_total = self._count(cursor, title, dates, date_params, cap)
            ids = []
            if offset < title_total:
                ids = page.ids(title_total, [title], [])
            title_ids = set(ids)
            if len(ids) < limit and title_total <= cap:
                page.offset = max(0, offset - title_total)
                page.limit = limit - len(ids)
                ids += page.ids(max(matches - title_total, 1), [full], [title])
        return SearchPage(ids, title_ids, total, capped)

    def _count(self, cursor, expr, dates, date_params, cap) -> int:
        """Matches up to cap + 1, from the FTS table alone unless a date range applies."""
        if not dates:
            cursor.execute(
                "SELECT count(*) FROM (SELECT 1 FROM govsearch_fts WHERE govsearch_fts MATCH %s "
                "LIMIT %s)",
                [expr, cap + 1],
            )
        else:
            cursor.execute(
                f"SELECT count(*) FROM (SELECT 1 FROM govsearch_searchdocument d WHERE "
                f"{_IN_MATCH} AND {' AND '.join(dates)} LIMIT %s)",
                [expr, *date_params, cap + 1],
            )
        return cursor.fetchone()[0]

    _docs_cache: tuple[float, int] = (0.0, 0)

    def documents(self, cursor) -> int:
        checked, n = self._docs_cache
        if time.monotonic() - checked > 60:
            cursor.execute("SELECT count(*) FROM govsearch_searchdocument")
            n = max(cursor.fetchone()[0], 1)
            self._docs_cache = (time.monotonic(), n)
        return n

    def _base(self, parsed: ParsedQuery, filters: Filters):
        prepared = _prepare(parsed, filters)
        if prepared is None:
            return None
        expr, dates, date_params = prepared
        sql = f"FROM govsearch_searchdocument d WHERE {_IN_MATCH}"
        if dates:
            sql += " AND " + " AND ".join(dates)
        return sql, [expr[0], *date_params]

    def exists(self, parsed, filters) -> bool:
        prepared = _prepare(parsed, filters)
        if prepared is None:
            return False
        expr, dates, date_params = prepared
        with connection.cursor() as cursor:
            return self._count(cursor, expr[0], dates, date_params, 0) > 0

    def matching_ids(self, parsed, filters) -> list[int]:
        base = self._base(parsed, filters)
        if base is None:
            return []
        sql, params = base
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT d.id {sql}", params)
            return [r[0] for r in cursor.fetchall()]

    def facets(self, parsed, filters, *, limit) -> dict:
        base = self._base(parsed, filters)
        if base is None:
            return {}
        sql, params = base
        out = {}
        with connection.cursor() as cursor:
            for name, column in (("kind", "d.kind"), ("site", "d.site_id")):
                cursor.execute(
                    f"SELECT {column}, count(*) {sql} GROUP BY {column} "
                    "ORDER BY count(*) DESC LIMIT %s",
                    [*params, limit],
                )
                out[name] = [(value, n) for value, n in cursor.fetchall()]
        return out


def _prepare(parsed: ParsedQuery, filters: Filters):
    """(match expressions, date conditions, their parameters), or None when nothing can
    match (no searchable word, an empty site list)."""
    if filters.site_ids is not None and not filters.site_ids:
        return None
    expr = match_expression(parsed, filters)
    if expr is None:
        return None
    return (expr, *_dates(filters))


def _dates(filters: Filters) -> tuple[list[str], list]:
    only_dates = Filters(date_from=filters.date_from, date_to=filters.date_to)
    return only_dates.where(DATE_COLUMNS)


class _Pager:
    """Pages of ids newest first, choosing between listing and walking (see module doc)."""

    def __init__(self, backend, cursor, filters, offset, limit, cap):
        self.backend, self.cursor, self.filters = backend, cursor, filters
        self.offset, self.limit, self.cap = offset, limit, cap

    def ids(self, matches: int, include: list[str], exclude: list[str]) -> list[int]:
        scope = self.backend.documents(self.cursor)
        walk = matches > self.cap or (
            matches * matches > PROBE_COST * (self.offset + self.limit) * scope
        )
        test = _PROBE if walk else _IN_MATCH
        conditions = [test] * len(include) + ["NOT " + test] * len(exclude)
        values = [*include, *exclude]
        # Walking: the document table's own filter columns let SQLite walk the
        # (site, time) / (kind, time) index instead of every document.
        where, params = (
            self.filters.on_columns().where(WALK_COLUMNS) if walk else _dates(self.filters)
        )
        sql = " AND ".join([*conditions, *where])
        self.cursor.execute(
            f"SELECT d.id FROM govsearch_searchdocument d WHERE {sql} "
            "ORDER BY d.published_at DESC, d.id DESC LIMIT %s OFFSET %s",
            [*values, *params, self.limit, self.offset],
        )
        return [r[0] for r in self.cursor.fetchall()]
