"""Signals the personal centre listens to: first publication of an article (订阅更新)."""

import logging

from django.db import transaction
from django.db.models.signals import post_delete

from wagtail.signals import page_published

logger = logging.getLogger(__name__)


def is_first_publication(page) -> bool:
    """Live now, and this publish set ``first_published_at`` (Wagtail sets both to one time)."""
    return bool(
        page.live
        and page.first_published_at is not None
        and page.first_published_at == page.last_published_at
    )


def on_page_published(sender, instance, **kwargs):
    from govportal.content.models import ArticlePage

    if not isinstance(instance, ArticlePage) or not is_first_publication(instance):
        return
    page_id = instance.pk

    def enqueue():
        from .tasks import notify_channel_subscribers

        try:
            notify_channel_subscribers.enqueue(page_id)
        except Exception:
            logger.exception("could not enqueue subscription notices for page %s", page_id)

    transaction.on_commit(enqueue)


def remove_attachment_file(sender, instance, **kwargs):
    """A deleted attachment (alone, with its message or with the account) takes its file."""
    name = instance.file.name if instance.file else ""
    if not name:
        return
    storage = instance.file.storage

    def remove():
        try:
            storage.delete(name)
        except OSError:
            logger.warning("could not remove the file of deleted attachment %s", instance.pk)

    transaction.on_commit(remove)


def on_citizen_account_deleted(sender, user, request=None, **kwargs):
    """注销账号: the mailbox, subscriptions and preferences go at once, even if the account
    itself is only anonymised (another app's protected reference)."""
    from .models import Message, NotificationPreference, Subscription

    Message.objects.filter(recipient=user).delete()
    Subscription.objects.filter(user=user).delete()
    NotificationPreference.objects.filter(user=user).delete()


def connect() -> None:
    from .models import MessageAttachment

    page_published.connect(on_page_published, dispatch_uid="personal.subscription_notices")
    post_delete.connect(
        remove_attachment_file, sender=MessageAttachment, dispatch_uid="personal.attachment_file"
    )
    try:
        from govportal.citizens.signals import citizen_account_deleted
    except ImportError:  # the citizens app not installed
        return
    citizen_account_deleted.connect(
        on_citizen_account_deleted, dispatch_uid="personal.citizen_account_deleted"
    )
