"""依申请公开 in the Wagtail admin: the list, 登记, the case page and one page per step.

Every view loads the request from :func:`services.visible_requests` (another
organisation's request is a 404) and the services check the person again when acting.
Personal data is shown through :func:`govportal.privacy.access.reveal`: in full (and
audited) for the assigned handlers, masked for everyone else.
"""

from copy import copy

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, F, When
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import FormView, TemplateView

from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from govportal.core import deadlines
from govportal.core.errors import error_text
from govportal.privacy.access import masked, reveal

from . import forms, letters, services
from .models import Consultation, ExtensionRequest, RequestAttachment
from .taxonomy import AnswerType, ApplicantType, Status

PER_PAGE = 25
PERSONAL_FIELDS = (
    ("name", "姓名或名称"),
    ("id_number", "证件号码"),
    ("legal_representative", "法定代表人或负责人"),
    ("contact_name", "联系人"),
    ("phone", "联系电话"),
    ("email", "电子邮箱"),
    ("address", "通信地址"),
)


def deadline_badge(request_obj, today):
    """(css modifier, text) for the 剩余 column."""
    return deadlines.badge(request_obj.clock, today, is_open=request_obj.is_open)


class AdminView(WagtailAdminTemplateMixin):
    header_icon = "help"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("inforequests_admin:list"), "label": "依申请公开"},
            {"url": "", "label": self.get_page_title()},
        ]

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated or not (
            request.user.is_superuser or request.user.has_perm(services.HANDLE_PERM)
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class RequestListView(AdminView, TemplateView):
    template_name = "inforequests/admin/list.html"
    page_title = "依申请公开"

    def get_context_data(self, **kwargs):
        get = self.request.GET
        today = timezone.localdate()
        user = self.request.user
        base = services.visible_requests(user)
        qs = base.select_related("organization", "clock")
        f = {
            k: get.get(k, "").strip()
            for k in ("status", "flag", "mine", "org", "type", "year", "q")
        }
        if f["status"] in Status.values:
            qs = qs.filter(status=f["status"])
        elif f["status"] == "open":
            qs = qs.filter(status__in=Status.open_values())
        if f["flag"] == "overdue":
            qs = services.overdue(qs, today)
        elif f["flag"] == "near":
            qs = services.near_due(qs, today)
        if f["mine"]:
            qs = qs.filter(handlers=user)
        orgs = (
            services.scope_organizations(user).filter(disclosure_requests__isnull=False).distinct()
        )
        if f["org"].isdigit():
            qs = qs.filter(organization_id=int(f["org"]))
        if f["type"] in ApplicantType.values:
            qs = qs.filter(applicant_type=f["type"])
        if f["year"].isdigit():
            qs = qs.filter(received_on__year=int(f["year"]))
        if f["q"]:
            qs = qs.filter(tracking_code__icontains=f["q"].upper())
        # Open requests first (soonest due first), then closed ones, newest first.
        open_first = Case(When(status__in=Status.open_values(), then=0), default=1)
        qs = qs.annotate(open_first=open_first).order_by(
            "open_first", F("clock__due_date").asc(nulls_last=True), "-submitted_at", "-pk"
        )
        page = Paginator(qs, PER_PAGE).get_page(get.get("p"))
        for item in page:
            item.badge = deadline_badge(item, today)
        years = sorted(
            {d.year for d in base.exclude(received_on=None).dates("received_on", "year")},
            reverse=True,
        )
        params = get.copy()
        params.pop("p", None)
        return super().get_context_data(
            items=page,
            filters=f,
            query=params.urlencode(),
            status_choices=[("open", "未办结（全部）"), *Status.choices],
            type_choices=ApplicantType.choices,
            organizations=orgs,
            years=years,
            overdue_count=services.overdue(base, today).count(),
            near_count=services.near_due(base, today).count(),
            can_register=services.scope_organizations(user).exists(),
            **kwargs,
        )


class RegisterView(AdminView, FormView):
    template_name = "inforequests/admin/register.html"
    page_title = "登记申请"
    form_class = forms.RegisterForm

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "organizations": services.scope_organizations(self.request.user).filter(is_active=True),
        }

    def get_context_data(self, **kwargs):
        form = kwargs.get("form") or self.get_form()
        return super().get_context_data(
            person_fields=[form[n] for n in forms.ApplicantForm.PERSON_FIELDS],
            org_fields=[form[n] for n in forms.ApplicantForm.ORG_FIELDS],
            legal_types=ApplicantType.legal_person_types(),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            request_obj = services.register(
                form.cleaned_data["organization"],
                form.request_data(),
                received_via=form.cleaned_data["received_via"],
                received_on=form.cleaned_data["received_on"],
                actor=self.request.user,
                attachments=form.cleaned_data["attachments"],
            )
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, error_text(exc))
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"已登记，查询码 {request_obj.tracking_code}，答复期限 {services.due_text(request_obj)}。",
        )
        return redirect("inforequests_admin:detail", pk=request_obj.pk)


