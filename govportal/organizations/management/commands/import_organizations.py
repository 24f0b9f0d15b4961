"""Import the organisation tree from a CSV or XLSX file (all or nothing)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from govportal.organizations.services import import_organizations


class Command(BaseCommand):
    help = "导入组织机构（CSV 或 XLSX）。任何一行有错误时不保存任何数据。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="path to a .csv or .xlsx file")
        parser.add_argument(
            "--dry-run", action="store_true", help="validate and count, save nothing"
        )

    def handle(self, *args, file: str, dry_run: bool, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}")
        result = import_organizations(path.read_bytes(), path.name, dry_run=dry_run)
        if not result.ok:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(result.errors)} 处错误，未导入任何数据。")
        prefix = "检查通过（未保存）" if dry_run else "导入完成"
        self.stdout.write(
            self.style.SUCCESS(
                f"{prefix}：新增 {result.created}，更新 {result.updated}，无变化 {result.unchanged}。"
            )
        )
