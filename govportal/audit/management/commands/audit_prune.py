from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from govportal.audit.chain import ChainBroken, prune, retention_days
from govportal.audit.models import AuditRecord, Outcome
from govportal.audit.services import record


class Command(BaseCommand):
    help = (
        "Delete audit records older than GOVPORTAL_AUDIT_RETENTION_DAYS (at least 180); "
        "the pruning is recorded with the anchor the remaining chain starts from."
    )

    def handle(self, *args, **options):
        try:
            result = prune()
        except ChainBroken as exc:
            record(
                "audit.prune",
                obj=AuditRecord,
                outcome=Outcome.FAILURE,
                reason=str(exc),
                retention_days=retention_days(),
            )
            raise CommandError(f"未清理：{exc}。请先查明原因。", returncode=1) from exc
        cutoff = timezone.localtime(result.cutoff).strftime("%Y-%m-%d %H:%M")
        if not result.pruned:
            self.stdout.write(f"没有早于 {cutoff} 的审计记录，无需清理。")
            return
        extra = result.record.extra
        self.stdout.write(
            f"已清理 {result.pruned} 条早于 {cutoff} 的审计记录；"
            f"链首锚点 seq {extra['anchor_seq']}:{extra['anchor_hash']}（审计记录 #{result.record.seq}）。"
        )
