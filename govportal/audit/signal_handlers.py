"""The audited events wired today: logins, permission changes, publication.

Case state changes and exports call :func:`govportal.audit.record` where they happen
(``submissions.services``, the export views). Everything here is connected in
:meth:`AuditConfig.ready` through :func:`connect`.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from wagtail.models import (
    GroupCollectionPermission,
    GroupPagePermission,
    GroupSitePermission,
    Page,
    get_page_models,
)
from wagtail.signals import page_published, page_unpublished

from .models import Outcome
from .services import forget_roles, record

FLAGS = ("is_superuser", "is_staff", "is_active")


# -- logins ----------------------------------------------------------------------------------


def on_login(sender, request, user, **kwargs):
    forget_roles(user)
    record("auth.login", user=user, request=request, obj=user)


def _refused_by_lockout(request, credentials) -> bool:
    """Was this attempt refused because the account was locked already (not the one locking it)?

    Works whichever of axes's receivers and ours runs first: once axes has counted the
    attempt, the count says it (more failures than the limit: already locked); before, ask
    axes whether the account is locked now. With ``AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT``
    off, axes marks refused attempts before counting and stops counting them.
    """
    from axes.handlers.proxy import AxesProxyHandler
    from axes.helpers import get_failure_limit

    failures = getattr(request, "axes_failures_since_start", None)
    if failures is not None:
        return failures > get_failure_limit(request, credentials)
    if getattr(request, "axes_locked_out", False):
        return True
    return AxesProxyHandler.is_locked(request, credentials)


def on_login_failed(sender, credentials, request=None, **kwargs):
    User = get_user_model()
    typed = str(credentials.get(User.USERNAME_FIELD) or credentials.get("username") or "")
    account = (
        User._default_manager.filter(**{User.USERNAME_FIELD: typed}).first() if typed else None
    )
    locked = request is not None and _refused_by_lockout(request, credentials)
    record(
        "auth.login_failed",
        request=request,
        obj=account,
        username=typed,
        outcome=Outcome.DENIED if locked else Outcome.FAILURE,
        account_exists=account is not None,
        locked_out=locked,
    )


def on_locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    """The attempt that locks an account (axes repeats the signal for later attempts)."""
    failures = getattr(request, "axes_failures_since_start", None)
    if request is None or failures is None:
        return
    from axes.helpers import get_failure_limit

    if failures > get_failure_limit(request, getattr(request, "axes_credentials", None)):
        return  # an attempt while already locked: its login_failed record says so
    record(
        "auth.lockout",
        request=request,
        username=username or "",
        outcome=Outcome.DENIED,
        failures=failures,
    )


def on_logout(sender, request, user, **kwargs):
    if user is not None:
        record("auth.logout", user=user, request=request, obj=user)


# -- accounts and permissions ----------------------------------------------------------------


def _group_names(user) -> list[str]:
    return sorted(Group.objects.filter(user=user).values_list("name", flat=True))


def _changed_names(model, pks) -> list[str]:
    return sorted(model.objects.filter(pk__in=pks).values_list("name", flat=True))


def _membership_record(user, before, after):
    forget_roles(user)
    added = sorted(set(after) - set(before))
    removed = sorted(set(before) - set(after))
    record(
        "perm.group_membership",
        obj=user,
        before={"groups": before},
        after={"groups": after},
        added=added,
        removed=removed,
    )


def on_user_groups_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    """user.groups.add/remove/set/clear and group.user_set.… (either side of the m2m)."""
    if action == "pre_clear":
        if reverse:  # group.user_set.clear(): remember who was in it
            instance._audit_members = list(instance.user_set.values_list("pk", flat=True))
        else:
            instance._audit_groups = _group_names(instance)
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        after = _group_names(instance)
        if action == "post_clear":
            before = instance.__dict__.pop("_audit_groups", [])
        elif not pk_set:
            return
        else:
            changed = _changed_names(Group, pk_set)
            before = sorted(
                set(after) - set(changed) if action == "post_add" else set(after) | set(changed)
            )
        if before != after:
            _membership_record(instance, before, after)
        return
    # Reverse: ``instance`` is a Group, ``pk_set`` the users.
    user_pks = instance.__dict__.pop("_audit_members", []) if action == "post_clear" else pk_set
    for user in model.objects.filter(pk__in=user_pks or ()):
        after = _group_names(user)
        before = sorted(
            set(after) - {instance.name} if action == "post_add" else set(after) | {instance.name}
        )
        _membership_record(user, before, after)


def _permission_labels(group) -> list[str]:
    rows = group.permissions.values_list("content_type__app_label", "codename")
    return sorted(f"{app}.{codename}" for app, codename in rows)


def on_group_permissions_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    """group.permissions.add/remove/set/clear (what the group editor's checkboxes do)."""
    if reverse:  # permission.group_set.…: ``instance`` is a Permission, ``pk_set`` groups
        if action not in ("post_add", "post_remove") or not pk_set:
            return
        label = f"{instance.content_type.app_label}.{instance.codename}"
        for group in Group.objects.filter(pk__in=pk_set):
            after = _permission_labels(group)
            before = sorted(set(after) - {label} if action == "post_add" else set(after) | {label})
            _permissions_record(group, before, after)
        return
    if action == "pre_clear":
        instance._audit_permissions = _permission_labels(instance)
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    after = _permission_labels(instance)
    if action == "post_clear":
        before = instance.__dict__.pop("_audit_permissions", [])
    elif not pk_set:
        return
    else:
        changed = {
            f"{app}.{codename}"
            for app, codename in Permission.objects.filter(pk__in=pk_set).values_list(
                "content_type__app_label", "codename"
            )
        }
        before = sorted(set(after) - changed if action == "post_add" else set(after) | changed)
    if before != after:
        _permissions_record(instance, before, after)


def _permissions_record(group, before, after):
    record(
        "perm.group_permissions",
        obj=group,
        before={"permissions": before},
        after={"permissions": after},
        added=sorted(set(after) - set(before)),
        removed=sorted(set(before) - set(after)),
    )


def _safe(getter):
    try:
        return getter()
    except Exception:  # noqa: BLE001 — a row deleted in the same cascade: describe what is left
        return None


# (model, target field, grant action, revoke action)
OBJECT_PERMISSIONS = {
    GroupPagePermission: ("page", "perm.page_grant", "perm.page_revoke"),
    GroupCollectionPermission: ("collection", "perm.collection_grant", "perm.collection_revoke"),
    GroupSitePermission: ("site", "perm.site_grant", "perm.site_revoke"),
}


def object_permission_snapshot(row) -> dict:
    field = OBJECT_PERMISSIONS[type(row)][0]
    target = _safe(lambda: getattr(row, field))
    permission = _safe(lambda: row.permission)
    return {
        "group": _safe(lambda: row.group.name),
        field: str(target) if target is not None else None,
        f"{field}_id": getattr(row, f"{field}_id"),
        "permission": (
            f"{permission.content_type.app_label}.{permission.codename}" if permission else None
        ),
    }


def record_object_permission(row, granted: bool):
    _field, grant, revoke = OBJECT_PERMISSIONS[type(row)]
    snapshot = object_permission_snapshot(row)
    group = _safe(lambda: row.group)
    record(
        grant if granted else revoke,
        obj=group if group is not None else row,
        before=None if granted else snapshot,
        after=snapshot if granted else None,
    )


def on_object_permission_saved(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        record_object_permission(instance, granted=True)


def on_object_permission_deleted(sender, instance, **kwargs):
    record_object_permission(instance, granted=False)


def on_user_pre_save(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or instance.pk is None:
        return
    if update_fields is not None and not set(update_fields) & set(FLAGS):
        return  # e.g. last_login on every sign-in: nothing to compare, no query
    instance._audit_flags = sender._base_manager.filter(pk=instance.pk).values(*FLAGS).first()


def on_user_saved(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    now = {flag: getattr(instance, flag) for flag in FLAGS}
    if created:
        record("account.create", obj=instance, after=now)
        return
    before = instance.__dict__.pop("_audit_flags", None)
    if not before:
        return
    changed = [flag for flag in FLAGS if before[flag] != now[flag]]
    if changed:
        forget_roles(instance)
        record(
            "account.flags",
            obj=instance,
            before={flag: before[flag] for flag in changed},
            after={flag: now[flag] for flag in changed},
        )


def on_user_deleted(sender, instance, **kwargs):
    """pre_delete: the memberships are still there to be recorded."""
    record(
        "account.delete",
        obj=instance,
        before={
            "username": instance.get_username(),
            **{f: getattr(instance, f) for f in FLAGS},
            "groups": _group_names(instance),
        },
    )


def on_group_deleted(sender, instance, **kwargs):
    """pre_delete: a deleted group takes its members' membership and its permissions along."""
    record(
        "perm.group_delete",
        obj=instance,
        before={
            "name": instance.name,
            "members": sorted(
                instance.user_set.values_list(get_user_model().USERNAME_FIELD, flat=True)
            ),
            "permissions": _permission_labels(instance),
        },
    )


# -- publication -----------------------------------------------------------------------------


def _page_state(values) -> dict | None:
    if values is None:
        return None
    return {"live": values["live"], "live_revision_id": values["live_revision_id"]}


def on_page_pre_save(sender, instance, raw=False, update_fields=None, **kwargs):
    """Remember the live state before a publish/unpublish saves the page (one query)."""
    if raw or instance.pk is None:
        return
    if update_fields is not None and not {"live", "live_revision"} & set(update_fields):
        return  # draft saves (save_revision) do not change what is live
    instance._audit_page_before = _page_state(
        Page.objects.filter(pk=instance.pk).values("live", "live_revision_id").first()
    )


def on_page_published(sender, instance, revision, **kwargs):
    before = instance.__dict__.pop("_audit_page_before", None)
    record(
        "page.publish",
        obj=instance,
        before=before,
        after={"live": True, "live_revision_id": revision.pk if revision else None},
        url_path=instance.url_path,
    )


def on_page_unpublished(sender, instance, **kwargs):
    before = instance.__dict__.pop("_audit_page_before", None)
    record(
        "page.unpublish",
        obj=instance,
        before=before,
        after={"live": False, "live_revision_id": None},
        url_path=instance.url_path,
        expired=bool(getattr(instance, "expired", False)),
    )


def on_page_deleted(sender, instance, **kwargs):
    record(
        "page.delete",
        obj=instance,
        before={
            "live": instance.live,
            "live_revision_id": instance.live_revision_id,
            "url_path": instance.url_path,
        },
        after=None,
    )


def connect() -> None:
    uid = "govportal.audit"
    user_logged_in.connect(on_login, dispatch_uid=f"{uid}.login")
    user_login_failed.connect(on_login_failed, dispatch_uid=f"{uid}.login_failed")
    user_logged_out.connect(on_logout, dispatch_uid=f"{uid}.logout")
    from axes.signals import user_locked_out

    user_locked_out.connect(on_locked_out, dispatch_uid=f"{uid}.lockout")

    User = get_user_model()
    m2m_changed.connect(
        on_user_groups_changed, sender=User.groups.through, dispatch_uid=f"{uid}.groups"
    )
    m2m_changed.connect(
        on_group_permissions_changed,
        sender=Group.permissions.through,
        dispatch_uid=f"{uid}.group_permissions",
    )
    pre_save.connect(on_user_pre_save, sender=User, dispatch_uid=f"{uid}.user_pre")
    post_save.connect(on_user_saved, sender=User, dispatch_uid=f"{uid}.user_post")
    pre_delete.connect(on_user_deleted, sender=User, dispatch_uid=f"{uid}.user_delete")
    pre_delete.connect(on_group_deleted, sender=Group, dispatch_uid=f"{uid}.group_delete")
    for model in OBJECT_PERMISSIONS:
        name = model._meta.model_name
        post_save.connect(on_object_permission_saved, sender=model, dispatch_uid=f"{uid}.{name}")
        post_delete.connect(
            on_object_permission_deleted, sender=model, dispatch_uid=f"{uid}.{name}.delete"
        )

    for model in {Page, *get_page_models()}:
        pre_save.connect(
            on_page_pre_save, sender=model, dispatch_uid=f"{uid}.page_pre.{model._meta.label}"
        )
    page_published.connect(on_page_published, dispatch_uid=f"{uid}.published")
    page_unpublished.connect(on_page_unpublished, dispatch_uid=f"{uid}.unpublished")
    # The base row: exactly one signal per deleted page, whatever its type.
    post_delete.connect(on_page_deleted, sender=Page, dispatch_uid=f"{uid}.page_delete")
