"""Scheduled publishing (生效) and expiry (失效) by the built-in scheduler."""

import io
from datetime import timedelta

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from wagtail.models import Page, Revision

import pytest

from govportal.conftest import build_portal_site, public_get
from govportal.content.factories import ArticlePageFactory
from govportal.content.models import ArticlePage
from govportal.core.models import SchedulerHeartbeat
from govportal.core.scheduler import last_heartbeat, overdue_items, run_due_publications

pytestmark = pytest.mark.django_db


PANEL_HEADING = "定时发布/下线逾期未执行"


def schedule(parent, user, title, *, go_live_in: timedelta) -> tuple[ArticlePage, Revision]:
    """A new article published "for later" by ``user``, as the admin's schedule does."""
    page = ArticlePageFactory(parent=parent, title=title, live=False)
    page.go_live_at = timezone.now() + go_live_in
    revision = page.save_revision(user=user)
    revision.publish(user=user)
    return ArticlePage.objects.get(pk=page.pk), Revision.objects.get(pk=revision.pk)


def move_schedule(revision: Revision, when) -> None:
    """Let time pass: the scheduled moment is now ``when`` (in the revision and the page)."""
    content = dict(revision.content)
    content["go_live_at"] = when.isoformat()
    Revision.objects.filter(pk=revision.pk).update(content=content, approved_go_live_at=when)
    Page.objects.filter(pk=revision.object_id).update(go_live_at=when)


def expire(page: Page, when) -> None:
    Page.objects.filter(pk=page.pk).update(expire_at=when)


def test_future_publication_is_not_live_until_due(client, site_group):
    a = site_group.a
    page, revision = schedule(
        a.notices, a.admin, "元旦假期安排的通知", go_live_in=timedelta(days=2)
    )
    assert not page.live
    assert revision.approved_go_live_at is not None
    assert public_get(client, page).status_code == 404

    # Not due yet: the scheduler leaves it alone.
    result = run_due_publications()
    assert (result.published, result.expired) == (0, 0)
    assert not ArticlePage.objects.get(pk=page.pk).live

    move_schedule(revision, timezone.now() - timedelta(minutes=1))
    before = timezone.now()
    result = run_due_publications()
    assert result.published == 1

    page = ArticlePage.objects.get(pk=page.pk)
    assert page.live
    assert page.title == "元旦假期安排的通知"
    assert not Revision.objects.filter(approved_go_live_at__isnull=False).exists()
    assert public_get(client, page).status_code == 200

    heartbeat = last_heartbeat()
    assert heartbeat is not None
    assert heartbeat.last_run_at >= before
    assert heartbeat.published == 1
    assert heartbeat.expired == 0


def test_expired_page_goes_offline(client, site_group):
    article = site_group.a.notice_article
    assert public_get(client, article).status_code == 200
    expire(article, timezone.now() - timedelta(minutes=1))

    result = run_due_publications()
    assert result.expired == 1

    article = ArticlePage.objects.get(pk=article.pk)
    assert not article.live
    assert article.expired
    assert public_get(client, article).status_code == 404
    assert SchedulerHeartbeat.objects.get(name="publish_scheduled").expired == 1
    # Other pages are untouched.
    assert ArticlePage.objects.get(pk=site_group.a.news_article.pk).live


def test_future_expiry_keeps_page_online(site_group):
    article = site_group.a.notice_article
    expire(article, timezone.now() + timedelta(days=30))
    assert run_due_publications().expired == 0
    assert ArticlePage.objects.get(pk=article.pk).live


def test_heartbeat_is_recorded_even_with_nothing_due(db):
    assert last_heartbeat() is None
    run_due_publications()
    run_due_publications()
    assert SchedulerHeartbeat.objects.count() == 1
    heartbeat = last_heartbeat()
    assert timezone.now() - heartbeat.last_run_at < timedelta(minutes=1)
    assert (heartbeat.published, heartbeat.expired) == (0, 0)


