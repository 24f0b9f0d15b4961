"""Writing the index (建索引): SearchDocument rows and the backend's full-text rows.

``index_documents`` upserts what sources yield (the background queue calls it),
``delete_keys`` removes documents (and the attachments that belong to them), ``bulk_load``
is the fast path for rebuilds and the benchmark, ``rebuild_terms`` refreshes the word list
behind pinyin input and "did you mean" (检索词表).
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Callable, Iterable

from django.db import transaction
from django.utils import timezone

from .analysis import (
    GOV_TERMS,
    dictionary_words,
    index_tokens,
    initials,
    normalize,
    segment,
    with_subwords,
)
from .analysis import pinyin as to_pinyin
from .backends import IndexRow, get_backend
from .models import SearchDocument, SearchTerm
from .registry import Doc

_FIELDS = (
    "kind",
    "site_id",
    "channel_id",
    "channel_path",
    "organization_id",
    "title",
    "url",
    "body",
    "summary",
    "published_at",
    "parent_key",
    "boost",
    "indexed_at",
)


def _document(doc: Doc, now) -> SearchDocument:
    return SearchDocument(
        key=doc.key[:100],
        kind=doc.kind[:30],
        site_id=doc.site_id,
        channel_id=doc.channel_id,
        channel_path=(doc.channel_path or "")[:255],
        organization_id=doc.organization_id,
        title=(doc.title or "")[:500],
        url=(doc.url or "")[:500],
        body=doc.body or "",
        summary=doc.summary or "",
        published_at=doc.published_at,
        parent_key=(doc.parent_key or "")[:100],
        boost=doc.boost,
        indexed_at=now,
    )


def _row(obj: SearchDocument) -> IndexRow:
    body = obj.body
    if obj.summary and obj.summary not in body:
        body = f"{obj.summary}\n{body}"
    return IndexRow(
        doc_id=obj.pk,
        title_tokens=index_tokens(obj.title),
        body_tokens=index_tokens(body),
        site_id=obj.site_id,
        kind=obj.kind,
        published_at=obj.published_at,
        channel_path=obj.channel_path,
        organization_id=obj.organization_id,
    )


def _batches(items: Iterable, size: int):
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def index_documents(docs: Iterable[Doc]) -> int:
    """Insert or update the documents (by key) and their full-text rows; returns how many."""
    backend = get_backend()
    count = 0
    for batch in _batches(docs, 500):
        latest = {doc.key: doc for doc in batch}  # the last version of a key wins
        now = timezone.now()
        objs = [_document(doc, now) for doc in latest.values()]
        with transaction.atomic():
            existing = dict(
                SearchDocument.objects.filter(key__in=[o.key for o in objs]).values_list(
                    "key", "id"
                )
            )
            new = [o for o in objs if o.key not in existing]
            old = [o for o in objs if o.key in existing]
            for o in old:
                o.pk = existing[o.key]
            if old:
                SearchDocument.objects.bulk_update(old, _FIELDS)
            if new:
                SearchDocument.objects.bulk_create(new)
                _ensure_ids(new)
            backend.write([_row(o) for o in old], fresh=False)
            backend.write([_row(o) for o in new], fresh=True)
        count += len(objs)
    return count


def _ensure_ids(objs: list[SearchDocument]) -> None:
    """Databases that cannot return ids from a bulk insert: read them back by key."""
    missing = [o for o in objs if o.pk is None]
    if missing:
        ids = dict(
            SearchDocument.objects.filter(key__in=[o.key for o in missing]).values_list("key", "id")
        )
        for o in missing:
            o.pk = ids[o.key]


def delete_keys(keys: Iterable[str]) -> int:
    """Remove the documents with these keys and those whose parent_key is one of them."""
    keys = list(dict.fromkeys(keys))
    deleted = 0
    for batch in _batches(keys, 500):
        deleted += SearchDocument.objects.filter(key__in=batch).delete()[0]
        deleted += SearchDocument.objects.filter(parent_key__in=batch).delete()[0]
    return deleted


def bulk_load(
    docs: Iterable[Doc],
    batch_size: int = 2000,
    *,
    progress: Callable[[int], None] | None = None,
) -> int:
    """The fast path for rebuilds: replaces documents by key in large batches (attachments
    are not removed with their parent here — a rebuild yields them itself)."""
    backend = get_backend()
    count = 0
    for batch in _batches(docs, batch_size):
        now = timezone.now()
        objs = list({doc.key: _document(doc, now) for doc in batch}.values())
        with transaction.atomic():
            SearchDocument.objects.filter(key__in=[o.key for o in objs]).delete()
            SearchDocument.objects.bulk_create(objs, batch_size=batch_size)
            _ensure_ids(objs)
            backend.write([_row(o) for o in objs], fresh=True)
        count += len(objs)
        if progress:
            progress(count)
    return count


def optimize() -> None:
    """After a bulk load: refresh the planner's statistics / merge the FTS segments."""
    get_backend().analyze()


def clear_index() -> int:
    """Empty the whole index (documents and full-text rows)."""
    n = SearchDocument.objects.count()
    SearchDocument.objects.all().delete()
    get_backend().clear()
    return n


_TERM_RE = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff]{2,4}$")
#: Bodies are read for terms only while the index is this small (jieba is ~1 MB/s).
TERMS_FROM_BODIES_MAX_DOCS = 5000
MAX_TERMS = 50000
#: Adjacent word pairs become terms when this many documents have them.
MIN_COMPOUND_DOCS = 3


def rebuild_terms(*, with_bodies: bool | None = None) -> int:
    """Refill SearchTerm: words of 2–4 Chinese characters from titles (and bodies while
    affordable), the government terms and the dictionary, with pinyin, initials and the
    number of documents containing each."""
    total = SearchDocument.objects.count()
    if with_bodies is None:
        with_bodies = total <= TERMS_FROM_BODIES_MAX_DOCS
    counts: Counter[str] = Counter()
    compounds: Counter[str] = Counter()
    fields = ("title", "body") if with_bodies else ("title",)
    rows = SearchDocument.objects.values_list(*fields).iterator(chunk_size=2000)
    for row in rows:
        text = " ".join(part[:2000] for part in row)
        words = segment(text, search_mode=False)
        counts.update({w for w in with_subwords(words) if _TERM_RE.match(w)})
        # Two short words jieba keeps apart (垃圾 分类) are still one term for pinyin input
        # (ljfl) when documents use them together often enough.
        compounds.update(
            {
                a + b
                for a, b in itertools.pairwise(words)
                if _TERM_RE.match(a + b) and len(a + b) > 2
            }
        )
    for word, n in compounds.items():
        if n >= MIN_COMPOUND_DOCS and word not in counts:
            counts[word] = n
    for word in itertools.chain(GOV_TERMS, dictionary_words()):
        word = normalize(word)
        if 2 <= len(word) <= 30:
            counts.setdefault(word, 0)
    top = counts.most_common(MAX_TERMS)
    terms = [
        SearchTerm(
            word=word[:30],
            pinyin=to_pinyin(word)[:150],
            initials=initials(word)[:30],
            doc_count=n,
        )
        for word, n in top
    ]
    with transaction.atomic():
        SearchTerm.objects.all().delete()
        SearchTerm.objects.bulk_create(terms, batch_size=2000)
    return len(terms)
