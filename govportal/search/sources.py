"""What the search finds (检索范围): the content kinds and the sources that feed the index.

Three sources, each turning one object into :class:`~govportal.search.registry.Doc`\\ s:

* ``page:<id>`` — :class:`PageSource`: live pages outside any view restriction and not
  expired: articles and their subclasses (公开目录条目 → ``disclosure``, or ``policy`` when
  :func:`govportal.interpretation.policies.policy_condition` calls it a policy document;
  解读 → ``interpretation``; 年报 → ``disclosure``; a plain article → ``news``, or by its
  column's type ``policy`` / ``interpretation`` / ``disclosure`` (:data:`KIND_OF_COLUMN`);
  a resource-library reference → ``news``, with its source noted), and surveys,
  interviews and mailboxes → ``other``. A page's documents are the
  page itself plus one ``attachment`` per document it links (see below).
* ``document:<document id>:<page id>`` — :class:`AttachmentSource`: a Wagtail document linked
  from a public page (attachment blocks, document links in rich text, a survey's draft, an
  annual report's PDF), with the text of the file (:mod:`.extract`). One entry per
  (document, page): each site's results show its own attachments, and ``parent_key`` is the
  page's key, so the attachment leaves the index with its page. Documents in a collection
  under a view restriction (private documents) are never indexed. They are produced with
  their page (``all_keys`` is empty); the key re-reads them when the file changes.
* ``letter:<id>`` — :class:`LetterSource`: public letter replies (来信选登,
  ``Letter.objects.public()`` in a live mailbox), masked exactly as the public detail page
  masks them (:func:`govportal.privacy.masking.mask_text`).

URLs: with one site, the site-relative path (``/news/article/``); with several sites, the
full URL on the object's own site (``http://www.example.gov.cn/news/article/``), so results
from the whole group (站群检索) lead to the right site. :func:`display_url` shortens a
full URL back to a path for results of the current site.
"""

from __future__ import annotations

import datetime
import html
import re
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from wagtail.documents import get_document_model
from wagtail.models import CollectionViewRestriction, Page, Site

from govportal.content.models import ArticlePage, ColumnMixin, ColumnType
from govportal.core.visibility import restricted_paths

from .extract import document_text
from .registry import Doc, Source, register_kind, register_source

KINDS = (
    ("news", "新闻动态", 10),
    ("policy", "政策文件", 20),
    ("disclosure", "信息公开", 30),
    ("interpretation", "政策解读", 40),
    ("letter", "来信答复", 50),
    ("attachment", "附件", 60),
    ("other", "其他", 90),
)
for _code, _label, _order in KINDS:
    register_kind(_code, _label, _order)

#: A plain article's kind by its column's type (栏目类型); other columns hold news.
KIND_OF_COLUMN = {
    ColumnType.POLICY: "policy",
    ColumnType.INTERPRETATION: "interpretation",
    ColumnType.DISCLOSURE: "disclosure",
}
#: Boost of a resource-library reference: the original article ranks first.
REFERENCE_BOOST = 0.9
#: Seconds the site table (roots, URLs, owner organisations) is reused in one process.
SITE_CACHE_SECONDS = 30


# -- sites ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SiteInfo:
    id: int
    root_path: str
    root_url: str
    organization_id: int | None


_site_cache: dict = {"at": 0.0, "sites": None}


def forget_sites() -> None:
    """Drop the cached site table (a site, its root or its owner changed)."""
    _site_cache["sites"] = None


def site_table() -> list[SiteInfo]:
    """Every site, the deepest root first (a nested site wins over its parent site)."""
    now = time.monotonic()
    sites = _site_cache["sites"]
    if sites is None or now - _site_cache["at"] > SITE_CACHE_SECONDS:
        owners: dict[int, int] = {}
        if apps.is_installed("govportal.organizations"):
            from govportal.organizations.models import SiteOrganization

            owners = dict(SiteOrganization.objects.values_list("site_id", "organization_id"))
        sites = [
            SiteInfo(site.pk, site.root_page.path, site.root_url, owners.get(site.pk))
            for site in Site.objects.select_related("root_page").only(
                "pk", "hostname", "port", "root_page__path"
            )
        ]
        sites.sort(key=lambda s: len(s.root_path), reverse=True)
        _site_cache.update(at=now, sites=sites)
    return sites


