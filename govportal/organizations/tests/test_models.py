"""The organisation tree, its rules, memberships, site links and the demo tree."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from wagtail.models import Site

import pytest

from govportal.organizations.demo import build_demo_organizations, link_site
from govportal.organizations.factories import (
    MembershipFactory,
    OrganizationFactory,
    UserFactory,
)
from govportal.organizations.models import Membership, Organization, OrganizationKind

pytestmark = pytest.mark.django_db


def test_descendants_of_a_district_are_one_subtree_query(django_assert_num_queries):
    root = build_demo_organizations()
    qingshan = root.get_children().get(name="示例市青山区人民政府")
    with django_assert_num_queries(1):
        names = [o.name for o in qingshan.get_descendants()]
    assert names == ["青山区教育局", "青山区民政局", "滨河街道办事处", "云岭镇人民政府"]
    assert qingshan.get_parent() == root
    assert qingshan.kind == OrganizationKind.DISTRICT
    assert root.get_descendant_count() == 12


def test_demo_builder_is_idempotent_and_its_codes_are_valid():
    root = build_demo_organizations()
    assert build_demo_organizations().pk == root.pk
    assert Organization.objects.count() == 13
    for org in Organization.objects.all():
        org.full_clean()  # check digits, code consistency
        assert org.code_for_index == org.org_code
    assert str(root) == "示例市人民政府"
    assert len({o.credit_code for o in Organization.objects.all()}) == 13


def test_siblings_follow_sort_order():
    root = OrganizationFactory(name="上级")
    OrganizationFactory(parent=root, name="乙", sort_order=20)
    OrganizationFactory(parent=root, name="甲", sort_order=10)
    assert [o.name for o in Organization.objects.get(pk=root.pk).get_children()] == ["甲", "乙"]


def test_code_for_index_falls_back_to_the_credit_code():
    org = Organization(name="某单位", credit_code="91350100M000100Y43")
    assert org.code_for_index == "M000100Y4"
    org.org_code = "123456788"
    assert org.code_for_index == "123456788"


@pytest.mark.parametrize(
    ("credit_code", "org_code", "message"),
    [
        ("", "", "至少填写一项"),
        ("91350100M000100Y44", "", "统一社会信用代码校验位错误"),
        ("", "123456789", "组织机构代码校验位错误"),
        ("91350100M000100Y43", "123456788", "不一致"),
    ],
)
def test_model_validation(credit_code, org_code, message):
    org = Organization(
        name="某单位", credit_code=credit_code, org_code=org_code, depth=1, path="0001"
    )
    with pytest.raises(ValidationError) as excinfo:
        org.full_clean()
    assert message in " ".join(excinfo.value.messages)


def test_codes_are_unique_when_given():
    OrganizationFactory(org_code="123456788", credit_code="")
    OrganizationFactory(org_code="", credit_code="91350100M000100Y43")
    OrganizationFactory(org_code="", credit_code="11990100900000002Y")
    with pytest.raises(IntegrityError), transaction.atomic():
        OrganizationFactory(org_code="123456788", credit_code="")


def test_staff_belong_to_several_organisations_with_one_primary():
    user = UserFactory()
    a, b = OrganizationFactory(), OrganizationFactory()
    MembershipFactory(user=user, organization=a, is_primary=True, position="科长")
    MembershipFactory(user=user, organization=b, is_primary=False)
    assert set(Organization.objects.filter(memberships__user=user)) == {a, b}
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=user, organization=OrganizationFactory(), is_primary=True)


def test_link_site_is_idempotent():
    site = Site.objects.get(is_default_site=True)
    a, b = OrganizationFactory(), OrganizationFactory()
    link_site(site, a)
    link_site(site, a)
    assert site.organization_link.organization == a
    link_site(site, b)
    site.refresh_from_db()
    assert Site.objects.get(pk=site.pk).organization_link.organization == b
    assert list(b.site_links.values_list("site_id", flat=True)) == [site.pk]
