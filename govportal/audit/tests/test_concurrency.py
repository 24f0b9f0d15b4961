"""Concurrent writers never fork the chain (PostgreSQL: real connections in threads).

Not a transactional test: the writers commit on their own connections while the test's
own transaction stays open (it writes nothing, so it holds no chain lock), and the rows
they committed are removed at the end through the pruning path, on another connection.
"""

import threading

from django.db import connection, transaction

import pytest

from govportal import audit
from govportal.audit import chain
from govportal.audit.models import AuditRecord

from .conftest import postgres_only

pytestmark = [postgres_only, pytest.mark.django_db]

WRITERS = 6
EACH = 25


def _in_own_connection(work):
    errors = []

    def run():
        try:
            work()
        except Exception as exc:  # noqa: BLE001 — reported to the test below
            errors.append(exc)
        finally:
            connection.close()

    return run, errors


def _remove_committed_records():
    def work():
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL govportal.audit_prune = 'on'")
            cursor.execute(f"DELETE FROM {AuditRecord._meta.db_table}")  # noqa: S608

    run, errors = _in_own_connection(work)
    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    assert not errors, errors


def test_concurrent_appends_form_one_unbroken_chain():
    assert not AuditRecord.objects.exists()
    barrier = threading.Barrier(WRITERS)
    threads, failures = [], []

    for worker in range(WRITERS):

        def work(worker=worker):
            barrier.wait(timeout=30)
            for i in range(EACH):
                audit.record("test.concurrent", worker=worker, i=i)

        run, errors = _in_own_connection(work)
        failures.append(errors)
        threads.append(threading.Thread(target=run))
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert not any(t.is_alive() for t in threads)
        assert not [e for errors in failures for e in errors]

        records = list(AuditRecord.objects.order_by("seq"))
        assert [r.seq for r in records] == list(range(1, WRITERS * EACH + 1))
        assert {(r.extra["worker"], r.extra["i"]) for r in records} == {
            (w, i) for w in range(WRITERS) for i in range(EACH)
        }
        # Each record links to the one before it: no two writers read the same head.
        for previous, current in zip(records, records[1:], strict=False):
            assert current.prev_hash == previous.hash
        result = chain.verify_chain()
        assert result.ok and result.count == WRITERS * EACH
    finally:
        _remove_committed_records()
    assert not AuditRecord.objects.exists()
