"""政府信息公开工作年度报告 (annual reports on government information disclosure).

* :class:`AnnualReport` — one organisation's report for one year on the 2021 template
  (国办公开办函〔2021〕30号), or a government's 政府汇总 roll-up (:class:`ReportKind`).
  The derived tables (二 规章/规范性文件, 三 依申请公开) are computed from the catalogue and
  the requests by :mod:`.services` while the report is a draft and frozen in ``snapshot``
  when it is first published; staff enter the other numbers (``entered``) and the texts
  (``texts``).
* :class:`AnnualReportPage` — the published report in the organisation's catalogue: a
  :class:`~govportal.disclosure.models.DisclosureEntryPage` (so it has a 索引号 and shows in
  the catalogue's lists, exports and API) holding the report's content as published
  (``content``) and its PDF (``pdf``).
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone

from wagtail.admin.panels import FieldPanel, HelpPanel, MultiFieldPanel
from wagtail.models import Page

from govportal.disclosure.models import DisclosureEntryPage, IndexNumberPanel

#: The catalogue category of annual reports (created by migration 0001 of this app).
CATEGORY_CODE = "annual-report"
CATEGORY_NAME = "政府信息公开年报"


class ReportKind(models.TextChoices):
    ORGANIZATION = "organization", "本机关年报"
    ROLLUP = "rollup", "政府汇总年报"


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已发布"


def due_date(year: int, kind: str) -> datetime.date:
    """条例第五十条: 每年1月31日前 (a government-wide report: 3月31日前) of the next year."""
    return (
        datetime.date(year + 1, 3, 31)
        if kind == ReportKind.ROLLUP
        else datetime.date(year + 1, 1, 31)
    )


def last_year() -> int:
    return timezone.localdate().year - 1


class AnnualReportQuerySet(models.QuerySet):
    def for_organizations(self, organizations):
        return self.filter(organization__in=organizations)


class AnnualReport(models.Model):
    """政府信息公开工作年度报告: one organisation (or one government's roll-up), one year."""

    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="annual_reports",
        verbose_name="报告单位",
    )
    year = models.PositiveIntegerField("年度")
    kind = models.CharField(
        "类型", max_length=20, choices=ReportKind, default=ReportKind.ORGANIZATION
    )
    status = models.CharField(
        "状态", max_length=20, choices=ReportStatus, default=ReportStatus.DRAFT, db_index=True
    )
    #: Staff-entered numbers: licensing/penalty/coercion counts, fees (万元, text with up
    #: to 4 decimals), the 复议/诉讼 table (see :data:`.services.ENTERED_FIELDS`).
    entered = models.JSONField("填报数据", default=dict, blank=True)
    #: Texts of sections 一, 五, 六 and the 说明 notes under the tables.
    texts = models.JSONField("报告正文", default=dict, blank=True)
    #: The derived tables as frozen at the first publication (``None`` while a draft).
    snapshot = models.JSONField("发布时的统计数据", null=True, blank=True, editable=False)
    page = models.OneToOneField(
        "annualreports.AnnualReportPage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="report",
        verbose_name="发布页面",
    )
    published_at = models.DateTimeField("首次发布时间", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="发布人",
    )
    has_unpublished_changes = models.BooleanField("有未发布的修改", default=False)
    created_at = models.DateTimeField("生成时间", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="生成人",
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="最后修改人",
    )

    objects = AnnualReportQuerySet.as_manager()

    class Meta:
        verbose_name = "政府信息公开工作年度报告"
        verbose_name_plural = "政府信息公开工作年度报告"
        ordering = ["-year", "organization__path", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year", "kind"],
                name="annualreports_one_per_org_year_kind",
                violation_error_message="该单位该年度的年报已经生成。",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_rollup(self) -> bool:
        return self.kind == ReportKind.ROLLUP

    @property
    def is_published(self) -> bool:
        return self.status == ReportStatus.PUBLISHED

    @property
    def title(self) -> str:
        """示例市教育局2025年政府信息公开工作年度报告 (a roll-up: 示例市2025年…)."""
        name = self.organization.name
        if self.is_rollup:
            name = name.removesuffix("人民政府") or name
        return f"{name}{self.year}年政府信息公开工作年度报告"

    @property
    def due_date(self) -> datetime.date:
        return due_date(self.year, self.kind)

    @property
    def published_on(self) -> datetime.date | None:
        return timezone.localtime(self.published_at).date() if self.published_at else None

    def deadline_state(self, today: datetime.date | None = None) -> str:
        """``on_time``, ``late`` (published after the due date), ``overdue`` (not yet
        published, due date passed) or ``pending``."""
        today = today or timezone.localdate()
        if self.published_on:
            return "late" if self.published_on > self.due_date else "on_time"
        return "overdue" if today > self.due_date else "pending"


class AnnualReportPage(DisclosureEntryPage):
    """年报页面: a published annual report in the catalogue (made by publishing a report)."""

    #: What the page shows, as published: see :func:`.services.report_content`.
    content = models.JSONField("报告内容", default=dict, blank=True, editable=False)
    pdf = models.ForeignKey(
        "wagtaildocs.Document",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="PDF版",
    )

    content_panels = Page.content_panels + [
        HelpPanel(
            content="<p>年报的表格和正文在“政府信息公开年报”中编辑后重新发布；此处只能修改目录信息。</p>"
        ),
        MultiFieldPanel(
            [
                IndexNumberPanel(),
                FieldPanel("publisher", read_only=True),
                FieldPanel("written_date", read_only=True),
                FieldPanel("category", read_only=True),
                FieldPanel("keywords", heading="主题词"),
                FieldPanel("summary", heading="内容概述"),
            ],
            heading="公开目录信息",
        ),
    ]
    parent_page_types = ["disclosure.DisclosureIndexPage"]
    subpage_types: list[str] = []
    is_creatable = False
    template = "annualreports/annual_report_page.html"

    class Meta:
        verbose_name = "政府信息公开工作年度报告页面"
        verbose_name_plural = "政府信息公开工作年度报告页面"

    def get_context(self, request, *args, **kwargs):
        from .services import content_tables

        context = super().get_context(request, *args, **kwargs)
        context["report"] = content_tables(self.content) if self.content else None
        return context
