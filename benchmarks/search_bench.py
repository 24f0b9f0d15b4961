"""Chinese search at site-group scale: build time, latency and recall (站内搜索基准).

Builds a throw-away search index of generated government text (``search_corpus.py``:
titles 15–30 characters, bodies 300–800, a Zipf-like vocabulary of government terms)
spread unevenly over ``--sites`` sites, through the search app's own fast path
(``indexing.bulk_load``: ``SearchDocument`` rows and the backend's full-text rows; no
Wagtail pages — the documents carry a site id only, the sites are bare ``Site`` rows),
then measures with ``query.search``:

* build: documents per second of ``bulk_load`` (the generated text is held in memory, so
  its generation, timed apart, is not counted), ``rebuild_terms`` (the word list for pinyin input and "did you mean"),
  planner statistics, and the index size on disk;
* latency: p50/p95/max of the first result page per query class (2-, 3- and 4-character
  words, phrases, several words, pinyin, traditional characters, no result, filters),
  group-wide (站群) and filtered to one big and one small site, sorted by relevance and by
  time; ``--repeat`` runs of each query after one warm-up run (its time is "first");
* recall: for every query, the documents a brute-force substring scan of the generated
  text finds (all the query's words in the title or body) against every document the
  search returns (``query.matching_ids``, the unpaged match of ``query.search``, or the
  backend's ``matching_ids`` fed with ``analysis.parse_query`` — the column "via" says
  which; paging through ``query.search`` where neither exists and that is affordable), plus
  precision (returned documents that do contain the words) and the ``total`` the results
  page shows.

The database is a SQLite file (under /tmp, kept with ``--keep``) or a PostgreSQL database
(``--backend postgres``; default ``postgres://postgres@127.0.0.1:5432/govportal_bench_search``,
created here and dropped at the end unless ``--keep``). Settings are
``govportal.settings.test``; only the search app and what it depends on are migrated.

    nice -n 10 .venv/bin/python benchmarks/search_bench.py --backend sqlite --docs 100000
    nice -n 10 .venv/bin/python benchmarks/search_bench.py --backend postgres \
        --docs 1000000 --json /tmp/search-bench-pg.json

Exit status 1 when recall is below 100 % for any query or a query class misses the
latency target (p95 < 100 ms).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from array import array
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from search_corpus import QUERIES, Query, Text, brute_force, generate  # noqa: E402

TARGET_P95_MS = 100.0
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/govportal_bench_search"
FORBIDDEN_DB_NAMES = {"govportal", "test_govportal", "postgres", "template0", "template1"}
KEEP_DIR = Path(tempfile.gettempdir()) / "govportal-search-bench"
SEED = 20261121
# Paging through ``query.search`` for recall only up to this many expected matches.
PAGE_THROUGH_LIMIT = 3000
# A query whose warm-up run takes longer than this is timed once more, not ``--repeat``.
SLOW_MS = 1000.0


# -- corpus pass: generation timing and the brute-force answer ----------------------------


@dataclass
class Corpus:
    docs: int
    sites: int
    seed: int
    expected: dict[str, list[int]]  # query text -> document indexes (ascending)
    site_of: array  # document index -> site number (0 = the biggest site)
    generate_seconds: float
    scan_seconds: float
    title_chars: float
    body_chars: float
    texts: list[Text] = field(default_factory=list)  # held for the build, then dropped


def scan_corpus(
    docs: int, sites: int, seed: int, queries: list[Query], log, *, hold: bool
) -> Corpus:
    """Generate the corpus once (timed) and brute-force every query over it; ``hold``
    keeps the texts in memory for the build (about 1.5 GB per million documents), so the
    build time is the indexer's alone."""
    site_of = array("H")
    gen_seconds = 0.0
    titles = bodies = 0
    batch: list[Text] = []
    expected: dict[str, list[int]] = {query.q: [] for query in queries}
    scan_seconds = 0.0
    held: list[Text] = []
    stream = generate(docs, sites, seed)
    while True:
        started = time.perf_counter()
        batch = [text for _, text in zip(range(20_000), stream, strict=False)]
        gen_seconds += time.perf_counter() - started
        if not batch:
            break
        if hold:
            held.extend(batch)
        for text in batch:
            site_of.append(text.site)
            titles += len(text.title)
            bodies += len(text.body)
        started = time.perf_counter()
        for q, hits in brute_force(batch, queries).items():
            expected[q].extend(hits)
        scan_seconds += time.perf_counter() - started
        if len(site_of) % 200_000 == 0:
            log(f"  corpus: {len(site_of):,} documents generated and scanned")
    return Corpus(
        docs=docs,
        sites=sites,
        seed=seed,
        expected=expected,
        site_of=site_of,
        generate_seconds=gen_seconds,
        scan_seconds=scan_seconds,
        title_chars=round(titles / max(docs, 1), 1),
        body_chars=round(bodies / max(docs, 1), 1),
        texts=held,
    )


