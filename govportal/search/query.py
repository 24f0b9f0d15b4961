"""Answering a search (检索): filters, order, highlighting and "did you mean".

How results are ordered (relevance): documents whose **title** contains the whole query
come first, the others after; within each tier the newest first. This is deliberately not
a per-document score: computing a score for every match of a common word (政府, 公开 …)
is what makes stock ranked search slow (it grows with the number of matches), while
"title tier, then time" is answered by LIMIT-able index scans on both databases. Totals
stop at :data:`COUNT_CAP` (shown as "10000+"; the PostgreSQL backend stops earlier, see
``backends/postgres.py``); facets are counted only when the match is small enough to count
cheaply. Boost is not part of the order (promotions, 置顶, are the editors' tool).
"""

from __future__ import annotations

import html
import math
import time
from dataclasses import dataclass, field
from datetime import date

from wagtail.models import Site

from .analysis import ParsedQuery, fold, is_cjk, parse_query, pinyin
from .backends import Filters, get_backend
from .models import SearchDocument, SearchTerm
from .registry import kind_label

COUNT_CAP = 10000
#: Facets (counts per kind and site) are computed when the match has at most this many.
FACET_MAX_MATCHES = 5000
MAX_PER_PAGE = 100
SNIPPET_CHARS = 120
#: "Did you mean" is offered when a query finds fewer documents than this.
SUGGEST_BELOW = 3


@dataclass
class SearchRequest:
    q: str
    site_ids: list[int] | None = None  # None: the whole site group (站群)
    kinds: list[str] = field(default_factory=list)
    channel_path: str = ""
    organization_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    sort: str = "relevance"  # or "time"
    page: int = 1
    per_page: int = 10

    def filters(self) -> Filters:
        return Filters(
            site_ids=list(self.site_ids) if self.site_ids is not None else None,
            kinds=list(self.kinds) or None,
            channel_path=self.channel_path or "",
            organization_id=self.organization_id,
            date_from=self.date_from,
            date_to=self.date_to,
        )


@dataclass
class Hit:
    document: SearchDocument
    title_html: str
    snippet_html: str
    score: float  # 2: the title matches, 1: the text matches
    kind_label: str
    site_name: str


@dataclass
class SearchResponse:
    hits: list[Hit]
    total: int
    total_capped: bool
    page: int
    pages: int
    parsed: ParsedQuery
    suggestion: str | None
    took_ms: float
    facets: dict[str, list[tuple]] = field(default_factory=dict)

    @property
    def total_display(self) -> str:
        return f"{self.total}+" if self.total_capped else str(self.total)


def search(req: SearchRequest) -> SearchResponse:
    started = time.perf_counter()
    parsed = parse_query(req.q)
    per_page = max(1, min(int(req.per_page or 10), MAX_PER_PAGE))
    max_page = max(1, math.ceil(COUNT_CAP / per_page))
    page = max(1, min(int(req.page or 1), max_page))
    if parsed.empty:
        return SearchResponse([], 0, False, 1, 0, parsed, None, _ms(started))
    backend = get_backend()
    filters = req.filters()
    result = backend.search(
        parsed,
        filters,
        sort="time" if req.sort == "time" else "relevance",
        offset=(page - 1) * per_page,
        limit=per_page,
        cap=COUNT_CAP,
    )
    docs = SearchDocument.objects.in_bulk(result.ids)
    sites = _site_names({d.site_id for d in docs.values() if d.site_id})
    terms = parsed.highlight_terms
    hits = []
    for doc_id in result.ids:
        doc = docs.get(doc_id)
        if doc is None:
            continue
        title_html = highlight(doc.title, terms)
        hits.append(
            Hit(
                document=doc,
                title_html=title_html,
                snippet_html=snippet(doc, terms),
                score=2.0 if (doc_id in result.title_ids or "<mark>" in title_html) else 1.0,
                kind_label=kind_label(doc.kind),
                site_name=sites.get(doc.site_id, ""),
            )
        )
    pages = math.ceil(result.total / per_page) if result.total else 0
    facets = {}
    if result.facets is not None:
        facets = {name: counts[:50] for name, counts in result.facets.items()}
    elif 0 < result.total <= FACET_MAX_MATCHES and not result.capped:
        facets = backend.facets(parsed, filters, limit=50)
    suggestion = suggest(parsed) if result.total < SUGGEST_BELOW else None
    return SearchResponse(
        hits,
        result.total,
        result.capped,
        page,
        pages,
        parsed,
        suggestion,
        _ms(started),
        facets,
    )


def matching_ids(req: SearchRequest) -> list[int]:
    """Ids of every document the query matches (no order, no cap): recall checks."""
    parsed = parse_query(req.q)
    if parsed.empty:
        return []
    return get_backend().matching_ids(parsed, req.filters())


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 2)


