"""The 信息报送 admin views, logged in as each role: what they may see and do."""

import json

from django.urls import reverse

import pytest

from govportal.content.factories import ArticlePageFactory
from govportal.content.models import ArticlePage
from govportal.submissions import services
from govportal.submissions.models import Submission, SubmissionStatus

S = SubmissionStatus
HOME = reverse("wagtailadmin_home")
pytestmark = pytest.mark.django_db


def new_url(page):
    return reverse("submissions:new", args=(page.pk,))


def refused(response):
    return response.status_code == 302 and response.url == HOME


def test_submit_form_offers_other_sites_and_creates_a_submission(world, client):
    client.force_login(world.a.editor)
    url = new_url(world.a.news_article)
    form = client.get(url)
    assert form.status_code == 200
    choices = [site.pk for site in form.context["form"].fields["target_site"].queryset]
    assert world.a.site.pk not in choices
    assert {world.b.site.pk, world.c.site.pk} <= set(choices)

    response = client.post(
        url,
        {"target_site": world.b.site.pk, "target_channel": world.b.news.pk, "note": "请采用"},
    )
    assert response.status_code == 302 and response.url == reverse("submissions:mine")
    submission = Submission.objects.get()
    assert (submission.target_site, submission.target_channel_id, submission.note) == (
        world.b.site,
        world.b.news.pk,
        "请采用",
    )
    # A second submission to the same site while the first is open: a clear error.
    again = client.post(url, {"target_site": world.b.site.pk})
    assert again.status_code == 200
    assert "该文章已报送到该站点，正在等待处理" in again.content.decode()
    assert Submission.objects.count() == 1


def test_submit_form_refuses_a_channel_of_another_site(world, client):
    client.force_login(world.a.editor)
    response = client.post(
        new_url(world.a.news_article),
        {"target_site": world.b.site.pk, "target_channel": world.c.news.pk},
    )
    assert response.status_code == 200
    assert "建议栏目不属于所选的目标站点" in response.content.decode()
    assert not Submission.objects.exists()


@pytest.mark.parametrize("role", ["b.editor", "b.admin", "a.channel_editor"])
def test_editor_of_another_site_cannot_submit_through_the_admin(world, client, role):
    key, attr = role.split(".")
    client.force_login(getattr(getattr(world, key), attr))
    article = world.a.notice_article  # A's channel editor may edit only A's news
    url = new_url(article)
    assert refused(client.get(url))
    assert refused(client.post(url, {"target_site": world.c.site.pk}))
    assert not Submission.objects.exists()


def test_submit_button_in_page_listing_for_live_articles_only(world, client):
    client.force_login(world.a.editor)
    html = client.get(reverse("wagtailadmin_explore", args=(world.a.news.pk,))).content.decode()
    assert new_url(world.a.news_article) in html
    home = client.get(reverse("wagtailadmin_explore", args=(world.a.home.pk,))).content.decode()
    assert new_url(world.a.news) not in home
    edit = client.get(reverse("wagtailadmin_pages:edit", args=(world.a.news_article.pk,)))
    assert new_url(world.a.news_article) in edit.content.decode()
    # Drafts are not offered.
    draft = ArticlePageFactory(parent=world.a.news, live=False)
    html = client.get(reverse("wagtailadmin_explore", args=(world.a.news.pk,))).content.decode()
    assert new_url(draft) not in html and new_url(world.a.news_article) in html


def test_my_submissions_shows_status_reason_and_adopted_link(world, client):
    adopted = services.adopt(
        services.submit(world.a.news_article, world.a.editor, world.b.site),
        world.b.editor,
        world.b.news,
    )
    services.decline(
        services.submit(world.a.news_article, world.a.editor, world.c.site),
        world.c.editor,
        "请补充具体数据",
    )
    services.submit(world.a.notice_article, world.a.editor, world.b.site)
    client.force_login(world.a.editor)
    response = client.get(reverse("submissions:mine"))
    html = response.content.decode()
    assert response.status_code == 200
    for label in ("已采用", "未采用", "已报送", "请补充具体数据", "撤回"):
        assert label in html
    assert adopted.adopted_page.full_url in html
    # Filter by status; and another user's list is empty.
    declined_only = client.get(reverse("submissions:mine"), {"status": "declined"})
    assert [s.status for s in declined_only.context["items"]] == [S.DECLINED]
    client.force_login(world.b.editor)
    assert 'id="empty-state"' in client.get(reverse("submissions:mine")).content.decode()


def test_withdraw_through_the_list(world, client):
    submission = services.submit(world.a.news_article, world.a.editor, world.b.site)
    url = reverse("submissions:withdraw", args=(submission.pk,))
    client.force_login(world.b.editor)
    assert refused(client.post(url))
    client.force_login(world.a.editor)
    assert client.post(url).status_code == 302
    assert Submission.objects.get(pk=submission.pk).status == S.WITHDRAWN
    client.post(url)  # again: refused with a message, state unchanged
    assert Submission.objects.get(pk=submission.pk).status == S.WITHDRAWN


