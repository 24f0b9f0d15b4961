"""Who may do what where: roles are confined to their own site (and channel)."""

from django.contrib.messages import get_messages
from django.urls import reverse

import pytest

from govportal.conftest import add_article_url, article_form_data, edit_url, public_get
from govportal.content.models import ArticlePage

pytestmark = pytest.mark.django_db

DENIED_MESSAGE = "对不起， 你没有权限访问。"  # Wagtail's zh-hans "permission denied" message


def resolve(site_group, dotted: str):
    """``"a.editor"`` → ``site_group.a.editor``."""
    obj = site_group
    for part in dotted.split("."):
        obj = getattr(obj, part)
    return obj


def assert_denied(response):
    assert response.status_code == 302, response.status_code
    assert response["Location"] == reverse("wagtailadmin_home")
    messages = [str(m).strip() for m in get_messages(response.wsgi_request)]
    assert DENIED_MESSAGE in messages


@pytest.mark.parametrize(
    ("user", "page", "allowed"),
    [
        ("a.editor", "a.news_article", True),
        ("a.editor", "a.notice_article", True),
        ("a.editor", "b.news_article", False),
        ("a.editor", "b.news", False),
        ("b.editor", "a.news_article", False),
        ("a.channel_editor", "a.news_article", True),
        ("a.channel_editor", "a.notice_article", False),
        ("a.channel_editor", "a.notices", False),
        ("a.channel_editor", "b.news_article", False),
        ("a.reviewer", "a.notice_article", True),
        ("a.reviewer", "b.notice_article", False),
        ("a.admin", "a.news_article", True),
        ("a.admin", "b.news_article", False),
    ],
)
def test_edit_view_is_confined_to_own_site_and_channel(client, site_group, user, page, allowed):
    client.force_login(resolve(site_group, user))
    response = client.get(edit_url(resolve(site_group, page)))
    if allowed:
        assert response.status_code == 200
    else:
        assert_denied(response)


@pytest.mark.parametrize(
    ("user", "parent", "allowed"),
    [
        ("a.editor", "a.news", True),
        ("a.editor", "a.notices", True),
        ("a.editor", "b.news", False),
        ("a.channel_editor", "a.news", True),
        ("a.channel_editor", "a.notices", False),
        ("a.channel_editor", "b.news", False),
        ("a.reviewer", "a.news", False),
        ("a.admin", "a.notices", True),
        ("a.admin", "b.notices", False),
    ],
)
def test_add_view_is_confined_to_own_site_and_channel(client, site_group, user, parent, allowed):
    client.force_login(resolve(site_group, user))
    parent_page = resolve(site_group, parent)
    url = add_article_url(parent_page)
    response = client.get(url)
    if allowed:
        assert response.status_code == 200
    else:
        assert_denied(response)
        # Posting the form directly does not create anything either.
        response = client.post(
            url, {"title": "越权添加的文章", "slug": "intruder", "body-count": "0"}
        )
        assert_denied(response)
        assert not ArticlePage.objects.filter(slug="intruder").exists()


def test_add_subpage_chooser_only_on_own_site(client, site_group):
    client.force_login(site_group.a.editor)
    own = client.get(reverse("wagtailadmin_pages:add_subpage", args=(site_group.a.news.pk,)))
    assert own.status_code == 200
    assert add_article_url(site_group.a.news) in own.content.decode()
    other = client.get(reverse("wagtailadmin_pages:add_subpage", args=(site_group.b.news.pk,)))
    assert_denied(other)


@pytest.mark.parametrize(
    ("user", "page", "publishes"),
    [
        ("a.admin", "a.news_article", True),
        ("a.admin", "b.news_article", False),
        ("a.reviewer", "a.news_article", False),
        ("a.editor", "a.news_article", False),
        ("a.channel_editor", "a.news_article", False),
    ],
)
def test_only_site_admin_publishes_directly_on_own_site(client, site_group, user, page, publishes):
    who = resolve(site_group, user)
    article = resolve(site_group, page)
    old_title = article.title
    assert article.permissions_for_user(who).can_publish() is publishes

    client.force_login(who)
    url = edit_url(article)
    if article.permissions_for_user(who).can_edit():
        data = article_form_data(
            client, url, title="直接发布的新标题", slug=article.slug, action="action-publish"
        )
        assert client.post(url, data).status_code == 302
    else:
        assert_denied(client.post(url, {"title": "直接发布的新标题", "action-publish": "1"}))

    article = ArticlePage.objects.get(pk=article.pk)
    assert article.live
    if publishes:
        assert article.title == "直接发布的新标题"
        assert "直接发布的新标题" in public_get(client, article).content.decode()
    else:
        assert article.title == old_title
        assert "直接发布的新标题" not in public_get(client, article).content.decode()


def test_site_admin_cannot_unpublish_other_site(client, site_group):
    client.force_login(site_group.a.admin)
    article = site_group.b.news_article
    response = client.post(reverse("wagtailadmin_pages:unpublish", args=(article.pk,)))
    assert_denied(response)
    assert ArticlePage.objects.get(pk=article.pk).live


def page_titles_in(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_explorer_shows_only_own_site(client, site_group):
    a, b = site_group.a, site_group.b
    client.force_login(a.editor)

    own = page_titles_in(client.get(reverse("wagtailadmin_explore", args=(a.news.pk,))))
    assert a.news_article.title in own

    # Asking for the other site's channel lands back on the editor's own part of the tree.
    response = client.get(reverse("wagtailadmin_explore", args=(b.news.pk,)), follow=True)
    html = page_titles_in(response)
    for title in b.titles + [b.news.title]:
        assert title not in html

    root = page_titles_in(client.get(reverse("wagtailadmin_explore_root"), follow=True))
    assert a.news.title in root
    assert b.news.title not in root
    # (The site filter lists every site's name; pages of site B are what must not show.)


def test_admin_search_lists_only_own_site(client, site_group, superuser):
    a, b = site_group.a, site_group.b
    url = reverse("wagtailadmin_pages:search") + "?q=zebra"

    # Control: someone who may see everything finds the articles of both sites.
    client.force_login(superuser)
    html = page_titles_in(client.get(url))
    for title in a.titles + b.titles:
        assert title in html

    client.force_login(a.editor)
    html = page_titles_in(client.get(url))
    for title in a.titles:
        assert title in html
    for title in b.titles:
        assert title not in html

    client.force_login(a.channel_editor)
    html = page_titles_in(client.get(url))
    assert a.news_article.title in html
    assert a.notice_article.title not in html
    for title in b.titles:
        assert title not in html


def test_dashboard_does_not_leak_other_site_moderation(client, site_group):
    """A submission on site B must not appear on site A's reviewer dashboard."""
    b = site_group.b
    client.force_login(b.editor)
    url = add_article_url(b.news)
    data = article_form_data(
        client, url, title="乙站待审稿件 mango", slug="pending", action="action-submit"
    )
    assert client.post(url, data).status_code == 302

    client.force_login(b.reviewer)
    assert "乙站待审稿件 mango" in page_titles_in(client.get(reverse("wagtailadmin_home")))
    client.force_login(site_group.a.reviewer)
    assert "乙站待审稿件 mango" not in page_titles_in(client.get(reverse("wagtailadmin_home")))
