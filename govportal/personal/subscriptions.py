"""订阅更新: announce an article's first publication to the subscribers of its channels."""

import logging

from django.db import transaction
from django.utils import timezone

from wagtail.models import Page

from govportal.audit.services import record

from .models import Message, NotificationCategory, Subscription, SubscriptionNotice
from .services import schedule_delivery

logger = logging.getLogger(__name__)

BATCH = 500


def _site_name(page) -> str:
    from govportal.sites.models import SiteProfile

    site = page.get_site()
    if site is None:
        return ""
    profile = SiteProfile.for_site(site)
    return profile.display_name if profile is not None else site.site_name


def announce_article(page_id: int) -> int:
    """Send each subscriber of the article's channels one 站内信; returns how many were sent.

    Runs once per article: a second call (re-publication, a retried task) sends nothing.
    Articles behind a view restriction (not public) are not announced.
    """
    from govportal.content.models import ChannelPage

    page = Page.objects.filter(pk=page_id).first()
    if page is None or not page.live:
        return 0
    page = page.specific
    if page.get_view_restrictions().exists():
        return 0
    channels = {c.pk: c for c in ChannelPage.objects.ancestor_of(page).order_by("depth")}
    if not channels:
        return 0
    with transaction.atomic():
        notice, created = SubscriptionNotice.objects.get_or_create(page=page)
        if not created:
            return 0
        # Each subscriber hears once, about the nearest channel they follow.
        nearest: dict[int, ChannelPage] = {}
        rows = Subscription.objects.filter(
            channel_id__in=list(channels), user__is_active=True
        ).values_list("user_id", "channel_id")
        for user_id, channel_id in rows:
            channel = channels[channel_id]
            if user_id not in nearest or channel.depth > nearest[user_id].depth:
                nearest[user_id] = channel
        if not nearest:
            return 0
        site_name = _site_name(page)
        link = page.get_full_url() or page.get_url() or ""
        published = timezone.localtime(page.first_published_at or timezone.now())
        now = timezone.now()
        created_ids: list[int] = []
        pending = []
        for user_id, channel in sorted(nearest.items()):
            where = f"{site_name}“{channel.title}”栏目" if site_name else f"“{channel.title}”栏目"
            pending.append(
                Message(
                    recipient_id=user_id,
                    title=f"订阅更新：{channel.title}有新信息"[:200],
                    body=(
                        f"您订阅的{where}发布了新信息：\n\n{page.title}\n\n"
                        f"发布时间：{published:%Y-%m-%d %H:%M}\n"
                        "如不再需要，可在个人中心“我的订阅”中取消订阅。"
                    ),
                    link=link if link.startswith(("/", "http://", "https://")) else "",
                    created_at=now,
                )
            )
            if len(pending) >= BATCH:
                created_ids += [m.pk for m in Message.objects.bulk_create(pending)]
                pending = []
        if pending:
            created_ids += [m.pk for m in Message.objects.bulk_create(pending)]
        notice.recipients = len(created_ids)
        notice.save(update_fields=["recipients"])
        record(
            "personal.subscription_notice",
            obj=page,
            after={"recipients": len(created_ids), "channels": sorted(channels)},
        )
        for start in range(0, len(created_ids), BATCH):
            schedule_delivery(created_ids[start : start + BATCH], NotificationCategory.SUBSCRIPTION)
    return len(created_ids)
