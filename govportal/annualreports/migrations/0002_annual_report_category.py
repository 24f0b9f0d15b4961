"""The catalogue category 政府信息公开年报 (code ``annual-report``), top level."""

from django.db import migrations

CODE = "annual-report"
NAME = "政府信息公开年报"


def create_category(apps, schema_editor):
    DisclosureCategory = apps.get_model("disclosure", "DisclosureCategory")
    if not DisclosureCategory.objects.filter(code=CODE).exists():
        DisclosureCategory.objects.create(code=CODE, name=NAME, parent=None, sort_order=170)


class Migration(migrations.Migration):
    dependencies = [
        ("annualreports", "0001_initial"),
        ("disclosure", "0003_index_guide_rules"),
    ]

    operations = [migrations.RunPython(create_category, migrations.RunPython.noop)]
