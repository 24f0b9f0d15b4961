from django.core.management.base import BaseCommand

from govportal.inforequests.reminders import send_reminders


class Command(BaseCommand):
    help = "依申请公开：向承办人发送临近到期和超期提醒，并恢复征求意见逾期的计时。"

    def handle(self, *args, **options):
        result = send_reminders()
        self.stdout.write(
            f"临近到期提醒 {result['near_due']} 条，超期提醒 {result['overdue']} 条，"
            f"征求意见逾期恢复计时 {result['resumed']} 件。"
        )
