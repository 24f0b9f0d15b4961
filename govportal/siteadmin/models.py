"""Channel delegation (栏目授权 / 逻辑子站): a channel subtree handed to a sub-unit.

A site admin delegates one channel of their site to an organisation (a department or
town of the unit that owns the site) and a few of its people: they get a group that may
add and edit pages only inside that channel, and use the site's images and documents.
Publishing still goes through the site's review workflow. Deleting the channel (or the
site) deletes the delegation and its group.
"""

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models


def delete_with_group(collector, field, sub_objs, using):
    """``on_delete`` of a delegation's channel and site: the delegation is deleted (as with
    ``CASCADE``) and so is its group, with its permissions and memberships — no orphaned
    group keeps the site's image and document rights once the channel is gone."""
    models.CASCADE(collector, field, sub_objs, using)
    group_ids = [delegation.group_id for delegation in sub_objs]
    if group_ids:
        collector.collect(Group.objects.filter(pk__in=group_ids), fail_on_restricted=False)


class ChannelDelegation(models.Model):
    site = models.ForeignKey(
        "wagtailcore.Site", on_delete=delete_with_group, related_name="+", verbose_name="站点"
    )
    channel = models.ForeignKey(
        "wagtailcore.Page", on_delete=delete_with_group, related_name="+", verbose_name="栏目"
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="channel_delegations",
        verbose_name="授权单位",
    )
    group = models.OneToOneField(
        Group, on_delete=models.CASCADE, related_name="channel_delegation", verbose_name="用户组"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="授权人",
    )
    created_at = models.DateTimeField("授权时间", auto_now_add=True)

    class Meta:
        verbose_name = "栏目授权"
        verbose_name_plural = "栏目授权"
        ordering = ["-created_at", "-pk"]
        permissions = [("manage_site_group", "可管理站群（平台运营）")]

    def __str__(self) -> str:
        return f"{self.channel.title} → {self.organization.name}"
