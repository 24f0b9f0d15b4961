"""三员分立: the 系统管理员 and 安全管理员 groups with their permissions.

The third role, 审计管理员, comes from migration ``audit 0003`` and is left as it is. The
permissions are listed in ``govportal.accounts.roles.ROLE_PERMISSIONS`` at the time of
writing and copied here, so that later edits there do not rewrite history. Runs after the
Wagtail migrations that hand choose permissions to every existing group.
"""

from django.db import migrations

ROLE_PERMISSIONS = {
    "系统管理员": [
        ("wagtailadmin", "admin", "access_admin", "Can access Wagtail admin"),
        ("wagtailcore", "site", "add_site", "Can add site"),
        ("wagtailcore", "site", "change_site", "Can change site"),
        ("wagtailcore", "site", "delete_site", "Can delete site"),
        ("govsites", "siteprofile", "change_siteprofile", "Can change 网站信息"),
        ("core", "platformsettings", "change_platformsettings", "Can change 平台设置"),
        ("wagtailcore", "collection", "add_collection", "Can add collection"),
        ("wagtailcore", "collection", "change_collection", "Can change collection"),
        ("wagtailcore", "collection", "delete_collection", "Can delete collection"),
        ("wagtailcore", "workflow", "add_workflow", "Can add workflow"),
        ("wagtailcore", "workflow", "change_workflow", "Can change workflow"),
        ("wagtailcore", "workflow", "delete_workflow", "Can delete workflow"),
        ("wagtailcore", "task", "add_task", "Can add task"),
        ("wagtailcore", "task", "change_task", "Can change task"),
        ("wagtailcore", "task", "delete_task", "Can delete task"),
        ("siteadmin", "channeldelegation", "manage_site_group", "可管理站群（平台运营）"),
    ],
    "安全管理员": [
        ("wagtailadmin", "admin", "access_admin", "Can access Wagtail admin"),
        ("accounts", "user", "add_user", "Can add user"),
        ("accounts", "user", "change_user", "Can change user"),
        ("accounts", "user", "delete_user", "Can delete user"),
        ("accounts", "user", "view_user", "Can view user"),
        ("auth", "group", "add_group", "Can add group"),
        ("auth", "group", "change_group", "Can change group"),
        ("auth", "group", "delete_group", "Can delete group"),
        ("auth", "group", "view_group", "Can view group"),
        ("accounts", "twofactorpolicy", "change_twofactorpolicy", "Can change 两步验证策略"),
    ],
}


def create_roles(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    for name, permissions in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, model, codename, label in permissions:
            # Permissions of models new in this migrate run appear only after it (post_migrate).
            content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
            permission, _ = Permission.objects.get_or_create(
                content_type=content_type, codename=codename, defaults={"name": label}
            )
            group.permissions.add(permission)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_staff_security"),
        ("audit", "0003_audit_admin_group"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0001_initial"),
        ("govsites", "0001_initial"),
        ("siteadmin", "0001_initial"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailimages", "0027_image_description"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
