"""``load_demo_data`` builds the whole demo site group once, with every role and state."""

import io

from django.contrib.auth import get_user_model
from django.core.management import call_command

from wagtail.models import Page, Site, WorkflowState

import pytest

from govportal.content.demo import DEMO_PASSWORD, SITES
from govportal.content.models import ArticlePage, ChannelPage
from govportal.provisioning.demo import DEMO_SITES
from govportal.sites.models import SiteKind, SiteProfile


@pytest.fixture
def demo(db):
    out = io.StringIO()
    call_command("load_demo_data", articles=60, stdout=out)
    return out.getvalue()


def test_demo_builds_portal_departments_and_district(demo):
    kinds = sorted(SiteProfile.objects.values_list("kind", flat=True))
    assert kinds.count(SiteKind.PORTAL) == 1
    assert kinds.count(SiteKind.DEPARTMENT) >= 2
    assert kinds.count(SiteKind.DISTRICT) >= 1
    assert Site.objects.filter(is_default_site=True).get().root_page.title == "示例市人民政府"
    for profile in SiteProfile.objects.select_related("site"):
        assert profile.missing_footer_fields == []
        home = profile.site.root_page
        assert ChannelPage.objects.descendant_of(home).count() >= 8, profile.site_name
        # No empty column: every article-holding leaf channel has articles.
        for channel in ChannelPage.objects.descendant_of(home):
            if not channel.get_children().exists():
                assert ArticlePage.objects.child_of(channel).live().exists(), channel.title
    ports = sorted(Site.objects.values_list("port", flat=True))
    # The sites opened through 站群管理 answer on <key>.localhost at the portal's port.
    assert ports == sorted([8000, 8001, 8002, 8003] + [8000] * len(DEMO_SITES))


def test_demo_has_users_for_every_role_who_can_log_in(demo, client):
    User = get_user_model()
    for spec in SITES:
        for role in ("admin", "reviewer", "editor"):
            user = User.objects.get(username=f"{spec.key}_{role}")
            assert user.check_password(DEMO_PASSWORD)
            assert user.groups.exists()
    assert User.objects.get(username="admin").is_superuser
    response = client.post(
        "/admin/login/", {"username": "city_news_editor", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_demo_shows_every_editorial_state(demo):
    states = WorkflowState.objects.values_list("status", flat=True)
    assert WorkflowState.STATUS_IN_PROGRESS in states
    assert WorkflowState.STATUS_NEEDS_CHANGES in states
    assert Page.objects.filter(live=False, go_live_at__isnull=False).exists()  # scheduled
    assert Page.objects.filter(live=True, expire_at__isnull=False).exists()  # will expire
    assert any(p.revisions.count() >= 2 for p in ArticlePage.objects.live()[:400])


def test_demo_article_count_and_rerun_is_a_no_op(demo):
    articles = ArticlePage.objects.count()
    assert articles >= 60
    out = io.StringIO()
    call_command("load_demo_data", stdout=out)
    assert "already loaded" in out.getvalue()
    assert ArticlePage.objects.count() == articles
    assert Site.objects.count() == len(SITES) + len(DEMO_SITES)


def test_demo_sites_belong_to_organisations_and_staff_to_units(demo):
    from govportal.organizations.models import Membership, Organization, SiteOrganization

    root = Organization.objects.get(name="示例市人民政府")
    assert root.get_descendant_count() >= 10
    owners = {so.site.site_name: so.organization.name for so in SiteOrganization.objects.all()}
    assert owners["示例市青山区人民政府"] == "示例市青山区人民政府"
    assert len(owners) == len(SITES) + len(DEMO_SITES)
    assert Membership.objects.get(
        user__username="qingshan_editor", is_primary=True
    ).organization.name == ("示例市青山区人民政府")
