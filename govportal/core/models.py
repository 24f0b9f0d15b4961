"""Platform-wide settings and the scheduler's heartbeat."""

from django.db import models
from django.utils import timezone

from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting


@register_setting(icon="cog")
class PlatformSettings(BaseGenericSetting):
    """平台设置: switches that apply to every site of the group at once."""

    mourning_mode = models.BooleanField(
        "哀悼模式（全站变灰）",
        default=False,
        help_text="国家公祭日、重大灾难哀悼日等，开启后站群内所有网站页面显示为灰色。",
    )
    mourning_ends_at = models.DateTimeField(
        "哀悼模式自动结束时间", null=True, blank=True, help_text="留空表示手动关闭。"
    )

    panels = [FieldPanel("mourning_mode"), FieldPanel("mourning_ends_at")]

    class Meta:
        verbose_name = "平台设置"
        verbose_name_plural = "平台设置"

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
        verbose_name = "定时任务心跳"
        verbose_name_plural = "定时任务心跳"

    def __str__(self) -> str:
        return f"{self.name} @ {self.last_run_at:%Y-%m-%d %H:%M:%S}"
