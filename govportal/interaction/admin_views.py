"""来信办理 in the Wagtail admin: the queues, the letter page and one page per step.

Every view loads the letter from :func:`services.visible_letters` (a letter the user has no
role on is a 404). A step's page asks the step's own ``services.require_*`` check before
showing its form (someone who may not take the step is sent back to the letter page with the
reason) and the services check the person again when acting. The writer's data is masked in
lists and shown through :func:`govportal.privacy.access.reveal` on the letter page (in full,
audited, for the mailbox's dispatchers and the staff of a unit holding the letter). Writer
and reply attachments download from :class:`AttachmentView` (audited).
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, F, When
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import FormView, TemplateView, View

from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from govportal.core import deadlines
from govportal.core.errors import error_text
from govportal.organizations.models import Organization
from govportal.privacy.access import masked, reveal

from . import services
from .duplicates import similar_open_letters
from .models import (
    Letter,
    LetterAssignment,
    LetterAttachment,
    LetterCategory,
    LetterReply,
    MailboxPage,
)
from .taxonomy import NEAR_DUE_WORKDAYS, AssignmentRole, AssignmentStatus, Status

PER_PAGE = 25
PERSONAL_FIELDS = (
    ("name", "姓名"),
    ("phone", "联系电话"),
    ("email", "电子邮箱"),
    ("address", "联系地址"),
)


def deadline_badge(letter, today):
    """(css modifier, text): the text always says what the colour means."""
    answered = letter.status in (Status.ANSWERED, Status.CLOSED)
    return deadlines.badge(
        letter.clock,
        today,
        is_open=letter.is_open,
        near_threshold=NEAR_DUE_WORKDAYS,
        not_started="未受理" if letter.status == Status.SUBMITTED else "不计时",
        closed="按期答复" if answered else "已结束",
        closed_late="已答复",
    )


class AdminView(WagtailAdminTemplateMixin):
    header_icon = "mail"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("interaction_admin:list"), "label": "来信办理"},
            {"url": "", "label": self.get_page_title()},
        ]

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated or not services.any_letter_role(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class LetterListView(AdminView, TemplateView):
    template_name = "interaction/admin/list.html"
    page_title = "来信办理"

    def get_context_data(self, **kwargs):
        get, user = self.request.GET, self.request.user
        today = timezone.localdate()
        tabs = [(n, label) for n, label, perm in services.QUEUES if services._has(user, perm)]
        tabs.append(("all", "全部来信"))
        names = [n for n, _ in tabs]
        f = {k: get.get(k, "").strip() for k in
             ("queue", "mailbox", "status", "category", "unit", "flag", "since", "until", "q")}  # fmt: skip
        if f["queue"] not in names:
            f["queue"] = names[0]
        base = services.visible_letters(user)
        qs = services.queue(user, f["queue"]).select_related("mailbox", "category", "clock")
        if f["mailbox"].isdigit():
            qs = qs.filter(mailbox_id=int(f["mailbox"]))
        if f["status"] in Status.values:
            qs = qs.filter(status=f["status"])
        elif f["status"] == "open":
            qs = qs.filter(status__in=Status.open_values())
        if f["category"].isdigit():
            qs = qs.filter(category_id=int(f["category"]))
        if f["unit"].isdigit():
            qs = qs.filter(assignments__organization_id=int(f["unit"])).exclude(
                assignments__status=AssignmentStatus.RETURNED,
                assignments__organization_id=int(f["unit"]),
            )
        if f["flag"] == "overdue":
            qs = services.overdue(qs, today)
        elif f["flag"] == "near":
            qs = services.near_due(qs, today)
        elif f["flag"] == "alarm":
            qs = qs.filter(hard_alarm_at__isnull=False, status__in=Status.open_values())
        for key, lookup in (
            ("since", "submitted_at__date__gte"),
            ("until", "submitted_at__date__lte"),
        ):
            try:
                if f[key]:
                    qs = qs.filter(**{lookup: forms.DateField().clean(f[key])})
            except ValidationError:
                f[key] = ""
        if f["q"]:
            qs = qs.filter(tracking_code__icontains=f["q"].upper())
        open_first = Case(When(status__in=Status.open_values(), then=0), default=1)
        qs = (
            qs.distinct()
            .annotate(open_first=open_first)
            .order_by(
                "open_first", F("clock__due_date").asc(nulls_first=True), "-submitted_at", "-pk"
            )
        )
        page = Paginator(qs, PER_PAGE).get_page(get.get("p"))
        for item in page:
            item.badge = deadline_badge(item, today)
            item.writer_masked = masked(item, "name")
            lead = services.lead_assignment(item)
            item.lead_unit = lead.organization if lead else None
        mailboxes = MailboxPage.objects.filter(pk__in=base.values("mailbox")).order_by("title")
        params = get.copy()
        params.pop("p", None)
        counts = {n: services.queue(user, n).count() for n, _ in tabs if n != "all"}
        return super().get_context_data(
            items=page,
            filters=f,
            tabs=[(n, label, counts.get(n)) for n, label in tabs],
            query=params.urlencode(),
            status_choices=[("open", "未办结（全部）"), *Status.choices],
            mailboxes=mailboxes,
            categories=LetterCategory.objects.filter(page__in=mailboxes).select_related("page"),
            units=Organization.objects.filter(letter_assignments__letter__in=base)
            .distinct()
            .order_by("path"),
            overdue_count=services.overdue(base, today).count(),
            near_count=services.near_due(base, today).count(),
            alarm_count=base.filter(
                hard_alarm_at__isnull=False, status__in=Status.open_values()
            ).count(),
            **kwargs,
        )


class LetterMixin:
    def load(self, pk):
        return get_object_or_404(
            services.visible_letters(self.request.user).select_related(
                "mailbox", "category", "clock", "writer"
            ),
            pk=pk,
        )


class DetailView(AdminView, LetterMixin, TemplateView):
    template_name = "interaction/admin/detail.html"

    def get(self, request, pk):
        self.item = self.load(pk)
        return super().get(request, pk=pk)

    def get_page_title(self):
        return f"来信 {self.item.tracking_code}"

    def get_page_subtitle(self):
        return self.item.title

    def get_context_data(self, **kwargs):
        item, user = self.item, self.request.user
        today = timezone.localdate()
        personal = [(label, reveal(self.request, item, field))
                    for field, label in PERSONAL_FIELDS if getattr(item, field)]  # fmt: skip
        dispatcher = services.is_dispatcher(user, item)
        mine = services.my_assignments(user, item)
        lead = services.lead_assignment(item)
        actions = []

        def offer(name, label, *args, primary=False):
            url = reverse(f"interaction_admin:{name}", args=args or (item.pk,))
            actions.append((url, label, not primary))

        if dispatcher:
            if item.status == Status.SUBMITTED:
                offer("accept", "受理", primary=True)
                offer("reject", "不予受理")
            if item.status == Status.ACCEPTED:
                offer("dispatch", "派单", primary=True)
            if item.status in (Status.SUBMITTED, Status.ACCEPTED, Status.DISPATCHED):
                offer("merge", "合并到其他来信")
        for a in mine:
            unit = a.organization.short_name or a.organization.name
            if (
                item.status in (Status.DISPATCHED, Status.REVIEWING)
                and a.status == AssignmentStatus.PENDING
            ):
                offer("sign", f"签收（{unit}）", a.pk, primary=True)
            if item.status == Status.DISPATCHED and a.status in (
                AssignmentStatus.PENDING,
                AssignmentStatus.ACCEPTED,
            ):
                offer("return", f"申请退回（{unit}）", a.pk)
            if (
                a.role == AssignmentRole.ASSIST
                and a.status == AssignmentStatus.ACCEPTED
                and item.status in (Status.DISPATCHED, Status.REVIEWING)
            ):
                offer("opinion", f"协办意见（{unit}）", a.pk, primary=True)
            if (
                a.role == AssignmentRole.LEAD
                and a.status == AssignmentStatus.ACCEPTED
                and item.status == Status.DISPATCHED
            ):
                offer("reply", "拟写答复", primary=True)
        pending = services.pending_reply(item)
        can_review = (pending is not None and services.is_approver(user, item)
                      and pending.author_id != user.pk)  # fmt: skip
        if can_review:
            offer("review", "审核答复", pending.pk, primary=True)
        supervisor = services.is_supervisor(user, item)
        if supervisor and item.is_open:
            if services.open_supervision(item) is None:
                offer("supervise", "督办")
            if item.supervisions.exists():
                offer("supervise_opinion", "督办意见")
        similar = []
        if item.is_open:
            seen = set()
            for m in similar_open_letters(item.mailbox, item.title, item.body, phone=item.phone,
                                          exclude=item):  # fmt: skip
                seen.add(m.letter.pk)
                similar.append((m.letter, f"{m.score:.0%}", m.same_writer))
            for other in item.similar_letters.exclude(pk__in=seen).exclude(pk=item.pk):
                similar.append((other, "提交时", False))
        return super().get_context_data(
            item=item,
            personal=personal,
            badge=deadline_badge(item, today),
            events=item.events.select_related("actor"),
            assignments=item.assignments.select_related(
                "organization", "assigned_by", "return_decided_by"
            ),  # fmt: skip
            replies=item.replies.select_related("organization", "author", "reviewer"),
            supervisions=item.supervisions.select_related("organization", "created_by"),
            attachments=item.attachments.all(),
            actions=actions,
            is_dispatcher=dispatcher,
            return_requests=[
                a for a in item.assignments.all() if a.status == AssignmentStatus.RETURN_REQUESTED
            ]
            if dispatcher
            else [],  # fmt: skip
            similar=similar,
            lead=lead,
            show_opinions=lead is not None
            and (
                services.is_unit_staff(user, lead)
                or dispatcher
                or services.is_approver(user, item)
                or supervisor
            ),
            remaining=item.clock.remaining_workdays(today) if item.clock and item.is_open else None,
            assist_form=AddAssistForm(letter=item)
            if dispatcher and item.status in services.ADD_ASSIST_STATUSES
            else None,
            reopen_deadline=services.reopen_deadline(item),
            **kwargs,
        )


# -- step forms ---------------------------------------------------------------------------------


class AcceptForm(forms.Form):
    on = forms.DateField(label="受理日期", widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
                         help_text="受理当天不计入期限，下一个工作日为第 1 天。")  # fmt: skip
    category = forms.ModelChoiceField(label="来信类别", queryset=LetterCategory.objects.none(),
                                      required=False, help_text="决定答复时限和默认承办单位。")  # fmt: skip

    def __init__(self, *args, letter, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = letter.mailbox.categories.all()


class ReasonForm(forms.Form):
    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 4}), max_length=300)


class MergeForm(forms.Form):
    into = forms.CharField(label="合并到（查询码）", max_length=20,
                           help_text="填写反映同一事项、尚未办结的来信的查询码。")  # fmt: skip
    note = forms.CharField(label="内部备注", required=False, max_length=300)


class DispatchForm(forms.Form):
    lead = forms.ModelChoiceField(label="主办单位", queryset=Organization.objects.none())
    assists = forms.ModelMultipleChoiceField(
        label="协办单位", queryset=Organization.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    note = forms.CharField(
        label="派单备注（内部）", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        units = Organization.objects.filter(is_active=True).order_by("path")
        self.fields["lead"].queryset = units
        self.fields["assists"].queryset = units


class AddAssistForm(forms.Form):
    units = forms.ModelMultipleChoiceField(
        label="增加协办单位", queryset=Organization.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "请选择要增加的协办单位。"},
    )  # fmt: skip
    note = forms.CharField(label="备注（内部）", required=False, max_length=300)

    def __init__(self, *args, letter, **kwargs):
        super().__init__(*args, **kwargs)
        held = services.active_assignments(letter).values_list("organization_id", flat=True)
        self.fields["units"].queryset = (
            Organization.objects.filter(is_active=True).exclude(pk__in=list(held)).order_by("path")
        )


class ConfirmForm(forms.Form):
    pass


class TextForm(forms.Form):
    text = forms.CharField(label="意见", widget=forms.Textarea(attrs={"rows": 6}))


class ReplyForm(forms.Form):
    body = forms.CharField(label="答复内容", widget=forms.Textarea(attrs={"rows": 12}))


class DecideReturnForm(forms.Form):
    decision = forms.ChoiceField(label="审批", widget=forms.RadioSelect,
                                 choices=[("approve", "同意退回"), ("refuse", "不同意退回")])  # fmt: skip
    note = forms.CharField(label="意见", required=False, max_length=300,
                           help_text="不同意退回时必填。")  # fmt: skip


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label="审核", widget=forms.RadioSelect,
                                 choices=[("approve", "批准答复"), ("send_back", "退回修改")])  # fmt: skip
    public = forms.BooleanField(label="答复公开（写信人同意公开时在网站显示）", required=False)
    note = forms.CharField(label="审核意见", required=False, max_length=300,
                           help_text="退回修改时必填。")  # fmt: skip


class ActionView(AdminView, LetterMixin, FormView):
    """One workflow step: a form, then the service; refusals show on the form, nothing lost."""

    template_name = "interaction/admin/action.html"
    submit_label = "提交"
    help_text = ""
    form_class = ConfirmForm

    def dispatch(self, request, pk, **kwargs):
        if request.user.is_authenticated and services.any_letter_role(request.user):
            self.item = self.load_item(pk, **kwargs)
        return super().dispatch(request, pk=pk, **kwargs)

    def load_item(self, pk, **kwargs):
        return self.load(pk)

    def check(self) -> None:
        """The step's own ``services.require_*`` check (PermissionDenied/ValidationError)."""

    def get(self, request, *args, **kwargs):
        try:
            self.check()
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, error_text(exc))
            return redirect("interaction_admin:detail", pk=self.item.pk)
        return super().get(request, *args, **kwargs)

    def get_page_subtitle(self):
        return f"{self.item.tracking_code} {self.item.title}"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            item=self.item, submit_label=self.submit_label, help_text=self.help_text,
            badge=deadline_badge(self.item, timezone.localdate()), **kwargs,
        )  # fmt: skip

    def form_valid(self, form):
        try:
            message = self.perform(form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, error_text(exc))
            return self.form_invalid(form)
        messages.success(self.request, message)
        return redirect("interaction_admin:detail", pk=self.item.pk)


