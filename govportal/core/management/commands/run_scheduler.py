import signal
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection
from django.utils.translation import gettext, gettext_lazy

from govportal.audit.scheduler import prune_audit_if_due
from govportal.core.scheduler import run_due_publications
from govportal.inforequests.reminders import run_reminders_if_due
from govportal.interaction.reminders import run_letter_reminders_if_due
from govportal.search.queue import process_queue_if_due, rebuild_terms_if_due


class Command(BaseCommand):
    # argparse needs a real str for the description (see load_demo_data).
    help = gettext(
        "Scheduled publishing/expiry: keep publishing and unpublishing due pages "
        "(make run starts it in the background)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help=gettext_lazy("Run once, then exit"))
        parser.add_argument(
            "--interval",
            type=int,
            default=settings.GOVPORTAL_SCHEDULER_INTERVAL,
            help=gettext_lazy("Seconds between two checks"),
        )

    def handle(self, *args, once=False, interval=30, **options):
        stop = {"now": False}

        def _stop(*_):
            stop["now"] = True

        signal.signal(signal.SIGTERM, _stop)
        signal.signal(signal.SIGINT, _stop)
        if not once:
            self.stdout.write(f"scheduler: checking every {interval}s for scheduled publish/expiry")
        while True:
            if not connection.in_atomic_block:
                # Drop connections a long-running process may hold past their lifetime;
                # never the one of a caller's open transaction (call_command in a test).
                close_old_connections()
            try:
                result = run_due_publications()
                prune_audit_if_due()  # once a day: audit records past retention
                run_reminders_if_due()  # once a day: 依申请公开 reminders to handlers
                run_letter_reminders_if_due()  # once a day: 来信 reminders, 督办, hard alarm
                process_queue_if_due(interval=0)  # 站内搜索 index queue (also every ~2 s below)
                rebuild_terms_if_due()  # once a day: the words behind pinyin input
                if result.published or result.expired or once:
                    self.stdout.write(
                        f"scheduler: published {result.published}, expired {result.expired}"
                    )
            except Exception as exc:  # noqa: BLE001 — keep the loop alive, report the failure
                self.stderr.write(f"scheduler: run failed: {exc!r}")
                if once:
                    raise
            if once or stop["now"]:
                return
            for _ in range(interval):
                if stop["now"]:
                    return
                process_queue_if_due()  # every ~2 s: publish/edit/unpublish show in search
                time.sleep(1)