def site_for_path(path: str) -> SiteInfo | None:
    for site in site_table():
        if path.startswith(site.root_path):
            return site
    return None


def public_url(site: SiteInfo | None, path: str) -> str:
    """``path`` as stored: relative with one site, full on ``site`` with several."""
    if site is None or len(site_table()) <= 1 or "://" in path:
        return path
    return site.root_url.rstrip("/") + path


def display_url(url: str, current_site: Site | None) -> str:
    """A stored URL for a link on ``current_site``: its own results as a path."""
    if current_site is not None:
        root = current_site.root_url.rstrip("/")
        if url.startswith(root + "/"):
            return url[len(root) :]
    return url


# -- visibility --------------------------------------------------------------------------


def is_restricted(path: str, paths: Iterable[str] | None = None) -> bool:
    """Is the page at ``path`` under a view restriction (password, login, groups)?"""
    paths = restricted_paths() if paths is None else paths
    return any(path.startswith(p) for p in paths)


def is_expired(page: Page, now: datetime.datetime | None = None) -> bool:
    return bool(page.expire_at and page.expire_at <= (now or timezone.now()))


def private_collection_paths() -> tuple[str, ...]:
    return tuple(CollectionViewRestriction.objects.values_list("collection__path", flat=True))


# -- text ---------------------------------------------------------------------------------

_BLOCK_END = re.compile(r"<\s*(/p|br\s*/?|/li|/h[1-6]|/div|/tr|/td|/th|/blockquote)\s*>", re.I)
_DOC_LINK = re.compile(r"<a\b[^>]*\blinktype=\"document\"[^>]*>", re.I)
_ID = re.compile(r"\bid=\"(\d+)\"")
_SPACES = re.compile(r"[ \t\r\f\v]+")


def plain(value) -> str:
    """Rich text (HTML) as plain text: tags dropped, entities decoded, blocks on new lines."""
    source = str(getattr(value, "source", value) or "")
    return html.unescape(strip_tags(_BLOCK_END.sub("\n", source))).strip()


class TextCollector:
    """Plain text of a page's fields, and the documents its rich text and blocks link."""

    def __init__(self):
        self.parts: list[str] = []
        self.document_ids: dict[int, str] = {}  # id → display name given by the editor

    def add(self, text, label: str = "") -> None:
        text = _SPACES.sub(" ", str(text or "")).strip()
        if text:
            self.parts.append(f"{label}：{text}" if label else text)

    def add_html(self, value) -> None:
        source = str(getattr(value, "source", value) or "")
        for tag in _DOC_LINK.findall(source):
            found = _ID.search(tag)
            if found:
                self.document_ids.setdefault(int(found.group(1)), "")
        self.add(plain(source))

    def add_document(self, document_id, name: str = "") -> None:
        if document_id:
            self.document_ids[int(document_id)] = name or self.document_ids.get(document_id, "")

    def add_stream(self, stream) -> None:
        """An ``ArticleBodyBlock`` stream, read from its raw JSON (no block rendering)."""
        raw = getattr(stream, "raw_data", stream) or []
        for block in raw:
            kind, value = block.get("type"), block.get("value")
            if kind == "paragraph":
                self.add_html(value)
            elif kind == "table" and isinstance(value, dict):
                self.add(value.get("caption"))
                table = value.get("table") or {}
                self.add(table.get("table_caption"))
                for row in table.get("data") or []:
                    self.add(" ".join(str(cell) for cell in row if cell not in (None, "")))
            elif kind == "image" and isinstance(value, dict):
                self.add(value.get("caption"))
            elif kind == "attachment" and isinstance(value, dict):
                self.add(value.get("title"))
                self.add_document(value.get("document"), value.get("title") or "")
            else:
                self._add_any(value)

    def _add_any(self, value) -> None:
        if isinstance(value, str):
            self.add_html(value)
        elif isinstance(value, dict):
            for item in value.values():
                self._add_any(item)
        elif isinstance(value, list):
            for item in value:
                self._add_any(item)

    def text(self) -> str:
        return "\n".join(self.parts)


