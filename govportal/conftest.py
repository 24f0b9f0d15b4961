"""Shared pytest fixtures: a small site group with every editorial role.

``site_group`` builds two sites (A and B) the way ``load_demo_data`` does: a home page,
two channels each with one live article, the groups and one-level review workflow from
:func:`setup_site_roles`, a channel editor for A's news channel and one user per role.
"""

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse

from wagtail.models import Page, Site
from wagtail.test.utils.form_data import (
    nested_form_data,
    querydict_from_html,
    rich_text,
    streamfield,
)

import pytest

from govportal.content.factories import ArticlePageFactory, ChannelPageFactory, make_site
from govportal.content.models import ArticlePage, ChannelPage, ColumnType, PortalHomePage
from govportal.core.tests.browser import browser  # noqa: F401 — the browser tests' fixture
from govportal.sites.roles import SiteRoles, create_channel_editors, setup_site_roles

PASSWORD = "Gov!portal-2026x"  # noqa: S105 — test users only


@dataclass
class PortalSite:
    """One site of the group with its channels, articles, roles and people."""

    key: str
    site: Site
    home: PortalHomePage
    news: ChannelPage
    notices: ChannelPage
    news_article: ArticlePage
    notice_article: ArticlePage
    roles: SiteRoles
    editor: object
    reviewer: object
    admin: object
    channel_editor: object  # may edit only inside ``news``
    final_reviewer: object | None = None

    @property
    def titles(self) -> list[str]:
        return [self.news_article.title, self.notice_article.title]


@dataclass
class SiteGroup:
    a: PortalSite
    b: PortalSite


def make_user(username: str, *groups, **extra):
    User = get_user_model()
    user = User.objects.create_user(
        username=username,
        password=PASSWORD,
        email=f"{username}@example.gov.cn",
        display_name=extra.pop("display_name", username),
        **extra,
    )
    if groups:
        user.groups.add(*groups)
    return user


def build_portal_site(key: str, *, two_level: bool = False, site_id_code: str) -> PortalSite:
    """A site ``<key>.example.test`` with news/notices channels, roles and users."""
    short = f"站点{key.upper()}"
    site, home, _profile = make_site(
        hostname=f"{key}.example.test",
        port=80,
        title=f"{short}人民政府",
        site_id_code=site_id_code,
    )
    home.save_revision().publish()
    news = ChannelPageFactory(parent=home, title=f"{short}要闻", slug="news")
    notices = ChannelPageFactory(
        parent=home, title=f"{short}通知公告", slug="notices", column_type=ColumnType.NOTICE
    )
    news_article = ArticlePageFactory(
        parent=news, title=f"{short}要闻文章 zebra {key}", slug="news-article"
    )
    notice_article = ArticlePageFactory(
        parent=notices, title=f"{short}通知文章 zebra {key}", slug="notice-article"
    )
    roles = setup_site_roles(home, short, two_level=two_level)
    channel_group = create_channel_editors(news, short, roles.collection)
    return PortalSite(
        key=key,
        site=site,
        home=home,
        news=news,
        notices=notices,
        news_article=news_article,
        notice_article=notice_article,
        roles=roles,
        editor=make_user(f"{key}_editor", roles.editors),
        reviewer=make_user(f"{key}_reviewer", roles.reviewers),
        admin=make_user(f"{key}_admin", roles.admins),
        channel_editor=make_user(f"{key}_news_editor", channel_group),
        final_reviewer=(
            make_user(f"{key}_leader", roles.final_reviewers) if roles.final_reviewers else None
        ),
    )


def build_site_group() -> SiteGroup:
    return SiteGroup(
        a=build_portal_site("alpha", site_id_code="1399000101"),
        b=build_portal_site("beta", site_id_code="1399000102"),
    )


@pytest.fixture(scope="module")
def _site_group_for_module(django_db_setup, django_db_blocker):
    """Built once per test module, inside a transaction rolled back after the module.

    Each test then runs in a savepoint of that transaction (pytest-django's ``db``
    fixture), so changes made by one test never reach the next. A module that also has
    ``transaction=True`` tests must not use this: pytest-django runs those right after
    the module's other tests, while this transaction is still open. Such a module
    overrides ``site_group`` with a per-test build (see core/tests/test_scheduler.py).
    """
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_site_group()
        transaction.set_rollback(True)


@pytest.fixture
def site_group(db, _site_group_for_module) -> SiteGroup:
    """Sites A and B with channels, articles, roles and one user per role.

    The objects are shared by the tests of a module: re-read from the database whatever
    a test changes (``ArticlePage.objects.get(pk=...)``) instead of mutating them.
    """
    return _site_group_for_module


@pytest.fixture
def superuser(db):
    return make_user("root", is_superuser=True, is_staff=True)


# -- helpers shared by the test modules ------------------------------------------------------


def public_get(client, page: Page, suffix: str = "", **extra):
    """GET a page's public URL on its own site (the right Host header)."""
    page = Page.objects.get(pk=page.pk)
    url = page.get_url()
    assert url, f"{page} has no public URL"
    parts = urlsplit(url)
    host = parts.netloc or "testserver"
    return client.get(parts.path + suffix, HTTP_HOST=host, **extra)


def edit_form_data(client, url: str):
    """The fields the admin create/edit form would post, as a browser would send them."""
    response = client.get(url)
    assert response.status_code == 200, response
    return querydict_from_html(response.content.decode(), form_id="page-edit-form")


def add_article_url(parent: Page) -> str:
    return reverse("wagtailadmin_pages:add", args=("content", "articlepage", parent.pk))


def edit_url(page: Page) -> str:
    return reverse("wagtailadmin_pages:edit", args=(page.pk,))


def article_form_data(client, url: str, *, title: str, slug: str, body=None, action=None, **fields):
    """What the article editor posts: the form as rendered, plus title, slug and body.

    ``body`` is a list of StreamField form values, by default one rich-text paragraph;
    ``action`` names the button pressed (``"action-submit"``, ``"action-publish"`` …).
    """
    data = edit_form_data(client, url)
    if body is None:
        body = [("paragraph", rich_text(f"<p>{title}的正文内容。</p>"))]
    values = nested_form_data({"title": title, "slug": slug, "body": streamfield(body), **fields})
    for key, value in values.items():
        data[key] = value
    if action:
        data[action] = "1"
    return data
