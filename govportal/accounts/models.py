"""Accounts (账号): one user model for staff and, later, citizens.

Custom from the first migration so that identity work (citizen accounts, 2FA,
三员分立) never needs migration surgery.
"""

import base64
import secrets
import time
from urllib.parse import quote, urlencode

from django.conf import settings
from django.contrib.auth.models import AbstractUser, Group
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from django_otp.models import Device, TimestampMixin
from django_otp.oath import TOTP
from django_otp.util import hex_validator

from govportal.privacy.fields import EncryptedCharField


class User(AbstractUser):
    """A person who signs in: staff now, citizens later (公众用户)."""

    display_name = models.CharField(_("Full name"), max_length=64, blank=True)
    mobile = models.CharField(_("Mobile phone number"), max_length=20, blank=True)
    # 等保 三级: passwords expire (GOVPORTAL_PASSWORD_MAX_AGE_DAYS); set by set_password().
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True)
    # A password someone else set (a site admin's reset, an initial password) must be changed
    # by its owner before anything else in the admin; set_password() by the owner clears it.
    must_change_password = models.BooleanField("须修改密码", default=False)
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
        self.must_change_password = False

    def set_password_for_owner_to_change(self, raw_password) -> None:
        """Set a password chosen by someone else: its owner must replace it first."""
        self.set_password(raw_password)
        self.must_change_password = True

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
        if self.must_change_password and self.has_usable_password():
            return True
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


# -- two-factor login (两步验证) ----------------------------------------------------------------


def new_totp_key() -> str:
    """20 random bytes, hex: the secret of a new authenticator (RFC 4226's recommended size)."""
    return secrets.token_hex(20)


def validate_totp_key(value: str) -> None:
    hex_validator()(value)


class AuthenticatorDevice(TimestampMixin, Device):
    """A staff member's authenticator app (TOTP, RFC 6238), a django-otp ``Device``.

    Being a ``Device`` keeps django-otp's ``OTPMiddleware``, ``django_otp.login`` and
    ``request.user.is_verified()`` working. The shared secret is encrypted at rest with the
    field keys (``GOVPORTAL_FIELD_KEYS``; ``rotate_field_keys`` re-encrypts it). ``last_t``
    is the time step of the last accepted code: a code is never accepted twice.
    """

    key = EncryptedCharField(
        "密钥", max_length=80, default=new_totp_key, validators=[validate_totp_key]
    )
    step = models.PositiveSmallIntegerField("时间步长（秒）", default=30)
    t0 = models.BigIntegerField("起始时间（Unix 秒）", default=0)
    digits = models.PositiveSmallIntegerField("位数", choices=[(6, 6), (8, 8)], default=6)
    tolerance = models.PositiveSmallIntegerField("允许误差（步）", default=1)
    drift = models.SmallIntegerField("时钟偏差（步）", default=0)
    last_t = models.BigIntegerField("上次通过的时间步", default=-1)

    class Meta(Device.Meta):
        verbose_name = "身份验证器"
        verbose_name_plural = "身份验证器"

    @property
    def bin_key(self) -> bytes:
        return bytes.fromhex(self.key)

    def verify_token(self, token) -> bool:
        """Is ``token`` the code of the current step (± ``tolerance``), and not used before?"""
        try:
            token = int(token)
        except (TypeError, ValueError):
            return False
        with transaction.atomic():
            # Lock the row and read the newest last_t: two requests with one code cannot both pass.
            state = (
                type(self)
                .objects.select_for_update()
                .filter(pk=self.pk)
                .values("last_t", "drift")
                .first()
            )
            if state is None:
                return False
            self.last_t, self.drift = state["last_t"], state["drift"]
            totp = TOTP(self.bin_key, self.step, self.t0, self.digits, self.drift)
            totp.time = time.time()
            if not totp.verify(token, self.tolerance, self.last_t + 1):
                return False
            self.last_t = totp.t()
            self.drift = totp.drift
            self.set_last_used_timestamp(commit=False)
            self.save(update_fields=["last_t", "drift", "last_used_at"])
        return True

    @property
    def config_url(self) -> str:
        """The otpauth:// URL authenticator apps read from the QR code."""
        label = self.user.get_username()
        params = {
            "secret": base64.b32encode(self.bin_key).decode(),
            "algorithm": "SHA1",
            "digits": self.digits,
            "period": self.step,
        }
        issuer = (getattr(settings, "GOVPORTAL_2FA_ISSUER", "") or "").replace(":", "")
        if issuer:
            label = f"{issuer}:{label}"
            params["issuer"] = issuer
        return f"otpauth://totp/{quote(label)}?{urlencode(params, quote_via=quote)}"


class RecoveryCode(models.Model):
    """One unused recovery code (恢复码), as a keyed hash only: the code itself is never stored.

    ``code_hash`` is HMAC-SHA256 under the blind-index key derived from the field key
    ``key_id`` (see ``govportal.privacy.keys``), over the user and the code. Used codes are
    deleted. Codes made under a field key stop working once that key is removed from
    ``GOVPORTAL_FIELD_KEYS``; the 2FA page then shows none left and the user makes new ones.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recovery_codes"
    )
    code_hash = models.CharField("恢复码哈希", max_length=64)
    key_id = models.CharField("密钥编号", max_length=8)
    created_at = models.DateTimeField("生成时间", default=timezone.now)

    class Meta:
        verbose_name = "恢复码"
        verbose_name_plural = "恢复码"

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.created_at:%Y-%m-%d}"
