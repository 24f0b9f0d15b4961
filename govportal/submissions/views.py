"""Admin views of 信息报送: submit, my submissions, the inbox, adopt/decline and statistics.

Each view checks permissions before showing anything; the services check them again
when acting. ``PermissionDenied`` becomes Wagtail's usual redirect to the dashboard.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.generic import FormView, TemplateView, View

from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import Page

from govportal import audit
from govportal.content.models import ArticlePage
from govportal.core.errors import error_text
from govportal.siteadmin import access

from . import services
from .forms import AdoptForm, DeclineForm, MonthForm, SubmitForm
from .models import Submission, SubmissionStatus

PER_PAGE = 25
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def paginate(request, queryset):
    return Paginator(queryset, PER_PAGE).get_page(request.GET.get("p"))


class AdminView(WagtailAdminTemplateMixin):
    header_icon = "mail"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("submissions:mine"), "label": "信息报送"},
            {"url": "", "label": self.get_page_title()},
        ]


class SubmitView(AdminView, FormView):
    """报送 one live article of the user's site to another site."""

    template_name = "submissions/submit.html"
    form_class = SubmitForm
    page_title = "报送信息"

    def dispatch(self, request, page_id):
        page = get_object_or_404(Page, pk=page_id).specific
        if not isinstance(page, ArticlePage):
            raise PermissionDenied
        if not services.can_submit(request.user, page):
            raise PermissionDenied
        self.article = page
        self.source_site = access.site_of(page)
        if self.source_site is None:
            raise PermissionDenied
        return super().dispatch(request, page_id)

    def get_page_subtitle(self):
        return self.article.title

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "source_site": self.source_site}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            article=self.article,
            source_site=self.source_site,
            previous=self.article.submissions.select_related("target_site")[:20],
            **kwargs,
        )

    def form_valid(self, form):
        try:
            services.submit(
                self.article,
                self.request.user,
                form.cleaned_data["target_site"],
                channel=form.cleaned_data["target_channel"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"已将“{self.article.title}”报送到{form.cleaned_data['target_site'].site_name}。",
        )
        return redirect("submissions:mine")


class StatusFilterMixin:
    def status_filter(self, queryset):
        self.status = self.request.GET.get("status", self.default_status)
        if self.status in SubmissionStatus.values:
            return queryset.filter(status=self.status)
        self.status = ""
        return queryset

    def status_choices(self):
        return [("", "全部")] + list(SubmissionStatus.choices)


class MySubmissionsView(AdminView, StatusFilterMixin, TemplateView):
    """我的报送: the user's own submissions with their status and decision."""

    template_name = "submissions/mine.html"
    page_title = "我的报送"
    default_status = ""

    def get_context_data(self, **kwargs):
        queryset = self.status_filter(
            Submission.objects.filter(submitter=self.request.user).select_related(
                "article", "target_site", "target_channel", "adopted_page", "decided_by"
            )
        )
        return super().get_context_data(
            items=paginate(self.request, queryset),
            status=self.status,
            status_choices=self.status_choices(),
            **kwargs,
        )


class InboxView(AdminView, StatusFilterMixin, TemplateView):
    """报送收件箱: submissions to the sites where the user may add pages."""

    template_name = "submissions/inbox.html"
    page_title = "报送收件箱"
    default_status = SubmissionStatus.SUBMITTED

    def dispatch(self, request, *args, **kwargs):
        self.sites = access.handled_sites(request.user)
        if not self.sites:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        site_ids = [s.pk for s in self.sites]
        try:
            chosen = int(self.request.GET.get("site", ""))
        except ValueError:
            chosen = None
        if chosen in site_ids:
            site_ids = [chosen]
        else:
            chosen = None
        queryset = self.status_filter(
            Submission.objects.filter(target_site_id__in=site_ids).select_related(
                "article",
                "organization",
                "submitter",
                "source_site",
                "target_site",
                "target_channel",
                "adopted_page",
                "decided_by",
            )
        )
        items = paginate(self.request, queryset)
        for item in items:
            item.user_can_decide = item.is_open and services.can_decide(self.request.user, item)
        return super().get_context_data(
            items=items,
            status=self.status,
            status_choices=self.status_choices(),
            sites=self.sites,
            chosen_site=chosen,
            **kwargs,
        )


class DecisionMixin:
    """Loads the submission; only people handling its target site get further."""

    def dispatch(self, request, pk):
        self.submission = get_object_or_404(
            Submission.objects.select_related(
                "article", "organization", "target_site__root_page", "target_channel"
            ),
            pk=pk,
        )
        if not any(
            s.pk == self.submission.target_site_id for s in access.handled_sites(request.user)
        ):
            raise PermissionDenied
        return super().dispatch(request, pk)

    def get_page_subtitle(self):
        return self.submission.article.title

    def get_context_data(self, **kwargs):
        return super().get_context_data(submission=self.submission, **kwargs)

    def back(self):
        return redirect(reverse("submissions:inbox"))


class AdoptView(DecisionMixin, AdminView, FormView):
    template_name = "submissions/adopt.html"
    form_class = AdoptForm
    page_title = "采用报送信息"

    def get_form_kwargs(self):
        self.channels = services.adoptable_channels(self.request.user, self.submission.target_site)
        return {
            **super().get_form_kwargs(),
            "channels": self.channels,
            "site": self.submission.target_site,
        }

    def get_initial(self):
        channel_id = self.submission.target_channel_id
        if (
            channel_id
            and services.adoptable_channels(self.request.user, self.submission.target_site)
            .filter(pk=channel_id)
            .exists()
        ):
            return {"channel": channel_id}
        return {}

    def form_valid(self, form):
        try:
            submission = services.adopt(
                self.submission, self.request.user, form.cleaned_data["channel"]
            )
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"已采用“{submission.article.title}”，发布到“{form.cleaned_data['channel'].title}”。",
        )
        return self.back()