# -- pages --------------------------------------------------------------------------------


def _model(label: str):
    app_label, _, name = label.partition(".")
    if not apps.is_installed(f"govportal.{app_label}"):
        return None
    return apps.get_model(app_label, name)


def indexable_page_models() -> list[type[Page]]:
    """Page types that are found (articles include every subclass)."""
    models = [ArticlePage]
    for label in ("surveys.SurveyPage", "interviews.InterviewPage", "interaction.MailboxPage"):
        model = _model(label)
        if model is not None:
            models.append(model)
    return models


def is_indexable(page) -> bool:
    model = getattr(page, "specific_class", None) or type(page)
    return issubclass(model, tuple(indexable_page_models()))


@dataclass(frozen=True)
class Channel:
    pk: int
    path: str
    model: type

    @property
    def column_type(self) -> str:
        return (
            self.model._default_manager.filter(pk=self.pk)
            .values_list("column_type", flat=True)
            .first()
            or ""
        )


def channel_of(page: Page) -> Channel | None:
    """The nearest column above ``page`` (栏目, 专题, 公开目录, 信箱 …)."""
    ancestors = (
        Page.objects.ancestor_of(page)
        .filter(depth__gt=1)
        .order_by("-depth")
        .values_list("pk", "path", "content_type_id")
    )
    for pk, path, content_type_id in ancestors:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is not None and issubclass(model, ColumnMixin):
            return Channel(pk, path, model)
    return None


def _aware(day: datetime.date | None) -> datetime.datetime | None:
    if day is None:
        return None
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


@dataclass
class PageContent:
    kind: str
    title: str
    text: TextCollector
    summary: str
    published_at: datetime.datetime | None
    organization_id: int | None = None
    boost: float = 1.0
    source: str = ""


def _article_text(page, text: TextCollector) -> None:
    text.add(page.subtitle)
    text.add_stream(page.body)
    text.add(page.keywords, "关键词")
    text.add(page.source, "来源")
    text.add(page.author, "作者")


def _is_policy_entry(page) -> bool:
    if not apps.is_installed("govportal.interpretation"):
        return False
    from govportal.disclosure.models import DisclosureEntryPage
    from govportal.interpretation.policies import policy_condition

    return DisclosureEntryPage.objects.filter(pk=page.pk).filter(policy_condition()).exists()


def _disclosure_content(page) -> PageContent | None:
    from govportal.disclosure.taxonomy import Openness

    annual_report = _model("annualreports.AnnualReportPage")

    if page.openness == Openness.NOT_DISCLOSED:
        return None  # the page answers 404
    text = TextCollector()
    text.add(page.index_number, "索引号")
    text.add(page.doc_number, "文号")
    if page.publisher_id:
        text.add(page.publisher.name, "发布机构")
    text.add(page.get_theme_display(), "主题分类")
    text.add(page.get_genre_display(), "体裁分类")
    if page.validity_note:
        text.add(page.validity_note)
    _article_text(page, text)
    if annual_report is not None and isinstance(page, annual_report):
        kind = "disclosure"
        content = page.content or {}
        text.add(content.get("organization"))
        for value in (content.get("texts") or {}).values():
            text.add(value)
        text.add_document(page.pdf_id, "PDF版")
    else:
        kind = "policy" if _is_policy_entry(page) else "disclosure"
    return PageContent(
        kind, page.title, text, page.summary, page.publish_time, page.publisher_id or None
    )


def _reference_content(page) -> PageContent | None:
    item = page.item
    if not item.is_available:
        return None  # the page answers 404 (withdrawn)
    text = TextCollector()
    summary = item.description
    source = item.source_name
    if item.kind == "article" and item.article is not None:
        article = item.article.specific
        _article_text(article, text)
        summary = article.summary or summary
    else:
        text.add(item.description)
        if item.document_id:
            text.add_document(item.document_id, item.title)
    text.add(source, "来源")
    return PageContent(
        "news", page.title, text, summary, page.publish_time, boost=REFERENCE_BOOST, source=source
    )


