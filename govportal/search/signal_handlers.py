"""Index freshness: every change that affects what search may show queues the keys involved.

* page published / saved while live / unpublished (by hand, or expired by
  ``publish_scheduled``) → ``page:<id>`` (the source then says whether it is still found);
* page deleted → ``page:<id>`` deleted (with its attachments, by ``parent_key``);
* page moved or its slug changed → the whole subtree (URLs, site, channel change);
* view restriction added, changed or removed → the subtree of its page;
* document saved (renamed, file replaced) → the attachment entries of that document;
  document deleted → those entries deleted; collection privacy changed → its documents;
* letter saved (answered, made public or not) → ``letter:<id>``; mailbox unpublished or
  republished → its public letters;
* a source article republished → its resource-library references (they show its text);
* a column republished with another column type (栏目类型) → the pages below it;
* site or site owner changed → the cached site table is dropped.
"""

from __future__ import annotations

from django.apps import apps
from django.core.exceptions import ObjectDoesNotExist
from django.db.models.signals import post_delete, post_save

from wagtail.documents import get_document_model
from wagtail.models import (
    Collection,
    CollectionViewRestriction,
    Page,
    PageViewRestriction,
    ReferenceIndex,
    Site,
)
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from govportal.content.models import ColumnMixin

from . import sources
from .models import SearchDocument
from .queue import DELETE, enqueue

#: Saves that only touch revision bookkeeping (a draft saved) change nothing public.
_BOOKKEEPING = frozenset({
    "draft_title", "latest_revision", "latest_revision_created_at", "has_unpublished_changes",
    "locked", "locked_at", "locked_by", "live_revision", "last_published_at",
    "first_published_at", "go_live_at", "expire_at", "search_description", "url_path",
})  # fmt: skip


def page_key(page) -> str:
    return f"page:{page.pk}"


def _mailbox_letter_keys(page) -> list[str]:
    if not apps.is_installed("govportal.interaction"):
        return []
    from govportal.interaction.models import Letter, MailboxPage

    if not issubclass(getattr(page, "specific_class", None) or type(page), MailboxPage):
        return []
    ids = Letter.objects.public().filter(mailbox_id=page.pk).values_list("pk", flat=True)
    return [f"letter:{pk}" for pk in ids]


def _reference_keys(page) -> list[str]:
    """Library references that show this article's text."""
    if not apps.is_installed("govportal.library"):
        return []
    from govportal.library.models import LibraryReferencePage

    ids = LibraryReferencePage.objects.filter(item__article_id=page.pk).values_list("pk", flat=True)
    return [f"page:{pk}" for pk in ids]


def _column_type_changed(instance, revision) -> bool:
    if revision is None or not isinstance(instance, ColumnMixin):
        return False
    try:
        previous = revision.get_previous()
    except ObjectDoesNotExist:  # the first revision: nothing was classified before
        return False
    return previous.content.get("column_type") != revision.content.get("column_type")


def on_page_changed(sender, instance, revision=None, **kwargs) -> None:
    """Published or unpublished (expiry included): the page, and what shows its text."""
    if _column_type_changed(instance, revision):  # e.g. now 政策文件: its articles' kind
        enqueue(sources.subtree_page_keys(instance.path))
    if not sources.is_indexable(instance):
        return
    enqueue([page_key(instance), *_reference_keys(instance), *_mailbox_letter_keys(instance)])


def on_page_saved(sender, instance, created=False, raw=False, update_fields=None, **kwargs):
    if raw or not isinstance(instance, Page) or not instance.live:
        return
    if update_fields is not None and set(update_fields) <= _BOOKKEEPING:
        return
    if sources.is_indexable(instance):
        enqueue([page_key(instance)])


def on_subtree_changed(sender, instance, **kwargs) -> None:
    """Moved, or slug changed: every page below gets a new URL (maybe a new site)."""
    sources.forget_sites()
    enqueue(sources.subtree_page_keys(instance.path))


def on_view_restriction_changed(sender, instance, **kwargs) -> None:
    page = Page.objects.filter(pk=instance.page_id).only("path").first()
    if page is not None:
        enqueue(sources.subtree_page_keys(page.path))


def _attachment_keys(document_ids) -> list[str]:
    keys = []
    for document_id in document_ids:
        keys.extend(
            SearchDocument.objects.filter(key__startswith=f"document:{document_id}:").values_list(
                "key", flat=True
            )
        )
    return keys


def on_document_saved(sender, instance, created=False, raw=False, **kwargs) -> None:
    if not created and not raw:
        enqueue(_attachment_keys([instance.pk]))


