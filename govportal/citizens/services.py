"""Citizen accounts (公众用户): who is a citizen, finding accounts by contact, and every
state change of an account (register, contact change, password, deletion), each audited.

Other apps ask :func:`is_citizen` and :func:`contact_mobile`; they hear about deletions through
:data:`govportal.citizens.signals.citizen_account_deleted`.
"""

import secrets

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone

from govportal.audit.models import Outcome
from govportal.audit.services import record
from govportal.privacy.fields import lookup
from govportal.privacy.masking import mask_email, mask_phone
from govportal.privacy.normalize import normalize_email, normalize_phone
from govportal.privacy.validators import MOBILE_PATTERN

from .models import Channel, CitizenProfile
from .signals import citizen_account_deleted

USERNAME_PREFIX = "c_"


# -- who is who ------------------------------------------------------------------------------


def has_admin_access(user) -> bool:
    """Staff, superusers and anyone who may open the Wagtail admin (editors, reviewers…)."""
    if user is None or not getattr(user, "pk", None):
        return False
    if user.is_staff or user.is_superuser:
        return True
    return user.has_perm("wagtailadmin.access_admin")


def citizen_profile(user) -> CitizenProfile | None:
    if user is None or not getattr(user, "pk", None):
        return None
    try:
        return user.citizen_profile
    except CitizenProfile.DoesNotExist:
        return None


def is_citizen(user) -> bool:
    """A signed-in public user (公众用户): has a citizen profile and no admin access at all."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return citizen_profile(user) is not None and not has_admin_access(user)


def contact_mobile(user) -> str:
    """The citizen's mobile number in full (11 digits), or "" — for sending, never for display."""
    profile = citizen_profile(user)
    return profile.mobile if profile is not None and profile.mobile else ""


def contact_email(user) -> str:
    return (user.email or "") if citizen_profile(user) is not None else ""


def greeting_name(user) -> str:
    """How pages address the user: nickname, else a masked contact — never the generated
    ``c_…`` username."""
    if user.display_name:
        return user.display_name
    mobile = contact_mobile(user)
    if mobile:
        return mask_phone(mobile)
    if user.email:
        return mask_email(user.email)
    return "用户" if citizen_profile(user) is not None else str(user)


# -- identifiers -----------------------------------------------------------------------------


def classify_identifier(value: str) -> tuple[str, str]:
    """``("email"|"sms", normalised value)`` for what a user typed as 手机号码或电子邮箱.

    Raises ``ValidationError`` with a Chinese message when it is neither.
    """
    text = (value or "").strip()
    if "@" in text:
        email = normalize_email(text)
        try:
            validate_email(email)
        except ValidationError:
            raise ValidationError(
                "电子邮箱格式不正确，请检查（例如 name@example.com）。", code="email"
            ) from None
        return Channel.EMAIL, email
    phone = normalize_phone(text)
    if MOBILE_PATTERN.match(phone):
        return Channel.SMS, phone
    raise ValidationError("请输入有效的 11 位手机号码或电子邮箱。", code="identifier")


def masked_contact(channel: str, value: str) -> str:
    return mask_email(value) if channel == Channel.EMAIL else mask_phone(value)


def find_citizen(channel: str, value: str):
    """The active or inactive citizen account registered with this e-mail or mobile, or None."""
    User = get_user_model()
    if not value:
        return None
    if channel == Channel.EMAIL:
        return (
            User._default_manager.filter(
                email__iexact=normalize_email(value), citizen_profile__isnull=False
            )
            .select_related("citizen_profile")
            .first()
        )
    profile = lookup(CitizenProfile, "mobile", value).select_related("user").first()
    return profile.user if profile is not None else None


def find_login_account(channel: str, value: str):
    """Who a citizen sign-in with this contact is about: the citizen, else a staff account
    with that e-mail/mobile (so that its owner can be sent to the admin login once the
    password has proved who they are)."""
    citizen = find_citizen(channel, value)
    if citizen is not None:
        return citizen
    User = get_user_model()
    if channel == Channel.EMAIL:
        accounts = User._default_manager.filter(email__iexact=normalize_email(value))
    else:
        accounts = User._default_manager.filter(mobile=normalize_phone(value))
    accounts = list(accounts[:2])
    return accounts[0] if len(accounts) == 1 else None


def contact_taken(channel: str, value: str, *, exclude_user=None) -> bool:
    """Is this e-mail/mobile already the contact of a (different) citizen account?"""
    found = find_citizen(channel, value)
    return found is not None and (exclude_user is None or found.pk != exclude_user.pk)


def new_username() -> str:
    User = get_user_model()
    while True:
        candidate = f"{USERNAME_PREFIX}{secrets.token_hex(6)}"
        if not User._default_manager.filter(username=candidate).exists():
            return candidate


# -- state changes ---------------------------------------------------------------------------


