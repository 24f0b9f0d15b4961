"""搜索统计: every search counted per normalized query, site and day (``QueryStat``).

* :func:`log_search` — one UPSERT per search (``INSERT … ON CONFLICT DO UPDATE``, the same
  SQL on SQLite and PostgreSQL); paging beyond page 1 and bots are not counted.
* :func:`hot_searches` — 热门搜索 shown beside the search box: the editors' 推荐 words,
  then the most searched queries that found something, minus 屏蔽 words and anything that
  looks like personal data; cached for a few minutes.
* :func:`query_report` — the editors' 热门搜索 / 无结果搜索 reports, and their CSV/xlsx export.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Count, F, Max, Q, Sum
from django.utils import timezone

from wagtail.models import Site

from .models import QueryStat

HOT_CACHE_SECONDS = 300
MAX_QUERY = 100

#: User agents of crawlers, link checkers and scripts: their searches are not people's.
BOT_UA = re.compile(
    r"bot|crawl|spider|slurp|archiver|fetch|monitor|scan|curl|wget|httpclient|"
    r"python-requests|python-urllib|go-http|java/|okhttp|libwww|headlesschrome|phantomjs",
    re.IGNORECASE,
)


def is_bot(user_agent: str | None) -> bool:
    """Does the User-Agent look like a robot (or is it missing, as with most scripts)?"""
    return not user_agent or bool(BOT_UA.search(user_agent))


def should_log(request, page: int) -> bool:
    return page == 1 and not is_bot(request.META.get("HTTP_USER_AGENT"))


def log_search(query: str, site: Site | None, result_count: int, *, day: date | None = None):
    """Count one search of the normalized ``query`` on ``site`` today (one statement)."""
    query = (query or "").strip()[:MAX_QUERY]
    if not query:
        return
    day = day or timezone.localdate()
    empty = 0 if result_count else 1
    if site is None:
        # NULL never conflicts in a unique index: count group-level searches the slow way.
        with transaction.atomic():
            stat, _ = QueryStat.objects.select_for_update().get_or_create(
                site=None, day=day, query=query
            )
            QueryStat.objects.filter(pk=stat.pk).update(
                searches=F("searches") + 1,
                empty_searches=F("empty_searches") + empty,
                last_result_count=result_count,
            )
        return
    sql = (
        "INSERT INTO govsearch_querystat"
        " (site_id, day, query, searches, empty_searches, last_result_count)"
        " VALUES (%s, %s, %s, 1, %s, %s)"
        " ON CONFLICT (site_id, day, query) DO UPDATE SET"
        " searches = govsearch_querystat.searches + 1,"
        " empty_searches = govsearch_querystat.empty_searches + excluded.empty_searches,"
        " last_result_count = excluded.last_result_count"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [site.pk, day, query, empty, min(result_count, 2**31 - 1)])


#: A query is shown as hot only after this many searches that found something: one
#: visitor's one-off query (a name, an address) never reaches the public list.
HOT_MIN_SEARCHES = 3
_HOT_VERSION_KEY = "govsearch:hot:version"


def hot_rules_changed(**kwargs) -> None:
    """Editors changed 热词管理: every cached list is stale (connected to the model's save
    and delete signals)."""
    cache.set(_HOT_VERSION_KEY, timezone.now().timestamp(), None)


def looks_personal(query: str) -> bool:
    """Does the query contain what :func:`privacy.masking.mask_text` hides in public (an
    ID-card, mobile or landline number, an e-mail address)?"""
    from govportal.privacy.masking import mask_text

    return mask_text(query) != query


def hot_searches(site: Site | None, days: int = 30, n: int = 10) -> list[str]:
    """热门搜索 on ``site`` (None: the whole group): the editors' 推荐 words first, then the
    queries searched most in the last ``days`` days, counting only searches that found
    something — at least :data:`HOT_MIN_SEARCHES`, nothing an editor 屏蔽ed, nothing that
    looks like personal data. Cached for a few minutes (until a rule changes)."""
    from .analysis import fold
    from .models import HotSearchRule

    today = timezone.localdate()
    version = cache.get(_HOT_VERSION_KEY, 0)
    key = f"govsearch:hot:{site.pk if site else 'all'}:{days}:{n}:{today:%Y%m%d}:{version}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    rules = HotSearchRule.objects.filter(enabled=True)
    if site is not None:
        rules = rules.filter(Q(site=site) | Q(site__isnull=True))
    pinned, blocked = [], []
    for rule in rules.order_by("sort_order", "pk"):
        if rule.action == HotSearchRule.Action.PIN:
            if site is not None or rule.site_id is None:
                pinned.append(rule.word)
        else:
            blocked.append(fold(rule.word))
    stats = QueryStat.objects.filter(day__gt=today - timedelta(days=days))
    if site is not None:
        stats = stats.filter(site=site)
    candidates = (
        stats.values("query")
        .annotate(found=Sum("searches") - Sum("empty_searches"))
        .filter(found__gte=HOT_MIN_SEARCHES)
        .order_by("-found", "query")
        .values_list("query", flat=True)
    )
    hot = list(dict.fromkeys(pinned))[:n]
    for query in candidates[: n * 10]:
        if len(hot) >= n:
            break
        folded = fold(query)
        if query in hot or any(word in folded for word in blocked) or looks_personal(query):
            continue
        hot.append(query)
    cache.set(key, hot, HOT_CACHE_SECONDS)
    return hot


@dataclass
class ReportRow:
    query: str
    searches: int
    empty_searches: int
    most_results: int
    days: int
    last_day: date

    @property
    def found_searches(self) -> int:
        return self.searches - self.empty_searches


REPORTS = {"hot": "热门搜索", "zero": "无结果搜索"}


def query_report(
    kind: str, site_ids: list[int] | None, start: date, end: date, limit: int = 500
) -> list[ReportRow]:
    """热门搜索 (``kind="hot"``: by searches) or 无结果搜索 (``"zero"``: queries that found
    nothing, by how often), over ``start``–``end`` inclusive, on ``site_ids`` (None: all)."""
    stats = QueryStat.objects.filter(day__gte=start, day__lte=end)
    if site_ids is not None:
        stats = stats.filter(site_id__in=site_ids)
    rows = stats.values("query").annotate(
        total=Sum("searches"),
        empty=Sum("empty_searches"),
        n_days=Count("day", distinct=True),
        last=Max("day"),
        most=Max("last_result_count"),
    )
    if kind == "zero":
        rows = rows.filter(empty__gt=0).order_by("-empty", "-total", "query")
    else:
        rows = rows.order_by("-total", "query")
    return [
        ReportRow(r["query"], r["total"], r["empty"], r["most"] or 0, r["n_days"], r["last"])
        for r in rows[:limit]
    ]


HEADERS = ["搜索词", "搜索次数", "无结果次数", "最多结果数", "出现天数", "最近搜索日期"]


def _safe(value) -> object:
    """Cells starting with = + - @ would run as formulas in a spreadsheet: quote them."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _cells(row: ReportRow) -> list:
    return [
        _safe(row.query),
        row.searches,
        row.empty_searches,
        row.most_results,
        row.days,
        f"{row.last_day:%Y-%m-%d}",
    ]


def report_csv(rows: list[ReportRow]) -> str:
    """UTF-8 CSV text with a BOM (Excel opens it as Chinese)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADERS)
    for row in rows:
        writer.writerow(_cells(row))
    return "\ufeff" + out.getvalue()


def report_xlsx(rows: list[ReportRow], title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    ws.append(HEADERS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append(_cells(row))
    for column, width in zip("ABCDEF", [30, 12, 12, 12, 10, 14], strict=True):
        ws.column_dimensions[column].width = width
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
