"""The chain itself: hashing, append-only refusals, verification, tampering, pruning."""

import io
from datetime import timedelta

from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

import pytest

from govportal import audit
from govportal.audit import chain
from govportal.audit.checks import check_retention
from govportal.audit.models import AuditRecord, AuditRecordImmutable
from govportal.audit.scheduler import prune_audit_if_due
from govportal.audit.services import AUDIT_GROUP
from govportal.conftest import make_user

from .conftest import IS_POSTGRES, NewRecords, postgres_only, tamper

pytestmark = pytest.mark.django_db
TABLE = AuditRecord._meta.db_table


def write(n: int, action="test.event", **fields) -> list[AuditRecord]:
    return [audit.record(action, step=i, **fields) for i in range(n)]


def old_records(n: int, days_ago: int) -> list[AuditRecord]:
    """Records written ``days_ago`` days back (the chain code takes an explicit time)."""
    when = timezone.now() - timedelta(days=days_ago)
    return [
        chain.append(action="test.old", outcome="success", extra={"i": i}, time=when)
        for i in range(n)
    ]


# -- writing -------------------------------------------------------------------------------


def test_records_are_chained_by_hash():
    first, second, third = write(3)
    assert (first.seq, second.seq, third.seq) == (1, 2, 3)
    assert first.prev_hash == chain.GENESIS
    assert second.prev_hash == first.hash and third.prev_hash == second.hash
    # The stored row hashes to the same value as the one computed when writing.
    stored = AuditRecord.objects.get(seq=2)
    assert chain.compute_hash(stored) == stored.hash == second.hash
    assert len(stored.hash) == 64


def test_superuser_role_and_system_records(superuser):
    with audit.acting_as(superuser):
        entry = audit.record("test.event")
    assert entry.roles == "超级管理员"
    system = audit.record("test.event")
    assert (system.user, system.username, system.roles, system.ip_address) == (None, "", "", None)


def test_hostile_text_is_stored_and_still_verifies():
    entry = audit.record("test.event", username="evil\x00name" + "x" * 300, text="a\x00b")
    entry = AuditRecord.objects.get(seq=entry.seq)
    assert "\x00" not in entry.username and len(entry.username) == 150
    assert entry.extra == {"text": "a\ufffdb"}
    assert chain.verify_chain().ok


def test_unknown_outcome_is_refused():
    with pytest.raises(ValueError, match="outcome"):
        audit.record("test.event", outcome="maybe")


# -- append-only -------------------------------------------------------------------------


def test_python_refuses_to_change_or_delete_records():
    entry = write(1)[0]
    entry.action = "test.changed"
    with pytest.raises(AuditRecordImmutable):
        entry.save()
    with pytest.raises(AuditRecordImmutable):
        entry.delete()
    with pytest.raises(AuditRecordImmutable):
        AuditRecord.objects.filter(seq=entry.seq).update(action="test.changed")
    with pytest.raises(AuditRecordImmutable):
        AuditRecord.objects.all().delete()
    with pytest.raises(AuditRecordImmutable):
        AuditRecord.objects.bulk_update([entry], ["action"])
    # Nor can anyone add a record past the chain.
    with pytest.raises(AuditRecordImmutable):
        AuditRecord.objects.create(seq=99, action="test.forged", outcome="success")
    with pytest.raises(AuditRecordImmutable):
        AuditRecord.objects.bulk_create([AuditRecord(seq=99, action="x", outcome="success")])
    assert AuditRecord.objects.get(seq=entry.seq).action == "test.event"


@postgres_only
@pytest.mark.parametrize(
    "sql",
    [f"UPDATE {TABLE} SET action = 'test.changed'", f"DELETE FROM {TABLE}"],  # noqa: S608
    ids=["update", "delete"],
)
def test_postgresql_trigger_refuses_raw_update_and_delete(sql):
    write(2)
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)
    assert AuditRecord.objects.filter(action="test.event").count() == 2


@postgres_only
def test_postgresql_trigger_lets_only_pruning_delete():
    old_records(2, days_ago=200)
    write(1)
    assert chain.prune().pruned == 2  # through SET LOCAL govportal.audit_prune = 'on'
    # … which it switches off again: its caller's transaction gets no licence to delete.
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(f"DELETE FROM {TABLE}")  # noqa: S608
    assert AuditRecord.objects.count() == 2