class AssignmentActionView(ActionView):
    def load_item(self, pk, **kwargs):
        self.assignment = get_object_or_404(
            LetterAssignment.objects.select_related("organization", "letter"),
            pk=pk, letter__in=services.visible_letters(self.request.user),
        )  # fmt: skip
        return self.load(self.assignment.letter_id)


class AcceptView(ActionView):
    page_title = "受理来信"
    form_class = AcceptForm
    submit_label = "受理"
    help_text = "受理后开始按工作日计算答复期限，并通知写信人。"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "letter": self.item}

    def get_initial(self):
        return {"on": timezone.localdate(), "category": self.item.category}

    def check(self):
        services.require_dispatcher(self.request.user, self.item)

    def perform(self, data):
        services.accept(
            self.item, actor=self.request.user, on=data["on"], category=data["category"]
        )
        return f"已受理，答复期限 {services.due_text(self.item)}。"


class RejectView(ActionView):
    page_title = "不予受理"
    form_class = ReasonForm
    submit_label = "不予受理"
    help_text = "理由将告知写信人。"

    def check(self):
        services.require_dispatcher(self.request.user, self.item)

    def perform(self, data):
        services.reject(self.item, data["reason"], actor=self.request.user)
        return "已不予受理，已通知写信人。"


class MergeView(ActionView):
    page_title = "合并重复来信"
    form_class = MergeForm
    submit_label = "合并"
    help_text = "本来信将标记为“已合并”，写信人会收到另一件来信的查询码。"

    def get_initial(self):
        code = self.request.GET.get("into", "")
        return {"into": code}

    def check(self):
        services.require_dispatcher(self.request.user, self.item)

    def perform(self, data):
        code = data["into"].strip().upper()
        into = Letter.objects.filter(tracking_code=code, mailbox=self.item.mailbox).first()
        if into is None:
            raise ValidationError(f"本信箱没有查询码为 {code} 的来信。")
        services.merge(self.item, into, actor=self.request.user, note=data["note"])
        return f"已合并到来信 {into.tracking_code}。"


