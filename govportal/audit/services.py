"""``record()``: the one way every app writes to the audit trail, and who may read it."""

from django.db import models

from wagtail.models import Page

from . import chain, context
from .models import AuditRecord, Outcome

SUPERUSER_ROLE = "超级管理员"
AUDIT_GROUP = "审计管理员"
AUDIT_PERMISSION = ("audit", "view_auditrecord")


def roles_of(user) -> str:
    """The user's roles at this moment: superuser flag and group names (cached per object)."""
    if user is None or not getattr(user, "pk", None):
        return ""
    cached = getattr(user, "_audit_roles", None)
    if cached is None:
        names = sorted(user.groups.values_list("name", flat=True))
        if user.is_superuser:
            names.insert(0, SUPERUSER_ROLE)
        cached = user._audit_roles = "、".join(names)
    return cached


def forget_roles(user) -> None:
    user.__dict__.pop("_audit_roles", None)


def describe(obj) -> tuple[str, str, str]:
    """(object_type, object_id, object_repr) of a model instance or model class."""
    if obj is None:
        return "", "", ""
    if isinstance(obj, type) and issubclass(obj, models.Model):
        return obj._meta.label_lower, "", str(obj._meta.verbose_name)
    if isinstance(obj, models.Model):
        # Every page is "wagtailcore.page" whatever its type, so one search finds its history.
        label = "wagtailcore.page" if isinstance(obj, Page) else obj._meta.label_lower
        pk = "" if obj.pk is None else str(obj.pk)
        return label, pk, str(obj)
    return type(obj).__name__, "", str(obj)


def record(
    action: str,
    *,
    user=None,
    request=None,
    obj=None,
    outcome: str = Outcome.SUCCESS,
    before=None,
    after=None,
    username: str | None = None,
    **extra,
) -> AuditRecord:
    """Append one audit record and return it.

    ``user``/``request`` default to the current request (or :func:`acting_as`) if any;
    without either the record is the system's own (empty user). ``obj`` is a model
    instance (or a model class, for actions on a whole table such as exports).
    ``before``/``after`` are JSON-able snapshots of what changed; any other keyword is
    kept in ``extra``. ``username`` overrides the recorded name (e.g. the name typed at a
    failed login). Written in the caller's transaction: if that rolls back, so does the
    record.
    """
    if outcome not in Outcome.values:
        raise ValueError(f"unknown audit outcome {outcome!r}")
    actor = context.current()
    if request is None and actor is not None:
        request = actor.request
    if user is None:
        if request is not None:
            candidate = getattr(request, "user", None)
            if candidate is not None and candidate.is_authenticated:
                user = candidate
        elif actor is not None:
            user = actor.user
    if request is not None:
        ip = context.client_ip(request)
    else:
        ip = actor.ip if actor is not None else None
    object_type, object_id, object_repr = describe(obj)
    user_pk = getattr(user, "pk", None)
    return chain.append(
        user_id=user_pk,
        username=username if username is not None else (user.get_username() if user_pk else ""),
        roles=roles_of(user) if user_pk else "",
        ip_address=ip,
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr,
        outcome=outcome,
        before=before,
        after=after,
        extra=extra,
    )


def is_audit_admin(user) -> bool:
    """May ``user`` read the audit trail?

    Only through a group holding 查阅审计日志 (the 审计管理员 role). Being a superuser does
    not count (三员分立: the system administrator must not read or export the audit trail).
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    cached = getattr(user, "_audit_admin", None)
    if cached is None:
        from django.contrib.auth.models import Permission

        cached = user._audit_admin = Permission.objects.filter(
            content_type__app_label=AUDIT_PERMISSION[0],
            codename=AUDIT_PERMISSION[1],
            group__user=user,
        ).exists()
    return cached
