"""统一信息资源库 (unified resource library): stored once, used on many sites (先入库后使用).

A :class:`LibraryItem` is an article of one site, or a document, image or video uploaded
into the library. It appears on other sites' channels as a :class:`LibraryReferencePage`
(引用页): a page in the receiving channel that copies nothing but the listing columns
(title, original publish time, source site name — kept in sync from the item) and
renders the source's *current live* content when visited. Editing the source therefore
changes every appearance at once; withdrawing it unpublishes them all.

A reference page is an :class:`~govportal.content.models.ArticlePage` subclass
(multi-table inheritance), so every query over ``ArticlePage`` — channel lists, home
blocks, previous/next, search — includes appearances, sorted by the same indexed
``publish_time`` column (which holds the original time), with no change to those queries.

:class:`LibraryPush` is one 推送 of an item to another site's inbox, which that site's
editors place into a channel of their choice or decline. The rules live in
:mod:`govportal.library.services`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from wagtail.admin.panels import FieldPanel, HelpPanel
from wagtail.contrib.routable_page.models import path
from wagtail.models import Page

from govportal.content.models import ArticlePage
from govportal.siteadmin.status import OpenStatusMixin, StatusBadgeMixin


class ItemKind(models.TextChoices):
    ARTICLE = "article", "文章"
    DOCUMENT = "document", "文档"
    IMAGE = "image", "图片"
    VIDEO = "video", "视频"


class ShareScope(models.TextChoices):
    GROUP = "group", "全站群共享"
    ORGANIZATION = "organization", "本单位及下级单位"


class ItemStatus(models.TextChoices):
    ACTIVE = "active", "可用"
    WITHDRAWN = "withdrawn", "已撤回"


class WithdrawalCause(models.TextChoices):
    NONE = "", "—"
    LIBRARY = "library", "从资源库撤回"
    SOURCE_UNPUBLISHED = "source_unpublished", "原文已撤下"
    SOURCE_DELETED = "source_deleted", "原文已删除"


class LibraryItem(StatusBadgeMixin, models.Model):
    """资源: one stored item (article, document, image or video) of one source site."""

    badge_variants = {ItemStatus.ACTIVE: "primary", ItemStatus.WITHDRAWN: "label"}

    kind = models.CharField("类型", max_length=20, choices=ItemKind, db_index=True)
    title = models.CharField("标题", max_length=255)
    description = models.TextField("说明", max_length=1000, blank=True)
    article = models.ForeignKey(
        "content.ArticlePage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="library_items",
        verbose_name="来源文章",
    )
    document = models.ForeignKey(
        "wagtaildocs.Document",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="文档或视频",
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="图片",
    )
    source_site = models.ForeignKey(
        "wagtailcore.Site",
        on_delete=models.SET_NULL,
        null=True,
        related_name="library_items",
        verbose_name="来源站点",
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="library_items",
        verbose_name="来源单位",
    )
    original_time = models.DateTimeField("原发布时间", default=timezone.now, db_index=True)
    scope = models.CharField(
        "共享范围", max_length=20, choices=ShareScope, default=ShareScope.GROUP
    )
    status = models.CharField(
        "状态", max_length=20, choices=ItemStatus, default=ItemStatus.ACTIVE, db_index=True
    )
    withdrawal_cause = models.CharField(
        "撤回原因", max_length=30, choices=WithdrawalCause, blank=True, default=""
    )
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="撤回人",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="library_items",
        verbose_name="入库人",
    )
    created_at = models.DateTimeField("入库时间", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "资源"
        verbose_name_plural = "资源"
        ordering = ["-original_time", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["article"],
                condition=Q(article__isnull=False),
                name="library_one_item_per_article",
                violation_error_message="该文章已在资源库中",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def source_name(self) -> str:
        """The source site's name, shown as 来源 on every appearance."""
        return self.source_site.site_name if self.source_site_id else ""

    @property
    def is_active(self) -> bool:
        return self.status == ItemStatus.ACTIVE

    def badge_label(self) -> str:
        """A withdrawn item says why (来源已撤下, 从资源库撤回 …)."""
        if self.status == ItemStatus.WITHDRAWN:
            return self.get_withdrawal_cause_display() or self.get_status_display()
        return self.get_status_display()

    @property
    def source_live(self) -> bool:
        """Is the stored source still there (and, for an article, published)?"""
        if self.kind == ItemKind.ARTICLE:
            return self.article is not None and self.article.live
        if self.kind == ItemKind.IMAGE:
            return self.image_id is not None
        return self.document_id is not None

    @property
    def is_available(self) -> bool:
        """May appear on sites: active in the library and its source still live."""
        return self.is_active and self.source_live

    @property
    def source_url(self) -> str:
        """Where the original lives: the article on its own site, or the file itself."""
        if self.kind == ItemKind.ARTICLE and self.article is not None:
            return self.article.get_full_url() or ""
        if self.kind == ItemKind.IMAGE and self.image is not None:
            return self.image.file.url
        if self.document is not None:
            return self.document.url
        return ""


