"""政府信息公开目录 (disclosure catalogue): entries with their 索引号, the catalogue page.

* :class:`DisclosureEntryPage` — 公开目录条目: an :class:`~govportal.content.models.ArticlePage`
  (so review workflow, permissions, search, channel lists and the article layout apply)
  with the catalogue fields of REQUIREMENTS-CN.md: 索引号, 发布机构, 成文日期, 文号, 主题/
  体裁/服务对象分类, 主题词 (``keywords``), 内容概述 (``summary``), 公开属性, 有效性.
* :class:`DisclosureIndexPage` — 政府信息公开目录: the site's catalogue (browse, filter,
  export), placed under the site's 政府信息公开 channel.
* :class:`DisclosureCategory` — 法定主动公开内容 (Art. 20 items) as a two-level taxonomy.
* :class:`IndexCounter` — the per-organisation, per-year serial behind 索引号.
"""

import contextlib

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.html import format_html

from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, HelpPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from govportal.content.models import ArticlePage, ColumnMixin, ColumnType

from .taxonomy import Audience, Genre, Openness, Theme, Validity
from .validators import doc_number_year, validate_doc_number

#: The catalogue category of 政府信息公开工作年度报告 (created by the annual-report app).
ANNUAL_REPORT_CATEGORY = "annual-report"


class DisclosureCategory(models.Model):
    """法定主动公开内容分类: one Art. 20 item (or a sub-item of one)."""

    code = models.SlugField("代码", max_length=50, unique=True)
    name = models.CharField("名称", max_length=50)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name="上级分类",
    )
    sort_order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "主动公开内容分类"
        verbose_name_plural = "主动公开内容分类"
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return f"{self.parent.name} › {self.name}" if self.parent_id else self.name

    @property
    def top(self) -> "DisclosureCategory":
        return self.parent if self.parent_id else self


class IndexCounter(models.Model):
    """The last 索引号 serial handed out for one organisation and year (0 = all years)."""

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "索引号计数器"
        verbose_name_plural = "索引号计数器"
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year"], name="disclosure_one_counter_per_org_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization_id}/{self.year}: {self.last}"


class IndexNumberPanel(HelpPanel):
    """Shows the entry's 索引号 read-only (it is generated and never edited)."""

    class BoundPanel(HelpPanel.BoundPanel):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            number = getattr(self.instance, "index_number", None)
            self.content = format_html(
                "<p><strong>索引号：</strong><span data-index-number>{}</span></p>"
                '<p class="help">{}</p>',
                number or "保存后自动生成",
                "由发布机构代码、年份和序号自动生成，生成后永不改变；复制的条目会得到新的索引号。",
            )


def site_organization_for_path(path: str):
    """The organisation owning the site whose tree holds ``path`` (or ``None``)."""
    from govportal.organizations.models import SiteOrganization
    from govportal.siteadmin.access import site_for_path

    site_id = site_for_path(path) if path else None
    if site_id is None:
        return None
    link = SiteOrganization.objects.filter(site_id=site_id).select_related("organization").first()
    return link.organization if link else None


