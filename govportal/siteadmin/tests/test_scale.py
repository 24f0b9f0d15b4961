"""Admin work per request must not grow with the site group (Issue 3, admin at scale).

Query counts are compared with a few and with more extra sites (each with its roles and
review workflow): equal counts, whatever the number of sites. Timings are measured by
``benchmarks/admin_scale.py``, not here.
"""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest

from govportal.conftest import make_user
from govportal.content.factories import ArticlePageFactory, make_site
from govportal.siteadmin import access
from govportal.sites.roles import setup_site_roles

pytestmark = pytest.mark.django_db


def add_sites(count: int, start: int) -> None:
    for n in range(start, start + count):
        site, home, _ = make_site(
            f"extra{n}.example.test",
            title=f"扩展站点{n}",
            site_id_code=f"13990{n:05d}",
        )
        roles = setup_site_roles(home, f"扩展站点{n}", two_level=n % 2 == 0)
        # Some of the other sites' editors in an active review (as on a busy group).
        editor = make_user(f"extra{n}_editor", roles.editors)
        article = ArticlePageFactory(parent=home, title=f"扩展站点{n}待审文章", live=False)
        article.save_revision(user=editor)
        roles.workflow.start(article, editor)


def query_count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def counts_with_more_sites(client, urls) -> tuple[list[int], list[int]]:
    def counts():
        for url in urls:
            query_count(client, url)  # warm caches (content types, site root paths …)
        return [query_count(client, url) for url in urls]

    add_sites(3, start=1)
    few = counts()
    add_sites(7, start=10)
    return few, counts()


def role_users(site_group, superuser):
    a = site_group.a
    return {
        "editor": a.editor,
        "channel editor": a.channel_editor,
        "reviewer": a.reviewer,
        "site admin": a.admin,
        "superuser": superuser,
    }


@pytest.mark.parametrize(
    "role", ["editor", "channel editor", "reviewer", "site admin", "superuser"]
)
def test_explorer_and_dashboard_queries_do_not_grow_with_sites(client, site_group, superuser, role):
    user = role_users(site_group, superuser)[role]
    a = site_group.a
    client.force_login(user)
    urls = [
        reverse("wagtailadmin_explore", args=(a.news.pk,)),
        reverse("wagtailadmin_choose_page_child", args=(a.news.pk,)),
    ]
    if role != "channel editor":  # explores from its channel only
        urls.append(reverse("wagtailadmin_explore", args=(a.home.pk,)))
    if role != "superuser":  # moderates every site's review tasks: the panel lists them all
        urls.append(reverse("wagtailadmin_home"))
    few, many = counts_with_more_sites(client, urls)
    assert few == many, dict(zip(urls, zip(few, many, strict=True), strict=True))


def test_dashboard_queries_do_not_grow_with_review_tasks(client, site_group):
    """Wagtail asks every active review task whether the user may moderate it."""
    client.force_login(site_group.a.reviewer)
    url = reverse("wagtailadmin_home")
    few, many = counts_with_more_sites(client, [url])
    assert few == many


def test_dashboard_still_lists_the_reviewers_tasks(client, site_group):
    a, b = site_group.a, site_group.b
    article = ArticlePageFactory(parent=a.news, title="甲站待审核的稿件", live=False)
    article.save_revision(user=a.editor)
    a.roles.workflow.start(article, a.editor)
    other = ArticlePageFactory(parent=b.news, title="乙站待审核的稿件", live=False)
    other.save_revision(user=b.editor)
    b.roles.workflow.start(other, b.editor)

    client.force_login(a.reviewer)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "甲站待审核的稿件" in html
    assert "乙站待审核的稿件" not in html


def test_handles_any_site_agrees_with_handled_sites(site_group, superuser):
    a = site_group.a
    outsider = make_user("outsider")
    for user in (a.editor, a.channel_editor, a.reviewer, a.admin, superuser, outsider):
        assert access.handles_any_site(user) == bool(access.handled_sites(user)), user


def test_page_chooser_search_finds_pages_of_own_sites_only(client, site_group, superuser):
    a, b = site_group.a, site_group.b
    ArticlePageFactory(parent=a.news, title="斑马线整治甲站")
    ArticlePageFactory(parent=b.news, title="斑马线整治乙站")
    url = reverse("wagtailadmin_choose_page_search") + "?q=斑马线"

    client.force_login(a.editor)
    html = client.get(url).content.decode()
    assert "斑马线整治甲站" in html
    assert "斑马线整治乙站" not in html

    client.force_login(superuser)
    html = client.get(url).content.decode()
    assert "斑马线整治甲站" in html
    assert "斑马线整治乙站" in html


def test_admin_page_search_finds_pages(client, site_group, superuser):
    a, b = site_group.a, site_group.b
    ArticlePageFactory(parent=a.news, title="斑马线整治甲站")
    ArticlePageFactory(parent=b.news, title="斑马线整治乙站")
    url = reverse("wagtailadmin_pages:search") + "?q=斑马线"

    client.force_login(a.admin)
    html = client.get(url).content.decode()
    assert "斑马线整治甲站" in html
    assert "斑马线整治乙站" not in html

    client.force_login(superuser)
    for suffix in ("", "&ordering=relevance", "&ordering=title"):
        html = client.get(url + suffix).content.decode()
        assert "斑马线整治甲站" in html
        assert "斑马线整治乙站" in html


@pytest.mark.parametrize("role", ["editor", "channel editor", "reviewer", "site admin"])
def test_explorer_queries_do_not_grow_with_listed_pages(client, site_group, superuser, role):
    """Wagtail's delete/move buttons asked for live descendants once per row and button."""
    a = site_group.a
    client.force_login(role_users(site_group, superuser)[role])
    url = reverse("wagtailadmin_explore", args=(a.news.pk,))

    def add_articles(count, start):
        for n in range(start, start + count):
            ArticlePageFactory(parent=a.news, title=f"新增文章{n}", live=n % 3 != 0)

    add_articles(3, start=0)
    query_count(client, url)
    few = query_count(client, url)
    add_articles(9, start=10)
    query_count(client, url)
    assert query_count(client, url) == few


def test_can_delete_and_move_answers_are_wagtails(site_group, superuser):
    """The row shortcut (``siteadmin.speed``) answers exactly as Wagtail's query would."""
    from wagtail.models import Page

    from govportal.siteadmin import speed

    a = site_group.a
    channel = a.news
    ArticlePageFactory(parent=channel, title="草稿文章", live=False)
    draft_parent = ArticlePageFactory(parent=channel, title="草稿父页", live=False)
    ArticlePageFactory(parent=draft_parent, title="已发布子页", live=True)
    own = ArticlePageFactory(parent=channel, title="编辑自己的草稿", live=False, owner=a.editor)
    assert own.owner_id == a.editor.pk
    pages = list(Page.objects.filter(path__startswith=a.home.path))
    users = [*role_users(site_group, superuser).values(), site_group.b.editor]
    checked = 0
    for user in users:
        for page in pages:
            tester = page.permissions_for_user(user)
            for ignore_bulk in (False, True):
                expected = speed._original_can_delete(tester, ignore_bulk)
                assert tester.can_delete(ignore_bulk) == expected, (user, page, ignore_bulk)
                checked += 1
    assert checked > 50
