"""主动公开时限: information is to be published within 20 working days of being made
(政府信息公开条例 Art. 26). An entry whose 成文日期 → 发布日期 span exceeds the limit is late.

Working days come from :mod:`govportal.core.workdays` (statutory holidays and 调休), imported
when needed.
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.utils import timezone

from .models import DisclosureEntryPage

DEFAULT_LIMIT = 20


def limit_workdays() -> int:
    return int(getattr(settings, "GOVPORTAL_DISCLOSURE_PROACTIVE_WORKDAYS", DEFAULT_LIMIT))


def workdays_taken(written: date, published: date) -> int:
    """Working days from 成文日期 to 发布日期."""
    from govportal.core.workdays import workdays_between

    return workdays_between(written, published)


@dataclass
class LateEntry:
    entry: DisclosureEntryPage
    site_name: str
    written_date: date
    publish_date: date
    workdays: int
    over: int

    # Attribute paths for the report's spreadsheet export.
    @property
    def index_number(self) -> str:
        return self.entry.index_number or ""

    @property
    def title(self) -> str:
        return self.entry.title

    @property
    def publisher(self) -> str:
        return self.entry.publisher.name if self.entry.publisher_id else ""

    @property
    def status(self) -> str:
        return "已发布" if self.entry.live else "未发布"


def late_entries(queryset, site_names: dict[str, str], limit: int | None = None) -> list[LateEntry]:
    """Entries of ``queryset`` published more than ``limit`` working days after 成文日期,
    worst first. ``site_names`` maps a site root path to its name."""
    limit = limit_workdays() if limit is None else limit
    late = []
    rows = queryset.exclude(written_date=None).select_related("publisher").order_by("-publish_time")
    for entry in rows:
        published = timezone.localtime(entry.publish_time).date()
        # At most one working day per calendar day (调休 shifts days, it does not add any
        # to a span this long), so shorter spans cannot be late: skip the calendar work.
        if (published - entry.written_date).days <= limit:
            continue
        taken = workdays_taken(entry.written_date, published)
        if taken > limit:
            site_name = next(
                (name for path, name in site_names.items() if entry.path.startswith(path)), ""
            )
            late.append(
                LateEntry(entry, site_name, entry.written_date, published, taken, taken - limit)
            )
    late.sort(key=lambda item: (-item.over, -item.entry.pk))
    return late
