"""Two catalogues (sites A and B), their units, and staff allowed to manage annual reports.

A: 甲区人民政府 (a government, with 甲区教育局 below it), B: 乙市财政局 — from the
disclosure tests' :func:`build_catalogues`. ``staff_a`` is a member of 甲区人民政府 and
``staff_b`` of 乙市财政局, both holding ``annualreports.change_annualreport``.
"""

from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission
from django.db import transaction

import pytest

from govportal.conftest import make_user
from govportal.disclosure.tests.conftest import Catalogues, build_catalogues
from govportal.organizations.models import Membership, Organization, OrganizationKind


@dataclass
class World:
    cats: Catalogues
    staff_a: object
    staff_b: object
    outsider: object  # admin access, no annual-report permission

    @property
    def org_a(self):
        return Organization.objects.get(pk=self.cats.org_a.pk)

    @property
    def org_a_sub(self):
        return Organization.objects.get(pk=self.cats.org_a_sub.pk)

    @property
    def org_b(self):
        return Organization.objects.get(pk=self.cats.org_b.pk)


def build_world() -> World:
    cats = build_catalogues()
    Organization.objects.filter(pk=cats.org_a.pk).update(kind=OrganizationKind.GOVERNMENT)
    group = Group.objects.create(name="年报管理员（测试）")
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label__in=["annualreports", "wagtailadmin"],
            codename__in=["change_annualreport", "access_admin"],
        )
    )
    plain = Group.objects.create(name="仅后台（测试）")
    plain.permissions.add(Permission.objects.get(codename="access_admin"))
    staff_a = make_user("report_a", group, is_staff=True)
    staff_b = make_user("report_b", group, is_staff=True)
    outsider = make_user("report_none", plain, is_staff=True)
    Membership.objects.create(user=staff_a, organization=cats.org_a, is_primary=True)
    Membership.objects.create(user=staff_b, organization=cats.org_b, is_primary=True)
    Membership.objects.create(user=outsider, organization=cats.org_a, is_primary=True)
    return World(cats=cats, staff_a=staff_a, staff_b=staff_b, outsider=outsider)


@pytest.fixture(scope="module")
def _world_for_module(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


@pytest.fixture
def world(db, _world_for_module) -> World:
    return _world_for_module
