"""Platform-wide settings and the scheduler's heartbeat."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting


@register_setting(icon="cog")
class PlatformSettings(BaseGenericSetting):
    """平台设置: switches that apply to every site of the group at once."""

    mourning_mode = models.BooleanField(
        _("Mourning mode (all sites in grey)"),
        default=False,
        help_text=_(
            "For national memorial days, days of mourning for major disasters and the like: "
            "when on, every page of every site in the group is shown in grey."
        ),
    )
    mourning_ends_at = models.DateTimeField(
        _("Mourning mode ends at"),
        null=True,
        blank=True,
        help_text=_("Leave empty to switch it off by hand."),
    )

    panels = [FieldPanel("mourning_mode"), FieldPanel("mourning_ends_at")]

    class Meta:
        verbose_name = _("Platform settings")
        verbose_name_plural = _("Platform settings")

    @property
    def mourning_active(self) -> bool:
        if not self.mourning_mode:
            return False
        return self.mourning_ends_at is None or self.mourning_ends_at > timezone.now()


class SchedulerHeartbeat(models.Model):
    """When the built-in scheduler last ran, so the admin can tell if it stopped."""

    name = models.CharField(max_length=50, primary_key=True)
    last_run_at = models.DateTimeField()
    published = models.PositiveIntegerField(default=0)
    expired = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("Scheduler heartbeat")
        verbose_name_plural = _("Scheduler heartbeats")

    def __str__(self) -> str:
        return f"{self.name} @ {self.last_run_at:%Y-%m-%d %H:%M:%S}"
