"""Two-factor login for staff (两步验证): TOTP authenticator apps plus one-time recovery codes.

The authenticator app is an :class:`~govportal.accounts.models.AuthenticatorDevice` (a
django-otp ``Device`` whose secret is encrypted at rest); recovery codes (恢复码) are
:class:`~govportal.accounts.models.RecoveryCode` rows holding only a keyed hash of each code,
deleted when used. A session that passed the code step carries the device in
``request.user.otp_device`` (django-otp's ``OTPMiddleware``).

Who must use it (:func:`is_required`): every staff account when
``GOVPORTAL_2FA_REQUIRED_FOR_ALL_STAFF`` is on (production default); otherwise what the
security admin set in :class:`~govportal.accounts.models.TwoFactorPolicy`. With
``GOVPORTAL_2FA_ENFORCE = False`` (test settings) nobody is *required* to enrol, but anyone
enrolled is still asked for a code.

Wrong codes: ``GOVPORTAL_2FA_MAX_FAILURES`` in a row log the session out and lock the code
step for ``GOVPORTAL_2FA_LOCKOUT_MINUTES`` (counted on the user row, so a new login does not
reset it). Every outcome is in the audit trail.
"""

import base64
import hmac
import re
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import logout
from django.db import transaction
from django.utils import timezone

import django_otp
import qrcode
import qrcode.image.svg

from govportal.audit.models import Outcome
from govportal.audit.services import record
from govportal.privacy.keys import blind_index, keyring

from .models import AuthenticatorDevice, RecoveryCode

RECOVERY_CODE_COUNT = 10
DEVICE_NAME = "身份验证器"
# Codes shown after enrolment/regeneration until the user says they kept them.
SESSION_CODES = "_govportal_recovery_codes"
ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: readable on paper


# -- who ------------------------------------------------------------------------------------


def is_staff_account(user) -> bool:
    """Staff: may use the Wagtail admin (citizens never can)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return bool(user.is_staff or user.is_superuser or user.has_perm("wagtailadmin.access_admin"))


def is_required(user, request=None) -> bool:
    """Must ``user`` use two-factor login in the admin?"""
    if not getattr(settings, "GOVPORTAL_2FA_ENFORCE", True) or not is_staff_account(user):
        return False
    if getattr(settings, "GOVPORTAL_2FA_REQUIRED_FOR_ALL_STAFF", False):
        return True
    from .models import TwoFactorPolicy

    policy = TwoFactorPolicy.load(request_or_site=request)
    if user.is_superuser and policy.require_superusers:
        return True
    if policy.require_operators and user.has_perm("siteadmin.manage_site_group"):
        return True
    return policy.required_groups.filter(user=user).exists()


def confirmed_device(user) -> AuthenticatorDevice | None:
    return AuthenticatorDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def is_enrolled(user) -> bool:
    return AuthenticatorDevice.objects.filter(user=user, confirmed=True).exists()


def is_verified(user) -> bool:
    check = getattr(user, "is_verified", None)
    return bool(check and check())


# -- enrolment ------------------------------------------------------------------------------


def pending_device(user) -> AuthenticatorDevice:
    """The unconfirmed device being set up (kept across reloads, so the QR code stays)."""
    device = AuthenticatorDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = AuthenticatorDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def secret_base32(device: AuthenticatorDevice) -> str:
    return base64.b32encode(device.bin_key).decode().rstrip("=")


def secret_groups(device: AuthenticatorDevice) -> list[str]:
    """The secret for manual entry, in groups of 4 characters."""
    secret = secret_base32(device)
    return [secret[i : i + 4] for i in range(0, len(secret), 4)]


def qr_svg(device: AuthenticatorDevice) -> str:
    """The otpauth:// URL as an inline SVG QR code (drawn here, no outside service)."""
    image = qrcode.make(
        device.config_url,
        image_factory=qrcode.image.svg.SvgPathImage,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
    )
    svg = image.to_string(encoding="unicode")
    svg = re.sub(r'width="[^"]*" height="[^"]*"', 'width="220" height="220"', svg, count=1)
    return svg.replace(
        "<svg ",
        '<svg role="img" aria-label="两步验证二维码：用身份验证器应用扫描" focusable="false" ',
        1,
    )