class DispatchView(ActionView):
    page_title = "派单"
    form_class = DispatchForm
    submit_label = "派单"
    help_text = "默认单位来自来信类别的派单目录，可以修改；只能有一个主办单位。"

    def get_initial(self):
        lead, assists = services.default_units(self.item)
        returned = services.returned_lead_ids(self.item)
        return {"lead": lead if lead and lead.pk not in returned else None, "assists": assists}

    def check(self):
        services.require_dispatcher(self.request.user, self.item)

    def perform(self, data):
        services.dispatch(self.item, lead=data["lead"], assists=list(data["assists"]),
                          actor=self.request.user, note=data["note"])  # fmt: skip
        return f"已派单给{data['lead'].name}。"


class SignView(AssignmentActionView):
    page_title = "签收来信"
    submit_label = "签收"
    help_text = "签收后由本单位办理；不属于本单位职责的，请申请退回。"

    def check(self):
        services.require_unit_staff(self.request.user, self.assignment)

    def perform(self, data):
        services.sign(self.assignment, actor=self.request.user)
        return "已签收。"


class ReturnView(AssignmentActionView):
    page_title = "申请退回"
    form_class = ReasonForm
    submit_label = "申请退回"
    help_text = "退回须经受理单位同意；期间答复期限照常计算。"

    def check(self):
        services.require_unit_staff(self.request.user, self.assignment)

    def perform(self, data):
        services.request_return(self.assignment, data["reason"], actor=self.request.user)
        return "已申请退回，等待受理单位审批。"