class RequestMixin:
    def load(self, pk):
        return get_object_or_404(
            services.visible_requests(self.request.user).select_related("organization", "clock"),
            pk=pk,
        )


class DetailView(AdminView, RequestMixin, TemplateView):
    template_name = "inforequests/admin/detail.html"

    def get(self, request, pk):
        self.item = self.load(pk)
        return super().get(request, pk=pk)

    def get_page_title(self):
        return f"申请 {self.item.tracking_code}"

    def get_page_subtitle(self):
        return self.item.subject

    def get_context_data(self, **kwargs):
        item, user = self.item, self.request.user
        today = timezone.localdate()
        handler = services.is_handler(user, item)
        personal = [
            (
                label,
                reveal(self.request, item, field)
                if handler
                else item.masked_name()
                if field == "name"
                else masked(item, field),
            )
            for field, label in PERSONAL_FIELDS
            if getattr(item, field)
        ]
        pending = services.pending_extension(item)
        open_status = item.is_open
        actions = []

        def offer(url_name, label, *args, secondary=True):
            actions.append(
                (
                    reverse(f"inforequests_admin:{url_name}", args=args or (item.pk,)),
                    label,
                    secondary,
                )
            )

        if item.status == Status.SUBMITTED:
            offer("confirm", "确认收到", secondary=False)
        if open_status and item.status != Status.SUBMITTED:
            offer("assign", "指定承办人")
        if handler:
            if item.status == Status.PROCESSING:
                offer("answer", "答复", secondary=False)
                deadline = services.clarification_deadline(item)
                if item.clarification_sent_on is None and deadline and today <= deadline:
                    offer("clarify", "补正通知")
                offer("consult", "征求意见")
            if item.status == Status.CLARIFYING:
                offer("clarification_reply", "登记补正", secondary=False)
                offer("answer", "逾期未补正办结")
            consultation = services.open_consultation(item)
            if consultation is not None:
                offer(
                    "consultation_reply",
                    "登记意见",
                    consultation.pk,
                    secondary=item.status != Status.CONSULTING,
                )
            if (
                item.status in (Status.PROCESSING, Status.CONSULTING)
                and pending is None
                and not item.extension_requests.filter(decision="approved").exists()
            ):
                offer("extension", "申请延期")
            if open_status and item.status != Status.SUBMITTED:
                offer("withdraw", "登记撤回")
        can_decide = (
            pending is not None
            and services.can_approve(user, item)
            and pending.requested_by_id != user.pk
        )
        return super().get_context_data(
            item=item,
            personal=personal,
            is_handler=handler,
            badge=deadline_badge(item, today),
            events=item.events.select_related("actor"),
            consultations=item.consultations.all(),
            extensions=item.extension_requests.select_related("requested_by", "decided_by"),
            attachments=item.attachments.all(),
            handlers=item.handlers.all(),
            actions=actions,
            pending=pending,
            can_decide=can_decide,
            clarification_deadline=services.clarification_deadline(item),
            **kwargs,
        )


