"""个人中心 data: 站内信 (messages and their attachments), notification preferences,
channel subscriptions (我的订阅).

Everything here belongs to one user and goes with the account: every foreign key to the
user cascades, nothing protects (account deletion must never be blocked).
"""

import os
from functools import cached_property

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils import timezone
from django.utils.deconstruct import deconstructible


@deconstructible
class PrivateStorage(FileSystemStorage):
    """Files outside MEDIA_ROOT (``GOVPORTAL_PRIVATE_MEDIA_ROOT``), never given a public URL.

    They are served only by views that check who asks (the message attachment view).
    The location is read from the settings on every use, so tests can point it elsewhere.
    """

    def __init__(self):
        super().__init__(base_url=None)

    @property
    def base_location(self):
        return str(settings.GOVPORTAL_PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("private files have no public URL; serve them through a view")


private_storage = PrivateStorage()


class MessageQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)

    def read(self):
        return self.filter(read_at__isnull=False)


class Message(models.Model):
    """站内信: a message to one user in their personal centre."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="personal_messages",
        verbose_name="收件人",
    )
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True, help_text="纯文本，换行保留。")
    important = models.BooleanField("重要", default=False)
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)
    created_at = models.DateTimeField("发送时间", default=timezone.now, db_index=True)
    case_kind = models.CharField("办件类型", max_length=50, blank=True)
    case_ref = models.CharField("办件编号", max_length=64, blank=True)
    link = models.CharField("相关链接", max_length=500, blank=True)

    objects = MessageQuerySet.as_manager()

    class Meta:
        verbose_name = "站内信"
        verbose_name_plural = "站内信"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="personal_msg_unread")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


def attachment_path(instance, filename: str) -> str:
    # No user data in the stored name: the original name is kept in ``filename``.
    ext = os.path.splitext(filename)[1].lower()[:10]
    return f"personal/messages/{timezone.now():%Y/%m}/{os.urandom(12).hex()}{ext}"


class MessageAttachment(models.Model):
    """附件 of a 站内信, stored privately and served only to the recipient."""

    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, related_name="attachments", verbose_name="站内信"
    )
    file = models.FileField("文件", upload_to=attachment_path, storage=private_storage)
    filename = models.CharField("文件名", max_length=200)
    size = models.PositiveBigIntegerField("大小（字节）", default=0)

    class Meta:
        verbose_name = "站内信附件"
        verbose_name_plural = "站内信附件"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.filename

    @cached_property
    def size_display(self) -> str:
        size = self.size
        if size < 1024:
            return f"{size} B"
        if size < 1024 * 1024:
            return f"{size / 1024:.1f} KB"
        return f"{size / 1024 / 1024:.1f} MB"


class NotificationCategory(models.TextChoices):
    CASE = "case", "办件进度"
    SUBSCRIPTION = "subscription", "订阅更新"


class NotificationPreference(models.Model):
    """通知设置: besides the 站内信 (always), which kinds also go out by e-mail or SMS."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preference",
        verbose_name="用户",
    )
    case_email = models.BooleanField("办件进度：电子邮件", default=False)
    case_sms = models.BooleanField("办件进度：短信", default=False)
    subscription_email = models.BooleanField("订阅更新：电子邮件", default=False)
    subscription_sms = models.BooleanField("订阅更新：短信", default=False)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "通知设置"
        verbose_name_plural = "通知设置"

    def __str__(self) -> str:
        return f"通知设置 {self.user_id}"

    def channels_for(self, category: str) -> dict[str, bool]:
        """``{"email": bool, "sms": bool}`` for a :class:`NotificationCategory`."""
        if category not in NotificationCategory.values:
            return {"email": False, "sms": False}
        return {
            "email": getattr(self, f"{category}_email"),
            "sms": getattr(self, f"{category}_sms"),
        }

    def snapshot(self) -> dict[str, bool]:
        return {
            name: getattr(self, name)
            for name in ("case_email", "case_sms", "subscription_email", "subscription_sms")
        }


class Subscription(models.Model):
    """我的订阅: a user follows a channel (栏目) of any site in the group."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="channel_subscriptions",
        verbose_name="用户",
    )
    channel = models.ForeignKey(
        "content.ChannelPage",
        on_delete=models.CASCADE,
        related_name="subscriptions",
        verbose_name="栏目",
    )
    created_at = models.DateTimeField("订阅时间", default=timezone.now)

    class Meta:
        verbose_name = "栏目订阅"
        verbose_name_plural = "栏目订阅"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "channel"], name="personal_unique_subscription")
        ]

    def __str__(self) -> str:
        return f"订阅 {self.channel_id}"


class SubscriptionNotice(models.Model):
    """An article whose first publication has been announced to the subscribers (once only)."""

    page = models.OneToOneField(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="+", verbose_name="文章"
    )
    created_at = models.DateTimeField("通知时间", default=timezone.now)
    recipients = models.PositiveIntegerField("通知人数", default=0)

    class Meta:
        verbose_name = "订阅通知记录"
        verbose_name_plural = "订阅通知记录"

    def __str__(self) -> str:
        return f"订阅通知 {self.page_id}"
