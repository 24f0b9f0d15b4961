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
sorts them (rare words). When the whole match is small it is ranked in one pass.

Counting is what grows with the index: even "up to 2,000" first builds the GIN bitmap of
every match (~200 ms for a lexeme in 97 % of 1 M documents). So each search first
estimates its match from the lexeme statistics (:meth:`PostgresBackend._estimate`): a
huge match is not counted — "2000+", pages by walking, under a statement timeout that
falls back to counting when the estimate was wrong — and a small one is read at once,
its page, total and facets from one statement.

Filters: every vector also holds the document's filter tokens (``'#s12'`` site, ``'#knews'``
kind, ``'#c0001'`` channel and parents, ``'#o3'`` organisation — as the SQLite backend's
``tags`` column), ANDed into the tsquery, so GIN intersects a site's rows with the words
before a single row is read or rechecked: a small site's search costs what its own
matches cost, not the whole group's. Site, kind and time are also columns of the row (the
time walk uses the site/time index). The rows go with their document through delete and
truncate triggers (migration 0002); migration 0003 added the filter tokens to older rows.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from contextlib import contextmanager

from django.db import OperationalError, connection, transaction

from psycopg.errors import QueryCanceled

from ..analysis import ParsedQuery, phrase_tokens
from .base import Backend, Filters, IndexRow, SearchPage, filter_tags

#: Body tokens per row; the first part also holds the title.
CHUNK_TOKENS = 4000
CHUNK_OVERLAP = 16
MAX_POSITIONS = 255
#: Filter tokens start with a character no text token has (text tokens are [0-9a-z…] or
#: Chinese), so ``#s12`` never matches the word "s12".
TAG_PREFIX = "#"
#: Matches up to this many are ranked in one query (no tiers, no planner guessing).
SMALL_MATCH = 2000

#: Totals stop here ("2000+"): every counted match is a heap visit.
COUNT_CAP = 2000
#: How much cheaper listing is than walking when no position recheck is needed.
LIST_CHEAP_FACTOR = 30
#: A match estimated above this many rows is not counted at all: it is shown as "2000+"
#: and paged by walking the time index. Counting even to the cap first builds the GIN
#: bitmap of every match — ~200 ms for a lexeme in 97 % of 1 M documents.
SKIP_COUNT_ESTIMATE = 10 * COUNT_CAP
#: Within an uncounted match, the title tier is walked rather than counted above this
#: estimate: a title vector is read without detoasting, so walking to ten title matches at
#: 0.5 % costs less than a GIN bitmap of 5,000 titles.
TITLE_SKIP_ESTIMATE = 5000
#: … or above this share of the rows in scope (a big site's common word: walking that
#: site's rows newest first finds ten matches within a few hundred rows).
SKIP_COUNT_SHARE = 0.05
#: The uncounted path gives up after this long per statement (the estimate was wrong: the
#: walk found too few matches) and the search is answered the counted way.
WALK_TIMEOUT_MS = 250

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


@contextmanager
def _planned(name: str | None = None):
    """A cursor inside a transaction whose planner settings (:data:`_PLANS`) are put back
    on the way out (an error rolls them back with the transaction)."""
    with transaction.atomic(), connection.cursor() as cursor:
        if name:
            _plan(cursor, name)
        yield cursor
        _plan(cursor, None)


#: Filters also checked on the row's own columns (they let the time walk use the
#: site/time index); channel and organisation are only filter tokens.
COLUMNS = {"site": "f.site_id", "kind": "f.kind", "published_at": "f.published_at"}


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
    """(part, title tsvector, text tsvector) for one document. Every vector also holds the
    document's filter tokens (``'#s12'``, ``'#knews'`` … without positions) so that GIN
    intersects a site's or kind's rows with the words before any row is read."""
    title, body = row.title_tokens, row.body_tokens
    tags = " ".join(_lexeme(TAG_PREFIX + t) for t in filter_tags(row))
    title_tsv = (tsvector_literal(title) + " " + tags).strip()
    first = tsvector_literal(title) + " " + tsvector_literal(body[:CHUNK_TOKENS], len(title) + 2)
    out = [(0, title_tsv, (first.strip() + " " + tags).strip())]
    start, part = CHUNK_TOKENS, 1
    while start < len(body):
        chunk = body[start - CHUNK_OVERLAP : start + CHUNK_TOKENS]
        out.append((part, None, (tsvector_literal(chunk) + " " + tags).strip()))
        start += CHUNK_TOKENS
        part += 1
    return out


