from django.core.management.base import BaseCommand

from govportal.interaction.reminders import send_reminders


class Command(BaseCommand):
    help = "来信办理：发送到期/超期提醒，超期自动督办，超长未答复告警，评价期满自动办结。"

    def handle(self, *args, **options):
        result = send_reminders()
        self.stdout.write(
            "临近到期提醒 {near_due}，超期提醒 {overdue}，自动督办 {supervised}，"
            "超长告警 {hard_alarm}，自动办结 {closed}".format(**result)
        )