# -- database -------------------------------------------------------------------------------


def _pg_admin(url: str):
    import psycopg

    return psycopg.connect(urlunsplit(urlsplit(url)._replace(path="/postgres")), autocommit=True)


def marker_data(args) -> dict:
    """What a kept index was built from: sizes, seed and a fingerprint of the generator's
    output (so a changed ``search_corpus.py`` never reuses a stale index)."""
    sample = "".join(f"{t.site}{t.title}{t.body}" for t in generate(50, args.sites, args.seed))
    return {
        "backend": args.backend,
        "docs": args.docs,
        "sites": args.sites,
        "seed": args.seed,
        "corpus": hashlib.sha256(sample.encode()).hexdigest()[:16],
    }


def prepare_database(args) -> tuple[str, Path, bool, Path]:
    """(DATABASE_URL, var dir, reuse, marker file) for this run."""
    sizes = marker_data(args)
    if args.backend == "sqlite":
        var = KEEP_DIR if args.keep else Path(tempfile.mkdtemp(prefix="govportal-search-bench-"))
        var.mkdir(parents=True, exist_ok=True)
        db = var / f"search-{args.docs}-{args.sites}-{args.seed}.sqlite3"
        marker = db.with_suffix(".json")
        reuse = bool(args.keep) and db.exists() and marker.exists()
        reuse = reuse and json.loads(marker.read_text()) == sizes
        if not reuse:
            for path in (db, Path(f"{db}-wal"), Path(f"{db}-shm"), marker):
                path.unlink(missing_ok=True)
        return f"sqlite:///{db}", var, reuse, marker
    url = args.database_url or DEFAULT_PG_URL
    if not url.startswith(("postgres", "postgis")):
        raise SystemExit("--database-url must be a PostgreSQL URL with --backend postgres")
    name = urlsplit(url).path.lstrip("/") or "govportal_bench_search"
    if name in FORBIDDEN_DB_NAMES:
        raise SystemExit(f"refusing to use database {name!r}: pick a benchmark database name")
    url = urlunsplit(urlsplit(url)._replace(path=f"/{name}"))
    KEEP_DIR.mkdir(parents=True, exist_ok=True)
    marker = KEEP_DIR / f"postgres-{name}.json"
    var = Path(tempfile.mkdtemp(prefix="govportal-search-bench-"))
    with _pg_admin(url) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        reuse = bool(args.keep) and bool(exists) and marker.exists()
        reuse = reuse and json.loads(marker.read_text()) == sizes
        if not reuse:
            marker.unlink(missing_ok=True)
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
    return url, var, reuse, marker


