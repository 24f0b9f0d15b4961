"""Raise the content version whenever something a public page shows may have changed."""

from django.db.models.signals import post_delete, post_save

from wagtail.signals import page_published, page_unpublished, post_page_move

from .models import ContentVersion

# Models whose saves change what visitors see, besides pages.
WATCHED = {
    ("govsites", "siteprofile"),
    ("core", "platformsettings"),
    ("wagtailcore", "site"),
    ("wagtailcore", "pageviewrestriction"),
    ("wagtailimages", "image"),
    ("wagtaildocs", "document"),
}


def _bump(**kwargs) -> None:
    ContentVersion.bump()


def _on_model_change(sender, instance, **kwargs) -> None:
    from wagtail.models import Page

    if sender.__module__ == "__fake__" or kwargs.get("raw"):
        return  # historical models inside migrations, fixture loading
    if isinstance(instance, Page):
        # Drafts do not change the public site; live pages, moves and deletions do.
        if instance.live or kwargs.get("signal") is post_delete:
            ContentVersion.bump()
        return
    if (sender._meta.app_label, sender._meta.model_name) in WATCHED:
        ContentVersion.bump()


def _on_delete(sender, instance, **kwargs) -> None:
    kwargs["signal"] = post_delete
    _on_model_change(sender, instance, **kwargs)


def register() -> None:
    page_published.connect(_bump, dispatch_uid="publishing-published")
    page_unpublished.connect(_bump, dispatch_uid="publishing-unpublished")
    post_page_move.connect(_bump, dispatch_uid="publishing-moved")
    post_save.connect(_on_model_change, dispatch_uid="publishing-saved")
    post_delete.connect(_on_delete, dispatch_uid="publishing-deleted")
