"""站内搜索 in the admin: audited create/edit/delete views for the editors' viewsets, the
热门搜索 / 无结果搜索 reports (period, site, CSV/xlsx export) and the index status panel
(索引状态) with its "rebuild" button.

Who may do what (checked here, on the server):

* dictionary, synonyms, promotions, 热词管理 — the govsearch model permissions (viewsets);
* reports — platform operators, or holders of ``govsearch.view_querystat`` (for the sites
  they can see in the admin);
* index status — platform operators or holders of ``govsearch.view_searchdocument``;
  rebuilding — platform operators only.
"""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Max, Min
from django.forms.models import model_to_dict
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView

from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.views.generic import models as generic
from wagtail.admin.widgets import AdminDateInput
from wagtail.models import Site

from govportal.audit.services import record
from govportal.siteadmin.access import is_platform_operator, site_ids_for_user

from . import stats
from .models import IndexQueueItem, QueryStat, SearchDocument
from .queue import REBUILD_KEY, enqueue, rebuild_requested
from .registry import kind_label

ACTIONS = {
    "search.dictionary_create": "站内搜索：新增词典词语",
    "search.dictionary_change": "站内搜索：修改词典词语",
    "search.dictionary_delete": "站内搜索：删除词典词语",
    "search.synonym_create": "站内搜索：新增同义词组",
    "search.synonym_change": "站内搜索：修改同义词组",
    "search.synonym_delete": "站内搜索：删除同义词组",
    "search.promotion_create": "站内搜索：新增置顶结果",
    "search.promotion_change": "站内搜索：修改置顶结果",
    "search.promotion_delete": "站内搜索：删除置顶结果",
    "search.hotrule_create": "站内搜索：新增热词规则",
    "search.hotrule_change": "站内搜索：修改热词规则",
    "search.hotrule_delete": "站内搜索：删除热词规则",
    "search.rebuild": "站内搜索：重建索引",
    "export.search_stats": "导出搜索统计",
}

REPORT_PERMISSION = "govsearch.view_querystat"
STATUS_PERMISSION = "govsearch.view_searchdocument"


def can_view_reports(user) -> bool:
    return is_platform_operator(user) or (
        user.is_authenticated and user.is_active and user.has_perm(REPORT_PERMISSION)
    )


def can_view_index_status(user) -> bool:
    return is_platform_operator(user) or (
        user.is_authenticated and user.is_active and user.has_perm(STATUS_PERMISSION)
    )


def can_rebuild(user) -> bool:
    return is_platform_operator(user)


# -- audited viewset views -----------------------------------------------------------------------


def snapshot(obj) -> dict:
    """The editable fields of ``obj`` as JSON-able text (for the audit trail)."""
    data = model_to_dict(obj, exclude=["id", "created_by"])
    return {key: "" if value is None else str(value) for key, value in data.items()}


def after_change(obj) -> None:
    """Make the engine see dictionary and synonym edits at once (not after its cache)."""
    from . import analysis
    from .models import DictionaryWord, SynonymGroup

    if isinstance(obj, DictionaryWord):
        analysis.invalidate_dictionary()
    elif isinstance(obj, SynonymGroup):
        analysis.invalidate_synonyms()


class AuditedCreateView(generic.CreateView):
    audit_action = ""

    def save_instance(self):
        if hasattr(self.form.instance, "created_by_id") and not self.form.instance.created_by_id:
            self.form.instance.created_by = self.request.user
        with transaction.atomic():
            instance = super().save_instance()
            record(
                f"{self.audit_action}_create",
                request=self.request,
                obj=instance,
                after=snapshot(instance),
            )
        after_change(instance)
        return instance


class AuditedEditView(generic.EditView):
    audit_action = ""

    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        self.audit_before = snapshot(obj)
        return obj

    def save_instance(self):
        with transaction.atomic():
            instance = super().save_instance()
            after = snapshot(instance)
            if after != self.audit_before:
                record(
                    f"{self.audit_action}_change",
                    request=self.request,
                    obj=instance,
                    before=self.audit_before,
                    after=after,
                )
        after_change(instance)
        return instance


class AuditedDeleteView(generic.DeleteView):
    audit_action = ""

    def delete_action(self):
        obj = self.object
        with transaction.atomic():
            record(
                f"{self.audit_action}_delete", request=self.request, obj=obj, before=snapshot(obj)
            )
            super().delete_action()
        after_change(obj)


# -- reports ----------------------------------------------------------------------------------