def _site_names(ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return {s.pk: s.site_name or s.hostname for s in Site.objects.filter(pk__in=ids)}


# --- highlighting ----------------------------------------------------------------


def _aligned_fold(text: str) -> str:
    """``fold(text)`` with one character per character of ``text`` (for positions)."""
    folded = fold(text)
    if len(folded) == len(text):
        return folded
    out = []
    for ch in text:
        f = fold(ch)
        out.append(f if len(f) == 1 else ch.lower())
    return "".join(out)


def _spans(folded: str, terms: list[str]) -> list[tuple[int, int]]:
    spans = []
    for term in terms:
        if not term:
            continue
        start = folded.find(term)
        while start != -1:
            spans.append((start, start + len(term)))
            start = folded.find(term, start + len(term))
    spans.sort()
    merged: list[list[int]] = []
    for a, b in spans:
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return [(a, b) for a, b in merged]


def _marked(text: str, spans, start: int = 0, end: int | None = None) -> str:
    end = len(text) if end is None else end
    out, pos = [], start
    for a, b in spans:
        a, b = max(a, start), min(b, end)
        if a >= b:
            continue
        out.append(html.escape(text[pos:a]))
        out.append(f"<mark>{html.escape(text[a:b])}</mark>")
        pos = b
    out.append(html.escape(text[pos:end]))
    return "".join(out)


def highlight(text: str, terms: list[str]) -> str:
    """``text`` escaped, with ``<mark>`` around each occurrence of the terms (matched in
    simplified, half-width, lower-case form, so 政務 in the text is marked for 政务)."""
    text = text or ""
    return _marked(text, _spans(_aligned_fold(text), terms))


#: Bodies are scanned this far for a snippet; beyond, the summary is shown.
SNIPPET_SCAN_CHARS = 20000


def snippet(doc: SearchDocument, terms: list[str], width: int = SNIPPET_CHARS) -> str:
    """About ``width`` characters of the body around the first match, marked; else the
    summary (or the start of the body)."""
    body = " ".join((doc.body or "")[:SNIPPET_SCAN_CHARS].split())
    spans = _spans(_aligned_fold(body), terms) if body else []
    if spans:
        first = spans[0][0]
        start = max(0, first - width // 3)
        end = min(len(body), start + width)
        start = max(0, min(start, end - width))
        text = _marked(body, spans, start, end)
        return ("…" if start > 0 else "") + text + ("…" if end < len(body) else "")
    fallback = " ".join((doc.summary or "").split()) or body
    cut = fallback[:width]
    return highlight(cut, terms) + ("…" if len(fallback) > width else "")


# --- did you mean ----------------------------------------------------------------


def _better_word(word: str) -> str | None:
    """A frequent index word this one probably meant: a homophone (same pinyin), one
    character different, or (for latin input) the pinyin it begins to spell."""
    candidates: list[SearchTerm] = []
    if is_cjk(word):
        if 2 <= len(word) <= 8:
            candidates += list(
                SearchTerm.objects.filter(pinyin=pinyin(word), doc_count__gt=0)
                .exclude(word=word)
                .order_by("-doc_count")[:3]
            )
        if 2 <= len(word) <= 6:
            from django.db.models import Q

            patterns = Q()
            for i in range(len(word)):
                patterns |= Q(word__startswith=word[:i], word__endswith=word[i + 1 :])
            candidates += [
                t
                for t in SearchTerm.objects.filter(patterns, doc_count__gt=0)
                .exclude(word=word)
                .order_by("-doc_count")[:50]
                if len(t.word) == len(word)
                and sum(a != b for a, b in zip(t.word, word, strict=True)) == 1
            ][:3]
    elif word.isascii() and word.isalpha() and len(word) >= 3:
        candidates += list(
            SearchTerm.objects.filter(pinyin__startswith=word, doc_count__gt=0).order_by(
                "-doc_count"
            )[:1]
        )
        candidates += list(
            SearchTerm.objects.filter(initials=word, doc_count__gt=0).order_by("-doc_count")[:1]
        )
    if not candidates:
        return None
    return max(candidates, key=lambda t: t.doc_count).word


def _word_found(word: str) -> bool:
    """Does this word alone match any document? The word list (SearchTerm, the index's
    words with their document counts) answers for known words without touching the
    index; others take one unfiltered lookup."""
    if SearchTerm.objects.filter(word=word, doc_count__gt=0).exists():
        return True
    parsed = parse_query(word)
    if parsed.empty:
        return False
    return get_backend().exists(parsed, Filters())


def suggest(parsed: ParsedQuery) -> str | None:
    """您是不是要找: the query with its unknown words replaced, or None."""
    if parsed.converted_from_pinyin or not parsed.groups:
        return None
    words = [group[0] for group in parsed.groups]
    changed = False
    out = []
    for word in words:
        # A word the index holds is not a typo, even when the words together find nothing
        # (加快 推进 乡村振兴 工作 must not become 加强 改进 乡村振兴 操作).
        better = None if _word_found(word) else _better_word(word)
        if better and better != word:
            out.append(better)
            changed = True
        else:
            out.append(word)
    return " ".join(out) if changed else None