def normalise_code(value: str) -> str:
    return re.sub(r"[\s-]+", "", value or "").lower()


def format_recovery_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


def _recovery_hash(user, code: str, key=None) -> str:
    """Keyed hash (HMAC-SHA256) of a normalised recovery code, bound to its owner."""
    return blind_index(f"2fa-recovery:{user.pk}:{code}", key)


def new_recovery_codes(user) -> list[str]:
    """Replace ``user``'s recovery codes with new ones; returns them (formatted) to show once."""
    RecoveryCode.objects.filter(user=user).delete()
    codes = [
        "".join(secrets.choice(ALPHABET) for _ in range(8)) for _ in range(RECOVERY_CODE_COUNT)
    ]
    key = keyring()[0]
    RecoveryCode.objects.bulk_create(
        [
            RecoveryCode(user=user, code_hash=_recovery_hash(user, c, key), key_id=key.key_id)
            for c in codes
        ]
    )
    return [format_recovery_code(c) for c in codes]


def _usable_recovery_codes(user):
    """Codes hashed under a configured field key (others can no longer be checked)."""
    return RecoveryCode.objects.filter(user=user, key_id__in=[k.key_id for k in keyring()])


def recovery_codes_left(user) -> int:
    return _usable_recovery_codes(user).count()


def use_recovery_code(user, code: str) -> bool:
    """Is ``code`` (normalised) one of ``user``'s unused recovery codes? If so, it is used up."""
    keys = {k.key_id: k for k in keyring()}
    match = None
    for row in _usable_recovery_codes(user):
        expected = _recovery_hash(user, code, keys[row.key_id])
        # Every row is compared, in constant time: timing tells nothing about the codes.
        if hmac.compare_digest(row.code_hash, expected) and match is None:
            match = row
    # Deleted by exactly one request even if the same code arrives twice at once.
    return match is not None and RecoveryCode.objects.filter(pk=match.pk).delete()[0] == 1


def confirm_enrolment(request, device: AuthenticatorDevice, code: str) -> list[str] | None:
    """Confirm ``device`` with a current code: returns the new recovery codes, or None."""
    user = request.user
    if not _totp_matches(device, code):
        record("2fa.enrol", request=request, obj=user, outcome=Outcome.FAILURE, reason="wrong_code")
        return None
    with transaction.atomic():
        others = AuthenticatorDevice.objects.filter(user=user).exclude(pk=device.pk)
        replaced = others.filter(confirmed=True).exists()
        others.delete()
        device.confirmed = True
        device.name = DEVICE_NAME
        device.save()
        codes = new_recovery_codes(user)
        record(
            "2fa.enrol",
            request=request,
            obj=user,
            before={"two_factor": replaced},
            after={"two_factor": True},
            replaced=replaced,
        )
    django_otp.login(request, device)
    request.session[SESSION_CODES] = codes
    reset_failures(user)
    return codes


def regenerate_recovery_codes(request) -> list[str]:
    user = request.user
    with transaction.atomic():
        before = recovery_codes_left(user)
        codes = new_recovery_codes(user)
        record(
            "2fa.recovery_regenerate",
            request=request,
            obj=user,
            before={"recovery_codes_left": before},
            after={"recovery_codes_left": len(codes)},
        )
    request.session[SESSION_CODES] = codes
    return codes


def remove(request) -> None:
    user = request.user
    with transaction.atomic():
        AuthenticatorDevice.objects.filter(user=user).delete()
        RecoveryCode.objects.filter(user=user).delete()
        record(
            "2fa.remove",
            request=request,
            obj=user,
            before={"two_factor": True},
            after={"two_factor": False},
        )
    request.session.pop(django_otp.DEVICE_ID_SESSION_KEY, None)
    request.session.pop(SESSION_CODES, None)
    user.otp_device = None


