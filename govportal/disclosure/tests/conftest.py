"""Catalogues on sites A and B of the shared site group.

Each site gets an owning unit (A: 甲区政府 with a sub-unit 甲区教育局; B: 乙局), a
政府信息公开 channel and a 政府信息公开目录 page. ``make_entry`` adds live entries.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

import pytest

from govportal.conftest import SiteGroup, build_site_group
from govportal.content.factories import ChannelPageFactory
from govportal.content.models import ColumnType
from govportal.disclosure.factories import DisclosureEntryPageFactory, DisclosureIndexPageFactory
from govportal.disclosure.models import DisclosureIndexPage
from govportal.organizations.codes import make_credit_code, make_org_code
from govportal.organizations.models import Organization
from govportal.organizations.services import link_site


def make_org(name: str, serial: int, parent: Organization | None = None) -> Organization:
    org_code = make_org_code(f"8{serial:07d}")
    org = Organization(
        name=name,
        short_name=name[:4],
        credit_code=make_credit_code("1", "1", "990100", org_code),
        org_code=org_code,
    )
    if parent is None:
        return Organization.add_root(instance=org)
    return Organization.objects.get(pk=parent.pk).add_child(instance=org)


def catalogue_for(site, home, org, slug="catalogue") -> DisclosureIndexPage:
    link_site(site, org)
    channel = ChannelPageFactory(
        parent=home, title="政府信息公开", slug="xxgk", column_type=ColumnType.DISCLOSURE
    )
    return DisclosureIndexPageFactory(parent=channel, slug=slug)


@dataclass
class Catalogues:
    group: SiteGroup
    org_a: Organization
    org_a_sub: Organization
    org_b: Organization
    index_a: DisclosureIndexPage
    index_b: DisclosureIndexPage


def build_catalogues() -> Catalogues:
    group = build_site_group()
    org_a = make_org("甲区人民政府", 1)
    org_a_sub = make_org("甲区教育局", 2, parent=org_a)
    org_b = make_org("乙市财政局", 3)
    return Catalogues(
        group=group,
        org_a=org_a,
        org_a_sub=Organization.objects.get(pk=org_a_sub.pk),
        org_b=org_b,
        index_a=catalogue_for(group.a.site, group.a.home, org_a),
        index_b=catalogue_for(group.b.site, group.b.home, org_b),
    )


@pytest.fixture(scope="module")
def _catalogues_for_module(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_catalogues()
        transaction.set_rollback(True)


@pytest.fixture
def cats(db, _catalogues_for_module) -> Catalogues:
    return _catalogues_for_module


def at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def make_entry(index, **fields):
    """A live entry under ``index``; ``published`` (a date) sets publish_time."""
    published = fields.pop("published", None)
    if published is not None:
        fields["publish_time"] = at(published)
    return DisclosureEntryPageFactory(parent=index, **fields)
