"""Who may see a full personal value, and a record of each time someone does.

A model declares the permission that unlocks its personal data::

    class Letter(models.Model):
        privacy_reveal_permission = "interaction.view_personal_data"
        # or per field: {"phone": "interaction.view_phone", "id_card": "interaction.view_id"}

        def privacy_can_reveal(self, user, field_name) -> bool:   # optional, per object
            return self.handling_unit_id in user.unit_ids()

``reveal(request, obj, "phone")`` gives the full value to a user who holds the permission
(and passes ``privacy_can_reveal`` if the model defines it) and records that view in the
audit trail; everyone else gets the masked value. A model without a declared permission
reveals to nobody. ``masked(obj, "phone")`` is what public pages and lists show.
"""

import logging

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured

from .fields import EncryptedFieldMixin

logger = logging.getLogger("govportal.privacy")

REVEAL_ACTION = "privacy.reveal"


def encrypted_field(obj, field_name: str) -> EncryptedFieldMixin:
    try:
        field = type(obj)._meta.get_field(field_name)
    except FieldDoesNotExist:
        field = None
    if not isinstance(field, EncryptedFieldMixin):
        raise ImproperlyConfigured(f"{type(obj).__name__}.{field_name} 不是加密的个人信息字段。")
    return field


def reveal_permission(model, field_name: str) -> str | None:
    permission = getattr(model, "privacy_reveal_permission", None)
    if isinstance(permission, dict):
        permission = permission.get(field_name)
    return permission or None


def can_reveal(user, obj, field_name: str) -> bool:
    """Whether ``user`` may see the full value of ``obj.<field_name>``."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    permission = reveal_permission(type(obj), field_name)
    if not permission or not user.has_perm(permission):
        return False
    check = getattr(obj, "privacy_can_reveal", None)
    return bool(check(user, field_name)) if check else True


def masked(obj, field_name: str) -> str:
    """The field's value through its mask, for public pages and lists."""
    field = encrypted_field(obj, field_name)
    return field.masked(getattr(obj, field.attname))


def reveal(request, obj, field_name: str) -> str:
    """The full value for a permitted user (each such view audited), otherwise the masked one."""
    field = encrypted_field(obj, field_name)
    value = getattr(obj, field.attname)
    if value is None or value == "":
        return ""
    user = getattr(request, "user", None)
    if not can_reveal(user, obj, field_name):
        return field.masked(value)
    record_reveal(request, user, obj, field_name)
    return value


def audit_installed() -> bool:
    return apps.is_installed("govportal.audit")


def record_reveal(request, user, obj, field_name: str) -> None:
    """Record one view of a full value in the audit trail (the log while audit is absent)."""
    if audit_installed():
        from govportal.audit import record

        record(
            REVEAL_ACTION, user=user, request=request, obj=obj, outcome="success", field=field_name
        )
        return
    # Fallback while govportal.audit is not installed: the log is the only trail.
    logger.info(
        "%s user=%s object=%s:%s field=%s ip=%s",
        REVEAL_ACTION,
        getattr(user, "pk", None),
        obj._meta.label,
        obj.pk,
        field_name,
        request.META.get("REMOTE_ADDR", "") if request is not None else "",
    )
