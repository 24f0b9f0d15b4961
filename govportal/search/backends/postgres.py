# ruff: noqa: S608 — the SQL is assembled from constant fragments; values are parameters.
"""PostgreSQL backend: tsvector rows built from the bigram terms, GIN-indexed.

``govsearch_fts`` has one row per document *part*: part 0 holds the title (also in its own
``title`` tsvector) and the first :data:`CHUNK_TOKENS` body tokens, further parts the rest
of a long body (overlapping by :data:`CHUNK_OVERLAP` tokens so a phrase across a boundary
is still found). This keeps every tsvector within PostgreSQL's limits (positions up to
16 383, 256 positions per lexeme), which would otherwise silently lose phrase matches in
long attachments. The vectors are written as tsvector literals (lexeme:positions), not
through a text-search parser, so the tokens are exactly :func:`analysis.index_tokens`;
queries are tsquery phrases (``'营商' <-> '商环' <-> '环境'``).

Ranking without scoring every match: the title tier (``title @@ q``, its own GIN index)
and then the rest, each ordered by ``published_at`` with LIMIT — PostgreSQL either walks
the time index and stops after a page (common words) or takes the few GIN matches and
sorts them (rare words). When the whole match is small it is ranked in one pass. Site,
kind and time are copied into the row so most filters need no join; the rows go with
their document through delete and truncate triggers (migration 0002).
"""

from __future__ import annotations

import time
from collections import defaultdict

from django.db import connection, transaction

from ..analysis import ParsedQuery, phrase_tokens
from .base import Backend, Filters, IndexRow, SearchPage

#: Body tokens per row; the first part also holds the title.
CHUNK_TOKENS = 4000
CHUNK_OVERLAP = 16
MAX_POSITIONS = 255
#: Matches up to this many are ranked in one query (no tiers, no planner guessing).
SMALL_MATCH = 2000

#: Totals stop here ("2000+"): every counted match is a heap visit.
COUNT_CAP = 2000
#: How much cheaper listing is than walking when no position recheck is needed.
LIST_CHEAP_FACTOR = 30
#: Counts up to this many are exact (a recheck per phrase match); above, the loose count.
EXACT_COUNT_MAX = 1000

_PLANS = {
    # Matches from the GIN index (never a sequential scan detoasting every tsvector).
    "bitmap": {
        "enable_seqscan": "off",
        "enable_indexscan": "off",
        "enable_bitmapscan": "on",
        "enable_sort": "on",
        "max_parallel_workers_per_gather": "0",
    },
    # Newest first along the time index, checking each row until the page is full.
    "walk": {
        "enable_seqscan": "off",
        "enable_bitmapscan": "off",
        "enable_indexscan": "on",
        "enable_sort": "off",
        # A parallel plan starts workers to walk a LIMIT-ed index: 1.2 s instead of 52 ms
        # for a mid-frequency word sorted by time (benchmark, 300 000 documents).
        "max_parallel_workers_per_gather": "0",
    },
}


def _plan(cursor, name: str | None) -> None:
    """Tell the planner which of the two plans to use (the row estimates of tsquery
    matches are too rough to leave it the choice: a wrong guess reads every tsvector).
    Transaction-local; ``None`` restores the settings."""
    if name is None:
        cursor.execute(
            "SELECT set_config(name, reset_val, true) FROM pg_settings "
            "WHERE name IN ('enable_seqscan', 'enable_indexscan', 'enable_bitmapscan', "
            "'enable_sort', 'max_parallel_workers_per_gather')"
        )
        return
    settings = _PLANS[name]
    cursor.execute(
        "SELECT " + ", ".join("set_config(%s, %s, true)" for _ in settings),
        [x for item in settings.items() for x in item],
    )


COLUMNS = {
    "site": "f.site_id",
    "kind": "f.kind",
    "published_at": "f.published_at",
    "channel_path": "d.channel_path",
    "organization": "d.organization_id",
}


def tsvector_literal(tokens: list[str], start: int = 1) -> str:
    positions: dict[str, list[int]] = defaultdict(list)
    for i, token in enumerate(tokens, start):
        bucket = positions[token]
        if len(bucket) < MAX_POSITIONS:
            bucket.append(min(i, 16383))
    return " ".join(
        "'" + lex.replace("\\", "\\\\").replace("'", "''") + "':" + ",".join(map(str, pos))
        for lex, pos in positions.items()
    )


def parts(row: IndexRow) -> list[tuple[int, str | None, str]]:
    """(part, title tsvector, text tsvector) for one document."""
    title, body = row.title_tokens, row.body_tokens
    first = tsvector_literal(title) + " " + tsvector_literal(body[:CHUNK_TOKENS], len(title) + 2)
    out = [(0, tsvector_literal(title), first.strip())]
    start, part = CHUNK_TOKENS, 1
    while start < len(body):
        chunk = body[start - CHUNK_OVERLAP : start + CHUNK_TOKENS]
        out.append((part, None, tsvector_literal(chunk)))
        start += CHUNK_TOKENS
        part += 1
    return out