def test_inbox_lists_submissions_for_the_sites_the_user_handles(world, client):
    to_b = services.submit(world.a.news_article, world.a.editor, world.b.site)
    to_c = services.submit(world.a.news_article, world.a.editor, world.c.site)
    client.force_login(world.b.editor)
    response = client.get(reverse("submissions:inbox"))
    assert response.status_code == 200
    assert [s.pk for s in response.context["items"]] == [to_b.pk]
    assert reverse("submissions:adopt", args=(to_b.pk,)) in response.content.decode()
    # Site A's editor handles only A: nothing there.
    client.force_login(world.a.editor)
    assert list(client.get(reverse("submissions:inbox")).context["items"]) == []
    # Someone who may add pages nowhere has no inbox.
    client.force_login(world.b.reviewer)
    assert refused(client.get(reverse("submissions:inbox")))
    assert to_c.status == S.SUBMITTED


def test_adopt_through_the_admin(world, client):
    submission = services.submit(
        world.a.news_article, world.a.editor, world.b.site, channel=world.b.news
    )
    url = reverse("submissions:adopt", args=(submission.pk,))
    client.force_login(world.b.editor)
    form = client.get(url)
    assert form.status_code == 200
    assert form.context["form"].initial == {"channel": world.b.news.pk}
    response = client.post(url, {"channel": world.b.notices.pk})
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.status == S.ADOPTED
    page = submission.adopted_page
    # An editor's adoption enters B's review like any article the editor writes.
    assert not page.live and page.workflow_in_progress
    assert page.get_parent().pk == world.b.notices.pk
    assert page.source == "示例市甲区人民政府"
    inbox = client.get(reverse("submissions:inbox"), {"status": "adopted"}).content.decode()
    assert page.title in inbox


def test_adopt_view_refuses_users_without_add_permission(world, client):
    submission = services.submit(
        world.a.news_article, world.a.editor, world.b.site, channel=world.b.notices
    )
    url = reverse("submissions:adopt", args=(submission.pk,))
    for user in (world.b.reviewer, world.a.editor, world.c.admin):
        client.force_login(user)
        assert refused(client.get(url))
        assert refused(client.post(url, {"channel": world.b.news.pk}))
    # B's news-channel editor handles B, but may only adopt into news, not notices.
    client.force_login(world.b.channel_editor)
    response = client.post(url, {"channel": world.b.notices.pk})
    assert response.status_code == 200 and response.context["form"].errors
    assert Submission.objects.get(pk=submission.pk).status == S.SUBMITTED


def test_adopt_view_refuses_a_channel_of_a_third_site(world, client):
    submission = services.submit(world.a.news_article, world.a.editor, world.b.site)
    client.force_login(world.b.admin)
    before = ArticlePage.objects.count()
    response = client.post(
        reverse("submissions:adopt", args=(submission.pk,)), {"channel": world.c.news.pk}
    )
    assert response.status_code == 200 and "channel" in response.context["form"].errors
    assert Submission.objects.get(pk=submission.pk).status == S.SUBMITTED
    assert ArticlePage.objects.count() == before


def test_decline_through_the_admin_requires_a_reason(world, client):
    submission = services.submit(world.a.news_article, world.a.editor, world.b.site)
    url = reverse("submissions:decline", args=(submission.pk,))
    client.force_login(world.b.editor)
    empty = client.post(url, {"reason": ""})
    assert empty.status_code == 200 and "请填写未采用的原因" in empty.content.decode()
    assert client.post(url, {"reason": "信息时效性不足"}).status_code == 302
    submission.refresh_from_db()
    assert (submission.status, submission.decline_reason) == (S.DECLINED, "信息时效性不足")
    # Deciding again on a closed submission: a Chinese error, nothing changes.
    again = client.post(url, {"reason": "再次"})
    assert "当前状态为“未采用”，不能" in again.content.decode()
    client.force_login(world.a.editor)
    assert refused(client.post(url, {"reason": "越权"}))


def test_menu_shows_inbox_and_stats_only_to_handlers(world, client):
    # The sidebar is JSON with \u-escaped labels.
    label = json.dumps("信息报送")[1:-1]
    client.force_login(world.b.editor)
    html = client.get(HOME).content.decode()
    assert label in html and '"name": "submission-inbox"' in html
    assert '"name": "submission-stats"' in html
    client.force_login(world.b.reviewer)
    html = client.get(HOME).content.decode()
    assert '"name": "my-submissions"' in html
    assert '"name": "submission-inbox"' not in html and '"name": "submission-stats"' not in html


def test_inbox_paginates_by_25(world, client):
    for _ in range(27):
        article = ArticlePageFactory(parent=world.a.news)
        services.submit(article, world.a.editor, world.b.site)
    client.force_login(world.b.editor)
    first = client.get(reverse("submissions:inbox"))
    assert len(first.context["items"]) == 25
    second = client.get(reverse("submissions:inbox"), {"p": 2})
    assert len(second.context["items"]) == 2