def _article_content(page, channel: Channel | None) -> PageContent | None:
    model = type(page)
    if _model("disclosure.DisclosureEntryPage") and isinstance(
        page, _model("disclosure.DisclosureEntryPage")
    ):
        return _disclosure_content(page)
    if _model("library.LibraryReferencePage") and isinstance(
        page, _model("library.LibraryReferencePage")
    ):
        return _reference_content(page)
    text = TextCollector()
    kind = "news"
    interpretation = _model("interpretation.InterpretationPage")
    if interpretation and isinstance(page, interpretation):
        kind = "interpretation"
        text.add(page.interpreter, "解读机构")
        text.add(page.get_kind_display())
        _article_text(page, text)
        text.add(page.transcript, "文字稿")
    else:
        _article_text(page, text)
        if model is ArticlePage and channel is not None:
            kind = KIND_OF_COLUMN.get(channel.column_type, "news")
    return PageContent(kind, page.title, text, page.summary, page.publish_time)


def _other_content(page) -> PageContent | None:
    text = TextCollector()
    published = page.first_published_at or page.last_published_at
    summary = ""
    name = page.specific_class.__name__
    if name == "SurveyPage":
        text.add(page.get_kind_display())
        text.add_html(page.intro)
        for question in page.questions.all():
            text.add(question.text)
        text.add(page.contact, "联系方式")
        text.add_document(page.draft_document_id, "征求意见稿")
        summary = plain(page.intro)[:200]
    elif name == "InterviewPage":
        text.add(page.topic, "访谈主题")
        text.add_html(page.intro)
        text.add(page.place, "访谈地点")
        for guest in page.guests.all():
            text.add(f"{guest.name} {guest.title}", "嘉宾")
        text.add_html(page.summary)
        text.add(page.transcript, "文字稿")
        summary = plain(page.intro)[:200]
        published = page.starts_at or published
    else:  # MailboxPage and any other column-like page
        text.add_html(getattr(page, "intro", ""))
        text.add_html(getattr(page, "notice", ""))
        text.add(getattr(page, "description", ""))
        summary = getattr(page, "description", "") or plain(getattr(page, "intro", ""))[:200]
    return PageContent("other", page.title, text, summary.strip(), published)


def page_content(page, channel: Channel | None = None) -> PageContent | None:
    """What a (specific, public) page shows, or ``None`` when it must not be found."""
    if isinstance(page, ArticlePage):
        return _article_content(page, channel)
    return _other_content(page)


def attachment_docs(page, base: Doc, documents: dict[int, str]) -> list[Doc]:
    """One ``attachment`` per public document of ``page`` (``base`` is the page's Doc)."""
    if not documents:
        return []
    Document = get_document_model()
    private = private_collection_paths()
    docs = []
    for document in Document.objects.filter(pk__in=documents).select_related("collection"):
        if private and any(document.collection.path.startswith(p) for p in private):
            continue
        text = TextCollector()
        text.add(documents.get(document.pk))
        text.add(document_text(document))
        docs.append(
            Doc(
                key=f"document:{document.pk}:{page.pk}",
                kind="attachment",
                title=document.title,
                body=text.text(),
                url=public_url(site_for_path(page.path), document.url),
                published_at=base.published_at,
                site_id=base.site_id,
                channel_id=base.channel_id,
                channel_path=base.channel_path,
                organization_id=base.organization_id,
                summary=f"附件，所属页面：{page.title}",
                parent_key=base.key,
                extra={"filename": document.filename, "page_id": page.pk},
            )
        )
    return docs