class DecideReturnView(AssignmentActionView):
    page_title = "审批退回申请"
    form_class = DecideReturnForm
    submit_label = "提交"

    def get_context_data(self, **kwargs):
        self.help_text = (
            f"{self.assignment.organization.name}申请退回，理由：{self.assignment.return_reason}"
        )
        return super().get_context_data(**kwargs)

    def check(self):
        services.require_dispatcher(self.request.user, self.item)

    def perform(self, data):
        approve = data["decision"] == "approve"
        services.decide_return(self.assignment, approve=approve, actor=self.request.user,
                               note=data["note"])  # fmt: skip
        return "已同意退回，请重新派单。" if approve else "已不同意退回。"


class OpinionView(AssignmentActionView):
    page_title = "协办意见"
    form_class = TextForm
    submit_label = "提交协办意见"
    help_text = "协办意见供主办单位拟写答复时参考，不直接发给写信人。"

    def check(self):
        services.require_unit_staff(self.request.user, self.assignment)

    def perform(self, data):
        services.give_opinion(self.assignment, data["text"], actor=self.request.user)
        return "协办意见已提交。"


class ReplyView(ActionView):
    page_title = "拟写答复"
    form_class = ReplyForm
    template_name = "interaction/admin/reply.html"

    def get_initial(self):
        reply = services.editable_reply(self.item)
        return {"body": reply.body if reply else ""}

    def get_context_data(self, **kwargs):
        reply = services.editable_reply(self.item)
        return super().get_context_data(
            reply=reply,
            opinions=self.item.assignments.filter(role=AssignmentRole.ASSIST).exclude(opinion=""),
            **kwargs,
        )

    def check(self):
        services.require_lead_at_work(self.request.user, self.item)

    def perform(self, data):
        reply = services.draft_reply(self.item, data["body"], actor=self.request.user)
        if "submit" in self.request.POST:
            services.submit_reply(reply, actor=self.request.user)
            return "答复已提交审核。"
        return "答复草稿已保存。"


