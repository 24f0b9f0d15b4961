"""Load the Art. 20 categories (法定主动公开内容) into DisclosureCategory."""

from django.db import migrations


def load(apps, schema_editor):
    from govportal.disclosure.taxonomy import ensure_categories

    ensure_categories(apps.get_model("disclosure", "DisclosureCategory"))


class Migration(migrations.Migration):
    dependencies = [("disclosure", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
