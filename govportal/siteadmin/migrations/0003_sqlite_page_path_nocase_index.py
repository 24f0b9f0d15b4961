"""SQLite only: an index on ``wagtailcore_page.path`` that Django's ``LIKE`` can use.

Django runs ``path__startswith`` (Wagtail's ``descendant_of``/``child_of``, the explorer's
permission filter, our site confinement) as ``path LIKE 'prefix%'``, which SQLite treats
case-insensitively, so the unique (binary) path index is never used: every explorer page
scanned all 100,000 page rows, several times. SQLite's LIKE optimisation uses an index with
``COLLATE NOCASE`` (treebeard paths are digits and capitals, so the order is the same).
PostgreSQL already has Wagtail's ``varchar_pattern_ops`` path index; nothing happens there.
"""

from django.db import migrations

INDEX = "siteadmin_page_path_nocase"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON wagtailcore_page (path COLLATE NOCASE)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("siteadmin", "0002_site_admins_edit_own_site_profile"),
        ("wagtailcore", "0095_groupsitepermission"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
