"""The hash chain: canonical serialisation, appending under a lock, verification, pruning.

``hash = SHA-256(canonical JSON of the record's fields + prev_hash)``; the first record's
``prev_hash`` is 64 zeros. Appends are serialised so two writers never read the same head:
on PostgreSQL with a transaction-level advisory lock (held until the surrounding
transaction commits — a record written inside a larger transaction keeps the chain's tail
until then), on SQLite by its single writer (``BEGIN IMMEDIATE``). ``seq`` is the primary
key, so even an unserialised writer could not fork the chain, only fail.

Pruning removes a prefix of the chain older than the retention period and appends a record
that names the last removed record (anchor: its seq and hash); verification of what remains
starts from that anchor.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone

from .models import AuditRecord, Outcome

GENESIS = "0" * 64
# pg_advisory_xact_lock key: "govaudit" read as a big-endian 64-bit integer.
LOCK_KEY = int.from_bytes(b"govaudit", "big") - 2**63
MIN_RETENTION_DAYS = 180
PRUNE_ACTION = "audit.prune"

HASHED_FIELDS = (
    "seq", "time", "username", "roles", "ip_address", "action", "object_type", "object_id",
    "object_repr", "outcome", "before", "after", "extra", "prev_hash",
)  # fmt: skip


def _clean(value: str) -> str:
    # NUL cannot be stored in PostgreSQL text/jsonb; it can only come from hostile input.
    return value.replace("\x00", "\ufffd")


def json_value(value):
    """``value`` as it will read back from a JSON column: plain dicts, lists, str, numbers."""
    if value is None:
        return None
    text = json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)
    return json.loads(text.replace("\\u0000", "\\ufffd"))


def canonical(record: AuditRecord) -> bytes:
    data = {name: getattr(record, name) for name in HASHED_FIELDS}
    data["time"] = record.time.astimezone(UTC).isoformat(timespec="microseconds")
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def compute_hash(record: AuditRecord) -> str:
    return hashlib.sha256(canonical(record)).hexdigest()


def lock_chain() -> None:
    """Hold the chain's write lock until the current transaction ends (PostgreSQL)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])


def append(**fields) -> AuditRecord:
    """Append one record (fields as on the model, without seq/hashes) to the chain."""
    fields.setdefault("time", timezone.now())
    for name in ("username", "roles", "object_type", "object_id", "object_repr"):
        limit = AuditRecord._meta.get_field(name).max_length
        fields[name] = _clean(str(fields.get(name) or ""))[:limit]
    for name in ("before", "after"):
        fields[name] = json_value(fields.get(name))
    fields["extra"] = json_value(fields.get("extra")) or {}
    # One round trip less than a savepoint when a caller's transaction is already open.
    with transaction.atomic(savepoint=False):
        lock_chain()
        head = AuditRecord.objects.order_by("-seq").values_list("seq", "hash").first()
        seq, prev_hash = (head[0] + 1, head[1]) if head else (1, GENESIS)
        record = AuditRecord(seq=seq, prev_hash=prev_hash, **fields)
        record.hash = compute_hash(record)
        record._appending = True
        record.save()
        record._appending = False
    return record


# -- verification ----------------------------------------------------------------------------


@dataclass
class BrokenLink:
    seq: int
    time: datetime | None
    reason: str  # "hash_mismatch" | "prev_link" | "seq_gap" | "missing_start" | "anchor"
    message: str


@dataclass
class VerifyResult:
    count: int = 0
    first_seq: int | None = None
    last_seq: int | None = None
    head_hash: str | None = None
    anchored: bool = False  # the chain starts after a pruning anchor
    broken: BrokenLink | None = None

    @property
    def ok(self) -> bool:
        return self.broken is None


REASONS = {
    "hash_mismatch": "记录内容与其哈希不符（记录被修改）",
    "prev_link": "前一条记录哈希不符（前一条记录被修改、替换或删除）",
    "seq_gap": "序号不连续（中间有记录被删除）",
    "missing_start": "链首之前的记录被删除，且没有对应的清理记录",
    "anchor": "与外部保存的链头不符",
}


def _start_anchor(first: AuditRecord) -> str | None:
    """The hash the first remaining record must link to, or None if nothing vouches for it."""
    if first.seq == 1:
        return GENESIS
    prunes = AuditRecord.objects.filter(action=PRUNE_ACTION, outcome=Outcome.SUCCESS)
    for extra in prunes.order_by("-seq").values_list("extra", flat=True):
        if isinstance(extra, dict) and extra.get("anchor_seq") == first.seq - 1:
            return extra.get("anchor_hash")
    return None


