"""Accounts (账号): one user model for staff and, later, citizens.

Custom from the first migration so that identity work (citizen accounts, 2FA,
三员分立) never needs migration surgery.
"""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who signs in: staff now, citizens later (公众用户)."""

    display_name = models.CharField(_("Full name"), max_length=64, blank=True)
    mobile = models.CharField(_("Mobile phone number"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("User")
        verbose_name_plural = _("Users")

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username
