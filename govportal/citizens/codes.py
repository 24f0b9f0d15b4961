"""One-time codes (验证码): issue, deliver, throttle, verify.

* 6 digits, stored as an HMAC (never in clear), valid ``GOVPORTAL_CITIZEN_CODE_TTL`` seconds
  (10 minutes), dead after ``GOVPORTAL_CITIZEN_CODE_MAX_ATTEMPTS`` wrong tries (5), single use;
  a new code for the same purpose and destination replaces the previous one.
* Bound to a purpose (:class:`~govportal.citizens.models.Purpose`) and a destination (the
  normalised e-mail address or mobile number), and for signed-in actions to the account.
* Throttled per destination (one code per ``GOVPORTAL_CITIZEN_CODE_RESEND_SECONDS``, at most
  ``…_HOURLY_PER_DESTINATION`` an hour) and per requesting IP (``…_HOURLY_PER_IP`` an hour).

Where answering "no such account" would reveal who is registered (login by code, password
reset), callers issue a *decoy*: a row that counts for the throttle exactly like a real code
but is never delivered, so the page, the timing of the throttle and the verification answer
("验证码不正确") are the same whether or not the account exists.
"""

import hashlib
import hmac
import logging
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from govportal.audit.context import client_ip
from govportal.privacy.normalize import normalize_email, normalize_phone

from .models import Channel, OneTimeCode, Purpose
from .sms import send_sms

logger = logging.getLogger(__name__)

CODE_DIGITS = 6


class CodeError(Exception):
    """A refusal with a message for the user (Chinese)."""

    def __init__(self, message: str, *, wait: int = 0):
        super().__init__(message)
        self.message = message
        self.wait = wait


class CodeThrottled(CodeError):
    """Too soon or too many: ``wait`` is the seconds until the next code may be sent."""


class CodeDeliveryFailed(CodeError):
    """The mail server or SMS gateway refused the message."""


class CodeInvalid(CodeError):
    """Wrong, expired, used up or never sent."""


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def ttl_seconds() -> int:
    return _setting("GOVPORTAL_CITIZEN_CODE_TTL", 600)


def resend_seconds() -> int:
    return _setting("GOVPORTAL_CITIZEN_CODE_RESEND_SECONDS", 60)


def max_attempts() -> int:
    return _setting("GOVPORTAL_CITIZEN_CODE_MAX_ATTEMPTS", 5)


def normalize_destination(channel: str, value: str) -> str:
    return normalize_email(value) if channel == Channel.EMAIL else normalize_phone(value)


def destination_key(channel: str, value: str) -> str:
    """HMAC of the normalised destination: what the table stores instead of the contact."""
    normalized = normalize_destination(channel, value)
    message = f"{channel}:{normalized}".encode()
    key = hashlib.sha256(f"govportal.citizens.destination:{settings.SECRET_KEY}".encode()).digest()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def _code_hash(key: str, purpose: str, code: str) -> str:
    secret = hashlib.sha256(f"govportal.citizens.code:{settings.SECRET_KEY}".encode()).digest()
    return hmac.new(secret, f"{key}:{purpose}:{code}".encode(), hashlib.sha256).hexdigest()


def clean_code(value) -> str:
    """What the user typed, as digits: full-width digits and spaces are accepted."""
    return "".join(unicodedata.normalize("NFKC", str(value or "")).split())


def _duration(seconds: int) -> str:
    if seconds >= 3600 and seconds % 3600 == 0:
        return f"{seconds // 3600} 小时"
    if seconds >= 60:
        return f"{-(-seconds // 60)} 分钟"
    return f"{seconds} 秒"


