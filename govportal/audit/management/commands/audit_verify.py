from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from govportal.audit.chain import verify_chain
from govportal.audit.models import AuditRecord, Outcome
from govportal.audit.services import record


def _anchor(value: str) -> tuple[int, str]:
    seq, _sep, digest = value.partition(":")
    if not seq.isdigit() or len(digest) != 64:
        raise CommandError("--anchor 的格式是 序号:64位哈希，例如 1234:9f86d0…")
    return int(seq), digest.lower()


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain; exit 1 at the first broken link."

    def add_arguments(self, parser):
        parser.add_argument(
            "--anchor",
            help="SEQ:HASH of a record noted earlier outside the database; it must still be there",
        )

    def handle(self, *args, anchor=None, **options):
        result = verify_chain(anchor=_anchor(anchor) if anchor else None)
        broken = result.broken
        record(
            "audit.verify",
            obj=AuditRecord,
            outcome=Outcome.SUCCESS if result.ok else Outcome.FAILURE,
            count=result.count,
            last_seq=result.last_seq,
            broken_seq=broken.seq if broken else None,
            reason=broken.reason if broken else None,
            via="command",
        )
        if broken is not None:
            when = (
                f"（{timezone.localtime(broken.time):%Y-%m-%d %H:%M:%S}）" if broken.time else " "
            )
            raise CommandError(
                f"审计链在 seq {broken.seq}{when}处断裂 [{broken.reason}]：{broken.message}。"
                f"此前 {result.count} 条记录完整。",
                returncode=1,
            )
        if result.count:
            self.stdout.write(
                f"审计链完整：{result.count} 条记录（seq {result.first_seq}–{result.last_seq}）。"
                f"链头 {result.last_seq}:{result.head_hash}"
            )
        else:
            self.stdout.write("审计链完整：还没有审计记录。")
