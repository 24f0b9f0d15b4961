"""The site group of govportal/conftest.py plus organisations and a third site.

Site B (beta) is the higher site: owned by 示例市人民政府. Site A (alpha) is owned by
its child 甲区人民政府, site C (gamma) by 乙局. A's channel editor belongs to a
sub-unit (甲区某街道) as their primary unit, so their submissions are attributed to it.
"""

from dataclasses import dataclass

import pytest

from govportal.conftest import PortalSite, SiteGroup, build_portal_site
from govportal.organizations.models import Membership, Organization, SiteOrganization


@dataclass
class World:
    group: SiteGroup
    c: PortalSite
    city: Organization
    district: Organization
    street: Organization
    bureau: Organization

    @property
    def a(self) -> PortalSite:
        return self.group.a

    @property
    def b(self) -> PortalSite:
        return self.group.b


def build_world(group: SiteGroup) -> World:
    gamma = build_portal_site("gamma", site_id_code="1399000103")
    city = Organization.add_root(name="示例市人民政府", short_name="市政府", kind="government")
    district = Organization.objects.get(pk=city.pk).add_child(
        name="示例市甲区人民政府", short_name="甲区政府", kind="district"
    )
    bureau = Organization.objects.get(pk=city.pk).add_child(
        name="示例市乙局", short_name="乙局", kind="department"
    )
    street = Organization.objects.get(pk=district.pk).add_child(
        name="甲区某街道办事处", short_name="某街道", kind="town"
    )
    SiteOrganization.objects.create(site=group.b.site, organization=city)
    SiteOrganization.objects.create(site=group.a.site, organization=district)
    SiteOrganization.objects.create(site=gamma.site, organization=bureau)
    Membership.objects.create(user=group.a.channel_editor, organization=street, is_primary=True)
    return World(group, gamma, city, district, street, bureau)


@pytest.fixture(scope="module")
def _world_for_module(django_db_blocker, _site_group_for_module):
    # Inside the module transaction of ``_site_group_for_module``: rolled back with it.
    with django_db_blocker.unblock():
        yield build_world(_site_group_for_module)


@pytest.fixture
def world(site_group, _world_for_module) -> World:
    return _world_for_module