class DisclosureEntryForm(WagtailAdminPageForm):
    """Defaults 发布机构 to the unit owning the site; checks 文号 against 成文日期."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("publisher")
        if field is not None and not self.instance.publisher_id and self.parent_page:
            organization = site_organization_for_path(self.parent_page.path)
            if organization is not None:
                self.initial["publisher"] = organization.pk

    def clean(self):
        cleaned = super().clean()
        number = (cleaned.get("doc_number") or "").strip()
        written = cleaned.get("written_date")
        year = doc_number_year(number)
        if year and written and year != written.year:
            self.add_error(
                "doc_number",
                f"文号中的年份（{year}）与成文日期的年份（{written.year}）不一致，请核对。",
            )
        validity = cleaned.get("validity")
        if validity == Validity.VALID and cleaned.get("expiry_date"):
            self.add_error(
                "expiry_date", "有效的文件不应填写失效日期；已失效请先把有效性改为“失效”或“废止”。"
            )
        replaced_by = cleaned.get("replaced_by")
        if replaced_by is not None and self.instance.pk and replaced_by.pk == self.instance.pk:
            self.add_error("replaced_by", "替代文件不能是本文件自己。")
        return cleaned


class DisclosureEntryPage(ArticlePage):
    """公开目录条目: one piece of government information in the disclosure catalogue."""

    # NULL (not "") until a publisher is known: several such drafts must not collide.
    index_number = models.CharField(  # noqa: DJ001
        "索引号", max_length=64, unique=True, null=True, editable=False
    )
    publisher = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=False,
        related_name="disclosure_entries",
        verbose_name="发布机构",
        help_text="默认为本网站的主办单位。",
    )
    written_date = models.DateField("成文日期", null=True, blank=False, db_index=True)
    doc_number = models.CharField(
        "文号",
        max_length=60,
        blank=True,
        validators=[validate_doc_number],
        help_text="如：示政办发〔2026〕12号（年份用六角括号〔〕）。没有文号可不填。",
    )
    category = models.ForeignKey(
        DisclosureCategory,
        on_delete=models.PROTECT,
        null=True,
        blank=False,
        related_name="entries",
        verbose_name="主动公开内容分类",
    )
    theme = models.CharField("主题分类", max_length=20, choices=Theme, default=Theme.GENERAL)
    genre = models.CharField("体裁分类", max_length=20, choices=Genre, default=Genre.NOTICE)
    audience = models.CharField(
        "服务对象分类", max_length=20, choices=Audience, default=Audience.PUBLIC
    )
    openness = models.CharField(
        "公开属性", max_length=20, choices=Openness, default=Openness.PROACTIVE, db_index=True
    )
    validity = models.CharField(
        "有效性", max_length=20, choices=Validity, default=Validity.VALID, db_index=True
    )
    expiry_date = models.DateField("失效日期", null=True, blank=True)
    replaced_by = models.ForeignKey(
        "disclosure.DisclosureEntryPage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replaces",
        verbose_name="替代文件",
        help_text="失效或废止后取代本文件的新文件。",
    )
    validity_note = models.CharField(
        "有效性说明", max_length=255, blank=True, help_text="如：根据……予以废止。"
    )

    base_form_class = DisclosureEntryForm
    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                IndexNumberPanel(),
                FieldPanel("publisher"),
                FieldRowPanel([FieldPanel("written_date"), FieldPanel("publish_time")]),
                FieldPanel("doc_number"),
                FieldPanel("category"),
                FieldRowPanel([FieldPanel("theme"), FieldPanel("genre"), FieldPanel("audience")]),
                FieldPanel("keywords", heading="主题词"),
                FieldPanel("summary", heading="内容概述"),
                FieldPanel("openness"),
            ],
            heading="公开目录信息",
        ),
        MultiFieldPanel(
            [
                FieldPanel("validity"),
                FieldPanel("expiry_date"),
                FieldPanel("replaced_by"),
                FieldPanel("validity_note"),
            ],
            heading="有效性",
        ),
        FieldPanel("subtitle"),
        FieldPanel("source"),
        FieldPanel("body"),
    ]
    search_fields = ArticlePage.search_fields + [
        index.SearchField("doc_number"),
        index.SearchField("index_number"),
        index.FilterField("validity"),
        index.FilterField("openness"),
    ]
    exclude_fields_in_copy = ["index_number"]
    parent_page_types = ["disclosure.DisclosureIndexPage"]
    subpage_types: list[str] = []
    template = "disclosure/disclosure_entry_page.html"

    class Meta:
        verbose_name = "公开目录条目"
        verbose_name_plural = "公开目录条目"

    # -- 索引号 ------------------------------------------------------------------------
    @property
    def index_year(self) -> int:
        if self.written_date:
            return self.written_date.year
        return timezone.localtime(self.publish_time or timezone.now()).year

    def save(self, *args, **kwargs):
        if self.publisher_id is None:
            self.publisher = site_organization_for_path(self.path)
        if self.pk:
            # Never changes once given, whatever the instance in hand says (revisions,
            # stale copies, forms): the stored number wins.
            stored = (
                DisclosureEntryPage.objects.filter(pk=self.pk)
                .values_list("index_number", flat=True)
                .first()
            )
            if stored:
                self.index_number = stored
        if self.index_number or self.publisher_id is None:
            return super().save(*args, **kwargs)
        return self._save_with_new_number(*args, **kwargs)

    def _save_with_new_number(self, *args, **kwargs):
        from govportal.audit.services import record

        from .index_numbers import AUDIT_ASSIGN, allocate_index_number

        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = list({*update_fields, "index_number"})
        with transaction.atomic():
            self.index_number = allocate_index_number(self.publisher, self.index_year)
            result = super().save(*args, **kwargs)
            record(AUDIT_ASSIGN, obj=self, after={"index_number": self.index_number})
        return result

    def with_content_json(self, content):
        """Restoring a revision (publish, rollback, a copy's revisions) keeps the number."""
        obj = super().with_content_json(content)
        obj.index_number = self.index_number
        return obj

    # -- display ------------------------------------------------------------------------
    @property
    def is_invalid(self) -> bool:
        return self.validity != Validity.VALID

    @property
    def publish_date(self):
        return timezone.localtime(self.publish_time).date() if self.publish_time else None

    def clean(self):
        super().clean()
        if self.validity == Validity.VALID and self.replaced_by_id:
            raise ValidationError(
                {"replaced_by": "有效的文件不能有替代文件；请先把有效性改为“失效”或“废止”。"}
            )

    def serve(self, request, *args, **kwargs):
        if self.openness == Openness.NOT_DISCLOSED:
            raise Http404("不予公开")
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        replacement = self.replaced_by
        if replacement is not None and not replacement.live:
            replacement = None
        context["replacement"] = replacement
        return context


class DisclosureIndexPage(ColumnMixin, Page):
    """政府信息公开目录: browse and filter the site's catalogue entries; export them."""

    intro = RichTextField("说明", blank=True, features=["bold", "italic", "link"])
    guide_page = models.ForeignKey(
        "wagtailcore.Page",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="政府信息公开指南",
        help_text="条例第十二条：公开指南页面（公开方式、受理机构、申请流程、监督救济）。",
    )
    rules_page = models.ForeignKey(
        "wagtailcore.Page",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="政府信息公开制度",
        help_text="本机关的政府信息公开工作制度页面。",
    )

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        MultiFieldPanel(
            [FieldPanel("guide_page"), FieldPanel("rules_page")], heading="公开指南和公开制度"
        ),
        FieldPanel("description"),
        FieldPanel("keywords"),
    ]
    parent_page_types = ["content.ChannelPage"]
    subpage_types = ["disclosure.DisclosureEntryPage", "annualreports.AnnualReportPage"]
    template = "disclosure/disclosure_index_page.html"

    class Meta:
        verbose_name = "政府信息公开目录"
        verbose_name_plural = "政府信息公开目录"

    def save(self, *args, **kwargs):
        self.column_type = ColumnType.DISCLOSURE
        super().save(*args, **kwargs)

    def serve(self, request, *args, **kwargs):
        from .catalogue import EXPORT_FORMATS, CatalogueFilter, export_response

        export = request.GET.get("format", "")
        if export in EXPORT_FORMATS:
            site_root = self.get_site().root_page
            filters = CatalogueFilter(request.GET, root=site_root, request=request)
            return export_response(filters, export, filename=f"公开目录-{self.slug}")
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from govportal.content.models import paginate

        from .catalogue import CatalogueFilter

        context = super().get_context(request, *args, **kwargs)
        site = self.get_site()
        filters = CatalogueFilter(request.GET, root=site.root_page, request=request)
        context["filters"] = filters
        context["entries"] = paginate(request, filters.queryset(), 20)
        context["facets"] = filters.facets()
        context["validity_choices"] = Validity.choices
        context["sections"] = self.sections(request)
        return context

    def sections(self, request) -> list[dict]:
        """The 政府信息公开 column's five parts (条例第十二、二十、五十条; 依申请公开),
        as links for the catalogue's section navigation; missing parts are left out."""
        from django.urls import NoReverseMatch, reverse

        from govportal.core.visibility import public

        linked = {
            page.pk: page
            for page in public(
                Page.objects.filter(pk__in=[self.guide_page_id, self.rules_page_id]).live(),
                request,
            )
        }
        items = []
        for key, label, page_id in [
            ("guide", "公开指南", self.guide_page_id),
            ("rules", "公开制度", self.rules_page_id),
        ]:
            if page_id in linked:
                items.append({"key": key, "label": label, "url": linked[page_id].url})
        items.append({"key": "catalogue", "label": "法定主动公开内容", "url": self.url})
        if DisclosureCategory.objects.filter(code=ANNUAL_REPORT_CATEGORY).exists():
            items.append(
                {
                    "key": "annual",
                    "label": "公开年报",
                    "url": f"{self.url}?category={ANNUAL_REPORT_CATEGORY}",
                }
            )
        with contextlib.suppress(NoReverseMatch):  # the requests app may be left out
            items.append(
                {"key": "apply", "label": "依申请公开", "url": reverse("inforequests:apply")}
            )
        return items