def tag_query(filters: Filters) -> str | None:
    """The filters as a tsquery of filter tokens (one of each group), or None."""
    groups = filters.tag_groups()
    if not groups:
        return None
    return " & ".join(
        "(" + " | ".join(_lexeme(TAG_PREFIX + t) for t in group) + ")" for group in groups
    )


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
        self._stats_cache = (0.0, {})

    def analyze(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE govsearch_fts")
        # Estimates from the statistics just taken, not from the ones cached before.
        self._stats_cache = (0.0, {})

    def _parts(self, parsed: ParsedQuery, filters: Filters):
        queries = tsqueries(parsed)
        if queries is None:
            return None
        full, title, loose = queries
        tags = tag_query(filters)
        if tags:
            full, title, loose = (f"{tags} & ({x})" for x in (full, title, loose))
        source = "govsearch_fts f"
        where, params = filters.on_columns().where(COLUMNS)
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
            "phrase": loose != full,
        }

    def search(self, parsed, filters, *, sort, offset, limit, cap) -> SearchPage:
        q = self._parts(parsed, filters)
        if q is None:
            return SearchPage([], set(), 0, False)
        with _planned() as cursor:
            page = None
            estimate = self._estimate(cursor, parsed, filters)
            scope = self._estimate(cursor, None, filters)
            big = estimate > SKIP_COUNT_ESTIMATE or (
                estimate > 2 * COUNT_CAP and estimate > SKIP_COUNT_SHARE * scope
            )
            if cap >= COUNT_CAP and big:
                page = self._uncounted(cursor, q, parsed, filters, sort, offset, limit, cap)
            elif estimate < SMALL_MATCH / 2 and cap >= SMALL_MATCH:
                # Probably small (a small site, a rare word): read it at once.
                page = self._small(cursor, q, sort, offset, limit, at_most=SMALL_MATCH)
            if page is None:
                page = self._search(cursor, q, sort, offset, limit, cap)
        return page

    def _uncounted(self, cursor, q, parsed, filters, sort, offset, limit, cap):
        """The page of a huge match without counting it, each statement limited to
        :data:`WALK_TIMEOUT_MS`; None when that was too slow."""
        cursor.execute("SELECT current_setting('statement_timeout')")
        before = cursor.fetchone()[0]
        try:
            with transaction.atomic():
                cursor.execute(
                    "SELECT set_config('statement_timeout', %s, true)", [f"{WALK_TIMEOUT_MS}ms"]
                )
                title_big = self._estimate(cursor, parsed, filters, "title") > TITLE_SKIP_ESTIMATE
                page = self._search(
                    cursor, q, sort, offset, limit, cap, counted=False, title_counted=not title_big
                )
                cursor.execute("SELECT set_config('statement_timeout', %s, true)", [before])
        except OperationalError as exc:
            if not isinstance(exc.__cause__, QueryCanceled):
                raise
            return None
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

    def _search(
        self, cursor, q, sort, offset, limit, cap, *, counted=True, title_counted=True
    ) -> SearchPage:
        src = q["from"]
        match_sql, match_params = q["match"]
        # Counting exactly costs a tsvector recheck per phrase match; the loose count
        # costs none. Exact while small, loose (≈ exact for real words) above.
        cap = min(cap, COUNT_CAP)
        phrase = q["phrase"]
        if not counted:
            total, rows = cap, cap + 1
        else:
            total, rows = self._count(cursor, src, *q["loose"], cap)
        capped = rows > cap
        if total == 0:
            return SearchPage([], set(), 0, False)
        if not capped and rows <= SMALL_MATCH:
            # Few enough to read them all: the exact matches, their count and facets in
            # one statement.
            return self._small(cursor, q, sort, offset, limit)
        if sort == "time":
            ids = self._ordered(
                cursor, src, match_sql, match_params, offset, limit, rows, not phrase
            )
            return SearchPage(ids, set(), min(total, cap), capped)
        title_sql, title_params = q["title"]
        ids: list[int] = []
        title_total = None
        if not title_counted:
            # Not counted: walk the title matches; a short page means they ended there.
            ids = self._ordered(cursor, src, title_sql, title_params, offset, limit, cap + 1)
            if len(ids) == limit:
                title_total = cap + 1
            elif ids:
                title_total = offset + len(ids)
        if title_total is None:
            _plan(cursor, "bitmap")
            cursor.execute(
                f"SELECT count(*) FROM (SELECT 1 FROM {src} WHERE {title_sql} LIMIT %s) s",
                [*title_params, cap + 1],
            )
            title_total = cursor.fetchone()[0]
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

    _stats_cache: tuple[float, dict] = (0.0, {})

    def _frequencies(self, cursor) -> dict[str, dict[str, float]]:
        """{"tsv": {lexeme: share of rows}, "title": …}: the most common lexemes ANALYZE
        found (``pg_stats.most_common_elems``), refreshed every minute."""
        checked, freqs = self._stats_cache
        if time.monotonic() - checked > 60:
            cursor.execute(
                "SELECT attname, most_common_elems::text::text[], most_common_elem_freqs "
                "FROM pg_stats WHERE tablename = 'govsearch_fts' AND attname IN ('tsv', 'title')"
            )
            freqs = {
                name: dict(zip(elems or [], values or [], strict=False))
                for name, elems, values in cursor.fetchall()
            }
            self._stats_cache = (time.monotonic(), freqs)
        return freqs

    def _estimate(
        self, cursor, parsed: ParsedQuery | None, filters: Filters, column="tsv"
    ) -> float:
        """Rows of ``column`` matching, estimated from the lexeme statistics without reading
        anything: a word is as frequent as its rarest bigram (the bigrams of one word go
        together — the planner's independence assumption undercounts 营商环境 a hundredfold),
        synonyms add up, and separate words and filters multiply. A lexeme outside the
        statistics counts as rare, so the estimate errs towards counting. Without
        ``parsed``: the rows the filters alone select."""
        freqs = self._frequencies(cursor).get(column) or {}
        if not freqs:
            return 0.0

        def word(w: str) -> float:
            pt = phrase_tokens(w)
            if pt is None or pt.prefix_last:
                return 0.0
            return min(freqs.get(t, 0.0) for t in pt.tokens)

        share = 1.0
        for group in parsed.groups if parsed else []:
            share *= min(1.0, sum(word(w) for w in group))
        for group in filters.tag_groups():
            share *= min(1.0, sum(freqs.get(TAG_PREFIX + t, 0.0) for t in group))
        return share * self._rows(cursor)

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

    def _small(self, cursor, q, sort, offset, limit, at_most=None) -> SearchPage | None:
        """Every exact match (rechecked) read once: the page, the total and the facets.
        With ``at_most``: None if more index rows than that match (read no further)."""
        match_sql, match_params = q["match"]
        _plan(cursor, "bitmap")
        cut = "" if at_most is None else f" LIMIT {int(at_most) + 1}"
        # Ordered here, not in Python: no timestamps cross the wire (psycopg/Django take
        # ~23 µs to load each one: 50 ms of a 2,000-match search).
        order = "max(published_at) DESC, doc_id DESC"
        if sort != "time":
            order = "bool_or(t) DESC, " + order
        cursor.execute(
            f"WITH m AS MATERIALIZED (SELECT f.doc_id, f.published_at, f.kind, f.site_id, "
            f"(f.part = 0 AND f.title @@ %s::tsquery) AS t FROM {q['from']} WHERE {match_sql}"
            f"{cut}) SELECT doc_id, bool_or(t), min(kind), min(site_id), "
            f"(SELECT count(*) FROM m) FROM m GROUP BY doc_id ORDER BY {order}",
            [q["title_query"], *match_params],
        )
        rows = cursor.fetchall()
        if at_most is not None and rows and rows[0][4] > at_most:
            return None
        page = rows[offset : offset + limit]
        facets = {
            "kind": Counter(r[2] for r in rows).most_common(),
            "site": Counter(r[3] for r in rows).most_common(),
        }
        return SearchPage(
            [r[0] for r in page], {r[0] for r in page if r[1]}, len(rows), False, facets
        )

    def exists(self, parsed, filters) -> bool:
        q = self._parts(parsed, filters)
        if q is None:
            return False
        match_sql, match_params = q["match"]
        with _planned("bitmap") as cursor:
            cursor.execute(f"SELECT 1 FROM {q['from']} WHERE {match_sql} LIMIT 1", match_params)
            return cursor.fetchone() is not None

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
        with _planned("bitmap") as cursor:
            for name, column in (("kind", "f.kind"), ("site", "f.site_id")):
                cursor.execute(
                    f"SELECT {column}, count(DISTINCT f.doc_id) AS n FROM {q['from']} "
                    f"WHERE {match_sql} GROUP BY {column} ORDER BY n DESC LIMIT %s",
                    [*match_params, limit],
                )
                out[name] = [(value, n) for value, n in cursor.fetchall()]
        return out
