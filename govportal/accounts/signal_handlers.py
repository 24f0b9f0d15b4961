"""三员分立 in the model layer: refuse memberships and grants that would merge the roles.

Connected in :meth:`AccountsConfig.ready`. Every refusal raises ``ValidationError`` before
anything is written (``pre_add`` / ``pre_save``), whichever code asked: the Wagtail user and
group editors, bulk "assign role", 站点人员与权限, the shell.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db.models.signals import m2m_changed, pre_save

from wagtail.models import GroupPagePermission

from govportal.audit.context import current as current_actor

from . import roles


def _actor():
    actor = current_actor()
    if actor is None:
        return None
    if actor.user is not None:
        return actor.user
    request = actor.request
    user = getattr(request, "user", None) if request is not None else None
    return user if user is not None and user.is_authenticated else None


def _refuse_own_roles(user_pks) -> None:
    """A security admin (not a superuser) never changes their own memberships."""
    actor = _actor()
    if actor is None or actor.pk not in set(user_pks) or actor.is_superuser:
        return
    if roles.is_security_admin(actor):
        raise ValidationError(roles.OWN_ROLES, code="own_roles")


def on_user_groups_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action not in ("pre_add", "pre_remove", "pre_clear"):
        return
    User = get_user_model()
    if not reverse:  # user.groups.add(...): instance is the user
        _refuse_own_roles([instance.pk])
        if action != "pre_add" or not pk_set:
            return
        groups = list(Group.objects.filter(user=instance)) + list(
            Group.objects.filter(pk__in=pk_set)
        )
        roles.check_groups(
            instance, {g.pk: g for g in groups}.values(), is_superuser=instance.is_superuser
        )
        return
    # group.user_set.add(...): instance is the group, pk_set the users
    if action == "pre_clear":
        _refuse_own_roles(instance.user_set.values_list("pk", flat=True))
        return
    if not pk_set:
        return
    _refuse_own_roles(pk_set)
    if action != "pre_add":
        return
    for user in User._default_manager.filter(pk__in=pk_set):
        groups = {g.pk: g for g in Group.objects.filter(user=user)}
        groups[instance.pk] = instance
        roles.check_groups(user, groups.values(), is_superuser=user.is_superuser)


def on_user_pre_save(sender, instance, raw=False, update_fields=None, **kwargs):
    """Becoming a superuser is refused while holding the security or audit role."""
    if raw or instance.pk is None or not instance.is_superuser:
        return
    if update_fields is not None and "is_superuser" not in update_fields:
        return
    names = list(Group.objects.filter(user=instance).values_list("name", flat=True))
    roles.check_membership(instance, names, is_superuser=True)


def on_page_permission_pre_save(sender, instance, raw=False, **kwargs):
    if raw:
        return
    roles.check_page_permission_grant(instance.group)


def connect() -> None:
    uid = "govportal.accounts"
    User = get_user_model()
    m2m_changed.connect(
        on_user_groups_changed, sender=User.groups.through, dispatch_uid=f"{uid}.groups"
    )
    pre_save.connect(on_user_pre_save, sender=User, dispatch_uid=f"{uid}.user_pre")
    pre_save.connect(
        on_page_permission_pre_save,
        sender=GroupPagePermission,
        dispatch_uid=f"{uid}.page_permission",
    )


def on_logged_in(sender, request, user, **kwargs):
    """A new sign-in starts the idle clock afresh."""
    if request is not None and hasattr(request, "session"):
        import time

        from .middleware import LAST_ACTIVITY

        request.session[LAST_ACTIVITY] = int(time.time())