class DeclineView(DecisionMixin, AdminView, FormView):
    template_name = "submissions/decline.html"
    form_class = DeclineForm
    page_title = "不采用报送信息"

    def form_valid(self, form):
        try:
            services.decline(self.submission, self.request.user, form.cleaned_data["reason"])
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
            return self.form_invalid(form)
        messages.success(self.request, f"已退回“{self.submission.article.title}”（未采用）。")
        return self.back()


class WithdrawView(View):
    """POST only: the submitter withdraws an open submission."""

    def post(self, request, pk):
        submission = get_object_or_404(Submission, pk=pk)
        if submission.submitter_id != request.user.pk:
            raise PermissionDenied
        try:
            services.withdraw(submission, request.user)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, "已撤回该报送。")
        next_url = request.POST.get("next", "")
        if next_url and url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
            return redirect(next_url)
        return redirect("submissions:mine")


class StatsView(AdminView, TemplateView):
    """报送统计: the monthly ranking per organisation, with Excel export."""

    template_name = "submissions/stats.html"
    page_title = "报送统计"

    def dispatch(self, request, *args, **kwargs):
        self.sites = access.handled_sites(request.user)
        if not self.sites:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def stats(self):
        form = MonthForm(self.request.GET)
        year, month = form.year_month()
        target_sites = None if self.request.user.is_superuser else self.sites
        return form, year, month, services.monthly_stats(year, month, target_sites)

    def get(self, request, *args, **kwargs):
        if request.GET.get("format") == "xlsx":
            _form, year, month, rows = self.stats()
            response = HttpResponse(services.stats_workbook(year, month, rows), content_type=XLSX)
            filename = f"submission-stats-{year}-{month:02d}.xlsx"
            audit.record("export.submission_stats", request=request, obj=Submission, file=filename)
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
            return response
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        form, year, month, rows = self.stats()
        return super().get_context_data(
            form=form,
            year=year,
            month=month,
            month_value=f"{year}-{month:02d}",
            rows=rows,
            totals=services.stats_totals(rows),
            scope=(
                "全部站点"
                if self.request.user.is_superuser
                else "、".join(s.site_name for s in self.sites)
            ),
            **kwargs,
        )