def test_deleting_a_user_keeps_their_records_and_the_chain():
    clerk = make_user("clerk")
    with audit.acting_as(clerk):
        entry = audit.record("test.event")
    clerk.delete()  # ON DELETE SET NULL: allowed by the trigger, user_id is not hashed
    entry = AuditRecord.objects.get(seq=entry.seq)
    assert entry.user is None and entry.username == "clerk"
    assert chain.verify_chain().ok


# -- verification ------------------------------------------------------------------------


def test_intact_chain_verifies():
    write(5)
    result = chain.verify_chain()
    assert result.ok and result.count == 5 and (result.first_seq, result.last_seq) == (1, 5)
    assert result.head_hash == AuditRecord.objects.get(seq=5).hash


def test_changed_action_is_detected_at_that_record():
    write(5)
    tamper(f"UPDATE {TABLE} SET action = 'test.harmless' WHERE seq = 3")  # noqa: S608
    result = chain.verify_chain()
    assert not result.ok
    assert (result.broken.seq, result.broken.reason) == (3, "hash_mismatch")
    assert result.count == 2
    assert result.broken.time == AuditRecord.objects.get(seq=3).time


def test_deleted_middle_record_is_detected_at_the_gap():
    write(5)
    tamper(f"DELETE FROM {TABLE} WHERE seq = 3")  # noqa: S608
    result = chain.verify_chain()
    assert (result.broken.seq, result.broken.reason) == (4, "seq_gap")
    assert "2 之后是 4" in result.broken.message


def test_rewritten_record_with_fresh_hash_breaks_the_next_link():
    write(5)
    forged = AuditRecord.objects.get(seq=3)
    forged.outcome = "failure"
    tamper(
        f"UPDATE {TABLE} SET outcome = %s, hash = %s WHERE seq = 3",  # noqa: S608
        ["failure", chain.compute_hash(forged)],
    )
    result = chain.verify_chain()
    assert (result.broken.seq, result.broken.reason) == (4, "prev_link")


def test_deleted_first_records_without_pruning_are_detected():
    write(4)
    tamper(f"DELETE FROM {TABLE} WHERE seq <= 2")  # noqa: S608
    result = chain.verify_chain()
    assert (result.broken.seq, result.broken.reason) == (3, "missing_start")


def test_external_anchor_detects_removed_tail():
    write(5)
    head = AuditRecord.objects.get(seq=5)
    assert chain.verify_chain(anchor=(5, head.hash)).ok
    tamper(f"DELETE FROM {TABLE} WHERE seq >= 4")  # noqa: S608
    assert chain.verify_chain().ok  # the chain alone cannot tell its tail is gone …
    result = chain.verify_chain(anchor=(5, head.hash))
    assert (result.broken.seq, result.broken.reason) == (5, "anchor")  # … an anchor can


def test_verify_command_exit_codes():
    write(3)
    out = io.StringIO()
    call_command("audit_verify", stdout=out)
    assert "审计链完整：3 条记录（seq 1–3）" in out.getvalue()
    # Running it is itself recorded.
    assert AuditRecord.objects.get(seq=4).action == "audit.verify"

    tamper(f"UPDATE {TABLE} SET action = 'test.other' WHERE seq = 2")  # noqa: S608
    with pytest.raises(CommandError) as error:
        call_command("audit_verify", stdout=io.StringIO())
    assert error.value.returncode == 1
    message = str(error.value)
    assert "seq 2" in message and "hash_mismatch" in message
    local = timezone.localtime(AuditRecord.objects.get(seq=2).time)
    assert f"{local:%Y-%m-%d %H:%M:%S}" in message


def test_verify_command_with_anchor():
    head = write(2)[-1]
    call_command("audit_verify", "--anchor", f"{head.seq}:{head.hash}", stdout=io.StringIO())
    with pytest.raises(CommandError) as error:
        call_command("audit_verify", "--anchor", f"{head.seq}:{'0' * 64}", stdout=io.StringIO())
    assert error.value.returncode == 1


# -- retention ---------------------------------------------------------------------------


