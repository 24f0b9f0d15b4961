"""索引号 under concurrent creation: threads saving entries of one organisation and year at
the same moment all get different numbers (PostgreSQL: the counter row is locked with
SELECT … FOR UPDATE until each transaction commits).

Run with ``DATABASE_URL=postgres://postgres@127.0.0.1:5432/govportal_h_disclosure``.
"""

import datetime
import threading

from django.db import connection, connections

import pytest

from govportal.content.factories import ChannelPageFactory, make_site
from govportal.content.models import ColumnType
from govportal.disclosure.factories import DisclosureEntryPageFactory, DisclosureIndexPageFactory
from govportal.disclosure.models import DisclosureEntryPage, IndexCounter
from govportal.organizations.services import link_site

from .conftest import make_org

THREADS = 8
PER_THREAD = 3


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL (SQLite runs one writer at a time, so nothing is concurrent)",
)
# serialized_rollback: the page tree root comes from a migration; an earlier transactional
# test leaves the database flushed, and this one needs it back.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_entries_get_unique_numbers():
    org = make_org("并发测试局", 9)
    site, home, _profile = make_site("concurrency.example.test", site_id_code="1399000199")
    link_site(site, org)
    channel = ChannelPageFactory(parent=home, slug="xxgk", column_type=ColumnType.DISCLOSURE)
    # One catalogue page per thread: sibling pages added at the same instant would collide
    # on the page tree's path (a Wagtail/treebeard matter, not the numbering under test).
    parents = [DisclosureIndexPageFactory(parent=channel, slug=f"c{n}") for n in range(THREADS)]
    barrier = threading.Barrier(THREADS)
    numbers: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def work(parent_pk: int) -> None:
        try:
            from govportal.disclosure.models import DisclosureIndexPage

            parent = DisclosureIndexPage.objects.get(pk=parent_pk)
            barrier.wait(timeout=30)
            for n in range(PER_THREAD):
                parent = DisclosureIndexPage.objects.get(pk=parent_pk)
                entry = DisclosureEntryPageFactory(
                    parent=parent, slug=f"e{n}", written_date=datetime.date(2026, 3, 2)
                )
                with lock:
                    numbers.append(entry.index_number)
        except BaseException as exc:  # noqa: BLE001 — reported by the main thread
            with lock:
                errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(p.pk,)) for p in parents]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)

    assert not errors, errors
    total = THREADS * PER_THREAD
    assert len(numbers) == total
    assert len(set(numbers)) == total
    assert sorted(numbers) == [f"{org.org_code}/2026-{n:05d}" for n in range(1, total + 1)]
    assert IndexCounter.objects.get(organization=org, year=2026).last == total
    assert DisclosureEntryPage.objects.filter(publisher=org).count() == total