class ReviewView(ActionView):
    page_title = "审核答复"
    form_class = ReviewForm
    template_name = "interaction/admin/review.html"

    def load_item(self, pk, **kwargs):
        self.reply = get_object_or_404(
            LetterReply.objects.select_related("letter", "organization", "author"),
            pk=pk, letter__in=services.visible_letters(self.request.user),
        )  # fmt: skip
        return self.load(self.reply.letter_id)

    def get_initial(self):
        return {"decision": "approve", "public": self.item.mailbox.replies_public_default}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            reply=self.reply,
            opinions=self.item.assignments.filter(role=AssignmentRole.ASSIST).exclude(opinion=""),
            **kwargs,
        )

    def check(self):
        services.require_reviewer(self.request.user, self.reply)

    def perform(self, data):
        if data["decision"] == "approve":
            services.approve_reply(self.reply, actor=self.request.user, public=data["public"],
                                   note=data["note"])  # fmt: skip
            return "答复已批准并发送给写信人。"
        services.send_back_reply(self.reply, data["note"], actor=self.request.user)
        return "答复已退回修改。"


class SuperviseView(ActionView):
    page_title = "督办"
    form_class = ReasonForm
    submit_label = "督办"

    def check(self):
        services.require_supervisor(self.request.user, self.item)

    def perform(self, data):
        services.supervise(self.item, data["reason"], actor=self.request.user)
        return "已列入督办，并通知主办单位。"


