"""The letter schema: tracking codes, encryption at rest, one lead unit, who sees the writer,
when a reply is public, answer periods by mailbox kind and category."""

import re

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

import pytest

from govportal.conftest import make_user
from govportal.content.factories import ChannelPageFactory
from govportal.content.models import ColumnType
from govportal.disclosure.tests.conftest import make_org
from govportal.interaction.models import Letter, LetterAssignment, LetterCategory, MailboxPage
from govportal.interaction.taxonomy import AssignmentRole, AssignmentStatus, MailboxKind, Status
from govportal.organizations.models import Membership
from govportal.privacy.fields import lookup


@pytest.fixture
def mailbox(site_group):
    channel = ChannelPageFactory(
        parent=site_group.a.home,
        title="互动交流",
        slug="hudong",
        column_type=ColumnType.INTERACTION,
    )
    page = MailboxPage(title="局长信箱", slug="mailbox", kind=MailboxKind.HEAD)
    channel.add_child(instance=page)
    return page


def make_letter(mailbox, **fields):
    data = {"title": "小区门口路灯不亮", "body": "我是张三，电话13812345678，路灯坏了一个月。",
            "name": "张三", "phone": "13812345678", "email": "zhangsan@example.com"}  # fmt: skip
    data.update(fields)
    return Letter.objects.create(mailbox=mailbox, **data)


def test_tracking_code_and_encrypted_writer(mailbox):
    letter = make_letter(mailbox)
    assert re.fullmatch(r"XJ\d{6}[2-9A-HJKMNP-Z]{6}", letter.tracking_code)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, phone, email FROM interaction_letter WHERE id = %s", [letter.pk]
        )
        raw = " ".join(cursor.fetchone())
    assert "张三" not in raw and "13812345678" not in raw and "zhangsan" not in raw
    assert list(lookup(Letter, "phone", "138 1234 5678")) == [letter]
    assert mailbox.column_type == ColumnType.INTERACTION


@pytest.mark.parametrize(
    ("kind", "mailbox_days", "category_days", "expected"),
    [
        (MailboxKind.CONSULTATION, None, None, 3),
        (MailboxKind.COMPLAINT, None, None, 15),
        (MailboxKind.MAYOR, None, None, 10),
        (MailboxKind.MAYOR, 5, None, 5),
        (MailboxKind.MAYOR, 5, 2, 2),
    ],
)
def test_answer_period_by_kind_mailbox_and_category(mailbox, kind, mailbox_days, category_days,
                                                     expected):  # fmt: skip
    mailbox.kind, mailbox.answer_workdays = kind, mailbox_days
    category = LetterCategory(page=mailbox, name="城市管理", answer_workdays=category_days)
    assert category.workdays() == expected


def test_only_one_active_lead_unit(mailbox):
    letter = make_letter(mailbox)
    a, b = make_org("甲局", 11), make_org("乙局", 12)
    first = LetterAssignment.objects.create(letter=letter, organization=a, role=AssignmentRole.LEAD)
    LetterAssignment.objects.create(letter=letter, organization=b, role=AssignmentRole.ASSIST)
    with pytest.raises(IntegrityError), transaction.atomic():
        LetterAssignment.objects.create(letter=letter, organization=b, role=AssignmentRole.LEAD)
    # A returned lead no longer counts: the letter can go to another lead unit.
    first.status = AssignmentStatus.RETURNED
    first.save()
    LetterAssignment.objects.create(letter=letter, organization=b, role=AssignmentRole.LEAD)


def test_writer_data_only_for_staff_of_units_holding_the_letter(mailbox):
    from govportal.interaction.factories import ensure_groups

    handlers = ensure_groups()["handle"]
    letter = make_letter(mailbox)
    holder, other = make_org("丙局", 13), make_org("丁局", 14)
    LetterAssignment.objects.create(letter=letter, organization=holder, role=AssignmentRole.LEAD)
    inside, outside = make_user("holder_staff", handlers), make_user("other_staff", handlers)
    no_role = make_user("holder_clerk")  # in the unit, but not a handler
    Membership.objects.create(user=inside, organization=holder)
    Membership.objects.create(user=no_role, organization=holder)
    Membership.objects.create(user=outside, organization=other)
    assert letter.privacy_can_reveal(inside, "phone")
    assert not letter.privacy_can_reveal(outside, "phone")
    assert not letter.privacy_can_reveal(no_role, "phone")


def test_a_reply_is_public_only_when_answered_and_both_sides_agree(mailbox):
    letter = make_letter(mailbox, status=Status.ANSWERED, reply_public=True)
    assert letter.is_public and list(Letter.objects.public()) == [letter]
    letter.wants_public = False
    assert not letter.is_public
    letter.wants_public, letter.status = True, Status.DISPATCHED
    assert not letter.is_public


def test_location_needs_both_coordinates_in_range(mailbox):
    letter = make_letter(mailbox)
    letter.latitude = 30.5
    with pytest.raises(ValidationError):
        letter.clean()
    letter.longitude = 200
    with pytest.raises(ValidationError):
        letter.clean()
    letter.longitude = 114.3
    letter.clean()