def drop_database(url: str) -> None:
    from django.db import connections

    connections.close_all()
    name = urlsplit(url).path.lstrip("/")
    with _pg_admin(url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


def create_sites(count: int) -> list[int]:
    """``count`` bare Site rows (all rooted at the default home page); their ids in order."""
    from wagtail.models import Page, Site

    root = Page.objects.filter(depth=2).order_by("pk").first() or Page.objects.get(depth=1)
    Site.objects.filter(hostname__endswith=".bench.test").delete()
    Site.objects.bulk_create(
        Site(
            hostname=f"s{n:03d}.bench.test",
            port=80,
            site_name=f"基准站点{n:03d}",
            root_page=root,
            is_default_site=False,
        )
        for n in range(count)
    )
    return site_ids(count)


def site_ids(count: int) -> list[int]:
    from wagtail.models import Site

    by_host = dict(
        Site.objects.filter(hostname__endswith=".bench.test").values_list("hostname", "pk")
    )
    return [by_host[f"s{n:03d}.bench.test"] for n in range(count)]


def documents(texts, site_pk: list[int]):
    """The corpus as the search app's ``Doc`` objects."""
    from govportal.search.registry import Doc

    for text in texts:
        yield Doc(
            key=f"bench:{text.index}",
            kind=text.kind,
            title=text.title,
            body=text.body,
            url=f"/bench/{text.index}/",
            published_at=text.published_at,
            site_id=site_pk[text.site],
        )


def index_size(vendor: str, db_url: str) -> dict[str, int]:
    """Bytes on disk: the whole database and its biggest tables (with their indexes)."""
    from django.db import connection

    sizes: dict[str, int] = {}
    with connection.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute("SELECT pg_database_size(current_database())")
            sizes["database"] = cursor.fetchone()[0]
            cursor.execute(
                "SELECT c.relname, pg_total_relation_size(c.oid) FROM pg_class c "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'm') "
                "ORDER BY 2 DESC LIMIT 6"
            )
            sizes.update({f"table {name}": size for name, size in cursor.fetchall()})
        else:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            path = Path(urlsplit(db_url).path)
            sizes["database"] = path.stat().st_size
            try:
                cursor.execute(
                    "SELECT name, SUM(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC LIMIT 8"
                )
                sizes.update({f"table {name}": size for name, size in cursor.fetchall()})
            except Exception as exc:  # noqa: BLE001 — dbstat is optional in SQLite builds
                sizes["(no per-table sizes: dbstat missing)"] = 0
                print(f"dbstat: {exc}")
    return sizes


# -- measuring ----------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (``share`` in 0..1) of ``values``."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, -(-int(share * len(ordered) * 1000) // 1000))
    return ordered[min(len(ordered), rank) - 1]


@dataclass
class Timing:
    klass: str
    scope: str
    sort: str
    runs: list[float] = field(default_factory=list)  # ms, after the warm-up
    first: list[float] = field(default_factory=list)  # ms, the warm-up run of each query
    sql: list[int] = field(default_factory=list)  # SQL statements per search
    cpu: list[float] = field(default_factory=list)  # ms of this process's CPU, timed runs

    def summary(self) -> dict:
        every = self.runs + self.first
        return {
            "class": self.klass,
            "scope": self.scope,
            "sort": self.sort,
            "searches": len(every),
            "p50_ms": round(percentile(self.runs, 0.50), 2),
            "p95_ms": round(percentile(self.runs, 0.95), 2),
            "max_ms": round(max(every), 2) if every else None,
            "first_max_ms": round(max(self.first), 2) if self.first else None,
            "sql_per_search": round(sum(self.sql) / len(self.sql), 1) if self.sql else None,
            "cpu_p50_ms": round(percentile(self.cpu, 0.50), 2),
            "cpu_p95_ms": round(percentile(self.cpu, 0.95), 2),
        }


