"""Publishing (发布): what the public page cache is keyed on."""

from django.db import models
from django.db.models import F
from django.utils import timezone


class ContentVersion(models.Model):
    """发布版本号: one counter, raised by every change that can alter a public page.

    Kept in the database so that every app server and the scheduler agree on it; the
    page cache keys on it, so a publish, withdrawal or settings change makes every
    cached page stale at once.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    version = models.PositiveBigIntegerField(default=0)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "发布版本号"
        verbose_name_plural = "发布版本号"

    def __str__(self) -> str:
        return f"v{self.version}"

    @classmethod
    def current(cls) -> int:
        return cls.objects.filter(pk=1).values_list("version", flat=True).first() or 0

    @classmethod
    def bump(cls) -> None:
        if not cls.objects.filter(pk=1).update(version=F("version") + 1, changed_at=timezone.now()):
            cls.objects.get_or_create(pk=1, defaults={"version": 1})
