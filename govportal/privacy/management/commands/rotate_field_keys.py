"""Re-encrypt all personal data under the newest key of GOVPORTAL_FIELD_KEYS."""

from django.core.management.base import BaseCommand, CommandError

from govportal.privacy.keys import DecryptionError, current_key_id, keyring
from govportal.privacy.rotation import ModelRotation, models_with_encrypted_fields, rotate_model


class Command(BaseCommand):
    help = (
        "用 GOVPORTAL_FIELD_KEYS 中最新（第一个）密钥重新加密所有加密字段并更新盲索引；"
        "可重复运行。完成后即可从配置中删除旧密钥。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500, help="rows per transaction")
        parser.add_argument(
            "--dry-run", action="store_true", help="count what would be rewritten, write nothing"
        )

    def handle(self, *args, batch_size: int, dry_run: bool, **options):
        if batch_size < 1:
            raise CommandError("--batch-size 必须大于 0。")
        ring = keyring()
        self.stdout.write(
            f"最新密钥 {current_key_id()}；可解密的密钥：{', '.join(k.key_id for k in ring)}"
        )
        verb = "需重新加密" if dry_run else "已重新加密"
        total_rewritten = 0

        def progress(job: ModelRotation) -> None:
            self.stdout.write(
                f"  {job.label}: {job.scanned}/{job.total} 行已检查，{verb} {job.rewritten} 行"
            )

        for job in models_with_encrypted_fields():
            self.stdout.write(job.label)
            try:
                rotate_model(job, batch_size=batch_size, dry_run=dry_run, progress=progress)
            except DecryptionError as error:
                raise CommandError(
                    f"{job.label}: 无法解密（{error}）。把旧密钥放回 GOVPORTAL_FIELD_KEYS（排在新密钥之后）再运行。"
                ) from error
            total_rewritten += job.rewritten
        summary = f"完成：{verb} {total_rewritten} 行。"
        if dry_run:
            summary += "（未写入）"
        elif len(ring) > 1:
            summary += "所有数据已使用最新密钥，可以从 GOVPORTAL_FIELD_KEYS 删除旧密钥。"
        self.stdout.write(self.style.SUCCESS(summary))
