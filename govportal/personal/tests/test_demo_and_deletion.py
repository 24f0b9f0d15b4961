"""Demo mailbox (idempotent) and account deletion taking everything of the personal centre."""

from django.contrib.auth import get_user_model

import pytest

from govportal.conftest import make_user
from govportal.content.factories import ChannelPageFactory
from govportal.personal.demo import DEMO_MESSAGES, build_demo_personal
from govportal.personal.models import (
    Message,
    MessageAttachment,
    NotificationPreference,
    Subscription,
)
from govportal.personal.services import notify

pytestmark = pytest.mark.django_db


def test_demo_is_safe_without_citizens(portal):
    make_user("editor", is_staff=True)
    build_demo_personal()
    assert not Message.objects.exists()


def test_demo_builds_a_mailbox_once(portal, citizen):
    ChannelPageFactory(parent=portal, title="要闻动态", slug="news")
    ChannelPageFactory(parent=portal, title="通知公告", slug="notices")
    ChannelPageFactory(parent=portal, title="政策文件", slug="policies")
    staff = make_user("editor", is_staff=True)
    build_demo_personal()
    build_demo_personal()
    messages = Message.objects.filter(recipient=citizen)
    assert messages.count() == len(DEMO_MESSAGES) >= 15
    assert (
        messages.filter(important=True).exists() and messages.filter(read_at__isnull=False).exists()
    )
    assert messages.filter(read_at__isnull=True).exists() and messages.exclude(link="").exists()
    assert MessageAttachment.objects.filter(message__recipient=citizen).count() == 1
    assert Subscription.objects.filter(user=citizen).count() == 2
    assert not Message.objects.filter(recipient=staff).exists()


def test_deleting_the_account_takes_messages_files_subscriptions_and_preferences(
    citizen, portal, django_capture_on_commit_callbacks
):
    from pathlib import Path

    channel = ChannelPageFactory(parent=portal, title="要闻动态", slug="news")
    message = notify(citizen, "答复书", "见附件", attachments=[("a.txt", b"x")])
    path = Path(message.attachments.get().file.path)
    Subscription.objects.create(user=citizen, channel=channel)
    NotificationPreference.objects.create(user=citizen, case_email=True)
    with django_capture_on_commit_callbacks(execute=True):
        get_user_model().objects.get(pk=citizen.pk).delete()
    assert not Message.objects.exists() and not Subscription.objects.exists()
    assert not NotificationPreference.objects.exists()
    assert not path.exists()


def test_citizen_deletion_signal_clears_the_personal_centre(citizen, portal):
    from govportal.citizens.models import CitizenProfile
    from govportal.citizens.signals import citizen_account_deleted

    notify(citizen, "标题", "内容")
    citizen_account_deleted.send(sender=CitizenProfile, user=citizen, request=None)
    assert not Message.objects.filter(recipient=citizen).exists()
