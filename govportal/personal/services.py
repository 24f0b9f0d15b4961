"""个人中心 services: send 站内信 (``notify``), act on messages, subscriptions, preferences.

Other apps call :func:`notify` when a case changes::

    from govportal.personal.services import notify
    notify(applicant, "您的政府信息公开申请已受理", "受理编号 YSQ…，我们将在 20 个工作日内答复。",
           case_kind="政府信息公开申请", case_ref=request.tracking_code, link=request.get_url())

The message is saved at once; e-mail/SMS copies (when the user opted in) go out in a
background task after the transaction commits. A failure to send is logged and never
loses the message.
"""

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.db import transaction
from django.utils import timezone

from govportal.audit.models import Outcome
from govportal.audit.services import record

from .models import (
    Message,
    MessageAttachment,
    NotificationCategory,
    NotificationPreference,
    Subscription,
)

logger = logging.getLogger(__name__)

TITLE_MAX = 200
BODY_MAX = 20_000


class LinkError(ValueError):
    pass


def clean_link(link: str) -> str:
    """A site-relative path or an http(s) URL; anything else (javascript: …) is refused."""
    link = (link or "").strip()
    if not link:
        return ""
    if link.startswith("/") and not link.startswith("//"):
        return link
    if link.lower().startswith(("https://", "http://")):
        return link
    raise LinkError(f"站内信链接只能是站内路径或 http(s) 地址: {link[:40]!r}")


def _attachment_file(item) -> tuple[str, File]:
    """``(filename, File)`` from a (name, bytes|str) pair or a Django File/UploadedFile."""
    if isinstance(item, tuple | list):
        name, content = item
        if isinstance(content, str):
            content = content.encode("utf-8")
        if isinstance(content, bytes):
            return str(name), ContentFile(content, name=str(name))
        return str(name), File(content, name=str(name))
    name = getattr(item, "name", "") or "附件"
    return name.rsplit("/", 1)[-1], item


def notify(
    user,
    title: str,
    body: str,
    *,
    important: bool = False,
    link: str = "",
    case_kind: str = "",
    case_ref: str = "",
    attachments: Iterable = (),
    category: str | None = None,
) -> Message:
    """Send a 站内信 to ``user`` and, per their preferences, an e-mail/SMS notice.

    ``category`` picks the preference that applies: ``"case"`` (办件进度, the default when
    ``case_kind`` is given) or ``"subscription"`` (订阅更新); ``None`` without a case means a
    plain 站内信 with no e-mail/SMS. ``attachments`` are ``(filename, bytes)`` pairs or
    Django ``File`` objects.
    """
    if category is None and case_kind:
        category = NotificationCategory.CASE
    message = Message.objects.create(
        recipient=user,
        title=str(title)[:TITLE_MAX],
        body=str(body)[:BODY_MAX],
        important=important,
        link=clean_link(link),
        case_kind=case_kind[:50],
        case_ref=case_ref[:64],
    )
    for item in attachments:
        filename, content = _attachment_file(item)
        attachment = MessageAttachment(message=message, filename=filename[:200])
        attachment.file.save(filename, content, save=False)
        attachment.size = attachment.file.size
        attachment.save()
    record(
        "personal.message_send",
        obj=message,
        after={"recipient": user.pk, "important": important, "case_kind": message.case_kind},
    )
    if category:
        schedule_delivery([message.pk], category)
    return message


def schedule_delivery(message_ids: list[int], category: str) -> None:
    """E-mail/SMS copies of these messages, in a background task after commit."""
    if not message_ids:
        return

    def enqueue():
        from .tasks import deliver_notifications

        try:
            deliver_notifications.enqueue(list(message_ids), category)
        except Exception:
            logger.exception(
                "could not enqueue notification delivery (%d messages)", len(message_ids)
            )

    transaction.on_commit(enqueue)


# -- delivery (called by the task) -----------------------------------------------------------


def preference_for(user) -> NotificationPreference:
    """The user's preferences (unsaved defaults when they never chose any)."""
    try:
        return user.notification_preference
    except NotificationPreference.DoesNotExist:
        return NotificationPreference(user=user)


def contact_mobile(user) -> str:
    """The mobile number notices go to: the citizens app decides, else the account's own."""
    try:
        from govportal.citizens.services import contact_mobile as citizens_contact_mobile
    except ImportError:
        return getattr(user, "mobile", "") or ""
    return citizens_contact_mobile(user) or ""


def _send_sms(to: str, text: str) -> None:
    from govportal.citizens.sms import send_sms  # the citizens app owns the SMS gateway

    send_sms(to, text)


def site_name() -> str:
    """The sender named in e-mails and SMS: the setting, else the default site's name."""
    configured = getattr(settings, "GOVPORTAL_NOTIFY_SITE_NAME", "")
    if configured:
        return configured
    from wagtail.models import Site

    from govportal.sites.models import SiteProfile

    site = Site.objects.filter(is_default_site=True).first()
    profile = SiteProfile.for_site(site) if site is not None else None
    return (profile.display_name if profile else "") or "政府网站"


def personal_url(path: str = "/my/messages/") -> str:
    base = getattr(settings, "GOVPORTAL_PUBLIC_BASE_URL", "").rstrip("/")
    return f"{base}{path}"


