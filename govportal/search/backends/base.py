"""What every full-text backend does, and the plain data passed to it."""

from __future__ import annotations

import re
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


_TAG_RE = re.compile(r"[^0-9a-z]")


def _tag(prefix: str, value) -> str:
    return prefix + _TAG_RE.sub("x", str(value).lower())


def filter_tags(row: IndexRow) -> list[str]:
    """The filter tokens stored with a document, so that the full-text engine intersects
    them with the words itself: its site (``s12``), kind (``knews``), channel and every
    parent channel (``c0001``, ``c00010002``) and organisation (``o3``)."""
    out = [_tag("s", row.site_id if row.site_id is not None else "none"), _tag("k", row.kind)]
    path = row.channel_path or ""
    out += [_tag("c", path[:i]) for i in range(4, len(path) + 1, 4)]
    if row.organization_id is not None:
        out.append(_tag("o", row.organization_id))
    return out


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

    def on_columns(self) -> Filters:
        """The filters every index table has as columns (site, kind, dates): repeated as
        column conditions so the database can walk its site/time index."""
        return Filters(
            site_ids=self.site_ids,
            kinds=self.kinds,
            date_from=self.date_from,
            date_to=self.date_to,
        )

    def tag_groups(self) -> list[list[str]]:
        """The filters as filter tokens (see :func:`filter_tags`): a document matches when
        it has one token of every group. The date range is not among them."""
        groups = []
        if self.site_ids:
            groups.append([_tag("s", s) for s in self.site_ids])
        if self.kinds:
            groups.append([_tag("k", k) for k in self.kinds])
        if self.channel_path:
            groups.append([_tag("c", self.channel_path)])
        if self.organization_id is not None:
            groups.append([_tag("o", self.organization_id)])
        return groups


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


@dataclass
class SearchPage:
    ids: list[int]  # SearchDocument ids of the page, in order
    title_ids: set[int]  # those whose title matches (the first relevance tier)
    total: int
    capped: bool
    #: Facets ({"kind": [(code, n)], "site": [(site_id, n)]}, most first) when the
    #: backend had every match at hand anyway; None: ask :meth:`Backend.facets`.
    facets: dict | None = None


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

    def exists(self, parsed: ParsedQuery, filters: Filters) -> bool:
        """Does anything match? (One index lookup: "did you mean" asks this per word.)"""
        return self.search(parsed, filters, sort="time", offset=0, limit=1, cap=1).total > 0

    def matching_ids(self, parsed: ParsedQuery, filters: Filters) -> list[int]:
        """Every matching id, unordered, uncapped (recall checks, exports)."""
        raise NotImplementedError

    def facets(self, parsed: ParsedQuery, filters: Filters, *, limit: int) -> dict:
        """{"kind": [(code, n)], "site": [(site_id, n)]} over the whole match."""
        raise NotImplementedError
