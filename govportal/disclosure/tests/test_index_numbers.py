"""索引号: format, per-organisation/year serials, the configurable scheme, and that a number
never changes — not on edit, publish, rollback or move — while a copy gets a new one."""

import datetime

from django.db import IntegrityError, transaction

import pytest

from govportal.audit.models import AuditRecord
from govportal.disclosure.index_numbers import AUDIT_ASSIGN
from govportal.disclosure.models import DisclosureEntryPage, DisclosureIndexPage

from .conftest import at, make_entry

D = datetime.date


def test_first_numbers_are_org_code_year_and_serial(cats):
    code = cats.org_a.org_code
    first = make_entry(cats.index_a, written_date=D(2025, 3, 1))
    second = make_entry(cats.index_a, written_date=D(2025, 7, 9))
    other_year = make_entry(cats.index_a, written_date=D(2026, 1, 5))
    assert first.index_number == f"{code}/2025-00001"
    assert second.index_number == f"{code}/2025-00002"
    assert other_year.index_number == f"{code}/2026-00001"


def test_publisher_defaults_to_the_unit_owning_the_site(cats):
    entry = make_entry(cats.index_b, written_date=D(2025, 3, 1))
    assert entry.publisher == cats.org_b
    assert entry.index_number == f"{cats.org_b.org_code}/2025-00001"


def test_each_publisher_counts_on_its_own(cats):
    a = make_entry(cats.index_a, written_date=D(2025, 3, 1), publisher=cats.org_a)
    sub = make_entry(cats.index_a, written_date=D(2025, 3, 1), publisher=cats.org_a_sub)
    assert a.index_number.endswith("/2025-00001")
    assert sub.index_number == f"{cats.org_a_sub.org_code}/2025-00001"


def test_year_is_the_written_year_else_the_publish_year(db):
    # A draft saved before 成文日期 is filled in (drafts defer required fields).
    assert (
        DisclosureEntryPage(written_date=None, publish_time=at(D(2024, 12, 30))).index_year == 2024
    )
    assert (
        DisclosureEntryPage(written_date=D(2025, 12, 31), publish_time=at(D(2026, 1, 4))).index_year
        == 2025
    )


@pytest.mark.parametrize(
    ("scheme", "expected"),
    [
        ("{org_code}-{year}-{serial:04d}", "{org}-2025-0001"),
        ("{credit_code}/{year}{serial:06d}", "{credit}/2025000001"),
        ("{org_code}/{serial:05d}", "{org}/00001"),  # no year: one run across years
    ],
)
def test_scheme_is_configurable(cats, settings, scheme, expected):
    settings.GOVPORTAL_DISCLOSURE_INDEX_FORMAT = scheme
    entry = make_entry(cats.index_a, written_date=D(2025, 3, 1))
    assert entry.index_number == expected.format(
        org=cats.org_a.org_code, credit=cats.org_a.credit_code
    )


def test_a_number_taken_elsewhere_is_skipped(cats):
    first = make_entry(cats.index_a, written_date=D(2025, 3, 1))
    # e.g. imported from an older system under the same scheme
    DisclosureEntryPage.objects.filter(pk=first.pk).update(
        index_number=f"{cats.org_a.org_code}/2025-00002"
    )
    second = make_entry(cats.index_a, written_date=D(2025, 3, 2))
    assert second.index_number == f"{cats.org_a.org_code}/2025-00003"


def test_database_refuses_a_duplicate_number(cats):
    first = make_entry(cats.index_a, written_date=D(2025, 3, 1))
    second = make_entry(cats.index_a, written_date=D(2025, 3, 2))
    with pytest.raises(IntegrityError), transaction.atomic():
        DisclosureEntryPage.objects.filter(pk=second.pk).update(index_number=first.index_number)


def test_assignment_is_in_the_audit_trail(cats):
    entry = make_entry(cats.index_a, written_date=D(2025, 3, 1))
    record = AuditRecord.objects.filter(action=AUDIT_ASSIGN).order_by("-seq").first()
    assert record is not None
    assert record.after == {"index_number": entry.index_number}
    assert record.object_id == str(entry.pk)


def test_number_never_changes_on_edit_publish_and_rollback(cats):
    entry = make_entry(cats.index_a, written_date=D(2025, 3, 1))
    number = entry.index_number
    first_revision = entry.save_revision()
    first_revision.publish()

    page = DisclosureEntryPage.objects.get(pk=entry.pk)
    page.written_date = D(2026, 5, 1)  # another year
    page.publisher = cats.org_a_sub  # another organisation
    page.index_number = "tampered/1"
    page.title = "修改后的标题"
    page.save_revision().publish()
    page = DisclosureEntryPage.objects.get(pk=entry.pk)
    assert page.title == "修改后的标题"
    assert page.index_number == number

    first_revision.publish()  # roll back to the first revision
    assert DisclosureEntryPage.objects.get(pk=entry.pk).index_number == number


def test_number_never_changes_on_move_even_to_another_site(cats):
    entry = make_entry(cats.index_a, written_date=D(2025, 3, 1))
    number = entry.index_number
    target = DisclosureIndexPage.objects.get(pk=cats.index_b.pk)
    DisclosureEntryPage.objects.get(pk=entry.pk).move(target, pos="last-child")
    moved = DisclosureEntryPage.objects.get(pk=entry.pk)
    assert moved.get_parent().pk == cats.index_b.pk
    assert moved.index_number == number


def test_a_copy_gets_a_new_number_and_the_original_keeps_its_own(cats):
    entry = make_entry(cats.index_a, written_date=D(2025, 3, 1))
    entry.save_revision().publish()
    number = entry.index_number
    copy = entry.copy(update_attrs={"slug": "copied", "title": "复制的条目"})
    copy = DisclosureEntryPage.objects.get(pk=copy.pk)
    assert copy.index_number and copy.index_number != number
    assert copy.index_number == f"{cats.org_a.org_code}/2025-00002"
    # Publishing the copy's copied revision keeps the copy's own number.
    copy.get_latest_revision().publish()
    assert DisclosureEntryPage.objects.get(pk=copy.pk).index_number == copy.index_number
    assert DisclosureEntryPage.objects.get(pk=entry.pk).index_number == number
