"""Daily retention pruning, run by ``run_scheduler`` beside scheduled publishing."""

import logging
from datetime import timedelta

from django.utils import timezone

from govportal.core.models import SchedulerHeartbeat

from .chain import ChainBroken, prune, retention_days
from .models import AuditRecord, Outcome
from .services import record

logger = logging.getLogger(__name__)

HEARTBEAT = "audit_prune"
EVERY = timedelta(days=1)


def prune_audit_if_due(now=None) -> bool:
    """Prune once a day; True if it ran. A broken chain is recorded and left untouched."""
    now = now or timezone.now()
    last = SchedulerHeartbeat.objects.filter(name=HEARTBEAT).first()
    if last is not None and now - last.last_run_at < EVERY:
        return False
    pruned = 0
    try:
        pruned = prune(now=now).pruned
    except ChainBroken as exc:
        logger.error("audit prune refused: %s", exc)
        record(
            "audit.prune",
            obj=AuditRecord,
            outcome=Outcome.FAILURE,
            reason=str(exc),
            retention_days=retention_days(),
        )
    SchedulerHeartbeat.objects.update_or_create(name=HEARTBEAT, defaults={"last_run_at": now})
    if pruned:
        logger.info("audit: pruned %s records older than %s days", pruned, retention_days())
    return True