def seconds_until_resend(channel: str, destination: str) -> int:
    """How long before another code may be sent to ``destination`` (0: now)."""
    key = destination_key(channel, destination)
    latest = (
        OneTimeCode.objects.filter(destination_key=key)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    if latest is None:
        return 0
    remaining = resend_seconds() - (timezone.now() - latest).total_seconds()
    return max(0, int(remaining + 0.999))


def _check_throttle(channel: str, key: str, ip: str | None, now) -> None:
    latest = (
        OneTimeCode.objects.filter(destination_key=key)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    if latest is not None:
        remaining = resend_seconds() - (now - latest).total_seconds()
        if remaining > 0:
            wait = int(remaining + 0.999)
            raise CodeThrottled(f"验证码已发送，请 {wait} 秒后再重新获取。", wait=wait)
    hour_ago = now - timedelta(hours=1)
    per_destination = _setting("GOVPORTAL_CITIZEN_CODE_HOURLY_PER_DESTINATION", 5)
    recent = OneTimeCode.objects.filter(destination_key=key, created_at__gte=hour_ago)
    if recent.count() >= per_destination:
        first = recent.order_by("created_at").values_list("created_at", flat=True).first()
        wait = max(1, int((first + timedelta(hours=1) - now).total_seconds() + 0.999))
        what = "该邮箱" if channel == Channel.EMAIL else "该手机号码"
        raise CodeThrottled(
            f"{what}获取验证码的次数已达每小时上限，请 {_duration(wait)}后再试。", wait=wait
        )
    if ip:
        per_ip = _setting("GOVPORTAL_CITIZEN_CODE_HOURLY_PER_IP", 20)
        if OneTimeCode.objects.filter(requester_ip=ip, created_at__gte=hour_ago).count() >= per_ip:
            raise CodeThrottled("您所在的网络获取验证码过于频繁，请 1 小时后再试。", wait=3600)


def purge_old() -> int:
    """Forget codes older than a day (the throttle looks back one hour)."""
    cutoff = timezone.now() - timedelta(days=1)
    deleted, _ = OneTimeCode.objects.filter(created_at__lt=cutoff).delete()
    return deleted


@dataclass(frozen=True)
class Issued:
    """A code was sent (or a decoy recorded): ``wait`` seconds until the next may be sent."""

    wait: int
    expires_minutes: int


def issue(
    purpose: str,
    channel: str,
    destination: str,
    *,
    request=None,
    user=None,
    decoy: bool = False,
    site_name: str = "",
) -> Issued:
    """Create a code for ``destination`` and send it (unless ``decoy``).

    Raises :class:`CodeThrottled` or :class:`CodeDeliveryFailed` (the code is then void).
    """
    if purpose not in Purpose.values or channel not in Channel.values:
        raise ValueError(f"unknown purpose/channel {purpose!r}/{channel!r}")
    now = timezone.now()
    key = destination_key(channel, destination)
    ip = client_ip(request) if request is not None else None
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    with transaction.atomic():
        _check_throttle(channel, key, ip, now)
        OneTimeCode.objects.filter(
            purpose=purpose, destination_key=key, consumed_at__isnull=True
        ).update(consumed_at=now)
        row = OneTimeCode.objects.create(
            purpose=purpose,
            channel=channel,
            destination_key=key,
            user=user if getattr(user, "pk", None) else None,
            # A decoy's hash matches no code anyone was told.
            code_hash=secrets.token_hex(32) if decoy else _code_hash(key, purpose, code),
            requester_ip=ip,
            created_at=now,
            expires_at=now + timedelta(seconds=ttl_seconds()),
        )
    if not decoy:
        try:
            deliver(channel, normalize_destination(channel, destination), code, purpose, site_name)
        except Exception as exc:  # noqa: BLE001 — any gateway error: void the code, tell the user
            OneTimeCode.objects.filter(pk=row.pk).update(consumed_at=timezone.now())
            logger.warning("one-time code delivery failed (%s, %s)", channel, type(exc).__name__)
            raise CodeDeliveryFailed("验证码发送失败，请稍后再试。") from exc
    if secrets.randbelow(50) == 0:
        purge_old()
    return Issued(wait=resend_seconds(), expires_minutes=max(1, ttl_seconds() // 60))


def message_text(code: str, purpose: str, site_name: str = "") -> str:
    minutes = max(1, ttl_seconds() // 60)
    label = Purpose(purpose).label
    sign = f"【{site_name}】" if site_name else ""
    return (
        f"{sign}您的验证码为 {code}，用于{label}，{minutes} 分钟内有效。"
        "请勿将验证码告诉他人；如非本人操作，请忽略本消息。"
    )


def deliver(channel: str, destination: str, code: str, purpose: str, site_name: str = "") -> None:
    text = message_text(code, purpose, site_name)
    if channel == Channel.SMS:
        send_sms(destination, text)
        return
    subject = f"{site_name or '政府网站'}验证码：{Purpose(purpose).label}"
    send_mail(subject, text, None, [destination], fail_silently=False)


def verify(purpose: str, channel: str, destination: str, code: str, *, user=None) -> None:
    """Accept ``code`` once, or raise :class:`CodeInvalid` with the reason in Chinese.

    A wrong code counts against the latest live code; at the limit that code is dead.
    """
    typed = clean_code(code)
    if not typed:
        raise CodeInvalid("请填写验证码。")
    if len(typed) != CODE_DIGITS or not typed.isdigit():
        raise CodeInvalid(f"验证码是 {CODE_DIGITS} 位数字，请核对。")
    key = destination_key(channel, destination)
    now = timezone.now()
    with transaction.atomic():
        candidates = OneTimeCode.objects.select_for_update().filter(
            purpose=purpose, destination_key=key
        )
        if user is not None:
            candidates = candidates.filter(user=user)
        row = candidates.order_by("-created_at").first()
        if row is None:
            raise CodeInvalid("请先获取验证码。")
        if row.consumed_at is not None:
            if row.attempts >= max_attempts():
                raise CodeInvalid("验证码输错次数过多，已失效，请重新获取。")
            raise CodeInvalid("验证码已失效，请重新获取。")
        if row.expires_at <= now:
            raise CodeInvalid("验证码已过期，请重新获取。")
        if hmac.compare_digest(row.code_hash, _code_hash(key, purpose, typed)):
            row.consumed_at = now
            row.save(update_fields=["consumed_at"])
            return
        row.attempts += 1
        left = max_attempts() - row.attempts
        if left <= 0:
            row.consumed_at = now
            row.save(update_fields=["attempts", "consumed_at"])
            error = CodeInvalid("验证码输错次数过多，已失效，请重新获取。")
        else:
            row.save(update_fields=["attempts"])
            error = CodeInvalid(f"验证码不正确，还可以再试 {left} 次。")
    raise error
