"""Existing sites: their 站点管理员 group may edit that site's profile (网站信息), and only
that site's (``setup_site_roles`` grants the same to new sites)."""

from django.db import migrations


def grant(apps, schema_editor):
    # On a new database the permission rows do not exist yet, but then neither do sites
    # with roles: those get the grant from setup_site_roles.
    Permission = apps.get_model("auth", "Permission")
    Site = apps.get_model("wagtailcore", "Site")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupSitePermission = apps.get_model("wagtailcore", "GroupSitePermission")
    permission = Permission.objects.filter(
        content_type__app_label="govsites", codename="change_siteprofile"
    ).first()
    if permission is None:
        return
    for site in Site.objects.all():
        admin_groups = GroupPagePermission.objects.filter(
            page_id=site.root_page_id, group__name__endswith="·站点管理员"
        ).values_list("group_id", flat=True)
        for group_id in set(admin_groups):
            GroupSitePermission.objects.get_or_create(
                group_id=group_id, site=site, permission=permission
            )


class Migration(migrations.Migration):
    dependencies = [
        ("siteadmin", "0001_initial"),
        ("govsites", "0002_alter_siteprofile_options_alter_siteprofile_address_and_more"),
        ("wagtailcore", "0095_groupsitepermission"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