def verify_chain(upto: int | None = None, anchor: tuple[int, str] | None = None) -> VerifyResult:
    """Walk the chain in order and report the first broken link.

    ``upto``: stop after this seq. ``anchor``: a (seq, hash) pair kept outside the
    database (e.g. printed by an earlier ``audit_verify``); the record with that seq must
    still exist with that hash, which also detects removal of the newest records.
    """
    result = VerifyResult()
    records = AuditRecord.objects.order_by("seq")
    if upto is not None:
        records = records.filter(seq__lte=upto)
    expected_prev = None
    previous_seq = None
    anchor_seen = anchor is None
    for record in records.iterator(chunk_size=2000):
        if previous_seq is None:
            result.first_seq = record.seq
            expected_prev = _start_anchor(record)
            result.anchored = record.seq != 1
            if expected_prev is None:
                result.broken = _broken(record, "missing_start")
                return result
        elif record.seq != previous_seq + 1:
            result.broken = _broken(
                record, "seq_gap", f"序号 {previous_seq} 之后是 {record.seq}，缺少中间的记录"
            )
            return result
        if record.prev_hash != expected_prev:
            result.broken = _broken(record, "prev_link")
            return result
        if compute_hash(record) != record.hash:
            result.broken = _broken(record, "hash_mismatch")
            return result
        if anchor is not None and record.seq == anchor[0]:
            if record.hash != anchor[1]:
                result.broken = _broken(record, "anchor")
                return result
            anchor_seen = True
        result.count += 1
        result.last_seq = previous_seq = record.seq
        result.head_hash = expected_prev = record.hash
    if not anchor_seen:
        result.broken = BrokenLink(
            seq=anchor[0], time=None, reason="anchor",
            message=f"外部保存的链头 seq {anchor[0]} 已不在审计链中（记录被删除）",
        )  # fmt: skip
    return result


def _broken(record: AuditRecord, reason: str, detail: str = "") -> BrokenLink:
    message = REASONS[reason] + (f"：{detail}" if detail else "")
    return BrokenLink(seq=record.seq, time=record.time, reason=reason, message=message)


# -- retention -------------------------------------------------------------------------------


class ChainBroken(Exception):
    def __init__(self, result: VerifyResult):
        self.result = result
        link = result.broken
        super().__init__(f"审计链在 seq {link.seq} 处断裂：{link.message}")


@dataclass
class PruneResult:
    pruned: int
    cutoff: datetime
    record: AuditRecord | None  # the audit record of the pruning (None: nothing to prune)


def retention_days() -> int:
    return int(getattr(settings, "GOVPORTAL_AUDIT_RETENTION_DAYS", MIN_RETENTION_DAYS))


def prune(now: datetime | None = None, days: int | None = None) -> PruneResult:
    """Delete the oldest records, up to the last one older than the retention period.

    Only a prefix of the chain goes (records are removed in seq order up to the first one
    still within the period), and only after verifying that part: evidence of tampering is
    never pruned away. The pruning is recorded with its anchor.
    """
    days = retention_days() if days is None else days
    if days < MIN_RETENTION_DAYS:
        raise ValueError(f"审计记录至少保存 {MIN_RETENTION_DAYS} 天，不能设为 {days} 天。")
    now = now or timezone.now()
    cutoff = now - timedelta(days=days)
    table = connection.ops.quote_name(AuditRecord._meta.db_table)
    with transaction.atomic():
        lock_chain()
        first_kept = (
            AuditRecord.objects.filter(time__gte=cutoff).order_by("seq").values_list("seq").first()
        )
        old = AuditRecord.objects.filter(time__lt=cutoff)
        if first_kept is not None:
            old = old.filter(seq__lt=first_kept[0])
        last = old.order_by("-seq").values_list("seq", "hash").first()
        if last is None:
            return PruneResult(pruned=0, cutoff=cutoff, record=None)
        check = verify_chain(upto=last[0] + 1)
        if not check.ok:
            raise ChainBroken(check)
        first_seq = check.first_seq
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET LOCAL govportal.audit_prune = 'on'")
            cursor.execute(f"DELETE FROM {table} WHERE seq <= %s", [last[0]])  # noqa: S608
            pruned = cursor.rowcount
            if connection.vendor == "postgresql":
                cursor.execute("SET LOCAL govportal.audit_prune = 'off'")
        from .services import record  # the pruning is itself audited

        entry = record(
            PRUNE_ACTION,
            obj=AuditRecord,
            before={"first_seq": first_seq},
            after={"first_seq": last[0] + 1},
            anchor_seq=last[0],
            anchor_hash=last[1],
            pruned=pruned,
            cutoff=cutoff,
            retention_days=days,
        )
    return PruneResult(pruned=pruned, cutoff=cutoff, record=entry)