def test_prune_removes_old_prefix_and_anchors_the_rest():
    old = old_records(3, days_ago=200)
    recent = write(2)
    new = NewRecords()
    result = chain.prune()
    assert result.pruned == 3
    assert not AuditRecord.objects.filter(seq__in=[r.seq for r in old]).exists()
    entry = new.one("audit.prune")
    assert entry.extra["anchor_seq"] == old[-1].seq
    assert entry.extra["anchor_hash"] == old[-1].hash
    assert entry.extra["pruned"] == 3 and entry.extra["retention_days"] == 180
    assert entry.before == {"first_seq": 1} and entry.after == {"first_seq": 4}
    # What remains verifies from the anchor on.
    check = chain.verify_chain()
    assert check.ok and check.anchored
    assert (check.first_seq, check.last_seq) == (recent[0].seq, entry.seq)
    # A second pruning has nothing to do and writes nothing.
    assert chain.prune().pruned == 0
    assert new.actions() == ["audit.prune"]


def test_prune_keeps_records_within_retention_even_if_older_ones_follow():
    # A clock that went backwards: an old timestamp after a recent one is kept, as is
    # everything after the first record still within the period (only a prefix goes).
    old_records(2, days_ago=400)
    write(1)
    old_records(1, days_ago=400)
    assert chain.prune().pruned == 2
    assert list(AuditRecord.objects.order_by("seq").values_list("seq", flat=True))[:2] == [3, 4]
    assert chain.verify_chain().ok


def test_second_pruning_anchors_on_the_newest_prune_record():
    old_records(2, days_ago=400)
    chain.prune(now=timezone.now())
    write(2)
    # 200 days later, everything so far (incl. the first prune record) is out of retention.
    later = timezone.now() + timedelta(days=200)
    result = chain.prune(now=later)
    assert result.pruned == 3
    check = chain.verify_chain()
    assert check.ok and check.count == 1 and check.first_seq == result.record.seq


def test_prune_refuses_a_broken_chain_and_less_than_six_months():
    old_records(3, days_ago=200)
    with pytest.raises(ValueError, match="180"):
        chain.prune(days=30)
    tamper(f"UPDATE {TABLE} SET action = 'test.other' WHERE seq = 2")  # noqa: S608
    with pytest.raises(chain.ChainBroken):
        chain.prune()
    assert AuditRecord.objects.count() == 3  # the evidence is kept
    with pytest.raises(CommandError) as error:
        call_command("audit_prune", stdout=io.StringIO())
    assert error.value.returncode == 1
    failed = AuditRecord.objects.get(action="audit.prune")
    assert failed.outcome == "failure" and "seq 2" in failed.extra["reason"]


def test_prune_command_reports_what_it_did(settings):
    settings.GOVPORTAL_AUDIT_RETENTION_DAYS = 365
    old_records(2, days_ago=400)
    old_records(1, days_ago=300)
    out = io.StringIO()
    call_command("audit_prune", stdout=out)
    assert "已清理 2 条" in out.getvalue() and "seq 2:" in out.getvalue()
    out = io.StringIO()
    call_command("audit_prune", stdout=out)
    assert "无需清理" in out.getvalue()


def test_scheduler_prunes_once_a_day():
    old_records(2, days_ago=200)
    now = timezone.now()
    assert prune_audit_if_due(now=now)
    assert not AuditRecord.objects.filter(action="test.old").exists()
    assert not prune_audit_if_due(now=now + timedelta(hours=23))
    assert prune_audit_if_due(now=now + timedelta(hours=25))


def test_retention_below_six_months_is_a_system_check_error(settings):
    settings.GOVPORTAL_AUDIT_RETENTION_DAYS = 90
    errors = check_retention(None)
    assert [e.id for e in errors] == ["govportal.audit.E001"]
    settings.GOVPORTAL_AUDIT_RETENTION_DAYS = 180
    assert check_retention(None) == []


# -- the 审计管理员 role (data migration) ----------------------------------------------------


def test_migration_creates_the_audit_admin_group():
    group = Group.objects.get(name=AUDIT_GROUP)
    perms = sorted(group.permissions.values_list("content_type__app_label", "codename"))
    assert perms == [("audit", "view_auditrecord"), ("wagtailadmin", "access_admin")]
    assert group.permissions.get(codename="view_auditrecord").name == "查阅审计日志"


@pytest.mark.skipif(IS_POSTGRES, reason="SQLite only: there is no trigger")
def test_sqlite_has_no_trigger_but_the_chain_still_catches_changes():
    write(2)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET action = 'x' WHERE seq = 1")  # noqa: S608
    assert chain.verify_chain().broken.seq == 1
