"""The provisioned demo sites: each reachable, themed, staffed and without empty columns."""

from django.contrib.auth import get_user_model

from wagtail.models import Site

import pytest

from govportal.content.models import ArticlePage, ChannelPage, ColumnType
from govportal.organizations.demo import build_demo_organizations
from govportal.organizations.models import SiteOrganization
from govportal.provisioning.demo import DEMO_SITES, build_demo_provisioned_sites
from govportal.sites.models import SiteProfile

pytestmark = pytest.mark.django_db


def test_demo_sites_are_provisioned_once(client):
    build_demo_organizations()
    built = build_demo_provisioned_sites("127.0.0.1", 8000)
    assert len(built) == len(DEMO_SITES)
    assert {SiteProfile.objects.get(site=r.site).theme for r in built} == {
        s.theme for s in DEMO_SITES
    }
    for spec, result in zip(DEMO_SITES, built, strict=True):
        site = Site.objects.get(pk=result.site.pk)
        assert (site.hostname, site.port) == (f"{spec.key}.localhost", 8000)
        assert SiteOrganization.objects.get(site=site).organization.name == spec.organization
        admin = get_user_model().objects.get(username=f"{spec.key}_admin")
        assert admin.groups.filter(name=f"{spec.short_name}·站点管理员").exists()
        leaves = ChannelPage.objects.descendant_of(site.root_page).filter(numchild=0)
        for channel in leaves.exclude(column_type=ColumnType.TOPIC):
            assert ArticlePage.objects.child_of(channel).live().exists(), channel.title
        home = client.get("/", HTTP_HOST=f"{spec.key}.localhost:8000")
        assert home.status_code == 200
        assert f"theme-{spec.theme}" in home.content.decode()
    assert client.get("/", HTTP_HOST="dh.localhost:8000")["Location"] == (
        "http://donghu.localhost:8000/"
    )

    assert build_demo_provisioned_sites("127.0.0.1", 8000) == []
