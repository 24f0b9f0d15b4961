"""The leak probe: each role of site A walks every admin area and finds nothing of site B.

Site B's names all carry "站点B" (its site, pages, groups, workflow, tasks, collection,
image, document, tags) and its users are ``beta_*``; site A's carry "站点A" / ``alpha_*``.
A response leaks if it contains one of those markers of the other site. Direct URLs to
the other site's objects must be refused (403, 404 or a redirect) — never a 200 with its data.
"""

import json

from django.urls import reverse

from wagtail.models import Page

import pytest

pytestmark = pytest.mark.django_db

MARKERS = {
    "a": ("站点A", "alpha_", "alpha.example.test"),
    "b": ("站点B", "beta_", "beta.example.test"),
}
ROLES = ("editor", "reviewer", "admin", "channel_editor")


def listing_urls(own, extras) -> list[str]:
    """Every admin area, as the user of ``own`` would open it (searches included)."""
    root = Page.get_first_root_node()
    return [
        reverse("wagtailadmin_home"),
        reverse("wagtailadmin_explore_root"),
        reverse("wagtailadmin_explore", args=(own.home.pk,)),
        reverse("wagtailadmin_explore", args=(own.home.pk,)) + "?q=zebra&search_all=1",
        reverse("wagtailadmin_explore", args=(root.pk,)) + "?q=zebra",
        reverse("wagtailadmin_pages:search") + "?q=zebra",
        reverse("wagtailadmin_pages:search") + "?q=站点",
        reverse("wagtailadmin_pages:type_use", args=("content", "articlepage")),
        "/admin/api/main/pages/?child_of=root&for_explorer=1",
        "/admin/api/main/pages/?search=zebra",
        # page chooser: browse from the root, restricted to a type, search, chosen
        reverse("wagtailadmin_choose_page"),
        reverse("wagtailadmin_choose_page") + "?page_type=content.channelpage",
        reverse("wagtailadmin_choose_page") + "?page_type=content.articlepage",
        reverse("wagtailadmin_choose_page_child", args=(root.pk,)),
        reverse("wagtailadmin_choose_page_search") + "?q=zebra",
        reverse("wagtailadmin_choose_page_search") + "?q=站点",
        # images and documents: listings and choosers (with search)
        reverse("wagtailimages:index"),
        reverse("wagtailimages:index") + "?q=站点",
        reverse("wagtailimages_chooser:choose"),
        reverse("wagtailimages_chooser:choose_results") + "?q=站点",
        reverse("wagtaildocs:index"),
        reverse("wagtaildocs:index") + "?q=站点",
        reverse("wagtaildocs_chooser:choose"),
        reverse("wagtaildocs_chooser:choose_results") + "?q=站点",
        reverse("wagtailadmin_collections:index"),
        reverse("wagtailadmin_tag_autocomplete") + "?term=站点",
        # reports
        reverse("wagtailadmin_reports:locked_pages"),
        reverse("wagtailadmin_reports:workflow"),
        reverse("wagtailadmin_reports:workflow_tasks"),
        reverse("wagtailadmin_reports:site_history"),
        reverse("wagtailadmin_reports:aging_pages"),
        reverse("wagtailadmin_reports:page_types_usage"),
        # workflows, users, groups, snippets, settings
        reverse("wagtailadmin_workflows:index"),
        reverse("wagtailadmin_workflows:task_index"),
        reverse("wagtailusers_users:index"),
        reverse("wagtailusers_groups:index"),
        reverse("wagtailsnippets:index"),
        "/admin/settings/govsites/siteprofile/",
        f"/admin/settings/govsites/siteprofile/{own.site.pk}/",
        "/admin/settings/core/platformsettings/",
        reverse("wagtailredirects:index"),
        reverse("wagtailsites:index"),
        reverse("organizations:index"),
        # 信息报送 (the submit form lists other sites by design: see test_submission_...)
        reverse("submissions:mine"),
        reverse("submissions:inbox"),
        reverse("submissions:stats"),
        # our own pages
        reverse("siteadmin:index"),
        reverse("siteadmin:staff", args=(own.site.pk,)),
        reverse("siteadmin:delegations", args=(own.site.pk,)),
    ]


