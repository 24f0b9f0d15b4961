"""Admin views of 政府信息公开年报: list, generate, edit, preview PDF, publish.

Every view needs ``annualreports.change_annualreport`` (or a superuser) and answers 404 for
a report of an organisation outside the user's units (their memberships and everything
below them); the services check nothing about people, so the views do it for every
request, GET and POST.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import FormView, TemplateView, View

from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from . import services
from .forms import GenerateForm, ReportForm
from .models import AnnualReport, ReportKind, due_date, last_year
from .pdf import build_pdf


class AdminView(WagtailAdminTemplateMixin):
    header_icon = "doc-full"

    def dispatch(self, request, *args, **kwargs):
        if not services.may_use(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("annualreports:index"), "label": "政府信息公开年报"},
            {"url": "", "label": self.get_page_title()},
        ]


class ReportMixin:
    def get_report(self, request, pk) -> AnnualReport:
        return get_object_or_404(services.reports_for(request.user), pk=pk)


class IndexView(AdminView, TemplateView):
    """The user's reports, newest year first, with the check and the deadline."""

    template_name = "annualreports/index.html"
    page_title = "政府信息公开年报"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        rows = []
        for report in services.reports_for(self.request.user):
            numbers = services.derived(report)
            rows.append(
                {
                    "report": report,
                    "failures": services.check_failures(numbers["table3"]),
                    "state": report.deadline_state(today),
                }
            )
        year = last_year()
        have = {
            r.organization_id
            for r in AnnualReport.objects.filter(year=year, kind=ReportKind.ORGANIZATION)
        }
        missing = [
            org
            for org in services.managed_organizations(self.request.user).filter(is_active=True)
            if org.pk not in have
        ]
        return super().get_context_data(
            rows=rows,
            missing=missing,
            missing_year=year,
            missing_due=due_date(year, ReportKind.ORGANIZATION),
            overdue_missing=today > due_date(year, ReportKind.ORGANIZATION),
            **kwargs,
        )


class GenerateView(AdminView, FormView):
    template_name = "annualreports/generate.html"
    form_class = GenerateForm
    page_title = "生成年报"

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "organizations": services.managed_organizations(self.request.user),
        }

    def form_valid(self, form):
        try:
            report = services.generate(
                form.cleaned_data["organization"],
                form.cleaned_data["year"],
                form.cleaned_data["kind"],
                self.request.user,
                request=self.request,
            )
        except ValidationError as exc:
            form.add_error(None, "；".join(exc.messages))
            return self.form_invalid(form)
        messages.success(self.request, f"已生成“{report.title}”，请补充填报内容后发布。")
        return redirect("annualreports:edit", report.pk)


class EditView(ReportMixin, AdminView, FormView):
    """Derived tables read-only, the form for the rest, the check and the publish button."""

    template_name = "annualreports/edit.html"
    form_class = ReportForm

    def dispatch(self, request, *args, **kwargs):
        if not services.may_use(request.user):
            raise PermissionDenied
        self.report = self.get_report(request, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return self.report.title

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "report": self.report}

    def get_initial(self):
        texts = self.report.texts or {}
        return {
            **services.normalized_entered(self.report.entered),
            **{key: texts.get(key, "") for key in services.TEXT_KEYS},
        }

    def get_context_data(self, **kwargs):
        numbers = services.derived(self.report)
        content = services.report_content(self.report, numbers)
        return super().get_context_data(
            report=self.report,
            tables=services.content_tables(content),
            numbers=numbers,
            problems=services.publish_problems(self.report, numbers),
            unclassified=numbers["table3"].get("unclassified", 0),
            **kwargs,
        )

    def form_invalid(self, form):
        messages.error(self.request, "填报内容有误，未保存。请按提示修改。")
        return super().form_invalid(form)

    def form_valid(self, form):
        changed = services.save_entries(
            self.report,
            entered=form.entered(),
            texts=form.texts(),
            user=self.request.user,
            request=self.request,
        )
        messages.success(self.request, "已保存。" if changed else "内容没有变化。")
        return redirect("annualreports:edit", self.report.pk)


class PreviewPdfView(ReportMixin, View):
    """The report as it would be published now, as a PDF (inline)."""

    def get(self, request, pk):
        if not services.may_use(request.user):
            raise PermissionDenied
        report = self.get_report(request, pk)
        content = services.report_content(report)
        number = report.page.index_number if report.page_id else ""
        data = build_pdf(content, index_number=number or "")
        response = HttpResponse(data, content_type="application/pdf")
        response["Content-Disposition"] = (
            f'inline; filename="annual-report-{report.year}-preview.pdf"'
        )
        return response


class PublishView(ReportMixin, View):
    """POST: publish (or republish) the report into the catalogue."""

    def post(self, request, pk):
        if not services.may_use(request.user):
            raise PermissionDenied
        report = self.get_report(request, pk)
        try:
            page = services.publish(report, request.user, request=request)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, f"未发布：{message}")
            return redirect("annualreports:edit", report.pk)
        messages.success(request, f"已发布“{page.title}”，索引号 {page.index_number}。")
        return redirect("annualreports:edit", report.pk)
