"""The 审计管理员 role: a group holding 查阅审计日志 and admin access, nothing else."""

from django.db import migrations

GROUP = "审计管理员"


def create_group(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    # Permissions of a new model only appear after migrate (post_migrate): create it now.
    content_type, _ = ContentType.objects.get_or_create(app_label="audit", model="auditrecord")
    view, _ = Permission.objects.get_or_create(
        content_type=content_type, codename="view_auditrecord", defaults={"name": "查阅审计日志"}
    )
    admin_type, _ = ContentType.objects.get_or_create(app_label="wagtailadmin", model="admin")
    access, _ = Permission.objects.get_or_create(
        content_type=admin_type, codename="access_admin", defaults={"name": "Can access Wagtail admin"}
    )
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(view, access)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_append_only_trigger"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        # After the Wagtail migrations that hand choose permissions to every existing group:
        # this role holds nothing but reading the audit trail.
        ("wagtaildocs", "0011_add_choose_permissions"),
        ("wagtailimages", "0023_add_choose_permissions"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
