"""Export the organisation tree to a CSV or XLSX file (format by extension)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from govportal.organizations.models import Organization
from govportal.organizations.services import ImportFileError, export_organizations


class Command(BaseCommand):
    help = "导出组织机构到 CSV 或 XLSX 文件（按扩展名选择格式），可再次导入。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="path of the .csv or .xlsx file to write")

    def handle(self, *args, file: str, **options):
        path = Path(file)
        try:
            data = export_organizations(path.name)
        except ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        path.write_bytes(data)
        count = Organization.objects.count()
        self.stdout.write(self.style.SUCCESS(f"已导出 {count} 个组织机构到 {path}"))
