"""Background work of the personal centre (django-tasks; the test settings run it at once)."""

import logging

from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def deliver_notifications(message_ids: list[int], category: str) -> dict[str, int]:
    """E-mail/SMS copies of saved 站内信, per each recipient's preferences."""
    from .services import deliver

    return deliver(message_ids, category)


@task()
def notify_channel_subscribers(page_id: int) -> int:
    """订阅更新: tell the subscribers of an article's channels about its first publication."""
    from .subscriptions import announce_article

    return announce_article(page_id)
