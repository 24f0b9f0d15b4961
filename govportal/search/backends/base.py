"""What every full-text backend does, and the plain data passed to it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from ..analysis import ParsedQuery


@dataclass
class IndexRow:
    """One document's analysed text, as the backend stores it."""

    doc_id: int
    title_tokens: list[str]
    body_tokens: list[str]
    site_id: int | None
    kind: str
    published_at: datetime
    channel_path: str = ""
    organization_id: int | None = None


@dataclass
class Filters:
    site_ids: list[int] | None = None
    kinds: list[str] | None = None
    channel_path: str = ""
    organization_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None

    def where(self, col: dict[str, str]) -> tuple[list[str], list]:
        """SQL conditions (ANDed) and their parameters; ``col`` names the columns."""
        sql: list[str] = []
        params: list = []
        if self.site_ids is not None:
            if not self.site_ids:
                sql.append("1 = 0")
            else:
                sql.append(f"{col['site']} IN ({', '.join(['%s'] * len(self.site_ids))})")
                params.extend(self.site_ids)
        if self.kinds:
            sql.append(f"{col['kind']} IN ({', '.join(['%s'] * len(self.kinds))})")
            params.extend(self.kinds)
        if self.channel_path:
            sql.append(f"{col['channel_path']} LIKE %s")
            params.append(self.channel_path.replace("%", "").replace("_", "") + "%")
        if self.organization_id is not None:
            sql.append(f"{col['organization']} = %s")
            params.append(self.organization_id)
        if self.date_from:
            sql.append(f"{col['published_at']} >= %s")
            params.append(_day_start(self.date_from))
        if self.date_to:
            sql.append(f"{col['published_at']} < %s")
            params.append(_day_start(self.date_to + timedelta(days=1)))
        return sql, params

    @property
    def needs_document(self) -> bool:
        """Filters only the document table has (not copied into the index table)."""
        return bool(self.channel_path) or self.organization_id is not None


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


@dataclass
class SearchPage:
    ids: list[int]  # SearchDocument ids of the page, in order
    title_ids: set[int]  # those whose title matches (the first relevance tier)
    total: int
    capped: bool


class Backend:
    vendor = ""

    def write(self, rows: list[IndexRow], *, fresh: bool = False) -> None:
        """Store (replace) the index rows; ``fresh``: the ids are known to be new."""
        raise NotImplementedError

    def delete(self, doc_ids: list[int]) -> None:
        raise NotImplementedError

    def clear(self) -> None:
        raise NotImplementedError

    def analyze(self) -> None:
        """Refresh statistics / merge segments after a bulk load."""

    def search(
        self,
        parsed: ParsedQuery,
        filters: Filters,
        *,
        sort: str,
        offset: int,
        limit: int,
        cap: int,
    ) -> SearchPage:
        raise NotImplementedError

    def matching_ids(self, parsed: ParsedQuery, filters: Filters) -> list[int]:
        """Every matching id, unordered, uncapped (recall checks, exports)."""
        raise NotImplementedError

    def facets(self, parsed: ParsedQuery, filters: Filters, *, limit: int) -> dict:
        """{"kind": [(code, n)], "site": [(site_id, n)]} over the whole match."""
        raise NotImplementedError
