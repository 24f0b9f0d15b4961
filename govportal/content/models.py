"""Content (内容): the portal's page types.

The Wagtail page tree *is* the channel tree: a site root is a :class:`PortalHomePage`,
under it :class:`ChannelPage` (栏目, any depth), :class:`TopicPage` (专题),
:class:`ExternalLinkChannel` (外链栏目) and :class:`ArticlePage` (文章).
"""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from govportal.core.visibility import public

from .blocks import ArticleBodyBlock


class ColumnType(models.TextChoices):
    """栏目类型 (ColumnType meta tag). The inspection rules differ per type."""

    NEWS = "news", _("News")
    NOTICE = "notice", _("Notices")
    POLICY = "policy", _("Policy documents")
    INTERPRETATION = "interpretation", _("Policy interpretations")
    DISCLOSURE = "disclosure", _("Government information disclosure")
    SERVICE = "service", _("Public services")
    INTERACTION = "interaction", _("Public interaction")
    TOPIC = "topic", _("Special topics")
    OVERVIEW = "overview", _("Organization overview")
    LINK = "link", _("External links")


def article_queryset(request=None):
    """Live, public articles with the columns list templates need, newest first."""
    return (
        public(ArticlePage.objects.live(), request)
        .only(
            "id",
            "title",
            "url_path",
            "path",
            "depth",
            "publish_time",
            "first_published_at",
            "content_type",
            "source",
        )
        .order_by("-publish_time", "-id")
    )


def paginate(request, queryset, per_page: int):
    paginator = Paginator(queryset, per_page)
    number = request.GET.get("page", 1)
    try:
        return paginator.page(number)
    except PageNotAnInteger:
        return paginator.page(1)
    except EmptyPage:
        return paginator.page(paginator.num_pages)


class ColumnMixin(models.Model):
    """Fields every column-like page carries (ColumnName/ColumnType/… meta tags)."""

    column_type = models.CharField(
        _("Column type"), max_length=20, choices=ColumnType, default=ColumnType.NEWS
    )
    description = models.CharField(_("Column description"), max_length=255, blank=True)
    keywords = models.CharField(
        _("Column keywords"), max_length=255, blank=True, help_text=_("Separated by commas")
    )

    class Meta:
        abstract = True

    @property
    def column(self):
        return self


