"""The index queue (待索引): what changed waits here until the background indexer reads it.

:func:`enqueue` is called by the signal handlers when a page is published, edited,
unpublished, expired, moved, restricted or deleted, a document replaced, a letter made
(non-)public. It writes :class:`~govportal.search.models.IndexQueueItem` rows in the
caller's transaction (a transactional outbox): the item exists exactly when the change
committed, is invisible to the indexer until then, and is never lost between the commit
and the queue. One row per key: enqueueing a waiting key again only refreshes it.

:func:`process_queue` reads a batch, asks each key's source for its documents as they are
*now* (``[]`` means "must not be found": deleted from the index), and writes them with
:func:`govportal.search.indexing.index_documents` / ``delete_keys``. An item is removed
only once indexed and only if nobody re-queued it meanwhile; a failure keeps it with
``attempts`` and ``last_error`` and retries it later (backing off up to an hour).
``run_scheduler`` calls :func:`process_queue_if_due` every ~2 seconds; cron users run
``manage.py process_search_queue``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from .models import IndexQueueItem, SearchDocument
from .registry import Doc, source_for

logger = logging.getLogger(__name__)

INDEX = IndexQueueItem.Action.INDEX
DELETE = IndexQueueItem.Action.DELETE
#: Seconds between two runs of the queue in ``run_scheduler``.
INTERVAL_SECONDS = 2.0
MAX_BACKOFF_SECONDS = 3600
_ENQUEUE_BATCH = 500
#: A queued request to rebuild everything (the 重建索引 button): the background indexer
#: expands it into every key, so the web request only writes this one row.
REBUILD_KEY = "rebuild:all"


def enqueue(keys: Iterable[str], action: str = INDEX) -> int:
    """Queue ``keys`` (``"page:12"`` …) for indexing or deletion; returns how many."""
    keys = sorted({key for key in keys if key})
    if not keys:
        return 0
    now = timezone.now()
    rows = [IndexQueueItem(key=key, action=action, queued_at=now) for key in keys]
    with transaction.atomic():
        for start in range(0, len(rows), _ENQUEUE_BATCH):
            IndexQueueItem.objects.bulk_create(
                rows[start : start + _ENQUEUE_BATCH],
                update_conflicts=True,
                unique_fields=["key"],
                update_fields=["action", "queued_at", "attempts", "last_error"],
            )
    return len(keys)


def enqueue_everything(batch: int = 1000) -> int:
    """Queue every key the sources can produce and every key already indexed (so that
    what no longer exists is dropped); returns how many."""
    from .registry import sources

    queued = 0
    chunk: list[str] = []

    def flush():
        nonlocal queued, chunk
        if chunk:
            enqueue(chunk, action=INDEX)
            queued += len(chunk)
            chunk = []

    keys = SearchDocument.objects.values_list("key", flat=True).iterator(chunk_size=batch)
    for source_keys in [*(source.all_keys() for source in sources()), keys]:
        for key in source_keys:
            chunk.append(key)
            if len(chunk) >= batch:
                flush()
    flush()
    return queued


def rebuild_requested() -> bool:
    return IndexQueueItem.objects.filter(key=REBUILD_KEY).exists()


def pending_count() -> int:
    return IndexQueueItem.objects.count()


def _backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(10 * 2 ** max(attempts - 1, 0), MAX_BACKOFF_SECONDS))


def _error(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:2000]


def process_queue(limit: int = 500) -> int:
    """Index up to ``limit`` queued keys (oldest first); returns how many were done."""
    from . import indexing

    items = list(
        IndexQueueItem.objects.filter(queued_at__lte=timezone.now()).order_by("queued_at", "pk")[
            :limit
        ]
    )
    if not items:
        return 0
    failures: dict[str, str] = {}
    produced: dict[str, list[Doc]] = {}
    to_delete: list[str] = []
    for item in items:
        if item.key == REBUILD_KEY:
            try:
                logger.info("search: rebuild requested, %s keys queued", enqueue_everything())
            except Exception as exc:  # noqa: BLE001
                logger.exception("search: queueing the rebuild failed")
                failures[item.key] = _error(exc)
            continue
        source = source_for(item.key)
        if item.action == DELETE or source is None:
            to_delete.append(item.key)
            continue
        try:
            docs = source.documents(item.key.partition(":")[2])
        except Exception as exc:  # noqa: BLE001 — one bad object must not stop the queue
            logger.exception("search: cannot read %s", item.key)
            failures[item.key] = _error(exc)
            continue
        if docs:
            produced[item.key] = docs
        else:
            to_delete.append(item.key)

    # Attachments a page no longer links (or may no longer show) leave with the new version.
    made = {doc.key for docs in produced.values() for doc in docs}
    stale = [
        key
        for key in SearchDocument.objects.filter(parent_key__in=list(produced)).values_list(
            "key", flat=True
        )
        if key not in made
    ]
    if to_delete or stale:
        try:
            indexing.delete_keys([*to_delete, *stale])
        except Exception as exc:  # noqa: BLE001
            logger.exception("search: deleting from the index failed")
            failures.update(dict.fromkeys(to_delete, _error(exc)))
            # Stale attachments are found again next time their page is queued.
    if produced:
        try:
            indexing.index_documents([doc for docs in produced.values() for doc in docs])
        except Exception:  # noqa: BLE001 — find the culprit: one key at a time
            logger.warning("search: batch indexing failed, retrying key by key", exc_info=True)
            for key, docs in produced.items():
                try:
                    indexing.index_documents(docs)
                except Exception as exc:  # noqa: BLE001
                    logger.exception("search: cannot index %s", key)
                    failures[key] = _error(exc)
    return _settle(items, failures)


def _settle(items: list[IndexQueueItem], failures: dict[str, str]) -> int:
    """Remove the done items (unless re-queued meanwhile); keep the failed ones for later."""
    now = timezone.now()
    done = 0
    for item in items:
        if item.key in failures:
            attempts = item.attempts + 1
            IndexQueueItem.objects.filter(pk=item.pk, queued_at=item.queued_at).update(
                attempts=attempts,
                last_error=failures[item.key],
                queued_at=now + _backoff(attempts),
            )
        else:
            IndexQueueItem.objects.filter(pk=item.pk, queued_at=item.queued_at).delete()
            done += 1
    return done


def process_all(limit: int = 500, max_batches: int = 1000) -> int:
    """Run the queue until nothing due is left (a failing item waits for its retry)."""
    total = 0
    for _ in range(max_batches):
        done = process_queue(limit)
        total += done
        if done == 0:
            break
    return total


_last_run = {"at": 0.0}


def process_queue_if_due(interval: float = INTERVAL_SECONDS) -> int:
    """For ``run_scheduler``'s loop: run the queue once ``interval`` seconds have passed;
    never raises (a failure is logged and retried on the next tick)."""
    now = time.monotonic()
    if now - _last_run["at"] < interval:
        return 0
    _last_run["at"] = now
    try:
        return process_queue()
    except Exception:  # noqa: BLE001 — keep the scheduler alive
        logger.exception("search: processing the index queue failed")
        return 0


TERMS_HEARTBEAT = "search_terms"


def rebuild_terms_if_due(now=None) -> bool:
    """Once a day (for ``run_scheduler``): refresh the word list behind pinyin input and
    您是不是要找 with what was indexed since; True if it ran."""
    from govportal.core.models import SchedulerHeartbeat

    from .indexing import rebuild_terms

    now = now or timezone.now()
    last = SchedulerHeartbeat.objects.filter(name=TERMS_HEARTBEAT).first()
    if last is not None and timezone.localdate(now) <= timezone.localdate(last.last_run_at):
        return False
    rebuild_terms()
    SchedulerHeartbeat.objects.update_or_create(name=TERMS_HEARTBEAT, defaults={"last_run_at": now})
    return True