def on_collection_restriction_changed(sender, instance, **kwargs) -> None:
    """A collection made private or public again: its documents (and its sub-collections')."""
    collection = Collection.objects.filter(pk=instance.collection_id).first()
    if collection is None:
        return
    Document = get_document_model()
    ids = Document.objects.filter(collection__path__startswith=collection.path).values_list(
        "pk", flat=True
    )
    # Made private: the indexed entries go. Made public: the pages linking them bring them
    # back (their keys are unknown until a page is re-read), so re-read those pages.
    keys = _attachment_keys(ids)
    pages = {f"page:{key.rsplit(':', 1)[1]}" for key in keys}
    referencing = ReferenceIndex.objects.filter(
        to_content_type=ReferenceIndex._get_base_content_type(Document),
        to_object_id__in=[str(pk) for pk in ids],
        base_content_type=ReferenceIndex._get_base_content_type(Page),
    ).values_list("object_id", flat=True)
    pages.update(f"page:{pk}" for pk in referencing)
    enqueue([*keys, *pages])


def on_deleted(sender, instance, **kwargs) -> None:
    if isinstance(instance, Page):
        enqueue([page_key(instance)], DELETE)
    elif isinstance(instance, get_document_model()):
        enqueue(_attachment_keys([instance.pk]), DELETE)


def on_letter_saved(sender, instance, raw=False, **kwargs) -> None:
    if raw:
        return
    key = f"letter:{instance.pk}"
    if instance.is_public or SearchDocument.objects.filter(key=key).exists():
        enqueue([key])


def on_letter_deleted(sender, instance, **kwargs) -> None:
    enqueue([f"letter:{instance.pk}"], DELETE)


def on_site_changed(sender, instance=None, **kwargs) -> None:
    sources.forget_sites()


def on_site_saved(sender, instance, raw=False, **kwargs) -> None:
    """A site's address changed (host name, port): its documents' stored links are
    re-written by the indexer (they are full URLs, for results shown on other sites)."""
    on_site_changed(sender, instance)
    if raw:
        return
    docs = SearchDocument.objects.filter(site=instance)
    sample = docs.exclude(url="").values_list("url", flat=True).first()
    if sample and not sample.startswith(instance.root_url.rstrip("/") + "/"):
        enqueue(docs.values_list("key", flat=True).iterator(chunk_size=2000))


def register() -> None:
    page_published.connect(on_page_changed, dispatch_uid="govsearch-published")
    page_unpublished.connect(on_page_changed, dispatch_uid="govsearch-unpublished")
    post_save.connect(on_page_saved, dispatch_uid="govsearch-page-saved")
    post_delete.connect(on_deleted, dispatch_uid="govsearch-deleted")
    post_page_move.connect(on_subtree_changed, dispatch_uid="govsearch-moved")
    page_slug_changed.connect(on_subtree_changed, dispatch_uid="govsearch-slug")
    for signal, suffix in ((post_save, "saved"), (post_delete, "deleted")):
        signal.connect(
            on_view_restriction_changed,
            sender=PageViewRestriction,
            dispatch_uid=f"govsearch-restriction-{suffix}",
        )
        signal.connect(
            on_collection_restriction_changed,
            sender=CollectionViewRestriction,
            dispatch_uid=f"govsearch-collection-restriction-{suffix}",
        )
    post_save.connect(on_site_saved, sender=Site, dispatch_uid="govsearch-site-saved")
    post_delete.connect(on_site_changed, sender=Site, dispatch_uid="govsearch-site-deleted")
    from .models import HotSearchRule
    from .stats import hot_rules_changed

    for signal, suffix in ((post_save, "saved"), (post_delete, "deleted")):
        signal.connect(
            hot_rules_changed, sender=HotSearchRule, dispatch_uid=f"govsearch-hotrule-{suffix}"
        )
    post_save.connect(
        on_document_saved, sender=get_document_model(), dispatch_uid="govsearch-document"
    )
    if apps.is_installed("govportal.organizations"):
        from govportal.organizations.models import SiteOrganization

        for signal, suffix in ((post_save, "saved"), (post_delete, "deleted")):
            signal.connect(
                on_site_changed, sender=SiteOrganization, dispatch_uid=f"govsearch-owner-{suffix}"
            )
    if apps.is_installed("govportal.interaction"):
        from govportal.interaction.models import Letter

        post_save.connect(on_letter_saved, sender=Letter, dispatch_uid="govsearch-letter")
        post_delete.connect(on_letter_deleted, sender=Letter, dispatch_uid="govsearch-letter-del")