def _lexeme(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def _phrase(word: str, loose: bool = False) -> str | None:
    pt = phrase_tokens(word)
    if pt is None:
        return None
    lexemes = [_lexeme(t) for t in pt.tokens]
    if pt.prefix_last:
        lexemes[-1] += ":*"
    if len(lexemes) == 1:
        return lexemes[0]
    return "(" + (" & " if loose else " <-> ").join(lexemes) + ")"


def _or(words: list[str], loose: bool = False) -> str | None:
    phrases = [p for p in (_phrase(w, loose) for w in words) if p]
    if not phrases:
        return None
    return "(" + " | ".join(phrases) + ")"


def tsqueries(parsed: ParsedQuery) -> tuple[str, str, str] | None:
    """(tsquery of the whole query, for the title tier, and a *loose* one: the bigrams
    of each word ANDed without their order — a superset GIN answers without rechecking
    positions, used to count big matches)."""
    groups = [g for g in (_or(group) for group in parsed.groups) if g]
    if not groups:
        return None
    positive = " & ".join(groups)
    excluded = _or(parsed.excluded) if parsed.excluded else None
    full = f"({positive}) & !{excluded}" if excluded else positive
    loose = " & ".join(_or(group, loose=True) for group in parsed.groups if _or(group))
    return full, positive, loose


class PostgresBackend(Backend):
    vendor = "postgresql"

    def write(self, rows: list[IndexRow], *, fresh: bool = False) -> None:
        if not rows:
            return
        with connection.cursor() as cursor:
            if not fresh:
                cursor.execute(
                    "DELETE FROM govsearch_fts WHERE doc_id = ANY(%s)", [[r.doc_id for r in rows]]
                )
            raw = cursor.cursor
            with raw.copy(
                "COPY govsearch_fts (doc_id, part, site_id, kind, published_at, title, tsv) "
                "FROM STDIN"
            ) as copy:
                for r in rows:
                    for part, title, tsv in parts(r):
                        copy.write_row(
                            (r.doc_id, part, r.site_id, r.kind, r.published_at, title, tsv)
                        )

    def delete(self, doc_ids: list[int]) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM govsearch_fts WHERE doc_id = ANY(%s)", [list(doc_ids)])

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE govsearch_fts")

    def analyze(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE govsearch_fts")

    def _parts(self, parsed: ParsedQuery, filters: Filters):
        queries = tsqueries(parsed)
        if queries is None:
            return None
        full, title, loose = queries
        source = "govsearch_fts f"
        if filters.needs_document:
            source += " JOIN govsearch_searchdocument d ON d.id = f.doc_id"
        where, params = filters.where(COLUMNS)
        filter_sql = "".join(f" AND {w}" for w in where)
        title_sql = "f.part = 0 AND f.title @@ %s::tsquery"
        title_params = [title]
        if parsed.excluded:
            title_sql += " AND f.tsv @@ %s::tsquery"
            title_params.append(full)
        return {
            "from": source,
            "match": ("f.tsv @@ %s::tsquery" + filter_sql, [full, *params]),
            "loose": ("f.tsv @@ %s::tsquery" + filter_sql, [loose, *params]),
            "title": (title_sql + filter_sql, [*title_params, *params]),
            "title_query": title,
        }

    def search(self, parsed, filters, *, sort, offset, limit, cap) -> SearchPage:
        q = self._parts(parsed, filters)
        if q is None:
            return SearchPage([], set(), 0, False)
        # The planner settings are transaction-local; restored before leaving (an error
        # rolls them back with the transaction or savepoint).
        with transaction.atomic(), connection.cursor() as cursor:
            page = self._search(cursor, q, sort, offset, limit, cap)
            _plan(cursor, None)
        return page

    def _count(self, cursor, src, where_sql, params, cap) -> tuple[int, int]:
        """(documents, rows) matching, up to cap + 1 rows, from the GIN bitmap."""
        _plan(cursor, "bitmap")
        cursor.execute(
            f"SELECT count(DISTINCT doc_id), count(*) FROM "
            f"(SELECT f.doc_id FROM {src} WHERE {where_sql} LIMIT %s) s",
            [*params, cap + 1],
        )
        return cursor.fetchone()

    def _search(self, cursor, q, sort, offset, limit, cap) -> SearchPage:
        src = q["from"]
        match_sql, match_params = q["match"]
        # Counting exactly costs a tsvector recheck per phrase match; the loose count
        # costs none. Exact while small, loose (≈ exact for real words) above.
        cap = min(cap, COUNT_CAP)
        phrase = q["loose"][1][0] != match_params[0]
        total, rows = self._count(cursor, src, *q["loose"], cap)
        if rows <= EXACT_COUNT_MAX and phrase:
            total, rows = self._count(cursor, src, match_sql, match_params, cap)
        capped = rows > cap
        if total == 0:
            return SearchPage([], set(), 0, False)
        if not capped and rows <= SMALL_MATCH:
            return self._small(cursor, q, sort, offset, limit, total)
        if sort == "time":
            ids = self._ordered(
                cursor, src, match_sql, match_params, offset, limit, rows, not phrase
            )
            return SearchPage(ids, set(), min(total, cap), capped)
        title_sql, title_params = q["title"]
        _plan(cursor, "bitmap")
        cursor.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM {src} WHERE {title_sql} LIMIT %s) s",
            [*title_params, cap + 1],
        )
        title_total = cursor.fetchone()[0]
        ids: list[int] = []
        if offset < title_total:
            ids = self._ordered(
                cursor, src, title_sql, title_params, offset, limit, title_total, True
            )
        title_ids = set(ids)
        if len(ids) < limit and title_total <= cap:
            rest_sql = (
                match_sql + " AND NOT EXISTS (SELECT 1 FROM govsearch_fts t WHERE "
                "t.doc_id = f.doc_id AND t.part = 0 AND t.title @@ %s::tsquery)"
            )
            ids += self._ordered(
                cursor,
                src,
                rest_sql,
                [*match_params, q["title_query"]],
                max(0, offset - title_total),
                limit - len(ids),
                max(rows - title_total, 1),
                not phrase,
            )
        return SearchPage(ids, title_ids, min(total, cap), capped)

    def _ordered(
        self, cursor, src, where_sql, params, offset, limit, matches, cheap_check=False
    ) -> list[int]:
        """A page, newest first, of the rows matching ``where_sql`` (about ``matches``).

        Walking the time index costs ~ (offset + limit) × rows / matches tsvector checks;
        listing the matches from GIN and sorting them costs ~ matches. The cheaper one is
        forced (a materialised CTE cannot be turned into an index walk)."""
        # Listing is cheap when a match needs no position recheck (a title, one lexeme).
        factor = LIST_CHEAP_FACTOR if cheap_check else 1
        walk = matches > COUNT_CAP or (
            matches * matches > factor * (offset + limit) * self._rows(cursor)
        )
        _plan(cursor, "walk" if walk else "bitmap")
        if walk:
            cursor.execute(
                f"SELECT DISTINCT ON (f.published_at, f.doc_id) f.doc_id FROM {src} "
                f"WHERE {where_sql} ORDER BY f.published_at DESC, f.doc_id DESC "
                "LIMIT %s OFFSET %s",
                [*params, limit, offset],
            )
        else:
            cursor.execute(
                f"WITH m AS MATERIALIZED (SELECT f.doc_id, f.published_at FROM {src} "
                f"WHERE {where_sql}) SELECT DISTINCT ON (published_at, doc_id) doc_id FROM m "
                "ORDER BY published_at DESC, doc_id DESC LIMIT %s OFFSET %s",
                [*params, limit, offset],
            )
        return [r[0] for r in cursor.fetchall()]

    _rows_cache: tuple[float, int] = (0.0, 0)

    def _rows(self, cursor) -> int:
        """Rows of the index table (the planner's estimate, refreshed every minute)."""
        checked, rows = self._rows_cache
        if time.monotonic() - checked > 60:
            cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = 'govsearch_fts'")
            row = cursor.fetchone()
            rows = max(int(row[0]) if row else 0, 1)
            self._rows_cache = (time.monotonic(), rows)
        return rows

    def _small(self, cursor, q, sort, offset, limit, total) -> SearchPage:
        match_sql, match_params = q["match"]
        order = "p DESC, doc_id DESC" if sort == "time" else "t DESC, p DESC, doc_id DESC"
        _plan(cursor, "bitmap")
        cursor.execute(
            f"WITH m AS MATERIALIZED (SELECT f.doc_id, f.published_at, "
            f"(f.part = 0 AND f.title @@ %s::tsquery) AS t FROM {q['from']} WHERE {match_sql}) "
            f"SELECT doc_id, bool_or(t) AS t, max(published_at) AS p FROM m GROUP BY doc_id "
            f"ORDER BY {order} LIMIT %s OFFSET %s",
            [q["title_query"], *match_params, limit, offset],
        )
        rows = cursor.fetchall()
        return SearchPage([r[0] for r in rows], {r[0] for r in rows if r[1]}, total, False)

    def matching_ids(self, parsed, filters) -> list[int]:
        q = self._parts(parsed, filters)
        if q is None:
            return []
        match_sql, match_params = q["match"]
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT DISTINCT f.doc_id FROM {q['from']} WHERE {match_sql}", match_params
            )
            return [r[0] for r in cursor.fetchall()]

    def facets(self, parsed, filters, *, limit) -> dict:
        q = self._parts(parsed, filters)
        if q is None:
            return {}
        match_sql, match_params = q["match"]
        out = {}
        with transaction.atomic(), connection.cursor() as cursor:
            _plan(cursor, "bitmap")
            for name, column in (("kind", "f.kind"), ("site", "f.site_id")):
                cursor.execute(
                    f"SELECT {column}, count(DISTINCT f.doc_id) AS n FROM {q['from']} "
                    f"WHERE {match_sql} GROUP BY {column} ORDER BY n DESC LIMIT %s",
                    [*match_params, limit],
                )
                out[name] = [(value, n) for value, n in cursor.fetchall()]
            _plan(cursor, None)
        return out
