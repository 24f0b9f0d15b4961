"""Full values only for permitted staff, each view recorded; everyone else sees masks."""

import logging

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, Group, Permission
from django.core.exceptions import ImproperlyConfigured
from django.template import Context, Template

import pytest

from govportal.privacy.access import REVEAL_ACTION, audit_installed, can_reveal, masked, reveal
from govportal.privacy.tests.testapp.models import Letter, Person

pytestmark = pytest.mark.django_db
needs_audit = pytest.mark.skipif(not audit_installed(), reason="govportal.audit is not installed")


def staff(username: str, *, permitted: bool, **extra):
    user = get_user_model().objects.create_user(username=username, password="x", **extra)
    if permitted:
        group, _ = Group.objects.get_or_create(name="个案承办人")
        group.permissions.add(
            Permission.objects.get(
                codename="reveal_personal_data", content_type__app_label="privacy_tests"
            )
        )
        user.groups.add(group)
    return get_user_model().objects.get(pk=user.pk)  # no cached permissions


@pytest.fixture
def person():
    return Person.objects.create(
        name="张三丰", phone="13812341234", id_card="11010519491231002X",
        address="浙江省杭州市西湖区文三路90号", email="zhangsan@example.com",
    )  # fmt: skip


def request_for(rf, user):
    request = rf.get("/admin/cases/1/", REMOTE_ADDR="10.1.2.3")
    request.user = user
    return request


def reveal_records(caplog) -> list:
    """Views of full values recorded: audit records, or log lines while audit is absent."""
    if audit_installed():
        from govportal.audit.models import AuditRecord

        return list(AuditRecord.objects.filter(action=REVEAL_ACTION).order_by("seq"))
    return [r.getMessage() for r in caplog.records if r.getMessage().startswith(REVEAL_ACTION)]


@needs_audit
def test_permitted_user_sees_full_values_and_each_view_is_audited(rf, person):
    handler = staff("handler", permitted=True)
    request = request_for(rf, handler)
    assert reveal(request, person, "phone") == "13812341234"
    assert reveal(request, person, "id_card") == "11010519491231002X"
    assert reveal(request, person, "phone") == "13812341234"
    records = reveal_records(None)
    assert len(records) == 3  # every view, not once per object
    first = records[0]
    assert (first.user_id, first.username, first.roles) == (handler.pk, "handler", "个案承办人")
    assert (first.object_type, first.object_id) == ("privacy_tests.person", str(person.pk))
    assert (first.outcome, first.extra, first.ip_address) == (
        "success",
        {"field": "phone"},
        "10.1.2.3",
    )
    assert [r.extra["field"] for r in records] == ["phone", "id_card", "phone"]
    assert "13812341234" not in str(first.__dict__)  # the record names the field, not the value


@pytest.mark.skipif(audit_installed(), reason="govportal.audit is installed: see the audit test")
def test_permitted_user_sees_full_values_and_each_view_is_logged(rf, person, caplog):
    handler = staff("handler", permitted=True)
    request = request_for(rf, handler)
    with caplog.at_level(logging.INFO, logger="govportal.privacy"):
        assert reveal(request, person, "phone") == "13812341234"
        assert reveal(request, person, "id_card") == "11010519491231002X"
        assert reveal(request, person, "phone") == "13812341234"
    records = reveal_records(caplog)
    assert len(records) == 3  # every view, not once per object
    assert records[0] == (
        f"privacy.reveal user={handler.pk} object=privacy_tests.Person:{person.pk} "
        "field=phone ip=10.1.2.3"
    )


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ("name", "张**"),
        ("phone", "138****1234"),
        ("id_card", "1101**********002X"),
        ("address", "浙江省杭州市西湖区****"),
        ("email", "z***@example.com"),
    ],
)
def test_everyone_else_sees_the_mask_and_nothing_is_recorded(rf, person, caplog, field, expected):
    inactive = staff("gone", permitted=True, is_active=False)
    for user in [staff("editor", permitted=False), inactive, AnonymousUser()]:
        with caplog.at_level(logging.INFO, logger="govportal.privacy"):
            assert reveal(request_for(rf, user), person, field) == expected
    assert reveal(None, person, field) == expected
    assert masked(person, field) == expected
    assert reveal_records(caplog) == []


def test_superusers_pass_django_permission_checks(rf, person):
    root = staff("root", permitted=False, is_superuser=True)
    assert can_reveal(root, person, "phone")


def test_per_field_permissions_and_per_object_rules(rf):
    handler = staff("handler", permitted=True)
    colleague = staff("colleague", permitted=True)
    letter = Letter.objects.create(handler=handler, name="欧阳娜娜", phone="13812341234")
    assert reveal(request_for(rf, handler), letter, "phone") == "13812341234"
    # The permission alone is not enough: the letter says only its handler may see it.
    assert reveal(request_for(rf, colleague), letter, "phone") == "138****1234"
    # No permission is declared for the name: nobody sees it in full.
    assert reveal(request_for(rf, handler), letter, "name") == "欧阳**"


def test_empty_values_reveal_nothing(rf):
    person = Person.objects.create(name="李四", phone="", id_card=None)
    request = request_for(rf, staff("handler", permitted=True))
    assert reveal(request, person, "phone") == ""
    assert reveal(request, person, "id_card") == ""
    assert masked(person, "id_card") == ""


def test_only_encrypted_fields_can_be_revealed(rf, person):
    with pytest.raises(ImproperlyConfigured, match="note"):
        reveal(None, person, "note")
    with pytest.raises(ImproperlyConfigured, match="nothing"):
        masked(person, "nothing")


def test_template_tag_and_filter(rf, person):
    template = Template(
        '{% load privacy %}{{ person|masked:"phone" }} / {% reveal person "phone" %} / '
        '{% reveal person "name" %}'
    )
    handler = request_for(rf, staff("handler", permitted=True))
    editor = request_for(rf, staff("editor", permitted=False))
    context = {"person": person}
    assert template.render(Context({**context, "request": handler})) == (
        "138****1234 / 13812341234 / 张三丰"
    )
    assert template.render(Context({**context, "request": editor})) == (
        "138****1234 / 138****1234 / 张**"
    )
    assert template.render(Context(context)) == "138****1234 / 138****1234 / 张**"
