"""Admin views of a survey (调查结果): counts, the (masked) text answers, CSV/Excel export
and closing early. Every view and POST needs edit permission on the page (404 otherwise:
an editor of another site learns nothing about the survey)."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView, View

from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from . import services
from .models import QuestionType, SurveyPage, SurveyState


class SurveyAdminMixin:
    def dispatch(self, request, *args, **kwargs):
        self.survey = get_object_or_404(SurveyPage, pk=kwargs["page_id"])
        if not services.may_manage(request.user, self.survey):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class ResultsView(SurveyAdminMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "surveys/admin/results.html"
    header_icon = "table"

    def get_page_title(self):
        return "调查结果"

    def get_page_subtitle(self):
        return self.survey.title

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {
                "url": reverse("wagtailadmin_pages:edit", args=(self.survey.pk,)),
                "label": self.survey.title,
            },
            {"url": "", "label": "调查结果"},
        ]

    def get_context_data(self, **kwargs):
        total, results = services.results(self.survey)
        texts = [
            (r, services.text_answers(self.survey, r.question))
            for r in results
            if r.question.question_type == QuestionType.TEXT
        ]
        return super().get_context_data(
            survey=self.survey,
            state=self.survey.state(),
            states=SurveyState,
            total=total,
            results=results,
            texts=texts,
            closes_at=self.survey.effective_closes_at,
            **kwargs,
        )


class ExportView(SurveyAdminMixin, View):
    def get(self, request, page_id, fmt):
        stamp = timezone.localdate().strftime("%Y%m%d")
        if fmt == "csv":
            content = services.export_csv(self.survey)
            ctype, ext = "text/csv; charset=utf-8", "csv"
        elif fmt == "xlsx":
            content = services.export_xlsx(self.survey)
            ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            ext = "xlsx"
        else:
            raise Http404
        filename = f"survey-{self.survey.pk}-{stamp}.{ext}"
        services.record(services.AUDIT_EXPORT, request=request, obj=self.survey, file=filename)
        response = HttpResponse(content, content_type=ctype)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


class CloseView(SurveyAdminMixin, View):
    http_method_names = ["post"]

    def post(self, request, page_id):
        if self.survey.state() == SurveyState.CLOSED:
            messages.warning(request, "该调查已经结束。")
        else:
            services.close_early(self.survey, request)
            messages.success(request, f"已提前结束“{self.survey.title}”，结果按设置公开。")
        return redirect("surveys:results", self.survey.pk)
