"""A small organisation tree, a platform operator and staff to appoint."""

from dataclasses import dataclass

import pytest

from govportal.conftest import PASSWORD, make_user
from govportal.organizations.models import Organization


@dataclass
class Orgs:
    city: Organization
    district: Organization
    town: Organization


@pytest.fixture
def orgs(db) -> Orgs:
    city = Organization.add_root(
        name="示例市人民政府", short_name="市政府", kind="government",
        phone="0999-12345678", address="示例市人民大道1号", email="gov@example.gov.cn",
    )  # fmt: skip
    district = Organization.objects.get(pk=city.pk).add_child(
        name="示例市甲区人民政府", short_name="甲区政府", kind="district", phone="0999-22223333"
    )
    town = Organization.objects.get(pk=district.pk).add_child(
        name="甲区某街道办事处", short_name="某街道", kind="town"
    )
    return Orgs(city, district, town)


@pytest.fixture
def operator(db):
    return make_user("operator", is_superuser=True, is_staff=True)


@pytest.fixture
def staff(db):
    """A staff user who is not a platform operator (and can be appointed site admin)."""
    return make_user("zhangsan", is_staff=True, display_name="张三")


__all__ = ["PASSWORD"]
