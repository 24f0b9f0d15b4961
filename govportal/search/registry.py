"""What can be found: content kinds and their sources (each app registers its own).

A *source* turns one object (a page, a document, a letter …) into zero or more
:class:`Doc` — zero when the object must not be found (unpublished, restricted, not
public). Sources are registered at start-up (``apps.ready``); the search page's
"content kind" filter lists :func:`kinds` in ``order``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Kind:
    code: str  # "news", "policy", "disclosure", "letter", "attachment" …
    label: str  # 新闻动态, 政策文件 …
    order: int = 100


@dataclass
class Doc:
    """One document as a source hands it to the indexer (plain text, not yet analysed)."""

    key: str  # "<source>:<id>", unique across the index, e.g. "page:12"
    kind: str
    title: str
    body: str
    url: str
    published_at: datetime
    site_id: int | None = None
    channel_id: int | None = None
    channel_path: str = ""
    organization_id: int | None = None
    summary: str = ""
    parent_key: str = ""
    boost: float = 1.0
    extra: dict = field(default_factory=dict)


class Source:
    """Base class: subclass, set ``prefix``, implement ``documents`` and ``all_keys``."""

    prefix: str = ""  # the part of the key before ":"

    def documents(self, ident: str) -> list[Doc]:
        """The documents for the object ``ident`` (the part of the key after ":") as it is
        now; ``[]`` if it is gone or must not be found."""
        raise NotImplementedError

    def all_keys(self) -> Iterator[str]:
        """Every key this source may produce (for a full rebuild)."""
        raise NotImplementedError


_KINDS: dict[str, Kind] = {}
_SOURCES: dict[str, Source] = {}


def register_kind(code: str, label: str, order: int = 100) -> Kind:
    kind = Kind(code, label, order)
    _KINDS[code] = kind
    return kind


def kinds() -> list[Kind]:
    return sorted(_KINDS.values(), key=lambda k: (k.order, k.code))


def kind_label(code: str) -> str:
    kind = _KINDS.get(code)
    return kind.label if kind else code


def register_source(source: Source) -> Source:
    if not source.prefix or ":" in source.prefix:
        raise ValueError("a source needs a prefix without ':'")
    _SOURCES[source.prefix] = source
    return source


def sources() -> Iterable[Source]:
    return _SOURCES.values()


def source_for(key: str) -> Source | None:
    return _SOURCES.get(key.partition(":")[0])
