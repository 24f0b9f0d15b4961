"""索引号 (IndexNumber): generated once per catalogue entry, unique, never changed.

The default scheme is ``{org_code}/{year}-{serial:05d}`` — the publishing organisation's
code (组织机构代码, or characters 9–17 of its 统一社会信用代码), the year (成文日期, else the
publish date) and a 5-digit serial per organisation and year. Another scheme is a
``str.format`` pattern in ``GOVPORTAL_DISCLOSURE_INDEX_FORMAT`` over the named fields
``org_code``, ``credit_code``, ``org_id``, ``year`` and ``serial``; without ``{year`` in it
the serial runs on across years.

Numbers come from an :class:`~govportal.disclosure.models.IndexCounter` row per
(organisation, year), read with ``SELECT … FOR UPDATE`` in the transaction that saves the
entry: concurrent writers queue on the row, and a rolled-back save returns nothing
(numbers need not be gap-free, but are unique; the column has a unique constraint too).
"""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

DEFAULT_FORMAT = "{org_code}/{year}-{serial:05d}"
AUDIT_ASSIGN = "disclosure.assign_index_number"


def index_format() -> str:
    fmt = getattr(settings, "GOVPORTAL_DISCLOSURE_INDEX_FORMAT", "") or DEFAULT_FORMAT
    if "{serial" not in fmt:
        raise ImproperlyConfigured("GOVPORTAL_DISCLOSURE_INDEX_FORMAT must contain {serial}")
    return fmt


def organization_code(organization) -> str:
    return organization.code_for_index or organization.credit_code or str(organization.pk)


def format_index_number(organization, year: int, serial: int, fmt: str | None = None) -> str:
    fmt = fmt or index_format()
    try:
        return fmt.format(
            org_code=organization_code(organization),
            credit_code=organization.credit_code or organization_code(organization),
            org_id=organization.pk,
            year=year,
            serial=serial,
        )
    except (KeyError, IndexError, ValueError) as exc:
        raise ImproperlyConfigured(
            f"GOVPORTAL_DISCLOSURE_INDEX_FORMAT {fmt!r} cannot be formatted: {exc}"
        ) from exc


def allocate_index_number(organization, year: int) -> str:
    """The next unused 索引号 of ``organization`` for ``year``; call inside the transaction
    that saves the entry (the counter row stays locked until it commits)."""
    from .models import DisclosureEntryPage, IndexCounter

    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("allocate_index_number() must run inside transaction.atomic()")
    fmt = index_format()
    counter_year = year if "{year" in fmt else 0
    counter, _created = IndexCounter.objects.select_for_update().get_or_create(
        organization=organization, year=counter_year
    )
    while True:
        counter.last += 1
        number = format_index_number(organization, year, counter.last, fmt)
        # A number taken under another scheme, or imported, is skipped, never reused.
        if not DisclosureEntryPage.objects.filter(index_number=number).exists():
            break
    counter.save(update_fields=["last"])
    return number
