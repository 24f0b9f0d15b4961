"""Password rules beyond Django's: a mix of character classes (等保 三级 复杂度要求)."""

import re

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext, gettext_noop, ngettext

CLASS_RULE = gettext_noop(
    "The password must contain characters of at least %(n)d of these kinds: "
    "upper-case letters, lower-case letters, digits, symbols."
)


class CharacterClassValidator:
    """Require at least ``min_classes`` of: lower case, upper case, digits, symbols."""

    CLASSES = (r"[a-z]", r"[A-Z]", r"[0-9]", r"[^a-zA-Z0-9]")

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password: str, user=None) -> None:
        found = sum(1 for pattern in self.CLASSES if re.search(pattern, password))
        if found < self.min_classes:
            raise ValidationError(
                gettext(CLASS_RULE),
                code="password_too_simple",
                params={"n": self.min_classes},
            )

    def get_help_text(self) -> str:
        return gettext(CLASS_RULE) % {"n": self.min_classes}


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's length rule, with its message translated again.

    Django 5.2 changed the "too short" message to a ``%d`` placeholder that its zh-hans
    catalogue does not have yet, so users saw it in English. The previous wording (same
    meaning, ``%(min_length)d``) is still translated in every Django catalogue.
    """

    def get_error_message(self) -> str:
        return ngettext(
            "This password is too short. It must contain at least %(min_length)d character.",
            "This password is too short. It must contain at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}


REUSED = "不能使用最近 {n} 次用过的密码，请换一个新密码。"


class PasswordHistoryValidator:
    """Refuse the last ``count`` passwords of the user (kept as hashes in PasswordHistory).

    ``password_changed`` (called by Django after a user with a new password is saved)
    records the new hash and keeps only the last ``count``.
    """

    def __init__(self, count: int = 5):
        self.count = count

    def _recent(self, user):
        from .models import PasswordHistory

        return PasswordHistory.objects.filter(user_id=user.pk).order_by("-created_at", "-pk")[
            : self.count
        ]

    def validate(self, password: str, user=None) -> None:
        if user is None or not getattr(user, "pk", None):
            return
        from django.contrib.auth.hashers import check_password

        for entry in self._recent(user):
            if check_password(password, entry.password):
                raise ValidationError(REUSED.format(n=self.count), code="password_reused")

    def password_changed(self, password: str, user=None) -> None:
        if user is None or not getattr(user, "pk", None) or not user.has_usable_password():
            return
        from govportal.audit.services import record

        from .models import PasswordHistory

        had_one = PasswordHistory.objects.filter(user_id=user.pk).exists()
        PasswordHistory.objects.create(user_id=user.pk, password=user.password)
        keep = list(self._recent(user).values_list("pk", flat=True))
        PasswordHistory.objects.filter(user_id=user.pk).exclude(pk__in=keep).delete()
        if had_one:
            record("account.password_change", obj=user)

    def get_help_text(self) -> str:
        return f"不能与最近 {self.count} 次用过的密码相同。"