def reset_for_user(user, actor_request=None) -> None:
    """The security admin's reset for someone who lost their phone and codes."""
    with transaction.atomic():
        AuthenticatorDevice.objects.filter(user=user).delete()
        RecoveryCode.objects.filter(user=user).delete()
        type(user)._default_manager.filter(pk=user.pk).update(
            two_factor_failures=0, two_factor_locked_until=None
        )
        record("2fa.reset", request=actor_request, obj=user, after={"two_factor": False})


# -- the code step at login -----------------------------------------------------------------


def _totp_matches(device: AuthenticatorDevice, code: str) -> bool:
    code = normalise_code(code)
    if not re.fullmatch(r"\d{6}", code):
        return False
    return device.verify_token(code)


def locked_until(user):
    until = user.two_factor_locked_until
    return until if until is not None and until > timezone.now() else None


def reset_failures(user) -> None:
    if user.two_factor_failures or user.two_factor_locked_until:
        user.two_factor_failures = 0
        user.two_factor_locked_until = None
        user.save(update_fields=["two_factor_failures", "two_factor_locked_until"])


def verify(request, code: str):
    """Check a login code (authenticator or recovery code) for ``request.user``.

    Returns ``("ok", method)``, ``("wrong", attempts_left)`` or ``("locked", until)``; on
    "locked" the session has been logged out.
    """
    user = request.user
    until = locked_until(user)
    if until is not None:
        record("2fa.verify", request=request, obj=user, outcome=Outcome.DENIED, locked=True)
        logout(request)
        return "locked", until
    normalised = normalise_code(code)
    method, device = None, None
    totp = confirmed_device(user)
    if totp is not None and _totp_matches(totp, normalised):
        method, device = "totp", totp
    elif (
        totp is not None
        and re.fullmatch(r"[a-z0-9]{8}", normalised)
        and use_recovery_code(user, normalised)  # deletes the code: single use
    ):
        method, device = "recovery", totp
    if device is not None:
        reset_failures(user)
        # The session is verified with the authenticator device even after a recovery code.
        django_otp.login(request, device)
        record("2fa.verify", request=request, obj=user, method=method)
        if method == "recovery":
            record(
                "2fa.recovery_used",
                request=request,
                obj=user,
                after={"recovery_codes_left": recovery_codes_left(user)},
            )
        return "ok", method
    limit = settings.GOVPORTAL_2FA_MAX_FAILURES
    failures = user.two_factor_failures + 1
    if failures >= limit:
        user.two_factor_failures = 0
        user.two_factor_locked_until = timezone.now() + timedelta(
            minutes=settings.GOVPORTAL_2FA_LOCKOUT_MINUTES
        )
        user.save(update_fields=["two_factor_failures", "two_factor_locked_until"])
        record("2fa.verify", request=request, obj=user, outcome=Outcome.FAILURE, failures=failures)
        record(
            "2fa.lockout",
            request=request,
            obj=user,
            outcome=Outcome.DENIED,
            failures=failures,
            minutes=settings.GOVPORTAL_2FA_LOCKOUT_MINUTES,
        )
        until = user.two_factor_locked_until
        logout(request)
        return "locked", until
    user.two_factor_failures = failures
    user.save(update_fields=["two_factor_failures"])
    record("2fa.verify", request=request, obj=user, outcome=Outcome.FAILURE, failures=failures)
    return "wrong", limit - failures


# -- the demo -------------------------------------------------------------------------------


def enrol_with_secret(user, secret_b32: str) -> AuthenticatorDevice:
    """Give ``user`` a confirmed authenticator with a known base32 secret (demo only)."""
    key = base64.b32decode(secret_b32 + "=" * (-len(secret_b32) % 8)).hex()
    device = AuthenticatorDevice.objects.filter(user=user, confirmed=True).first()
    if device is None or device.key != key:
        AuthenticatorDevice.objects.filter(user=user).delete()
        device = AuthenticatorDevice.objects.create(
            user=user, name=DEVICE_NAME, key=key, confirmed=True
        )
    if not RecoveryCode.objects.filter(user=user).exists():
        new_recovery_codes(user)
    return device