class LibraryReferencePage(ArticlePage):
    """引用页: one appearance of a library item in a channel of a receiving site.

    The only content it holds is the link to its item; ``title``, ``publish_time`` (the
    original publish time) and ``source`` (the source site) are copies kept in sync so
    that lists can sort and show them from the ``ArticlePage`` table alone.
    """

    item = models.ForeignKey(
        LibraryItem, on_delete=models.PROTECT, related_name="references", verbose_name="资源"
    )
    withdrawn_by_source = models.BooleanField(
        "随来源撤下",
        default=False,
        help_text="来源撤下或从资源库撤回时自动下线的引用；来源恢复后自动重新上线。",
    )

    content_panels = [
        FieldPanel("title", read_only=True),
        HelpPanel(
            content=(
                "这是统一信息资源库中一条资源的引用页，内容随来源实时更新，不能在这里修改。"
                "可以修改网址（推广设置）、发布或撤下本站的这条引用。"
            ),
            heading="资源引用",
        ),
    ]
    promote_panels = Page.promote_panels
    search_fields = ArticlePage.search_fields
    is_creatable = False
    parent_page_types = ["content.ChannelPage", "content.TopicPage"]
    subpage_types: list[str] = []
    template = "library/library_reference_page.html"
    shows_source_in_lists = True

    class Meta:
        verbose_name = "资源引用"
        verbose_name_plural = "资源引用"

    def sync_from_item(self) -> None:
        item = self.item
        self.title = item.title
        self.draft_title = item.title
        self.publish_time = item.original_time
        self.source = item.source_name[:100]
        self.is_headline = False

    def clean(self):
        if self.item_id:
            self.sync_from_item()
        super().clean()

    def save(self, *args, **kwargs):
        if self.item_id:
            self.sync_from_item()
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = list(
                    {*update_fields, "title", "draft_title", "publish_time", "source"}
                )
        return super().save(*args, **kwargs)

    @property
    def source_article(self) -> ArticlePage | None:
        item = self.item
        if item.kind == "article" and item.article is not None and item.article.live:
            return item.article
        return None

    def get_context(self, request, *args, **kwargs):
        item = self.item
        if not item.is_available:
            raise Http404("该资源已撤回")
        context = super().get_context(request, *args, **kwargs)
        context["item"] = item
        context["source"] = self.source_article
        return context

    @path("print/", name="print")
    def print_view(self, request):
        """打印: an article item prints as its source does; other kinds have nothing to print."""
        source = self.source_article
        if source is None or not self.item.is_active:
            raise Http404
        return source.print_view(request)


class PushStatus(models.TextChoices):
    PENDING = "pending", "待处理"
    PLACED = "placed", "已采用"
    DECLINED = "declined", "已拒绝"
    CANCELLED = "cancelled", "已撤销"


class LibraryPush(OpenStatusMixin, models.Model):
    """推送: one item offered to one site; its editors place it in a channel or decline."""

    open_status = PushStatus.PENDING
    badge_variants = {PushStatus.PLACED: "primary", PushStatus.DECLINED: "label"}

    item = models.ForeignKey(
        LibraryItem, on_delete=models.CASCADE, related_name="pushes", verbose_name="资源"
    )
    target_site = models.ForeignKey(
        "wagtailcore.Site",
        on_delete=models.CASCADE,
        related_name="library_pushes",
        verbose_name="推送到",
    )
    note = models.CharField("推送说明", max_length=500, blank=True)
    status = models.CharField(
        "状态", max_length=20, choices=PushStatus, default=PushStatus.PENDING, db_index=True
    )
    pushed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="推送人",
    )
    pushed_at = models.DateTimeField("推送时间", default=timezone.now, db_index=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="处理人",
    )
    decided_at = models.DateTimeField("处理时间", null=True, blank=True)
    decline_reason = models.CharField("拒绝原因", max_length=500, blank=True)
    reference_page = models.ForeignKey(
        LibraryReferencePage,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="引用页",
    )

    class Meta:
        verbose_name = "资源推送"
        verbose_name_plural = "资源推送"
        ordering = ["-pushed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "target_site"],
                condition=Q(status="pending"),
                name="library_one_open_push_per_site",
                violation_error_message="该资源已推送到该站点，正在等待处理",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_id} → {self.target_site_id}（{self.get_status_display()}）"
