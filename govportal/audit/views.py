"""The audit admin's pages: search the log, read one record, export, verify the chain.

Only 审计管理员 get in (:func:`services.is_audit_admin`, never implied by superuser); a
refused attempt is itself recorded.
"""

import json

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import TemplateView, View

from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import HeaderButton

from . import chain, exports
from .forms import AuditSearchForm
from .models import AuditRecord, Outcome
from .services import is_audit_admin, record

PER_PAGE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class AuditAdminMixin:
    def dispatch(self, request, *args, **kwargs):
        if not is_audit_admin(request.user):
            record(
                "audit.access_denied", request=request, outcome=Outcome.DENIED, path=request.path
            )
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class AuditPageMixin(AuditAdminMixin, WagtailAdminTemplateMixin):
    header_icon = "history"

    def get_breadcrumbs_items(self):
        items = self.breadcrumbs_items + [{"url": reverse("audit:index"), "label": "审计日志"}]
        if self.page_title != "审计日志":
            items.append({"url": "", "label": self.get_page_title()})
        return items


def _search(request):
    form = AuditSearchForm(request.GET or None)
    queryset = AuditRecord.objects.order_by("-seq")
    if request.GET:
        queryset = form.filter(queryset)
    return form, queryset


class IndexView(AuditPageMixin, TemplateView):
    template_name = "audit/index.html"
    page_title = "审计日志"

    @cached_property
    def header_buttons(self):
        query = self.request.GET.copy()
        query.pop("p", None)
        suffix = f"?{query.urlencode()}" if query else ""
        return [
            HeaderButton(
                "导出 CSV",
                url=reverse("audit:export", args=("csv",)) + suffix,
                icon_name="download",
            ),
            HeaderButton(
                "导出 Excel",
                url=reverse("audit:export", args=("xlsx",)) + suffix,
                icon_name="download",
            ),
            HeaderButton("校验审计链", url=reverse("audit:verify"), icon_name="success"),
        ]

    def get_context_data(self, **kwargs):
        form, queryset = _search(self.request)
        items = Paginator(queryset, PER_PAGE).get_page(self.request.GET.get("p"))
        query = self.request.GET.copy()
        query.pop("p", None)
        return super().get_context_data(form=form, items=items, query=query.urlencode(), **kwargs)


def diff_rows(before, after) -> list[dict]:
    """Field-by-field comparison of two snapshots (dicts), for the detail page."""
    if not isinstance(before, dict) and not isinstance(after, dict):
        return []
    before = before if isinstance(before, dict) else {}
    after = after if isinstance(after, dict) else {}
    rows = []
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key), after.get(key)
        rows.append(
            {
                "key": key,
                "before": _show(old) if key in before else "—",
                "after": _show(new) if key in after else "—",
                "changed": key not in before or key not in after or old != new,
                "added": sorted(set(new) - set(old)) if _lists(old, new) else None,
                "removed": sorted(set(old) - set(new)) if _lists(old, new) else None,
            }
        )
    return rows


def _lists(a, b) -> bool:
    return isinstance(a, list) and isinstance(b, list)


def _show(value) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "、".join(value) or "（无）"
    return json.dumps(value, ensure_ascii=False)


class DetailView(AuditPageMixin, TemplateView):
    template_name = "audit/detail.html"

    def get_page_title(self):
        return f"审计记录 #{self.kwargs['seq']}"

    def get_context_data(self, **kwargs):
        entry = get_object_or_404(AuditRecord, seq=self.kwargs["seq"])
        return super().get_context_data(
            entry=entry,
            diff=diff_rows(entry.before, entry.after),
            before_json=json.dumps(entry.before, ensure_ascii=False, indent=2, sort_keys=True),
            after_json=json.dumps(entry.after, ensure_ascii=False, indent=2, sort_keys=True),
            extra_json=json.dumps(entry.extra, ensure_ascii=False, indent=2, sort_keys=True),
            hash_ok=chain.compute_hash(entry) == entry.hash,
            **kwargs,
        )


class ExportView(AuditAdminMixin, View):
    """The filtered log as CSV or Excel; the export itself is recorded first."""

    def get(self, request, fmt: str):
        if fmt not in ("csv", "xlsx"):
            raise Http404
        form, queryset = _search(request)
        head = AuditRecord.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
        queryset = queryset.filter(seq__lte=head).order_by("seq")
        record(
            "audit.export",
            request=request,
            obj=AuditRecord,
            format=fmt,
            filters=form.active_filters() if request.GET else {},
            rows=queryset.count(),
            upto_seq=head,
        )
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        filename = f"audit-{stamp}.{fmt}"
        if fmt == "csv":
            response = StreamingHttpResponse(
                exports.csv_rows(queryset), content_type="text/csv; charset=utf-8"
            )
        else:
            response = HttpResponse(exports.xlsx_bytes(queryset), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


class VerifyView(AuditPageMixin, TemplateView):
    template_name = "audit/verify.html"
    page_title = "校验审计链"

    def get_context_data(self, **kwargs):
        result = chain.verify_chain()
        broken = result.broken
        record(
            "audit.verify",
            request=self.request,
            obj=AuditRecord,
            outcome=Outcome.SUCCESS if result.ok else Outcome.FAILURE,
            count=result.count,
            last_seq=result.last_seq,
            broken_seq=broken.seq if broken else None,
            reason=broken.reason if broken else None,
        )
        return super().get_context_data(
            result=result,
            broken_exists=bool(broken and AuditRecord.objects.filter(seq=broken.seq).exists()),
            retention_days=chain.retention_days(),
            **kwargs,
        )