class ActionView(AdminView, RequestMixin, FormView):
    """One workflow step: a form, then the service; refusals show on the form."""

    template_name = "inforequests/admin/action.html"
    submit_label = "提交"
    help_text = ""
    needs_handler = True

    def dispatch(self, request, pk, **kwargs):
        self.item = self.load(pk) if request.user.is_authenticated else None
        if (
            self.item is not None
            and self.needs_handler
            and not services.is_handler(request.user, self.item)
        ):
            messages.error(request, "只有该申请的承办人可以办理此环节，请先将自己指定为承办人。")
            return redirect("inforequests_admin:detail", pk=pk)
        return super().dispatch(request, pk=pk, **kwargs)

    def get_page_subtitle(self):
        return f"{self.item.tracking_code} {self.item.subject}"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            item=self.item,
            submit_label=self.submit_label,
            help_text=self.help_text,
            badge=deadline_badge(self.item, timezone.localdate()),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            message = self.perform(form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, error_text(exc))
            return self.form_invalid(form)
        messages.success(self.request, message)
        return redirect("inforequests_admin:detail", pk=self.item.pk)


class ConfirmView(ActionView):
    page_title = "确认收到网上申请"
    form_class = forms.ConfirmForm
    submit_label = "确认收到"
    needs_handler = False
    help_text = "确认后以所填日期为收到申请日期，开始计算 20 个工作日的答复期限，并通知申请人。"

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "handlers": services.eligible_handlers(self.item.organization),
        }

    def perform(self, data):
        services.confirm(
            self.item,
            on=data["on"],
            actor=self.request.user,
            handlers=list(data["handlers"]) or None,
        )
        return f"已确认收到，答复期限 {services.due_text(self.item)}。"


class AssignView(ActionView):
    page_title = "指定承办人"
    form_class = forms.AssignForm
    submit_label = "保存"
    needs_handler = False
    help_text = "承办人可查看申请人的完整个人信息并办理各环节。"

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "handlers": services.eligible_handlers(self.item.organization),
        }

    def get_initial(self):
        return {"handlers": list(self.item.handlers.all())}

    def perform(self, data):
        services.assign(self.item, data["handlers"], actor=self.request.user)
        return "承办人已更新。"


class ClarifyView(ActionView):
    page_title = "补正通知"
    form_class = forms.ClarifyForm
    submit_label = "发出补正通知"

    def get_help_text(self):
        deadline = services.clarification_deadline(self.item)
        if deadline is None:
            return "补正通知只能发出一次。"
        return f"补正通知只能发出一次，应在 {deadline:%Y-%m-%d} 前发出；发出后暂停计时，收到补正之日起重新计算 20 个工作日。"

    def get_context_data(self, **kwargs):
        self.help_text = self.get_help_text()
        return super().get_context_data(**kwargs)

    def perform(self, data):
        services.clarify(self.item, data["text"], on=data["on"], actor=self.request.user)
        return "补正通知已发出，已暂停计时。"


class ClarificationReplyView(ActionView):
    page_title = "登记补正"
    form_class = forms.ClarificationReplyForm
    submit_label = "登记并重新计时"
    help_text = "申请人以纸质等方式提交补正时在此登记；答复期限自收到补正之日起重新计算。"

    def perform(self, data):
        services.record_clarification(
            self.item, data["reply"], on=data["on"], actor=self.request.user
        )
        return f"已登记补正，答复期限 {services.due_text(self.item)}。"


class ConsultView(ActionView):
    page_title = "征求意见"
    form_class = forms.ConsultForm
    submit_label = "登记征求意见"
    help_text = (
        "征求第三方或其他机关意见期间（最长 15 个工作日）暂停计时；逾期未答复的自动恢复计时。"
    )

    def perform(self, data):
        c = services.consult(
            self.item,
            party_kind=data["party_kind"],
            party=data["party"],
            on=data["on"],
            actor=self.request.user,
        )
        return f"已登记征求意见，截止 {c.due_on:%Y-%m-%d}，期间暂停计时。"


class ConsultationReplyView(ActionView):
    page_title = "登记征求意见的答复"
    form_class = forms.ConsultationReplyForm
    submit_label = "登记意见"

    def dispatch(self, request, pk, **kwargs):
        self.consultation = get_object_or_404(
            Consultation.objects.filter(request__in=services.visible_requests(request.user)), pk=pk
        )
        return super().dispatch(request, self.consultation.request_id, **kwargs)

    def perform(self, data):
        services.record_consultation_reply(
            self.consultation, opinion=data["opinion"], on=data["on"], actor=self.request.user
        )
        return "已登记意见，恢复计时。"


