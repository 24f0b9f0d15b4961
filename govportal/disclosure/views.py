"""The open read API (``/api/v1/disclosure/entries/``) and the admin's 超期主动公开 report."""

import math

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.models import Site

import django_filters

from govportal.siteadmin import access
from govportal.sites.models import SiteProfile

from .catalogue import CatalogueFilter, entry_data, safe_cell
from .clock import late_entries, limit_workdays
from .models import DisclosureEntryPage

AUDIT_REPORT_EXPORT = "disclosure.export_late_report"
API_PAGE_SIZE = 20
API_MAX_PAGE_SIZE = 100


# -- open read API -------------------------------------------------------------------------


def _api_error(message: str, field: str, status: int = 400) -> JsonResponse:
    return JsonResponse(
        {"error": message, "field": field}, status=status, json_dumps_params={"ensure_ascii": False}
    )


def _positive_int(value: str, default: int) -> int | None:
    if not value:
        return default
    if not value.isdigit() or int(value) < 1:
        return None
    return int(value)


@require_GET
def api_entries(request):
    """公开目录开放接口: live, public catalogue entries as JSON, 20 per page.

    Filters: ``site`` (网站标识码), ``org``, ``category``, ``year``, ``doc_number``,
    ``date_from``, ``date_to``, ``validity``, ``q``; ``page``, ``page_size`` (≤ 100).
    """
    root = None
    site_code = (request.GET.get("site") or "").strip()
    if site_code:
        site = (
            Site.objects.filter(
                pk__in=SiteProfile.objects.filter(site_id_code=site_code).values("site_id")
            )
            .select_related("root_page")
            .first()
        )
        if site is None:
            return _api_error("没有这个网站标识码对应的网站。", "site", 404)
        root = site.root_page
    filters = CatalogueFilter(request.GET, root=root, request=request)
    if filters.errors:
        field, message = next(iter(filters.errors.items()))
        return _api_error(message, field)
    page = _positive_int(request.GET.get("page", ""), 1)
    if page is None:
        return _api_error("页码应为正整数。", "page")
    size = _positive_int(request.GET.get("page_size", ""), API_PAGE_SIZE)
    if size is None:
        return _api_error("每页条数应为正整数。", "page_size")
    size = min(size, API_MAX_PAGE_SIZE)
    queryset = filters.queryset()
    count = queryset.count()
    pages = max(1, math.ceil(count / size))
    if page > pages:
        return _api_error(f"页码超出范围（共 {pages} 页）。", "page", 404)
    entries = list(queryset[(page - 1) * size : page * size])

    def link(number: int) -> str:
        params = request.GET.copy()
        params["page"] = str(number)
        return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")

    payload = {
        "count": count,
        "page": page,
        "pages": pages,
        "page_size": size,
        "next": link(page + 1) if page < pages else None,
        "previous": link(page - 1) if page > 1 else None,
        "results": [entry_data(entry, request) for entry in entries],
    }
    response = JsonResponse(payload, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response


# -- 超期主动公开 report --------------------------------------------------------------------


class LateReportFilterSet(WagtailFilterSet):
    site = django_filters.ChoiceFilter(
        label="站点", method="filter_site", empty_label="全部站点", widget=forms.Select
    )

    class Meta:
        model = DisclosureEntryPage
        fields = []

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        self.sites = {str(s.pk): s for s in access.sites_for_user(request.user)} if request else {}
        self.filters["site"].extra["choices"] = [(k, s.site_name) for k, s in self.sites.items()]

    def filter_site(self, queryset, name, value):
        site = self.sites.get(value)
        return queryset.descendant_of(site.root_page) if site else queryset.none()


class LateDisclosureReportView(ReportView):
    """超期主动公开: published entries whose 成文日期 → 发布日期 took more than 20 working
    days, in the sites the user works on."""

    page_title = "超期主动公开"
    header_icon = "time"
    index_url_name = "disclosure_late_report"
    index_results_url_name = "disclosure_late_report_results"
    template_name = "disclosure/late_report.html"
    filterset_class = LateReportFilterSet
    export_filename = "late-disclosure"
    list_export = [
        "index_number", "title", "site_name", "publisher", "written_date", "publish_date",
        "workdays", "over",
    ]  # fmt: skip
    export_headings = {
        "index_number": "索引号",
        "title": "名称",
        "site_name": "站点",
        "publisher": "发布机构",
        "written_date": "成文日期",
        "publish_date": "发布日期",
        "workdays": "用时（工作日）",
        "over": "超出（工作日）",
    }

    @property
    def columns(self):
        return [
            Column("index_number", label="索引号"),
            TitleColumn(
                "title",
                label="名称",
                get_url=lambda item: reverse("wagtailadmin_pages:edit", args=(item.entry.pk,)),
            ),
            Column("site_name", label="站点"),
            Column("publisher", label="发布机构"),
            Column("written_date", label="成文日期"),
            Column("publish_date", label="发布日期"),
            Column("workdays", label="用时（工作日）"),
            Column("over", label="超出（工作日）"),
        ]

    def dispatch(self, request, *args, **kwargs):
        if not access.holds_page_permission(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        roots = [site.root_page for site in access.sites_for_user(self.request.user)]
        queryset = DisclosureEntryPage.objects.live()
        if not roots:
            return queryset.none()
        condition = None
        for root in roots:
            q = DisclosureEntryPage.objects.descendant_of(root, inclusive=True)
            condition = q if condition is None else condition | q
        return queryset.filter(pk__in=condition.values("pk"))

    def get_filtered_queryset(self):
        queryset = super().get_filtered_queryset()
        names = {s.root_page.path: s.site_name for s in access.sites_for_user(self.request.user)}
        return late_entries(queryset, names)

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["limit"] = limit_workdays()
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
