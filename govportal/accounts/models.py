"""Accounts (账号): one user model for staff and, later, citizens.

Custom from the first migration so that identity work (citizen accounts, 2FA,
三员分立) never needs migration surgery.
"""

from django.conf import settings
from django.contrib.auth.models import AbstractUser, Group
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.contrib.settings.models import BaseGenericSetting, register_setting


class User(AbstractUser):
    """A person who signs in: staff now, citizens later (公众用户)."""

    display_name = models.CharField(_("Full name"), max_length=64, blank=True)
    mobile = models.CharField(_("Mobile phone number"), max_length=20, blank=True)
    # 等保 三级: passwords expire (GOVPORTAL_PASSWORD_MAX_AGE_DAYS); set by set_password().
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True)
    # Wrong two-factor codes in a row, and the end of the lock they caused (两步验证锁定).
    two_factor_failures = models.PositiveSmallIntegerField("两步验证连续失败次数", default=0)
    two_factor_locked_until = models.DateTimeField("两步验证锁定至", null=True, blank=True)

    class Meta:
        verbose_name = _("User")
        verbose_name_plural = _("Users")

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username

    def set_password(self, raw_password):
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()

    def save(self, *args, **kwargs):
        # create_user() hashes with make_password(), not set_password(): stamp and remember
        # the first password of a new account here.
        first_password = (
            self._state.adding and self._password is None and self.has_usable_password()
        )
        if first_password and self.password_changed_at is None:
            self.password_changed_at = timezone.now()
        super().save(*args, **kwargs)
        if first_password:
            PasswordHistory.objects.create(user=self, password=self.password)

    def password_expired(self, now=None) -> bool:
        """Has the password outlived ``GOVPORTAL_PASSWORD_MAX_AGE_DAYS`` (0 = never)?"""
        days = getattr(settings, "GOVPORTAL_PASSWORD_MAX_AGE_DAYS", 0)
        if not days or self.password_changed_at is None or not self.has_usable_password():
            return False
        age = (now or timezone.now()) - self.password_changed_at
        return age.total_seconds() > days * 86400


class PasswordHistory(models.Model):
    """A password a user had (its hash only), to refuse reusing recent ones (历史密码)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="password_history"
    )
    password = models.CharField("密码哈希", max_length=128)
    created_at = models.DateTimeField("设置时间", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "历史密码"
        verbose_name_plural = "历史密码"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.created_at:%Y-%m-%d}"


@register_setting(icon="lock")
class TwoFactorPolicy(BaseGenericSetting):
    """Who must use two-factor login in the admin (两步验证策略), set by the security admin.

    ``GOVPORTAL_2FA_REQUIRED_FOR_ALL_STAFF`` (production default) requires it of every staff
    account whatever this says; ``GOVPORTAL_2FA_ENFORCE = False`` (test settings) switches
    the requirement off while still asking enrolled users for their code.
    """

    require_superusers = models.BooleanField(
        "超级管理员必须启用", default=True, help_text="Django 超级管理员账号必须启用两步验证。"
    )
    require_operators = models.BooleanField(
        "平台运营人员必须启用",
        default=True,
        help_text="持有“可管理站群”权限的集约化平台管理员必须启用两步验证。",
    )
    required_groups = models.ManyToManyField(
        Group,
        blank=True,
        related_name="+",
        verbose_name="必须启用的角色",
        help_text="这些角色（组）的成员必须启用两步验证才能使用管理后台。",
    )

    class Meta:
        verbose_name = "两步验证策略"
        verbose_name_plural = "两步验证策略"

    def __str__(self) -> str:
        return "两步验证策略"
