"""The explorer lists exactly Wagtail's explorable pages, without the costly filter where it
cannot remove anything (govportal/siteadmin/speed.py)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy

import pytest

from govportal.conftest import make_user
from govportal.content.factories import ArticlePageFactory, ChannelPageFactory


def listed_ids(client, user, page, query: str = "") -> tuple[list[int], list[str]]:
    client.force_login(user)
    url = reverse("wagtailadmin_explore", args=(page.pk,)) + query
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    ids = sorted(p.pk for p in response.context["page_obj"].object_list)
    return ids, [q["sql"] for q in queries.captured_queries]


def wagtail_ids(user, page, *, descendants: bool = False) -> list[int]:
    """What Wagtail itself would list: children (or descendants) ∩ explorable pages."""
    pages = Page.objects.descendant_of(page) if descendants else Page.objects.child_of(page)
    explorable = PagePermissionPolicy().explorable_instances(user).values_list("pk", flat=True)
    return sorted(pages.filter(pk__in=explorable).values_list("pk", flat=True))


@pytest.fixture
def nested(site_group):
    """A sub-channel below A's news channel, and an editor of two of A's channels only.

    The two-channel editor's explorable root is A's home (their channels' common
    ancestor), where they hold no permission: there Wagtail's filter must stay.
    """
    from django.contrib.auth.models import Group, Permission

    from wagtail.models import GroupPagePermission

    a = site_group.a
    sub = ChannelPageFactory(parent=a.news, title="子栏目", slug="sub")
    ArticlePageFactory(parent=sub, title="子栏目文章")
    group = Group.objects.create(name="A 两栏目编辑")
    change = Permission.objects.get(content_type__app_label="wagtailcore", codename="change_page")
    for channel in (a.news, a.notices):
        GroupPagePermission.objects.create(group=group, page=channel, permission=change)
    access = Permission.objects.get(codename="access_admin")
    group.permissions.add(access)
    a.two_channel_editor = make_user("a_two_channels", group)
    return site_group, sub


@pytest.mark.parametrize(
    ("role", "where", "shortcut"),
    [
        ("editor", "home", True),  # site-wide permission: all of home's children
        ("editor", "news", True),
        ("channel_editor", "news", True),  # permission on news itself
        ("channel_editor", "sub", True),
        ("two_channel_editor", "home", False),  # above their permissions: Wagtail's filter
        ("two_channel_editor", "notices", True),
        ("reviewer", "home", True),
        ("admin", "notices", True),
    ],
)
def test_listing_matches_wagtail_and_skips_filter_only_inside_permission(
    client, nested, role, where, shortcut
):
    group, sub = nested
    a = group.a
    user = getattr(a, role)
    page = {"home": a.home, "news": a.news, "notices": a.notices, "sub": sub}[where]
    ids, sql = listed_ids(client, user, page)
    assert ids == wagtail_ids(user, page)
    assert ids, "every explored page here has visible children"
    listing = [q for q in sql if q.startswith("SELECT COUNT(*)") and "wagtailcore_page" in q]
    assert len(listing) == 1
    subquery = "IN (SELECT" in listing[0]
    assert subquery is not shortcut


def test_editor_above_their_channels_sees_only_those(client, nested):
    group, _ = nested
    a = group.a
    ids, _ = listed_ids(client, a.two_channel_editor, a.home)
    assert ids == sorted([a.news.pk, a.notices.pk])


def test_other_sites_pages_never_listed(client, nested):
    group, _ = nested
    # A's editor has no permission in B: exploring B's home is redirected or lists nothing
    # of B's, whatever path the view takes.
    client.force_login(group.a.editor)
    response = client.get(reverse("wagtailadmin_explore", args=(group.b.home.pk,)))
    body = response.content.decode()
    assert group.b.news_article.title not in body
    assert group.b.news.title not in body or response.status_code != 200


def test_search_below_a_channel_matches_wagtail(client, nested):
    group, sub = nested
    a = group.a
    ids, _ = listed_ids(client, a.channel_editor, a.news, "?q=%E5%AD%90%E6%A0%8F%E7%9B%AE")
    expected = set(wagtail_ids(a.channel_editor, a.news, descendants=True))
    assert ids and set(ids) <= expected