class SupervisionOpinionView(ActionView):
    page_title = "督办意见"
    form_class = TextForm
    submit_label = "提交督办意见"

    def check(self):
        services.require_supervisor(self.request.user, self.item, "提出督办意见")

    def perform(self, data):
        services.supervision_opinion(self.item, data["text"], actor=self.request.user)
        return "督办意见已发送给主办单位。"


class AddAssistView(ActionView):
    page_title = "增加协办单位"
    form_class = AddAssistForm
    submit_label = "增加协办单位"
    help_text = "派单后发现需要其他单位配合的，可增加协办单位；新增单位须签收后提交协办意见。"

    def check(self):
        services.require_add_assist(self.request.user, self.item)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "letter": self.item}

    def perform(self, data):
        units = list(data["units"])
        services.add_assist_units(self.item, units, actor=self.request.user, note=data["note"])
        return f"已增加{'、'.join(u.name for u in units)}协办。"


class AttachmentView(AdminView, View):
    """Download one attachment of a letter the user may open (private media; audited).

    ``FileResponse`` writes ``Content-Disposition: attachment`` with the original name, as
    ``filename*=utf-8''…`` (RFC 5987) when it is not ASCII, e.g. a Chinese file name."""

    def get(self, request, pk):
        item = get_object_or_404(
            LetterAttachment.objects.select_related("letter"),
            pk=pk, letter__in=services.visible_letters(request.user),
        )  # fmt: skip
        try:
            handle = item.file.open("rb")
        except (FileNotFoundError, OSError, ValueError) as exc:
            raise Http404("文件不存在") from exc
        services.record_attachment_download(item, user=request.user, request=request)
        return FileResponse(handle, as_attachment=True, filename=item.filename)