class ContactTaken(Exception):
    """The e-mail or mobile number belongs to another citizen account."""


@transaction.atomic
def register_citizen(
    *,
    email: str = "",
    mobile: str = "",
    password: str | None = None,
    display_name: str = "",
    via: str,
    verified: bool = True,
    oidc_issuer: str = "",
    oidc_subject: str = "",
):
    """Create a citizen account (User + CitizenProfile) and audit it as ``citizen.register``.

    ``via`` is how: ``email``, ``mobile`` or ``oidc``. Contacts passed with ``verified`` get a
    verification time. Raises :class:`ContactTaken` if a contact is already a citizen's.
    """
    User = get_user_model()
    email = normalize_email(email)
    mobile = normalize_phone(mobile)
    if email and contact_taken(Channel.EMAIL, email):
        raise ContactTaken(Channel.EMAIL)
    if mobile and contact_taken(Channel.SMS, mobile):
        raise ContactTaken(Channel.SMS)
    now = timezone.now()
    user = User(
        username=new_username(),
        email=email,
        display_name=display_name[:64],
        is_staff=False,
        is_superuser=False,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    profile = CitizenProfile.objects.create(
        user=user,
        mobile=mobile,
        email_verified_at=now if email and verified else None,
        mobile_verified_at=now if mobile and verified else None,
        oidc_issuer=oidc_issuer,
        oidc_subject=oidc_subject,
    )
    record(
        "citizen.register",
        obj=user,
        after={
            "via": via,
            "email": mask_email(email),
            "mobile": mask_phone(mobile),
            "oidc": bool(oidc_subject),
        },
    )
    user.citizen_profile = profile
    return user


@transaction.atomic
def change_contact(user, channel: str, value: str) -> None:
    """Replace the citizen's e-mail or mobile with a verified new one (audited, masked)."""
    profile = CitizenProfile.objects.select_for_update().get(user=user)
    if contact_taken(channel, value, exclude_user=user):
        raise ContactTaken(channel)
    now = timezone.now()
    if channel == Channel.EMAIL:
        before = mask_email(user.email)
        user.email = normalize_email(value)
        user.save(update_fields=["email"])
        profile.email_verified_at = now
        profile.save(update_fields=["email_verified_at", "updated_at"])
        after = mask_email(user.email)
        field = "email"
    else:
        before = mask_phone(profile.mobile)
        profile.mobile = normalize_phone(value)
        profile.mobile_verified_at = now
        profile.save(update_fields=["mobile", "mobile_index", "mobile_verified_at", "updated_at"])
        after = mask_phone(profile.mobile)
        field = "mobile"
    record("citizen.contact_change", obj=user, before={field: before}, after={field: after})


def update_profile(user, *, display_name: str, real_name: str) -> None:
    profile = citizen_profile(user)
    changed = []
    if user.display_name != display_name:
        user.display_name = display_name
        user.save(update_fields=["display_name"])
        changed.append("display_name")
    if (profile.real_name or "") != real_name:
        profile.real_name = real_name
        profile.save(update_fields=["real_name", "updated_at"])
        changed.append("real_name")
    if changed:
        # Which fields changed, not their values: names are personal data.
        record("citizen.profile_update", obj=user, fields=changed)


def set_password(user, password: str, *, reason: str) -> None:
    """``reason``: ``reset`` (by a one-time code) or ``change`` (signed in)."""
    user.set_password(password)
    user.save(update_fields=["password"])
    action = "citizen.password_reset" if reason == "reset" else "citizen.password_change"
    record(action, obj=user, user=user)


def delete_citizen(user, *, request=None, method: str = "") -> None:
    """注销账号: let other apps detach or delete their rows, then delete the account.

    In one transaction: :data:`citizen_account_deleted` is sent (a receiver that raises
    aborts everything), ``citizen.delete`` is audited with the generated username only, and
    the ``User`` row goes, taking the profile, codes and everything else that cascades.
    Audit records stay (their link to the user is ``SET_NULL``; the username is kept). If a
    protected reference still holds the row, the account is anonymised and deactivated
    instead: no contact, no name, no usable password.
    """
    username = user.get_username()
    with transaction.atomic():
        citizen_account_deleted.send(sender=CitizenProfile, user=user, request=request)
        record(
            "citizen.delete",
            obj=user,
            user=user,
            request=request,
            username=username,
            method=method,
        )
        try:
            with transaction.atomic():
                user.delete()
        except ProtectedError:
            _anonymise(user)
            record(
                "citizen.anonymise",
                obj=user,
                user=user,
                request=request,
                username=username,
                outcome=Outcome.SUCCESS,
            )


def _anonymise(user) -> None:
    CitizenProfile.objects.filter(user=user).delete()
    user.email = ""
    user.display_name = ""
    user.first_name = ""
    user.last_name = ""
    user.mobile = ""
    user.is_active = False
    user.set_unusable_password()
    user.save()