def test_overdue_items_respect_grace_period(site_group, settings):
    settings.GOVPORTAL_SCHEDULE_GRACE_MINUTES = 5
    a = site_group.a
    now = timezone.now()
    _, late = schedule(a.news, a.admin, "逾期未发布的文章", go_live_in=timedelta(days=1))
    _, recent = schedule(a.news, a.admin, "刚到时间的文章", go_live_in=timedelta(days=1))
    _, future = schedule(a.news, a.admin, "明天发布的文章", go_live_in=timedelta(days=1))
    move_schedule(late, now - timedelta(minutes=30))
    move_schedule(recent, now - timedelta(minutes=2))
    expire(a.news_article, now - timedelta(minutes=30))
    expire(a.notice_article, now - timedelta(minutes=2))

    revisions, pages = overdue_items()
    assert [r.pk for r in revisions] == [late.pk]
    assert [p.pk for p in pages] == [a.news_article.pk]

    # A longer grace period forgives both; with none, the recent ones are overdue too.
    settings.GOVPORTAL_SCHEDULE_GRACE_MINUTES = 60
    revisions, pages = overdue_items()
    assert (list(revisions), list(pages)) == ([], [])
    settings.GOVPORTAL_SCHEDULE_GRACE_MINUTES = 0
    revisions, pages = overdue_items()
    assert {r.pk for r in revisions} == {late.pk, recent.pk}
    assert {p.pk for p in pages} == {a.news_article.pk, a.notice_article.pk}
    assert future.pk not in {r.pk for r in revisions}

    # Once the scheduler has run nothing is overdue any more.
    run_due_publications()
    revisions, pages = overdue_items()
    assert (list(revisions), list(pages)) == ([], [])


@pytest.mark.django_db
def test_run_scheduler_command_once():
    # The command keeps the caller's transaction: it only drops stale connections when it
    # is not inside one (a test's wrapping transaction, here).
    a = build_portal_site("delta", site_id_code="1399000104")
    page, revision = schedule(a.notices, a.admin, "定时发布的公告", go_live_in=timedelta(hours=1))
    move_schedule(revision, timezone.now() - timedelta(minutes=1))
    expire(a.news_article, timezone.now() - timedelta(minutes=1))

    out = io.StringIO()
    call_command("run_scheduler", "--once", stdout=out)
    assert "scheduler: published 1, expired 1" in out.getvalue()
    assert ArticlePage.objects.get(pk=page.pk).live
    assert not ArticlePage.objects.get(pk=a.news_article.pk).live
    assert last_heartbeat() is not None

    out = io.StringIO()
    call_command("run_scheduler", "--once", stdout=out)
    assert "scheduler: published 0, expired 0" in out.getvalue()


def test_dashboard_warns_about_overdue_schedule(client, site_group, settings):
    settings.GOVPORTAL_SCHEDULE_GRACE_MINUTES = 5
    a, b = site_group.a, site_group.b
    _, late = schedule(a.notices, a.admin, "应已发布的通知 plum", go_live_in=timedelta(days=1))
    home = reverse("wagtailadmin_home")

    # Within the grace period: no warning.
    move_schedule(late, timezone.now() - timedelta(minutes=1))
    expire(a.news_article, timezone.now() - timedelta(minutes=1))
    client.force_login(a.admin)
    html = client.get(home).content.decode()
    assert PANEL_HEADING not in html
    assert "应已发布的通知 plum" not in html

    move_schedule(late, timezone.now() - timedelta(hours=1))
    expire(a.news_article, timezone.now() - timedelta(hours=1))
    response = client.get(home)
    assert response.status_code == 200
    html = response.content.decode()
    assert PANEL_HEADING in html
    assert "应已发布的通知 plum" in html
    assert a.news_article.title in html

    # Site B's administrator has nothing overdue of their own: no warning for A's pages.
    client.force_login(b.admin)
    html = client.get(home).content.decode()
    assert "应已发布的通知 plum" not in html
    assert PANEL_HEADING not in html

    # After the scheduler catches up the warning disappears.
    run_due_publications()
    client.force_login(a.admin)
    assert PANEL_HEADING not in client.get(home).content.decode()
