"""A small world for 依申请公开: a city with a bureau, another city, their sites and staff.

* ``city`` (示例市人民政府) owns the test client's site ``testserver``; ``bureau`` is its child
  and owns a second site; ``other`` is an unrelated root owning a third.
* ``handler`` / ``handler2`` (承办人) and ``lead`` (负责人) are members of ``city`` (so see the
  bureau's requests too); ``outsider`` is a 承办人 of ``other``.
* ``citizen`` and ``citizen2`` are public accounts.
"""

from dataclasses import dataclass

from django.core.cache import cache

import pytest

from govportal.citizens import services as citizens
from govportal.content.factories import make_site
from govportal.inforequests.factories import make_staff
from govportal.organizations.factories import OrganizationFactory
from govportal.organizations.models import SiteOrganization

PASSWORD = "Gov!portal-2026x"  # noqa: S105


@dataclass
class World:
    city: object
    bureau: object
    other: object
    site: object
    handler: object
    handler2: object
    lead: object
    outsider: object
    citizen: object
    citizen2: object


@pytest.fixture
def world(db, settings, tmp_path):
    settings.GOVPORTAL_PRIVATE_MEDIA_ROOT = tmp_path / "private"
    cache.clear()
    city = OrganizationFactory(name="示例市人民政府", short_name="示例市政府", kind="government")
    bureau = OrganizationFactory(name="示例市教育局", short_name="示例市教育局", parent=city)
    other = OrganizationFactory(name="另一市人民政府", short_name="另一市政府", kind="government")
    site, _, _ = make_site("testserver", 80, title="示例市人民政府", is_default=True)
    bureau_site, _, _ = make_site(
        "edu.example.test", 80, title="示例市教育局", site_id_code="1399000002"
    )
    other_site, _, _ = make_site(
        "other.example.test", 80, title="另一市", site_id_code="1399000003"
    )
    SiteOrganization.objects.create(site=site, organization=city)
    SiteOrganization.objects.create(site=bureau_site, organization=bureau)
    SiteOrganization.objects.create(site=other_site, organization=other)
    citizen = citizens.register_citizen(
        email="c1@example.com", mobile="13800138000", password=PASSWORD, via="mobile"
    )
    citizen2 = citizens.register_citizen(mobile="13900139000", password=PASSWORD, via="mobile")
    return World(
        city=city,
        bureau=bureau,
        other=other,
        site=site,
        handler=make_staff("foi_h1", city, display_name="承办人甲"),
        handler2=make_staff("foi_h2", city, display_name="承办人乙"),
        lead=make_staff("foi_lead_t", city, lead=True, display_name="负责人"),
        outsider=make_staff("foi_out", other, display_name="外单位承办人"),
        citizen=citizen,
        citizen2=citizen2,
    )
