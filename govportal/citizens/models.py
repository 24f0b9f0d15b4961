"""Citizen accounts (公众用户): the profile beside ``accounts.User`` and one-time codes (验证码).

A citizen is a ``User`` (no staff flag, no groups, a generated ``c_…`` username that is never
shown) with a :class:`CitizenProfile`. The e-mail address stays on ``User.email`` (unique
among citizens, case-insensitive, enforced by ``services``); the mobile number and the real
name are encrypted here, the mobile found again through its blind index.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from govportal.privacy.fields import BlindIndexField, EncryptedCharField
from govportal.privacy.validators import validate_mobile


class CitizenProfile(models.Model):
    """公众用户资料: contacts, verification times and the linked unified identity (统一身份认证)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="citizen_profile",
        verbose_name="账号",
    )
    mobile = EncryptedCharField(
        "手机号码", max_length=20, blank=True, mask="phone", validators=[validate_mobile]
    )
    mobile_index = BlindIndexField(source="mobile", normalize="phone", unique=True)
    real_name = EncryptedCharField("真实姓名", max_length=50, blank=True, mask="name")
    email_verified_at = models.DateTimeField("邮箱验证时间", null=True, blank=True)
    mobile_verified_at = models.DateTimeField("手机验证时间", null=True, blank=True)
    oidc_issuer = models.CharField("统一身份认证平台", max_length=255, blank=True)
    oidc_subject = models.CharField("统一身份认证用户标识", max_length=255, blank=True)
    created_at = models.DateTimeField("注册时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "公众用户资料"
        verbose_name_plural = "公众用户资料"
        constraints = [
            models.UniqueConstraint(
                fields=["oidc_issuer", "oidc_subject"],
                condition=~Q(oidc_subject=""),
                name="citizens_unique_oidc_identity",
            )
        ]

    def __str__(self) -> str:
        return f"公众用户 {self.user_id}"


class Purpose(models.TextChoices):
    """What a one-time code may be used for; a code never works for another purpose."""

    REGISTER = "register", "注册账号"
    LOGIN = "login", "登录"
    RESET = "reset", "找回密码"
    CHANGE_CONTACT = "change_contact", "更换联系方式"
    DELETE = "delete", "注销账号"
    LETTER = "letter", "验证写信人手机号码"  # the CAPTCHA's non-visual alternative (互动交流)


class Channel(models.TextChoices):
    EMAIL = "email", "电子邮箱"
    SMS = "sms", "手机短信"


class OneTimeCode(models.Model):
    """一次性验证码: stored as an HMAC, bound to a purpose and a destination, single use.

    ``destination_key`` is an HMAC of the normalised e-mail address or mobile number, so the
    table holds no contact data. Rows are also the throttle's memory (resend interval, hourly
    caps per destination and per IP address); ``codes.purge_old`` removes them after a day.
    """

    purpose = models.CharField("用途", max_length=20, choices=Purpose.choices)
    channel = models.CharField("发送方式", max_length=10, choices=Channel.choices)
    destination_key = models.CharField("接收方标识", max_length=64, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="账号",
    )
    code_hash = models.CharField("验证码摘要", max_length=64)
    requester_ip = models.GenericIPAddressField("请求IP", null=True, blank=True, db_index=True)
    created_at = models.DateTimeField("发送时间", db_index=True)
    expires_at = models.DateTimeField("失效时间")
    attempts = models.PositiveSmallIntegerField("错误次数", default=0)
    consumed_at = models.DateTimeField("使用或作废时间", null=True, blank=True)

    class Meta:
        verbose_name = "验证码"
        verbose_name_plural = "验证码"
        indexes = [
            models.Index(fields=["destination_key", "created_at"], name="citizens_code_dest_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()}验证码 #{self.pk}"