def email_text(message: Message) -> tuple[str, str]:
    """Subject and body of the e-mail copy: the title only, no other personal data."""
    name = site_name()
    subject = f"【{name}】您有一封新的站内信"
    body = (
        "您好：\n\n"
        f"您在{name}个人中心收到一封新的站内信：\n\n"
        f"    {message.title}\n\n"
        f"请登录个人中心查看：{personal_url(f'/my/messages/{message.pk}/')}\n\n"
        "本邮件由系统自动发送，请勿直接回复。如不想再收到邮件通知，可在个人中心“账号设置”中关闭。\n"
    )
    return subject, body


def sms_text(message: Message) -> str:
    title = message.title if len(message.title) <= 30 else message.title[:29] + "…"
    return f"【{site_name()}】您有新的站内信“{title}”，请登录个人中心查看。"


def deliver(message_ids: list[int], category: str) -> dict[str, int]:
    """Send the e-mail/SMS copies the recipients opted in to. Never raises for one failure."""
    from django.core.mail import EmailMessage, get_connection

    sent = {"email": 0, "sms": 0, "failed": 0}
    messages = (
        Message.objects.filter(pk__in=message_ids)
        .select_related("recipient", "recipient__notification_preference")
        .order_by("pk")
    )
    connection = None
    for message in messages:
        user = message.recipient
        if not user.is_active:
            continue
        channels = preference_for(user).channels_for(category)
        if channels["email"] and user.email:
            try:
                if connection is None:
                    connection = get_connection()
                subject, body = email_text(message)
                EmailMessage(subject, body, to=[user.email], connection=connection).send()
                sent["email"] += 1
            except Exception:
                sent["failed"] += 1
                logger.exception("notification e-mail for message %s failed", message.pk)
        if channels["sms"]:
            mobile = contact_mobile(user)
            if not mobile:
                continue
            try:
                _send_sms(mobile, sms_text(message))
                sent["sms"] += 1
            except Exception:
                sent["failed"] += 1
                logger.exception("notification SMS for message %s failed", message.pk)
    return sent


# -- mailbox actions -------------------------------------------------------------------------


def unread_count(user) -> int:
    if user is None or not user.is_authenticated:
        return 0
    return Message.objects.filter(recipient=user).unread().count()


def mark_read(user, ids: Iterable[int]) -> int:
    """Mark the user's own messages among ``ids`` read; other users' ids change nothing."""
    qs = Message.objects.filter(recipient=user, pk__in=list(ids)).unread()
    changed = list(qs.values_list("pk", flat=True))
    if changed:
        Message.objects.filter(pk__in=changed).update(read_at=timezone.now())
        record("personal.message_read", obj=Message, after={"ids": changed})
    return len(changed)


def mark_unread(user, ids: Iterable[int]) -> int:
    qs = Message.objects.filter(recipient=user, pk__in=list(ids)).read()
    changed = list(qs.values_list("pk", flat=True))
    if changed:
        Message.objects.filter(pk__in=changed).update(read_at=None)
        record("personal.message_unread", obj=Message, after={"ids": changed})
    return len(changed)


def delete_messages(user, ids: Iterable[int]) -> int:
    """Delete the user's own messages among ``ids`` with their attachment files."""
    messages = list(
        Message.objects.filter(recipient=user, pk__in=list(ids)).prefetch_related("attachments")
    )
    if not messages:
        return 0
    before = [{"id": m.pk, "title": m.title} for m in messages]
    # Attachment files go after commit (signal_handlers.remove_attachment_file).
    Message.objects.filter(pk__in=[m.pk for m in messages]).delete()
    record("personal.message_delete", obj=Message, before=before)
    return len(messages)


# -- subscriptions ---------------------------------------------------------------------------

MAX_SUBSCRIPTIONS = 200


class SubscriptionLimit(Exception):
    pass


def subscribe(user, channel) -> tuple[Subscription, bool]:
    existing = Subscription.objects.filter(user=user, channel=channel).first()
    if existing is not None:
        return existing, False
    if Subscription.objects.filter(user=user).count() >= MAX_SUBSCRIPTIONS:
        raise SubscriptionLimit
    subscription = Subscription.objects.create(user=user, channel=channel)
    record("personal.subscribe", obj=channel, after={"subscription": subscription.pk})
    return subscription, True


def unsubscribe(user, subscription_ids: Iterable[int]) -> int:
    subs = list(
        Subscription.objects.filter(user=user, pk__in=list(subscription_ids)).select_related(
            "channel"
        )
    )
    for sub in subs:
        record("personal.unsubscribe", obj=sub.channel, before={"subscription": sub.pk})
    Subscription.objects.filter(pk__in=[s.pk for s in subs]).delete()
    return len(subs)


def save_preferences(user, values: dict[str, bool]) -> NotificationPreference:
    pref, _ = NotificationPreference.objects.get_or_create(user=user)
    before = pref.snapshot()
    for name, value in values.items():
        setattr(pref, name, bool(value))
    pref.save()
    after = pref.snapshot()
    if before != after:
        record("personal.preferences", obj=pref, before=before, after=after)
    return pref


def record_throttled(action: str, **extra) -> None:
    record(action, outcome=Outcome.DENIED, **extra)
