"""Factories for organisations, memberships and site links (tests and demo data)."""

from django.contrib.auth import get_user_model

import factory

from .codes import make_credit_code, make_org_code
from .models import Membership, Organization, OrganizationKind, SiteOrganization


class OrganizationFactory(factory.django.DjangoModelFactory):
    """An organisation under ``parent`` (default: a new top-level unit) with valid codes."""

    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"测试单位{n}")
    short_name = factory.LazyAttribute(lambda o: o.name[:10])
    kind = OrganizationKind.DEPARTMENT
    org_code = factory.Sequence(lambda n: make_org_code(f"7{n:07d}"))
    credit_code = factory.LazyAttribute(
        lambda o: make_credit_code("1", "1", "990100", o.org_code) if o.org_code else ""
    )
    phone = "0999-12345678"
    email = factory.Sequence(lambda n: f"unit{n}@example.gov.cn")

    @classmethod
    def _create(cls, model_class, *args, parent=None, **kwargs):
        org = model_class(*args, **kwargs)
        if parent is None:
            return model_class.add_root(instance=org)
        return model_class.objects.get(pk=parent.pk).add_child(instance=org)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"staff{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.gov.cn")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    is_primary = True
    position = "信息员"


class SiteOrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SiteOrganization

    organization = factory.SubFactory(OrganizationFactory)
