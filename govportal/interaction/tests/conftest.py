"""A small world for 来信办理: a city government with two departments, another city, a
mailbox on the city's site, and staff in each role.

* ``city`` owns the site (testserver) and handles the mailbox; ``edu`` (lead unit of the
  category 教育) and ``roads`` (assisting unit) are its departments; ``other`` is unrelated.
* ``dispatcher``, ``supervisor`` in ``city``; ``handler``, ``handler2``, ``approver`` in
  ``edu``; ``assist`` in ``roads``; ``outsider`` holds every role but in ``other``.
"""

from dataclasses import dataclass

from django.core.cache import cache

import pytest

from govportal.citizens import services as citizens
from govportal.content.factories import ChannelPageFactory, make_site
from govportal.content.models import ColumnType
from govportal.interaction.factories import Staff, make_mailbox, make_staff
from govportal.interaction.taxonomy import MailboxKind
from govportal.organizations.factories import OrganizationFactory
from govportal.organizations.models import SiteOrganization

PASSWORD = "Gov!portal-2026x"  # noqa: S105


@dataclass
class World:
    city: object
    edu: object
    roads: object
    other: object
    site: object
    mailbox: object
    dispatcher: object
    handler: object
    handler2: object
    approver: object
    assist: object
    supervisor: object
    outsider: object
    citizen: object
    citizen2: object

    @property
    def staff(self) -> Staff:
        return Staff(self.dispatcher, self.handler, self.approver, self.assist)


@pytest.fixture
def world(db, settings, tmp_path):
    settings.GOVPORTAL_PRIVATE_MEDIA_ROOT = tmp_path / "private"
    cache.clear()
    city = OrganizationFactory(name="示例市人民政府", short_name="示例市政府", kind="government")
    edu = OrganizationFactory(name="示例市教育局", short_name="市教育局", parent=city)
    roads = OrganizationFactory(name="示例市交通运输局", short_name="市交通局", parent=city)
    other = OrganizationFactory(name="另一市人民政府", short_name="另一市政府", kind="government")
    site, home, _ = make_site("testserver", 80, title="示例市人民政府", is_default=True)
    SiteOrganization.objects.create(site=site, organization=city)
    channel = ChannelPageFactory(parent=home, title="互动交流", slug="interaction",
                                 column_type=ColumnType.INTERACTION)  # fmt: skip
    mailbox = make_mailbox(channel, "市长信箱", MailboxKind.MAYOR, slug="mayor", units=[city],
                           categories=[("教育", edu, [roads]), ("交通出行", roads, [])])  # fmt: skip
    citizen = citizens.register_citizen(
        email="c1@example.com", mobile="13800138000", password=PASSWORD, via="mobile"
    )
    citizen2 = citizens.register_citizen(mobile="13900139000", password=PASSWORD, via="mobile")
    return World(
        city=city, edu=edu, roads=roads, other=other, site=site, mailbox=mailbox,
        dispatcher=make_staff("xj_dispatcher", city, "dispatch", display_name="受理员"),
        handler=make_staff("xj_handler", edu, "handle", display_name="承办人甲"),
        handler2=make_staff("xj_handler2", edu, "handle", "approve", display_name="承办人乙"),
        approver=make_staff("xj_approver", edu, "approve", display_name="审核人"),
        assist=make_staff("xj_assist", roads, "handle", display_name="协办人"),
        supervisor=make_staff("xj_supervisor", city, "supervise", display_name="督办员"),
        outsider=make_staff("xj_out", other, "dispatch", "handle", "approve", "supervise",
                            display_name="外单位"),
        citizen=citizen,
        citizen2=citizen2,
    )  # fmt: skip
