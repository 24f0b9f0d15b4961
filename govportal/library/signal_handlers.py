"""Propagation: what happens to the appearances when their source changes.

* source article published (new revision, or back online) → titles/times follow; an
  item withdrawn because its article went offline comes back with exactly the pages it
  took down;
* source article unpublished or expired → the item is withdrawn, every appearance
  unpublished;
* source article, document or image deleted → the same, for good;
* library document/image renamed → appearances follow the title;
* a reference page published while its item is withdrawn → taken down again.

The page cache needs nothing extra: every (un)publish raises the content version.
"""

from django.db.models.signals import post_save, pre_delete

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.signals import page_published, page_unpublished

from govportal.content.models import ArticlePage

from . import services
from .models import LibraryReferencePage, WithdrawalCause


def _is_source_article(instance) -> bool:
    return type(instance) is ArticlePage or getattr(instance, "specific_class", None) is ArticlePage


def on_page_published(sender, instance, **kwargs) -> None:
    if isinstance(instance, LibraryReferencePage):
        item = instance.item
        if not item.is_available:
            instance.unpublish(user=None, log_action=True)
            LibraryReferencePage.objects.filter(pk=instance.pk).update(withdrawn_by_source=True)
        return
    if _is_source_article(instance):
        services.source_published(instance.specific)


def on_page_unpublished(sender, instance, **kwargs) -> None:
    if _is_source_article(instance) and not isinstance(instance, LibraryReferencePage):
        services.source_withdrawn(WithdrawalCause.SOURCE_UNPUBLISHED, article_id=instance.pk)


def on_article_deleted(sender, instance, **kwargs) -> None:
    if sender is ArticlePage:
        services.source_withdrawn(WithdrawalCause.SOURCE_DELETED, article_id=instance.pk)


def on_document_deleted(sender, instance, **kwargs) -> None:
    services.source_withdrawn(WithdrawalCause.SOURCE_DELETED, document_id=instance.pk)


def on_image_deleted(sender, instance, **kwargs) -> None:
    services.source_withdrawn(WithdrawalCause.SOURCE_DELETED, image_id=instance.pk)


def on_document_saved(sender, instance, created=False, raw=False, **kwargs) -> None:
    if not created and not raw:
        services.media_renamed(document_id=instance.pk)


def on_image_saved(sender, instance, created=False, raw=False, **kwargs) -> None:
    if not created and not raw:
        services.media_renamed(image_id=instance.pk)


def register() -> None:
    page_published.connect(on_page_published, dispatch_uid="library-published")
    page_unpublished.connect(on_page_unpublished, dispatch_uid="library-unpublished")
    pre_delete.connect(on_article_deleted, sender=ArticlePage, dispatch_uid="library-del-article")
    Document, Image = get_document_model(), get_image_model()
    pre_delete.connect(on_document_deleted, sender=Document, dispatch_uid="library-del-document")
    pre_delete.connect(on_image_deleted, sender=Image, dispatch_uid="library-del-image")
    post_save.connect(on_document_saved, sender=Document, dispatch_uid="library-saved-document")
    post_save.connect(on_image_saved, sender=Image, dispatch_uid="library-saved-image")