class PortalHomePage(RoutablePageMixin, Page):
    """门户首页: the root page of one site in the group."""

    intro = models.CharField(_("Home page introduction"), max_length=255, blank=True)
    headline_count = models.PositiveSmallIntegerField(_("Number of headlines"), default=5)
    block_count = models.PositiveSmallIntegerField(
        _("Items per channel on the home page"), default=7
    )

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        MultiFieldPanel(
            [FieldPanel("headline_count"), FieldPanel("block_count")], heading=_("Home page layout")
        ),
    ]
    subpage_types = ["content.ChannelPage", "content.TopicPage", "content.ExternalLinkChannel"]
    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = None

    class Meta:
        verbose_name = _("Portal home page")
        verbose_name_plural = _("Portal home pages")

    def get_home_blocks(self, request=None):
        """(channel, latest articles) for every channel flagged for the home page."""
        channels = list(
            public(ChannelPage.objects.live(), request)
            .descendant_of(self)
            .filter(show_on_home=True)
            .order_by("path")
        )
        blocks = []
        for channel in channels:
            items = list(article_queryset(request).descendant_of(channel)[: self.block_count])
            blocks.append((channel, items))
        return blocks

    def get_headlines(self, request=None):
        return list(
            public(ArticlePage.objects.live(), request)
            .descendant_of(self)
            .filter(is_headline=True)
            .select_related("cover_image")
            .prefetch_related("cover_image__renditions")
            .order_by("-publish_time")[: self.headline_count]
        )

    def get_topics(self, request=None):
        return list(
            public(TopicPage.objects.live(), request)
            .descendant_of(self)
            .select_related("banner")
            .prefetch_related("banner__renditions")
            .order_by("path")[:4]
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["headlines"] = self.get_headlines(request)
        context["home_blocks"] = self.get_home_blocks(request)
        context["topics"] = self.get_topics(request)
        return context

    @path("sitemap/", name="sitemap")
    def sitemap(self, request):
        """网站地图: the whole channel tree of this site."""
        pages = list(
            public(Page.objects.live(), request)
            .descendant_of(self)
            .type(ChannelPage, TopicPage, ExternalLinkChannel)
            .specific()
            .order_by("path")
        )
        by_parent: dict[str, list] = {}
        for page in pages:
            by_parent.setdefault(page.path[: -Page.steplen], []).append(page)

        def build(parent_path):
            return [(p, build(p.path)) for p in by_parent.get(parent_path, [])]

        return self.render(
            request,
            context_overrides={"tree": build(self.path), "page_title": "网站地图"},
            template="content/sitemap_page.html",
        )

    @path("search/", name="search")
    def search(self, request):
        """站内搜索/站群检索: the search app's page (Chinese analysis, filters, site group)."""
        from govportal.search.views import search_page

        return search_page(request, self)


class ChannelPage(ColumnMixin, Page):
    """栏目: a column of any depth listing the articles under it, newest first."""

    intro = RichTextField(
        _("Channel introduction"), blank=True, features=["bold", "italic", "link"]
    )
    page_size = models.PositiveSmallIntegerField(_("Items per page"), default=20)
    show_on_home = models.BooleanField(_("Show on the home page"), default=False)

    content_panels = Page.content_panels + [
        FieldPanel("column_type"),
        FieldPanel("description"),
        FieldPanel("keywords"),
        FieldPanel("intro"),
        MultiFieldPanel(
            [FieldPanel("page_size"), FieldPanel("show_on_home")], heading=_("Listing")
        ),
    ]
    search_fields = Page.search_fields + [index.SearchField("description")]
    parent_page_types = ["content.PortalHomePage", "content.ChannelPage", "content.TopicPage"]
    subpage_types = [
        "content.ChannelPage",
        "content.ArticlePage",
        "content.TopicPage",
        "content.ExternalLinkChannel",
        "library.LibraryReferencePage",  # placed from the resource library only
        "disclosure.DisclosureIndexPage",  # 公开目录, under the 政务公开 channel
        "interpretation.InterpretationPage",  # 政策解读/回应关切
        "interviews.InterviewPage",
        "surveys.SurveyPage",
        "interaction.MailboxPage",  # 信箱, under the 互动交流 channel
    ]

    class Meta:
        verbose_name = _("Channel")
        verbose_name_plural = _("Channels")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["articles"] = paginate(
            request, article_queryset(request).descendant_of(self), max(1, self.page_size)
        )
        context["subchannels"] = list(
            public(Page.objects.child_of(self).live(), request)
            .in_menu()
            .not_type(ArticlePage)
            .specific()
        )
        return context


class TopicPage(ColumnMixin, Page):
    """专题: a special topic with a banner, an introduction and its own articles."""

    banner = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("Topic banner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    intro = RichTextField(_("Topic introduction"), blank=True)
    page_size = models.PositiveSmallIntegerField(_("Items per page"), default=20)

    content_panels = Page.content_panels + [
        FieldPanel("banner"),
        FieldPanel("intro"),
        FieldPanel("description"),
        FieldPanel("keywords"),
        FieldPanel("page_size"),
    ]
    parent_page_types = ["content.PortalHomePage", "content.ChannelPage"]
    subpage_types = ["content.ChannelPage", "content.ArticlePage", "library.LibraryReferencePage"]

    class Meta:
        verbose_name = _("Topic")
        verbose_name_plural = _("Topics")

    def save(self, *args, **kwargs):
        self.column_type = ColumnType.TOPIC
        super().save(*args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["articles"] = paginate(
            request, article_queryset(request).descendant_of(self), max(1, self.page_size)
        )
        context["subchannels"] = list(
            public(ChannelPage.objects.child_of(self).live(), request).order_by("path")
        )
        return context


class ExternalLinkChannel(ColumnMixin, Page):
    """外链栏目: a menu entry that leads to another system (办事大厅, 12345 …)."""

    link_url = models.URLField(_("Link URL"), max_length=500)
    open_in_new_window = models.BooleanField(_("Open in a new window"), default=False)

    content_panels = Page.content_panels + [
        FieldPanel("link_url"),
        FieldPanel("open_in_new_window"),
        FieldPanel("description"),
    ]
    parent_page_types = ["content.PortalHomePage", "content.ChannelPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("External link channel")
        verbose_name_plural = _("External link channels")

    def save(self, *args, **kwargs):
        self.column_type = ColumnType.LINK
        super().save(*args, **kwargs)

    def serve(self, request, *args, **kwargs):
        return HttpResponseRedirect(self.link_url)

    def get_menu_url(self, request=None) -> str:
        return self.link_url


class ArticlePage(RoutablePageMixin, Page):
    """文章: one news item, notice or policy text inside a channel."""

    subtitle = models.CharField(_("Subtitle"), max_length=255, blank=True)
    source = models.CharField(_("Source"), max_length=100, blank=True)
    author = models.CharField(_("Author"), max_length=100, blank=True)
    publish_time = models.DateTimeField(_("Publish time"), default=timezone.now, db_index=True)
    summary = models.TextField(_("Abstract"), max_length=500, blank=True)
    keywords = models.CharField(
        _("Keywords"), max_length=255, blank=True, help_text=_("Separated by commas")
    )
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("Cover image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_headline = models.BooleanField(_("Home page headline"), default=False)
    body = StreamField(ArticleBodyBlock(), verbose_name=_("Body"), blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("subtitle"),
        MultiFieldPanel(
            [FieldPanel("source"), FieldPanel("author"), FieldPanel("publish_time")],
            heading=_("Source and time"),
        ),
        FieldPanel("summary"),
        FieldPanel("keywords"),
        MultiFieldPanel(
            [FieldPanel("cover_image"), FieldPanel("is_headline")], heading=_("Cover image")
        ),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("subtitle"),
        index.SearchField("summary"),
        index.SearchField("body"),
        index.SearchField("keywords"),
        index.FilterField("publish_time"),
    ]
    parent_page_types = ["content.ChannelPage", "content.TopicPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("Article")
        verbose_name_plural = _("Articles")

    @property
    def list_source(self) -> str:
        """来源 shown beside the title in lists: only for pages reused from another site
        (page types setting ``shows_source_in_lists``, i.e. resource library references)."""
        if getattr(self.specific_class, "shows_source_in_lists", False):
            return self.source
        return ""

    @property
    def column(self):
        """The channel (or topic) this article belongs to, for ColumnName/ColumnType."""
        if not hasattr(self, "_column"):
            self._column = self.get_parent().specific
        return self._column

    def _siblings(self, request=None):
        return public(ArticlePage.objects.live(), request).sibling_of(self, inclusive=False)

    def get_previous(self, request=None):
        return (
            self._siblings(request)
            .filter(
                models.Q(publish_time__lt=self.publish_time)
                | models.Q(publish_time=self.publish_time, id__lt=self.id)
            )
            .only("id", "title", "url_path", "path", "depth")
            .order_by("-publish_time", "-id")
            .first()
        )

    def get_next(self, request=None):
        return (
            self._siblings(request)
            .filter(
                models.Q(publish_time__gt=self.publish_time)
                | models.Q(publish_time=self.publish_time, id__gt=self.id)
            )
            .only("id", "title", "url_path", "path", "depth")
            .order_by("publish_time", "id")
            .first()
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["previous_article"] = self.get_previous(request)
        context["next_article"] = self.get_next(request)
        return context

    @path("print/", name="print")
    def print_view(self, request):
        """打印: the article alone, laid out for paper."""
        return TemplateResponse(
            request,
            "content/article_print.html",
            {"page": self, "self": self, "request": request},
        )