class ExtensionView(ActionView):
    page_title = "申请延期答复"
    form_class = forms.ExtensionForm
    submit_label = "提交负责人审批"
    help_text = "条例第三十三条：需要延长答复期限的，应当经政府信息公开工作机构负责人同意并告知申请人，延长期限最长不得超过 20 个工作日。"

    def perform(self, data):
        services.request_extension(
            self.item, days=data["days"], reason=data["reason"], actor=self.request.user
        )
        return "延期申请已提交，等待负责人审批。"


class DecideExtensionView(ActionView):
    page_title = "审批延期答复"
    form_class = forms.DecisionForm
    submit_label = "提交审批结果"
    needs_handler = False

    def dispatch(self, request, pk, **kwargs):
        self.extension = get_object_or_404(
            ExtensionRequest.objects.filter(request__in=services.visible_requests(request.user)),
            pk=pk,
        )
        if not services.can_approve(request.user, self.extension.request):
            raise PermissionDenied
        return super().dispatch(request, self.extension.request_id, **kwargs)

    def get_context_data(self, **kwargs):
        e = self.extension
        requester = getattr(e.requested_by, "display_name", "") or e.requested_by
        self.help_text = f"{requester} 申请延期 {e.days} 个工作日，理由：{e.reason}"
        return super().get_context_data(**kwargs)

    def perform(self, data):
        e = services.decide_extension(
            self.extension,
            approve=data["decision"] == "approve",
            note=data["note"],
            actor=self.request.user,
        )
        if e.decision == ExtensionRequest.Decision.APPROVED:
            return f"已批准延期，新的答复期限 {services.due_text(self.item)}，已通知申请人。"
        return "已不批准延期。"


class WithdrawView(ActionView):
    page_title = "登记撤回申请"
    form_class = forms.WithdrawForm
    submit_label = "登记撤回"
    help_text = "申请人以书面等方式撤回申请时在此登记；登记后申请办结（年报计入“其他处理”）。"

    def perform(self, data):
        services.withdraw(
            self.item, on=data["on"], actor=self.request.user, by_applicant=False, note=data["note"]
        )
        return "已登记撤回。"


class AnswerView(ActionView):
    page_title = "答复"
    form_class = forms.AnswerForm
    template_name = "inforequests/admin/answer.html"
    submit_label = "生成答复书并答复"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request_obj": self.item}

    def get_initial(self):
        if self.item.status == Status.CLARIFYING:
            return {"answer_type": AnswerType.OTHER, "outcome": "other_no_clarification"}
        return {}

    def get_context_data(self, **kwargs):
        return super().get_context_data(outcome_map=forms.outcome_choices_by_type(), **kwargs)

    def form_valid(self, form):
        if self.request.POST.get("action") == "preview":
            return self.preview(form.cleaned_data)
        return super().form_valid(form)

    def preview(self, data):
        draft = copy(self.item)
        draft.answer_type = data["answer_type"]
        draft.outcome = data["outcome"]
        draft.answer_text = data["text"]
        draft.public_location = data["public_location"]
        draft.referral_agency = data["referral_agency"]
        draft.answered_on = data["on"]
        draft.letter_number = ""
        response = HttpResponse(letters.build(draft), content_type="application/pdf")
        response["Content-Disposition"] = 'inline; filename="preview.pdf"'
        return response

    def perform(self, data):
        services.answer(
            self.item,
            answer_type=data["answer_type"],
            outcome=data["outcome"],
            text=data["text"],
            public_location=data["public_location"],
            referral_agency=data["referral_agency"],
            attachments=data["attachments"],
            on=data["on"],
            actor=self.request.user,
        )
        return f"已答复，答复书 {self.item.letter_number} 已生成并通知申请人。"


def _handler_file(request, pk):
    item = get_object_or_404(services.visible_requests(request.user), pk=pk)
    if not services.is_handler(request.user, item):
        raise PermissionDenied
    return item


def letter_download(request, pk):
    item = _handler_file(request, pk)
    if not item.answer_letter:
        raise Http404
    return FileResponse(
        item.answer_letter.open("rb"),
        as_attachment=True,
        filename=f"{item.tracking_code}-答复书.pdf",
    )


def attachment_download(request, pk, att):
    item = _handler_file(request, pk)
    file = get_object_or_404(RequestAttachment, pk=att, request=item)
    return FileResponse(file.file.open("rb"), as_attachment=True, filename=file.filename)
