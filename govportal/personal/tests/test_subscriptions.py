"""我的订阅: subscribe from a channel page, one 站内信 per subscriber on first publication only."""

from django.core import mail

from wagtail.models import PageViewRestriction

import pytest

from govportal.audit.models import AuditRecord
from govportal.content.factories import ArticlePageFactory, ChannelPageFactory
from govportal.personal.models import Message, NotificationPreference, Subscription

pytestmark = pytest.mark.django_db


@pytest.fixture
def channels(portal):
    news = ChannelPageFactory(parent=portal, title="要闻动态", slug="news")
    sub = ChannelPageFactory(parent=news, title="部门动态", slug="dept")
    other = ChannelPageFactory(parent=portal, title="通知公告", slug="notices")
    return {"news": news, "sub": sub, "other": other}


def publish_new_article(parent, title, slug, capture):
    article = ArticlePageFactory(parent=parent, title=title, slug=slug, live=False)
    with capture(execute=True):
        article.save_revision().publish()
    return article


def test_channel_page_button_is_the_same_for_everyone(client, citizen, channels):
    anonymous = client.get("/news/").content.decode()
    client.force_login(citizen)
    signed_in = client.get("/news/").content.decode()
    link = f'href="/my/subscribe/{channels["news"].pk}/"'
    assert link in anonymous and link in signed_in
    assert "订阅本栏目" in anonymous


def test_anonymous_visitors_are_sent_to_log_in_first(client, channels):
    url = f"/my/subscribe/{channels['news'].pk}/"
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/account/login/?next=/my/subscribe/{channels['news'].pk}/"
    assert client.post(url)["Location"].startswith("/account/login/")
    assert not Subscription.objects.exists()


def test_subscribe_confirm_and_unsubscribe(client, citizen, channels):
    client.force_login(citizen)
    url = f"/my/subscribe/{channels['news'].pk}/"
    page = client.get(url).content.decode()
    assert "确认订阅" in page and "要闻动态" in page
    response = client.post(url, {"action": "subscribe"})
    assert response.status_code == 302 and response["Location"].endswith("/news/")
    assert Subscription.objects.filter(user=citizen, channel=channels["news"]).count() == 1
    client.post(url, {"action": "subscribe"})  # twice: still one
    assert Subscription.objects.filter(user=citizen).count() == 1
    assert "您已订阅本栏目" in client.get(url).content.decode()
    listing = client.get("/my/subscriptions/").content.decode()
    assert "要闻动态" in listing and "取消订阅" in listing
    sub = Subscription.objects.get(user=citizen)
    client.post("/my/subscriptions/", {"ids": [sub.pk]})
    assert not Subscription.objects.exists()
    actions = list(AuditRecord.objects.values_list("action", flat=True))
    assert actions.count("personal.subscribe") == 1 and actions.count("personal.unsubscribe") == 1


def test_cannot_unsubscribe_someone_else(client, citizen, other, channels):
    sub = Subscription.objects.create(user=citizen, channel=channels["news"])
    client.force_login(other)
    client.post("/my/subscriptions/", {"ids": [sub.pk]})
    assert Subscription.objects.filter(pk=sub.pk).exists()
    assert "subscription-item" not in client.get("/my/subscriptions/").content.decode()


def test_unknown_or_unpublished_channel_is_404(client, citizen, channels):
    client.force_login(citizen)
    channels["other"].unpublish()
    assert client.get(f"/my/subscribe/{channels['other'].pk}/").status_code == 404
    assert client.get("/my/subscribe/999999/").status_code == 404


def test_first_publication_notifies_subscribers_once(
    citizen, other, make_citizen, channels, django_capture_on_commit_callbacks
):
    third = make_citizen("c_zhao")
    Subscription.objects.create(user=citizen, channel=channels["news"])
    Subscription.objects.create(user=citizen, channel=channels["sub"])  # both: told once
    Subscription.objects.create(user=other, channel=channels["sub"])
    Subscription.objects.create(user=third, channel=channels["other"])  # another channel
    NotificationPreference.objects.create(user=other, subscription_email=True)
    article = publish_new_article(
        channels["sub"], "新发布的部门动态", "new", django_capture_on_commit_callbacks
    )
    mine = Message.objects.get(recipient=citizen)
    assert mine.title == "订阅更新：部门动态有新信息"  # the nearest subscribed channel
    assert "新发布的部门动态" in mine.body
    assert mine.link.endswith("/news/dept/new/")
    assert Message.objects.filter(recipient=other).count() == 1
    assert not Message.objects.filter(recipient=third).exists()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["c_li@example.com"]
    # Re-publishing (an edit) and unpublish + publish again send nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        article.save_revision().publish()
        article.unpublish()
        article.save_revision().publish()
    assert Message.objects.count() == 2
    record = AuditRecord.objects.get(action="personal.subscription_notice")
    assert record.after["recipients"] == 2


def test_restricted_or_scheduled_articles_are_not_announced(
    citizen, channels, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.utils import timezone

    Subscription.objects.create(user=citizen, channel=channels["news"])
    hidden = ArticlePageFactory(parent=channels["news"], title="内部", slug="hidden", live=False)
    PageViewRestriction.objects.create(page=hidden, restriction_type="login")
    with django_capture_on_commit_callbacks(execute=True):
        hidden.save_revision().publish()
    scheduled = ArticlePageFactory(parent=channels["news"], title="定时", slug="later", live=False)
    scheduled.go_live_at = timezone.now() + timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        scheduled.save_revision().publish()
    assert not Message.objects.exists()


def test_pages_created_live_without_publishing_send_nothing(citizen, channels):
    Subscription.objects.create(user=citizen, channel=channels["news"])
    ArticlePageFactory(parent=channels["news"], title="导入的文章", slug="imported")
    assert not Message.objects.exists()
