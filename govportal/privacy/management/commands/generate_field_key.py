"""Print a new random key for GOVPORTAL_FIELD_KEYS."""

from django.core.management.base import BaseCommand

from govportal.privacy.keys import generate_key


class Command(BaseCommand):
    help = "生成一个新的个人信息字段加密密钥（用于 GOVPORTAL_FIELD_KEYS，新密钥放在最前）。"

    def handle(self, *args, **options):
        self.stdout.write(generate_key())