def direct_urls(other, other_extras) -> list[str]:
    """URLs of the other site's objects, typed in by hand."""
    article = other.news_article
    return [
        reverse("wagtailadmin_explore", args=(other.home.pk,)),
        reverse("wagtailadmin_explore", args=(other.news.pk,)) + "?q=zebra",
        reverse("wagtailadmin_pages:edit", args=(article.pk,)),
        reverse("wagtailadmin_pages:history", args=(article.pk,)),
        reverse("wagtailadmin_pages:usage", args=(article.pk,)),
        reverse("wagtailadmin_pages:revisions_index", args=(article.pk,)),
        reverse("wagtailadmin_pages:workflow_history", args=(other_extras.in_review.pk,)),
        reverse("wagtailadmin_pages:view_draft", args=(other_extras.in_review.pk,)),
        reverse("wagtailadmin_pages:add_subpage", args=(other.news.pk,)),
        reverse("wagtailadmin_choose_page_child", args=(other.home.pk,)),
        reverse("wagtailadmin_choose_page_child", args=(other.news.pk,)),
        reverse("wagtailadmin_choose_page_chosen_multiple") + f"?id={article.pk}",
        f"/admin/api/main/pages/{article.pk}/",
        f"/admin/api/main/pages/?child_of={other.home.pk}",
        reverse("wagtailimages:edit", args=(other_extras.image.pk,)),
        reverse("wagtailimages:image_usage", args=(other_extras.image.pk,)),
        reverse("wagtailimages_chooser:chosen", args=(other_extras.image.pk,)),
        reverse("wagtaildocs:edit", args=(other_extras.document.pk,)),
        reverse("wagtaildocs_chooser:chosen", args=(other_extras.document.pk,)),
        f"/admin/settings/govsites/siteprofile/{other.site.pk}/",
        reverse("wagtailusers_users:edit", args=(other.admin.pk,)),
        reverse("wagtailusers_groups:edit", args=(other.roles.admins.pk,)),
        reverse("wagtailadmin_reports:page_types_usage") + f"?site={other.home.path}",
        reverse("siteadmin:staff", args=(other.site.pk,)),
        reverse("siteadmin:person", args=(other.site.pk, other.editor.pk)),
        reverse("siteadmin:delegations", args=(other.site.pk,)),
    ]


def text_of(response) -> str:
    """The body as text, JSON unescaped (choosers answer JSON with "\\u7ad9…")."""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    text = response.content.decode("utf-8", "replace")
    if response.get("Content-Type", "").startswith("application/json"):
        text = json.dumps(json.loads(text), ensure_ascii=False)
    return text


def leaks(response, markers) -> list[str]:
    text = text_of(response)
    return [m for m in markers if m in text]


def probe(client, user, own, other, own_extras, other_extras):
    client.force_login(user)
    problems = []
    for url in listing_urls(own, own_extras):
        response = client.get(url)
        if response.status_code == 500:
            problems.append((url, "500"))
        elif found := leaks(response, MARKERS[other.key[0]]):
            problems.append((url, response.status_code, found))
    for url in direct_urls(other, other_extras):
        response = client.get(url)
        if response.status_code == 200 and (found := leaks(response, MARKERS[other.key[0]])):
            problems.append((url, 200, found))
        elif response.status_code == 500:
            problems.append((url, "500"))
    return problems


@pytest.mark.parametrize("role", ROLES)
def test_site_a_roles_see_nothing_of_site_b(client, site_group, extras, role):
    a, b = site_group.a, site_group.b
    problems = probe(client, getattr(a, role), a, b, extras["a"], extras["b"])
    assert problems == []


def test_site_b_admin_sees_nothing_of_site_a(client, site_group, extras):
    a, b = site_group.a, site_group.b
    problems = probe(client, b.admin, b, a, extras["b"], extras["a"])
    assert problems == []