class ReportForm(forms.Form):
    start = forms.DateField(
        label="开始日期", widget=AdminDateInput, error_messages={"invalid": "请输入正确的日期。"}
    )
    end = forms.DateField(
        label="结束日期", widget=AdminDateInput, error_messages={"invalid": "请输入正确的日期。"}
    )
    site = forms.TypedChoiceField(label="网站", required=False, coerce=int, empty_value=None)

    MAX_DAYS = 366

    def __init__(self, data, *, sites, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["site"].choices = [("", "全部网站")] + [(s.pk, s.site_name) for s in sites]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            if end < start:
                self.add_error("end", "结束日期不能早于开始日期。")
            elif (end - start).days >= self.MAX_DAYS:
                self.add_error("end", f"统计期间最长 {self.MAX_DAYS} 天。")
        return cleaned


class SearchAdminView(WagtailAdminTemplateMixin, TemplateView):
    header_icon = "search"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": "", "label": "站内搜索"},
            {"url": "", "label": self.get_page_title()},
        ]


class QueryReportView(SearchAdminView):
    """热门搜索 / 无结果搜索 for a period and a site, with CSV and xlsx export."""

    template_name = "search/admin/report.html"
    kind = "hot"

    def get_page_title(self):
        return stats.REPORTS[self.kind]

    def dispatch(self, request, *args, **kwargs):
        if not can_view_reports(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def allowed_sites(self) -> list[Site]:
        sites = Site.objects.order_by("-is_default_site", "site_name", "pk")
        if is_platform_operator(self.request.user):
            return list(sites)
        return list(sites.filter(pk__in=site_ids_for_user(self.request.user)))

    def get(self, request, *args, **kwargs):
        sites = self.allowed_sites()
        today = timezone.localdate()
        data = request.GET.copy()
        data.setdefault("start", f"{today - timedelta(days=29):%Y-%m-%d}")
        data.setdefault("end", f"{today:%Y-%m-%d}")
        form = ReportForm(data, sites=sites)
        rows = None
        if form.is_valid():
            chosen = form.cleaned_data["site"]
            allowed = [s.pk for s in sites]
            if chosen is not None and chosen not in allowed:
                raise PermissionDenied
            everything = chosen is None and is_platform_operator(request.user)
            site_ids = None if everything else ([chosen] if chosen else allowed)
            start, end = form.cleaned_data["start"], form.cleaned_data["end"]
            rows = stats.query_report(self.kind, site_ids, start, end)
            export = request.GET.get("export")
            if export in ("csv", "xlsx"):
                return self.export(export, rows, start, end, chosen)
        context = self.get_context_data(form=form, rows=rows, kind=self.kind, **kwargs)
        context["export_query"] = request.GET.urlencode()
        return self.render_to_response(context)

    def export(self, fmt, rows, start, end, site_id):
        title = stats.REPORTS[self.kind]
        record(
            "export.search_stats",
            request=self.request,
            obj=QueryStat,
            report=title,
            start=f"{start:%Y-%m-%d}",
            end=f"{end:%Y-%m-%d}",
            site_id=site_id,
            rows=len(rows),
            format=fmt,
        )
        name = f"search-{self.kind}-{start:%Y%m%d}-{end:%Y%m%d}"
        if fmt == "csv":
            response = HttpResponse(stats.report_csv(rows), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        else:
            response = HttpResponse(
                stats.report_xlsx(rows, title),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
            response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response


class HotQueriesView(QueryReportView):
    kind = "hot"


class ZeroResultQueriesView(QueryReportView):
    kind = "zero"


# -- index status -----------------------------------------------------------------------------


def index_status() -> dict:
    """Documents per kind and site, the queue and the last indexing (索引状态)."""
    site_names = dict(Site.objects.values_list("pk", "site_name"))
    by_kind = [
        (kind_label(row["kind"]), row["n"])
        for row in SearchDocument.objects.values("kind").annotate(n=Count("pk")).order_by("-n")
    ]
    by_site = [
        (site_names.get(row["site"], "（无网站）"), row["n"])
        for row in SearchDocument.objects.values("site").annotate(n=Count("pk")).order_by("-n")
    ]
    queue = IndexQueueItem.objects.aggregate(n=Count("pk"), oldest=Min("queued_at"))
    return {
        "total": sum(n for _, n in by_kind),
        "by_kind": by_kind,
        "by_site": by_site,
        "queue_length": queue["n"],
        "oldest_queued": queue["oldest"],
        "failing": IndexQueueItem.objects.exclude(last_error="").count(),
        "last_indexed": SearchDocument.objects.aggregate(m=Max("indexed_at"))["m"],
        "rebuild_waiting": rebuild_requested(),
    }


class IndexStatusView(SearchAdminView):
    template_name = "search/admin/status.html"
    page_title = "索引状态"

    def dispatch(self, request, *args, **kwargs):
        if not can_view_index_status(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(index_status())
        context["can_rebuild"] = can_rebuild(self.request.user)
        return context

    def post(self, request, *args, **kwargs):
        if not can_rebuild(request.user):
            raise PermissionDenied
        with transaction.atomic():
            enqueue([REBUILD_KEY])
            record("search.rebuild", request=request, obj=SearchDocument)
        messages.success(
            request,
            "已提交重建请求：后台将把全部内容加入待索引队列并逐条更新，期间搜索照常可用；"
            "可刷新本页查看队列进度。",
        )
        return redirect(reverse("govsearch_admin:status"))