def page_docs(page: Page) -> list[Doc]:
    """The documents of ``page`` as it is now: ``[]`` unless live, public and unexpired."""
    if not page.live or is_expired(page) or is_restricted(page.path) or not is_indexable(page):
        return []
    page = page.specific
    site = site_for_path(page.path)
    if site is None:
        return []  # outside every site: no public URL
    channel = channel_of(page)
    content = page_content(page, channel)
    if content is None:
        return []
    parts = page.get_url_parts()
    if parts is None or parts[2] is None:
        return []
    organization_id = content.organization_id or site.organization_id
    extra = {"page_type": page.specific_class.__name__}
    if content.source:
        extra["source"] = content.source
    doc = Doc(
        key=f"page:{page.pk}",
        kind=content.kind,
        title=content.title,
        body=content.text.text(),
        url=public_url(site, parts[2]),
        published_at=content.published_at or page.first_published_at or timezone.now(),
        site_id=site.id,
        channel_id=channel.pk if channel else None,
        channel_path=channel.path if channel else "",
        organization_id=organization_id,
        summary=(content.summary or "").strip(),
        boost=content.boost,
        extra=extra,
    )
    return [doc, *attachment_docs(page, doc, content.text.document_ids)]


def indexable_pages():
    """Live pages of the indexable types (before the per-page checks of :func:`page_docs`)."""
    return Page.objects.live().type(*indexable_page_models())


def subtree_page_keys(path: str) -> list[str]:
    """Keys of the live indexable pages at or below the tree ``path``."""
    ids = indexable_pages().filter(path__startswith=path).values_list("pk", flat=True)
    return [f"page:{pk}" for pk in ids]


class PageSource(Source):
    prefix = "page"

    def documents(self, ident: str) -> list[Doc]:
        page = Page.objects.filter(pk=_int(ident)).first()
        return page_docs(page) if page is not None else []

    def all_keys(self) -> Iterator[str]:
        for pk in indexable_pages().order_by("pk").values_list("pk", flat=True).iterator():
            yield f"page:{pk}"


class AttachmentSource(Source):
    """``document:<document id>:<page id>`` — produced with its page (see the module doc)."""

    prefix = "document"

    def documents(self, ident: str) -> list[Doc]:
        _document_id, _, page_id = ident.partition(":")
        key = f"document:{ident}"
        page = Page.objects.filter(pk=_int(page_id)).first()
        if page is None:
            return []
        return [doc for doc in page_docs(page) if doc.key == key]

    def all_keys(self) -> Iterator[str]:
        return iter(())  # every attachment comes with its page's documents


# -- letters ------------------------------------------------------------------------------


def letter_docs(letter) -> list[Doc]:
    """A public letter reply as the 来信选登 page shows it (personal data masked)."""
    from govportal.privacy.masking import mask_text

    mailbox = letter.mailbox
    if not mailbox.live or is_restricted(mailbox.path):
        return []
    site = site_for_path(mailbox.path)
    text = TextCollector()
    text.add(mask_text(letter.body))
    if letter.category_id:
        text.add(letter.category.name, "来信类别")
    answer = mask_text(letter.answer_text)
    text.add(answer, "答复")
    if letter.answer_unit_id:
        text.add(letter.answer_unit.name, "答复单位")
    published = _aware(letter.answered_on) or letter.submitted_at
    return [
        Doc(
            key=f"letter:{letter.pk}",
            kind="letter",
            title=mask_text(letter.title),
            body=text.text(),
            url=public_url(site, reverse("interaction:public_detail", args=[letter.pk])),
            published_at=published,
            site_id=site.id if site else None,
            channel_id=mailbox.pk,
            channel_path=mailbox.path,
            organization_id=letter.answer_unit_id or (site.organization_id if site else None),
            summary=answer[:200],
            extra={"mailbox": mailbox.title},
        )
    ]


class LetterSource(Source):
    prefix = "letter"

    def _public(self):
        from govportal.interaction.models import Letter

        return Letter.objects.public()

    def documents(self, ident: str) -> list[Doc]:
        letter = (
            self._public()
            .filter(pk=_int(ident))
            .select_related("mailbox", "category", "answer_unit")
            .first()
        )
        return letter_docs(letter) if letter is not None else []

    def all_keys(self) -> Iterator[str]:
        for pk in self._public().order_by("pk").values_list("pk", flat=True).iterator():
            yield f"letter:{pk}"


def _int(value: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


register_source(PageSource())
register_source(AttachmentSource())
if apps.is_installed("govportal.interaction"):
    register_source(LetterSource())


def _connect_signals() -> None:
    from . import signal_handlers

    signal_handlers.register()


_connect_signals()
