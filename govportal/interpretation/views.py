"""报告 → 政策文件未解读: policy documents (see :mod:`.policies`) with no live interpretation,
in the sites the user works on (superusers and platform operators: every site)."""

import datetime
from dataclasses import dataclass

from django import forms
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.reports import ReportView

import django_filters

from govportal.disclosure.catalogue import safe_cell
from govportal.disclosure.models import DisclosureEntryPage
from govportal.organizations.models import Organization
from govportal.siteadmin import access

from .policies import since, start_of, uninterpreted

AUDIT_REPORT_EXPORT = "interpretation.export_uninterpreted_report"


@dataclass
class UninterpretedRow:
    """One row of the report (attribute paths for the columns and the export)."""

    entry: DisclosureEntryPage
    site_name: str
    publish_date: datetime.date
    days: int

    @property
    def title(self) -> str:
        return self.entry.title

    @property
    def doc_number(self) -> str:
        return self.entry.doc_number

    @property
    def publisher(self) -> str:
        return self.entry.publisher.name if self.entry.publisher_id else ""

    @property
    def index_number(self) -> str:
        return self.entry.index_number or ""


class UninterpretedFilterSet(WagtailFilterSet):
    site = django_filters.ChoiceFilter(
        label="站点", method="filter_site", empty_label="全部站点", widget=forms.Select
    )
    publisher = django_filters.ModelChoiceFilter(
        label="发布机构",
        queryset=Organization.objects.none(),
        empty_label="全部发布机构",
        widget=forms.Select,
    )
    published = django_filters.DateFromToRangeFilter(
        label="发布日期", method="filter_published", widget=DateRangePickerWidget
    )

    class Meta:
        model = DisclosureEntryPage
        fields = []

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        self.sites = {str(s.pk): s for s in access.sites_for_user(request.user)} if request else {}
        self.filters["site"].extra["choices"] = [(k, s.site_name) for k, s in self.sites.items()]
        # Only units that published something the user may list.
        self.filters["publisher"].queryset = Organization.objects.filter(
            pk__in=self.queryset.values("publisher_id")
        ).order_by("path")

    def filter_site(self, queryset, name, value):
        site = self.sites.get(value)
        return queryset.descendant_of(site.root_page) if site else queryset.none()

    def filter_published(self, queryset, name, value):
        if value.start:
            queryset = queryset.filter(publish_time__gte=start_of(value.start))
        if value.stop:
            queryset = queryset.filter(
                publish_time__lt=start_of(value.stop + datetime.timedelta(days=1))
            )
        return queryset


class UninterpretedPolicyReportView(ReportView):
    """政策文件未解读: live policy documents of the user's sites that no live 文字/图解/视频
    interpretation links, the longest waiting first."""

    page_title = "政策文件未解读"
    header_icon = "doc-full"
    index_url_name = "interpretation_uninterpreted_report"
    index_results_url_name = "interpretation_uninterpreted_report_results"
    template_name = "interpretation/uninterpreted_report.html"
    filterset_class = UninterpretedFilterSet
    export_filename = "uninterpreted-policies"
    list_export = [
        "title", "doc_number", "index_number", "publisher", "publish_date", "days", "site_name",
    ]  # fmt: skip
    export_headings = {
        "title": "名称",
        "doc_number": "文号",
        "index_number": "索引号",
        "publisher": "发布机构",
        "publish_date": "发布日期",
        "days": "已发布天数",
        "site_name": "站点",
    }

    @property
    def columns(self):
        return [
            TitleColumn(
                "title",
                label="名称",
                get_url=lambda row: reverse("wagtailadmin_pages:edit", args=(row.entry.pk,)),
            ),
            Column("doc_number", label="文号"),
            Column("publisher", label="发布机构"),
            Column("publish_date", label="发布日期"),
            Column("days", label="已发布天数"),
            Column("site_name", label="站点"),
        ]

    def dispatch(self, request, *args, **kwargs):
        if not access.holds_page_permission(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        roots = [site.root_page for site in access.sites_for_user(self.request.user)]
        if not roots:
            return DisclosureEntryPage.objects.none()
        condition = None
        for root in roots:
            q = DisclosureEntryPage.objects.descendant_of(root, inclusive=True)
            condition = q if condition is None else condition | q
        return uninterpreted().filter(pk__in=condition.values("pk"))

    def get_filtered_queryset(self):
        queryset = super().get_filtered_queryset()
        names = {s.root_page.path: s.site_name for s in access.sites_for_user(self.request.user)}
        today = timezone.localdate()
        rows = []
        for entry in queryset.select_related("publisher").order_by("publish_time", "pk"):
            published = timezone.localtime(entry.publish_time).date()
            site_name = max(
                ((path, name) for path, name in names.items() if entry.path.startswith(path)),
                key=lambda item: len(item[0]),
                default=("", ""),
            )[1]
            rows.append(UninterpretedRow(entry, site_name, published, (today - published).days))
        return rows

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["since"] = since()
        return context

    def preprocess_field_value(self, field, value, export_format):
        value = super().preprocess_field_value(field, value, export_format)
        return safe_cell(value) if isinstance(value, str) else value

    def as_spreadsheet(self, queryset, spreadsheet_format):
        from govportal.audit.services import record

        record(
            AUDIT_REPORT_EXPORT,
            obj=DisclosureEntryPage,
            after={"format": spreadsheet_format, "rows": len(queryset)},
        )
        return super().as_spreadsheet(queryset, spreadsheet_format)