def scopes(corpus: Corpus, site_pk: list[int]) -> list[tuple[str, list[int] | None, int]]:
    """(label, site_ids, site number) — group-wide, the biggest site, a median site."""
    counts = defaultdict(int)
    for site in corpus.site_of:
        counts[site] += 1
    ordered = sorted(range(corpus.sites), key=lambda s: (-counts[s], s))
    median = ordered[len(ordered) // 2]
    return [
        ("站群", None, -1),
        (f"大站({counts[ordered[0]]:,}篇)", [site_pk[ordered[0]]], ordered[0]),
        (f"中位站({counts[median]:,}篇)", [site_pk[median]], median),
    ]


def extra_requests() -> list[tuple[str, str, dict]]:
    """Filters and deep pages: (class, query, SearchRequest overrides)."""
    return [
        ("过滤", "政务公开", {"kinds": ["policy"]}),
        ("过滤", "营商环境", {"date_from": date(2020, 1, 1), "date_to": date(2020, 12, 31)}),
        ("过滤", "防汛", {"kinds": ["letter"], "date_from": date(2024, 1, 1)}),
        ("深翻页", "政务公开", {"page": 50}),
        ("深翻页", "信息", {"page": 200}),
    ]


def measure_latency(corpus, queries, site_pk, repeat: int, log) -> tuple[list[Timing], list]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from govportal.search.query import SearchRequest, search

    plan = [(query.klass, query.q, {}) for query in queries] + extra_requests()
    timings: dict[tuple[str, str, str], Timing] = {}
    slowest: list[tuple[float, str, str, str, str]] = []
    for scope_label, ids, _site in scopes(corpus, site_pk):
        for sort in ("relevance", "time"):
            for klass, q, overrides in plan:
                key = (klass, scope_label, sort)
                timing = timings.setdefault(key, Timing(klass, scope_label, sort))
                req = SearchRequest(q=q, site_ids=ids, kinds=[], sort=sort)
                for name, value in overrides.items():
                    setattr(req, name, value)
                runs = repeat
                run = 0
                while run <= runs:
                    started, cpu_started = time.perf_counter(), time.thread_time()
                    search(req)
                    ms = (time.perf_counter() - started) * 1000
                    (timing.first if run == 0 else timing.runs).append(ms)
                    if run:
                        timing.cpu.append((time.thread_time() - cpu_started) * 1000)
                    elif ms > SLOW_MS:
                        runs = min(runs, 1)  # a search of seconds: one timed run is enough
                    slowest.append((ms, klass, q, scope_label, sort))
                    run += 1
                with CaptureQueriesContext(connection) as captured:
                    search(req)
                timing.sql.append(len(captured.captured_queries))
        log(f"  latency: {scope_label} done")
    slowest.sort(reverse=True)
    return list(timings.values()), slowest[:10]


def slow_sql(q: str, ids, sort: str) -> list[tuple[float, str]]:
    """The statements of one search with their times (for the findings)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from govportal.search.query import SearchRequest, search

    with CaptureQueriesContext(connection) as captured:
        search(SearchRequest(q=q, site_ids=ids, kinds=[], sort=sort))
    return sorted(
        ((float(item["time"]) * 1000, item["sql"]) for item in captured.captured_queries),
        reverse=True,
    )


def key_index_map() -> dict[int, int]:
    """SearchDocument id -> corpus index (key ``bench:<index>``)."""
    from govportal.search.models import SearchDocument

    rows = SearchDocument.objects.filter(key__startswith="bench:").values_list("pk", "key")
    return {pk: int(key[6:]) for pk, key in rows.iterator(chunk_size=20_000)}


def returned_indexes(q: str, ids, expected_count: int, id_to_index) -> tuple[set[int] | None, str]:
    """Every corpus index the search returns for ``q`` and how they were obtained."""
    from govportal.search import query as query_module

    req = query_module.SearchRequest(q=q, site_ids=ids, kinds=[], sort="time")
    matching = getattr(query_module, "matching_ids", None)
    if matching is not None:
        return {id_to_index.get(pk, -1) for pk in matching(req)}, "query.matching_ids"
    try:
        from govportal.search.analysis import parse_query
        from govportal.search.backends import Filters, get_backend

        backend = get_backend()
        ids_found = backend.matching_ids(parse_query(q), Filters(site_ids=ids))
    except (ImportError, NotImplementedError):
        pass
    else:
        return {id_to_index.get(pk, -1) for pk in ids_found}, "backend.matching_ids"
    if expected_count > PAGE_THROUGH_LIMIT:
        return None, "skipped (no matching_ids, too many to page)"
    found: set[int] = set()
    req.per_page = 100
    page = 1
    while True:
        req.page = page
        response = query_module.search(req)
        for hit in response.hits:
            found.add(id_to_index.get(hit.document.pk, -1))
        if page >= response.pages or not response.hits:
            break
        page += 1
    return found, "paged search"


@dataclass
class Recall:
    klass: str
    q: str
    scope: str
    expected: int
    returned: int | None
    found: int | None
    recall: float | None
    precision: float | None
    shown_total: int | None
    total_capped: bool | None
    converted: str | None
    method: str
    missed_sample: list[int] = field(default_factory=list)


def measure_recall(corpus, queries, site_pk, log) -> list[Recall]:
    from govportal.search.query import SearchRequest, search

    id_to_index = key_index_map()
    big_label, big_ids, big_site = scopes(corpus, site_pk)[1]
    results = []
    for query in queries:
        everything = corpus.expected[query.q]
        for scope_label, ids, site in (("站群", None, -1), (big_label, big_ids, big_site)):
            if site >= 0:
                want = {i for i in everything if corpus.site_of[i] == site}
            else:
                want = set(everything)
            got, method = returned_indexes(query.q, ids, len(want), id_to_index)
            response = search(SearchRequest(q=query.q, site_ids=ids, kinds=[], sort="relevance"))
            parsed = response.parsed
            converted = getattr(parsed, "converted_from_pinyin", None)
            if got is None:
                results.append(
                    Recall(query.klass, query.q, scope_label, len(want), None, None, None,
                           None, response.total, response.total_capped, converted, method)
                )  # fmt: skip
                continue
            hit = want & got
            results.append(
                Recall(
                    klass=query.klass,
                    q=query.q,
                    scope=scope_label,
                    expected=len(want),
                    returned=len(got),
                    found=len(hit),
                    recall=len(hit) / len(want) if want else None,
                    precision=len(hit) / len(got) if got else None,
                    shown_total=response.total,
                    total_capped=response.total_capped,
                    converted=converted,
                    method=method,
                    missed_sample=sorted(want - got)[:5],
                )
            )
        log(f"  recall: {query.q} done")
    return results


# -- report -----------------------------------------------------------------------------------------


def fmt_ms(value) -> str:
    return "—" if value is None else f"{value:.1f}"


def fmt_share(value) -> str:
    return "—" if value is None else f"{value:.2%}"


def report(result: dict) -> bool:
    env, build = result["environment"], result["build"]
    print()
    print("environment: " + ", ".join(f"{k} {v}" for k, v in env.items()))
    print("build: " + ", ".join(f"{k} {v}" for k, v in build.items()))
    print("size on disk: " + ", ".join(f"{k} {v / 1e6:,.1f} MB" for k, v in result["size"].items()))
    print()
    print(f"latency, first page of 10 (ms; target p95 < {TARGET_P95_MS:.0f})")
    header = f"{'class':<8}{'scope':<18}{'sort':<10}{'n':>5}{'p50':>9}{'p95':>9}{'max':>9}"
    print(header + f"{'first':>9}{'SQL':>6}{'cpu50':>8}{'cpu95':>8}")
    ok = True
    for row in result["latency"]:
        flag = ""
        if row["p95_ms"] is not None and row["p95_ms"] >= TARGET_P95_MS:
            flag, ok = "  MISS", False
        print(
            f"{row['class']:<8}{row['scope']:<18}{row['sort']:<10}{row['searches']:>5}"
            f"{fmt_ms(row['p50_ms']):>9}{fmt_ms(row['p95_ms']):>9}{fmt_ms(row['max_ms']):>9}"
            f"{fmt_ms(row['first_max_ms']):>9}{row['sql_per_search'] or '':>6}"
            f"{fmt_ms(row['cpu_p50_ms']):>8}{fmt_ms(row['cpu_p95_ms']):>8}{flag}"
        )
    overall = result["latency_overall"]
    print(
        f"all searches: n {overall['searches']}, p50 {overall['p50_ms']:.1f} ms, "
        f"p95 {overall['p95_ms']:.1f} ms, max {overall['max_ms']:.1f} ms"
    )
    print("slowest searches: " + "; ".join(
        f"{ms:.0f} ms {q} ({klass}, {scope}, {sort})"
        for ms, klass, q, scope, sort in result["slowest"][:5]
    ))  # fmt: skip
    print()
    print("recall against a brute-force substring scan")
    print(
        f"{'class':<8}{'query':<26}{'scope':<18}{'expected':>10}{'returned':>10}"
        f"{'recall':>9}{'precision':>11}{'shown':>9}  via"
    )
    for row in result["recall"]:
        if row["recall"] is not None and row["recall"] < 1.0:
            ok = False
        if row["expected"] == 0 and row["returned"]:
            ok = False
        shown = f"{row['shown_total']:,}" + ("+" if row["total_capped"] else "")
        conv = f" → {row['converted']}" if row["converted"] else ""
        returned = "—" if row["returned"] is None else f"{row['returned']:,}"
        missed = f"  missed e.g. {row['missed_sample']}" if row["missed_sample"] else ""
        print(
            f"{row['klass']:<8}{(row['q'] + conv)[:24]:<26}{row['scope']:<18}"
            f"{row['expected']:>10,}{returned:>10}{fmt_share(row['recall']):>9}"
            f"{fmt_share(row['precision']):>11}{shown:>9}  {row['method']}{missed}"
        )
    measured = [r for r in result["recall"] if r["recall"] is not None]
    expected = sum(r["expected"] for r in measured)
    found = sum(r["found"] for r in measured)
    print(
        f"overall recall: {found:,} of {expected:,} expected hits "
        f"({fmt_share(found / expected if expected else None)}) over {len(measured)} "
        f"query/scope pairs"
    )
    print("VERDICT: " + ("targets met" if ok else "targets MISSED"))
    return ok


def markdown(result: dict) -> str:
    """The figures as Markdown tables (for docs/search-benchmark.md)."""
    env, build = result["environment"], result["build"]
    lines = [
        "Environment: " + ", ".join(f"{k} {v}" for k, v in env.items()) + ".",
        "",
        "Build: " + ", ".join(f"{k} {v}" for k, v in build.items()) + ".",
        "",
        "Size on disk: "
        + ", ".join(f"{k} {v / 1e6:,.0f} MB" for k, v in list(result["size"].items())[:4])
        + ".",
        "",
        "| class | scope | relevance p50 / p95 / max ms | time p50 / p95 / max ms "
        "| CPU p95 ms (rel. / time) |",
        "|---|---|---|---|---|",
    ]
    rows: dict[tuple[str, str], dict[str, dict]] = {}
    for row in result["latency"]:
        rows.setdefault((row["class"], row["scope"]), {})[row["sort"]] = row
    for (klass, scope), by_sort in rows.items():
        rel, tim = by_sort.get("relevance", {}), by_sort.get("time", {})

        def cell(row):
            if not row:
                return "—"
            return f"{row['p50_ms']:.0f} / {row['p95_ms']:.0f} / {row['max_ms']:.0f}"

        cpu = f"{rel.get('cpu_p95_ms', 0):.0f} / {tim.get('cpu_p95_ms', 0):.0f}"
        lines.append(f"| {klass} | {scope} | {cell(rel)} | {cell(tim)} | {cpu} |")
    overall = result["latency_overall"]
    lines += [
        "",
        f"All {overall['searches']} timed searches: p50 {overall['p50_ms']:.0f} ms, "
        f"p95 {overall['p95_ms']:.0f} ms, max {overall['max_ms']:.0f} ms.",
        "",
        "| class | query | scope | expected | returned | recall | precision | shown |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in result["recall"]:
        conv = f" → {row['converted']}" if row["converted"] else ""
        returned = "—" if row["returned"] is None else f"{row['returned']:,}"
        shown = f"{row['shown_total']:,}" + ("+" if row["total_capped"] else "")
        lines.append(
            f"| {row['klass']} | {row['q']}{conv} | {row['scope']} | {row['expected']:,} "
            f"| {returned} | {fmt_share(row['recall'])} | {fmt_share(row['precision'])} "
            f"| {shown} |"
        )
    return "\n".join(lines) + "\n"


# -- main ---------------------------------------------------------------------------------------------


def machine() -> dict[str, str]:
    """The CPU model and memory: figures from different machines are not comparable."""
    out = {}
    try:
        cpu = Path("/proc/cpuinfo").read_text()
        out["cpu"] = next(
            line.split(":", 1)[1].strip()
            for line in cpu.splitlines()
            if line.startswith("model name")
        )
        mem = Path("/proc/meminfo").read_text().split()
        out["memory GB"] = round(int(mem[mem.index("MemTotal:") + 1]) / 1024 / 1024, 1)
    except (OSError, StopIteration, ValueError):
        pass  # not Linux: the report just omits them
    return out


def read_queries(path: str | None) -> list[Query]:
    """The built-in set, or a file: ``class<TAB>query[<TAB>word word…]`` per line."""
    if not path:
        return list(QUERIES)
    queries = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        klass, q = parts[0], parts[1]
        must = tuple(parts[2].split()) if len(parts) > 2 else tuple(q.split())
        queries.append(Query(klass, q, must))
    return queries


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--sites", type=int, default=300)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--database-url", default="", help=f"PostgreSQL; default {DEFAULT_PG_URL}")
    parser.add_argument(
        "--queries", help="file of queries, one per line: class<TAB>query[<TAB>words]"
    )
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per query and scope")
    parser.add_argument("--keep", action="store_true", help="keep (and reuse) the built index")
    parser.add_argument("--json", metavar="OUT", help="write every figure to this JSON file")
    parser.add_argument("--no-recall", action="store_true")
    parser.add_argument("--markdown", metavar="OUT", help="write the tables as Markdown")
    parser.add_argument(
        "--from-json", metavar="IN", help="only print the report (and --markdown) of a saved run"
    )
    args = parser.parse_args()

    def log(message: str) -> None:
        print(message, flush=True)

    if args.from_json:
        result = json.loads(Path(args.from_json).read_text())
        ok = report(result)
        if args.markdown:
            Path(args.markdown).write_text(markdown(result))
        return 0 if ok else 1
    queries = read_queries(args.queries)
    url, var, reuse, marker = prepare_database(args)
    os.environ.update(
        DATABASE_URL=url,
        GOVPORTAL_VAR_DIR=str(var),
        DJANGO_SETTINGS_MODULE="govportal.settings.test",
    )
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from govportal.search import indexing

    vendor = connection.vendor
    log(f"database: {vendor} ({url.split('@')[-1]}){' — reusing the kept index' if reuse else ''}")
    result: dict = {}
    try:
        log(f"corpus: {args.docs:,} documents over {args.sites} sites (seed {args.seed}) …")
        corpus = scan_corpus(args.docs, args.sites, args.seed, queries, log, hold=not reuse)
        log(
            f"  generated in {corpus.generate_seconds:.1f} s, brute force over "
            f"{len(queries)} queries in {corpus.scan_seconds:.1f} s"
        )
        build: dict = {}
        started = time.perf_counter()
        call_command("migrate", "govsearch", verbosity=0)
        build["migrate s"] = round(time.perf_counter() - started, 1)
        if reuse:
            site_pk = site_ids(args.sites)
        else:
            site_pk = create_sites(args.sites)
            log("building the index (bulk_load) …")
            started = time.perf_counter()
            loaded = indexing.bulk_load(
                documents(corpus.texts, site_pk),
                progress=lambda n: n % 100_000 == 0 and log(f"  {n:,} loaded"),
            )
            seconds = time.perf_counter() - started
            corpus.texts = []
            build["text generation s (not in bulk_load)"] = round(corpus.generate_seconds, 1)
            build["bulk_load s"] = round(seconds, 1)
            build["docs/s"] = f"{args.docs / max(seconds, 1e-9):,.0f}"
            build["loaded"] = loaded
            log(f"  bulk_load: {seconds:.1f} s")
            started = time.perf_counter()
            terms = indexing.rebuild_terms()
            build["rebuild_terms s"] = round(time.perf_counter() - started, 1)
            build["terms"] = terms
            log(f"  rebuild_terms: {build['rebuild_terms s']} s")
            started = time.perf_counter()
            indexing.optimize()
            build["optimize s"] = round(time.perf_counter() - started, 1)
            # What autovacuum does soon after a bulk load in production (all tables).
            started = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE" if vendor == "postgresql" else "ANALYZE")
            build["vacuum/analyze s"] = round(time.perf_counter() - started, 1)
            if args.keep:
                marker.write_text(json.dumps(marker_data(args)))
        from govportal.search.models import SearchDocument

        env = {
            "backend": vendor,
            "documents": f"{SearchDocument.objects.count():,}",
            "sites": args.sites,
            "title chars": corpus.title_chars,
            "body chars": corpus.body_chars,
            "cores": os.cpu_count(),
            **machine(),
            "python": platform.python_version(),
        }
        if vendor == "sqlite":
            import sqlite3

            env["sqlite"] = sqlite3.sqlite_version
        else:
            with connection.cursor() as cursor:
                cursor.execute("SHOW server_version")
                env["postgresql"] = cursor.fetchone()[0]
        size = index_size(vendor, url)
        log(f"measuring latency ({args.repeat} runs per query after one warm-up) …")
        timings, slowest = measure_latency(corpus, queries, site_pk, args.repeat, log)
        every = [ms for t in timings for ms in t.runs]
        recall = [] if args.no_recall else measure_recall(corpus, queries, site_pk, log)
        result = {
            "environment": env,
            "build": build,
            "size": size,
            "latency": [t.summary() for t in timings],
            "latency_overall": {
                "searches": len(every),
                "p50_ms": percentile(every, 0.5),
                "p95_ms": percentile(every, 0.95),
                "max_ms": max(t_max for t in timings for t_max in t.runs + t.first),
            },
            "slowest": slowest,
            "recall": [asdict(r) for r in recall],
        }
        ok = report(result)
        if args.json:
            Path(args.json).write_text(
                json.dumps(result, ensure_ascii=False, indent=1, default=str)
            )
            log(f"figures written to {args.json}")
        if args.markdown:
            Path(args.markdown).write_text(markdown(result))
    finally:
        if not args.keep:
            if args.backend == "postgres":
                drop_database(url)
            shutil.rmtree(var, ignore_errors=True)
        elif args.backend == "postgres":
            shutil.rmtree(var, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
