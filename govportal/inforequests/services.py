"""依申请公开 workflow as plain functions: each validates, changes state, writes a
:class:`~.models.RequestEvent`, an audit record and notifies whom it concerns.

States (:class:`~.taxonomy.Status`)::

    SUBMITTED ──confirm──▶ PROCESSING ◀──register (letters, in person …)
                              │  ▲
          clarify (once, ≤7)  │  │ reply → clock restarts (条例第三十条)
                              ▼  │
                           CLARIFYING ──answer(OTHER_NO_CLARIFICATION)──▶ ANSWERED
    PROCESSING ──consult──▶ CONSULTING ──reply / 15 working days lapse──▶ PROCESSING
    PROCESSING ──answer──▶ ANSWERED;   any open state ──withdraw──▶ WITHDRAWN

Who: staff holding ``inforequests.handle_disclosurerequest`` work on the requests of the
organisations they are members of and their descendants (superusers: all). Registering,
confirming and assigning need that scope; the steps of a case (clarify, consult, extension
request, answer, staff-recorded withdrawal) need an *assigned* handler (承办人), who alone
sees the applicant's full data. Approving an extension needs
``inforequests.approve_disclosurerequest_extension`` in the same scope and another person.

Every function raises :class:`~django.core.exceptions.ValidationError` (Chinese message)
for a refused step and :class:`~django.core.exceptions.PermissionDenied` for a refused
person. Dates are explicit parameters (default: today) so the demo can build histories.
"""

import logging
from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from govportal.audit.actions import register_action
from govportal.audit.services import record
from govportal.core.deadlines import PauseReason
from govportal.core.models import DeadlineClock
from govportal.core.workdays import add_workdays, workdays_between
from govportal.organizations.models import Membership, Organization
from govportal.personal.services import notify

from .models import (
    Consultation,
    DisclosureRequest,
    ExtensionRequest,
    RequestAttachment,
    RequestEvent,
)
from .taxonomy import (
    ANSWER_WORKDAYS,
    CLARIFICATION_NOTICE_WORKDAYS,
    CONSULTATION_WORKDAYS,
    MAX_CLARIFICATIONS,
    MAX_EXTENSION_WORKDAYS,
    MAX_EXTENSIONS,
    OUTCOMES_FOR_ANSWER,
    WITHDRAWN_OUTCOME,
    AnswerType,
    Delivery,
    Outcome,
    ReceivedVia,
    Status,
)

logger = logging.getLogger(__name__)

HANDLE_PERM = "inforequests.handle_disclosurerequest"
APPROVE_PERM = "inforequests.approve_disclosurerequest_extension"
CASE_KIND = "政府信息公开申请"

ACTIONS = {
    "inforequest.submit": "依申请公开：网上提交申请",
    "inforequest.register": "依申请公开：登记申请",
    "inforequest.confirm": "依申请公开：确认收到网上申请",
    "inforequest.assign": "依申请公开：指定承办人",
    "inforequest.clarify": "依申请公开：发出补正通知",
    "inforequest.clarified": "依申请公开：收到补正材料",
    "inforequest.consult": "依申请公开：征求意见",
    "inforequest.consult_reply": "依申请公开：收到征求意见答复",
    "inforequest.consult_lapse": "依申请公开：征求意见逾期，恢复计时",
    "inforequest.extension_request": "依申请公开：申请延期答复",
    "inforequest.extension_approve": "依申请公开：批准延期答复",
    "inforequest.extension_reject": "依申请公开：不批准延期答复",
    "inforequest.answer": "依申请公开：答复",
    "inforequest.withdraw": "依申请公开：撤回申请",
    "inforequest.remind": "依申请公开：到期提醒",
}


def register_actions() -> None:
    for code, label in ACTIONS.items():
        register_action(code, label)


# -- who ----------------------------------------------------------------------------------------


def scope_organizations(user):
    """The organisations whose requests ``user`` may handle: their memberships' subtrees."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Organization.objects.none()
    if user.is_superuser:
        return Organization.objects.all()
    if not user.has_perm(HANDLE_PERM):
        return Organization.objects.none()
    paths = list(Membership.objects.filter(user=user).values_list("organization__path", flat=True))
    if not paths:
        return Organization.objects.none()
    condition = Q()
    for path in paths:
        condition |= Q(path__startswith=path)
    return Organization.objects.filter(condition)


def visible_requests(user):
    """The requests ``user`` may open in the admin (empty without the handle permission)."""
    orgs = scope_organizations(user)
    return DisclosureRequest.objects.filter(organization__in=orgs)


def can_handle(user, request_obj: DisclosureRequest) -> bool:
    return visible_requests(user).filter(pk=request_obj.pk).exists()


def is_handler(user, request_obj: DisclosureRequest) -> bool:
    return bool(user and user.pk) and request_obj.handlers.filter(pk=user.pk).exists()


def can_approve(user, request_obj: DisclosureRequest) -> bool:
    if not can_handle(user, request_obj):
        return False
    return user.is_superuser or user.has_perm(APPROVE_PERM)


def eligible_handlers(organization: Organization):
    """Staff who may be 承办人 of a request to ``organization``: members of it or of a unit
    above it, holding the handle permission (superusers excluded unless members)."""
    User = get_user_model()
    ancestors = [organization.pk, *organization.get_ancestors().values_list("pk", flat=True)]
    perm = Q(groups__permissions__codename="handle_disclosurerequest") | Q(
        user_permissions__codename="handle_disclosurerequest"
    )
    return (
        User.objects.filter(is_active=True, organization_memberships__organization__in=ancestors)
        .filter(perm | Q(is_superuser=True))
        .distinct()
        .order_by("username")
    )


def _require_scope(user, request_obj):
    if user is None or not can_handle(user, request_obj):
        raise PermissionDenied("您无权办理该申请。")


def _require_handler(user, request_obj):
    _require_scope(user, request_obj)
    if not is_handler(user, request_obj):
        raise PermissionDenied("只有该申请的承办人可以办理此环节，请先将自己指定为承办人。")


# -- helpers ------------------------------------------------------------------------------------


def _today() -> date:
    return timezone.localdate()


def _fmt(day: date | None) -> str:
    return f"{day:%Y年%-m月%-d日}" if day else ""


def _refuse(message: str, code: str = "invalid"):
    raise ValidationError(message, code=code)


def _require_status(request_obj, allowed, action: str):
    if request_obj.status not in allowed:
        _refuse(
            f"该申请当前状态为“{request_obj.get_status_display()}”，不能{action}。",
            "status",
        )


def _not_future(on: date, label: str) -> None:
    if on > _today():
        _refuse(f"{label}不能晚于今天。", "future")


def event(request_obj, kind, text="", *, note="", public=True, actor=None, at=None):
    return RequestEvent.objects.create(
        request=request_obj,
        kind=kind,
        text=text[:300],
        note=note,
        public=public,
        actor=actor,
        at=at or timezone.now(),
    )


def _at(on: date | None):
    """A timestamp for an event dated ``on`` (now when ``on`` is today or absent)."""
    if on is None or on == _today():
        return timezone.now()
    from datetime import datetime, time

    return timezone.make_aware(datetime.combine(on, time(10, 0)))


def _snapshot(request_obj) -> dict:
    return {
        "查询码": request_obj.tracking_code,
        "状态": request_obj.get_status_display(),
        "到期日": f"{request_obj.clock.due_date:%Y-%m-%d}"
        if request_obj.clock and request_obj.clock.due_date
        else "",
    }


def _audit(action, request_obj, actor, before=None, **extra):
    record(
        action, user=actor, obj=request_obj, before=before, after=_snapshot(request_obj), **extra
    )


def detail_url(request_obj) -> str:
    return reverse("inforequests:detail", args=(request_obj.tracking_code,))


def notify_applicant(request_obj, title: str, body: str, *, attachments=()) -> None:
    user = request_obj.applicant_user
    if user is None or not user.is_active:
        return
    notify(
        user,
        title,
        body,
        link=detail_url(request_obj),
        case_kind=CASE_KIND,
        case_ref=request_obj.tracking_code,
        attachments=attachments,
    )


def due_text(request_obj) -> str:
    clock = request_obj.clock
    if clock is None:
        return ""
    if clock.due_date:
        return _fmt(clock.due_date)
    return "暂停计时中"


def _save_attachments(request_obj, files, kind, actor=None):
    for upload in files or ():
        name = getattr(upload, "name", "附件").rsplit("/", 1)[-1]
        att = RequestAttachment(
            request=request_obj, kind=kind, filename=name[:200], uploaded_by=actor
        )
        att.file.save(name, upload, save=False)
        att.size = att.file.size
        att.save()


# -- intake -------------------------------------------------------------------------------------

APPLICANT_FIELDS = (
    "applicant_type", "name", "id_type", "id_number", "legal_representative", "contact_name",
    "phone", "email", "address", "postcode", "subject", "description", "purpose", "delivery",
)  # fmt: skip


def _new_request(organization, data: dict, **extra) -> DisclosureRequest:
    values = {k: data[k] for k in APPLICANT_FIELDS if k in data}
    request_obj = DisclosureRequest(organization=organization, **values, **extra)
    request_obj.full_clean(
        exclude=["clock", "site", "applicant_user", "registered_by", "phone_index"]
    )
    request_obj.save()
    return request_obj


@transaction.atomic
def submit_online(
    organization, data: dict, *, user=None, site=None, attachments=(), http_request=None
) -> DisclosureRequest:
    """网上申请: SUBMITTED, no 收到日期 and no clock until staff confirm it."""
    applicant = user if user is not None and user.is_authenticated else None
    request_obj = _new_request(
        organization, data, applicant_user=applicant, site=site, received_via=ReceivedVia.ONLINE
    )
    _save_attachments(request_obj, attachments, RequestAttachment.Kind.APPLICANT, applicant)
    event(request_obj, "submit", f"网上提交申请，受理机关：{organization.name}。")
    record(
        "inforequest.submit",
        user=applicant,
        request=http_request,
        obj=request_obj,
        after=_snapshot(request_obj),
    )
    notify_applicant(
        request_obj,
        f"您的政府信息公开申请已提交：{request_obj.tracking_code}",
        f"您向{organization.name}提交的政府信息公开申请“{request_obj.subject}”已提交，"
        f"查询码 {request_obj.tracking_code}。工作人员确认收到后，将在 {ANSWER_WORKDAYS} "
        "个工作日内答复。",
    )
    return request_obj


def _begin(request_obj, received_on, actor, handlers):
    request_obj.received_on = received_on
    request_obj.clock = DeadlineClock.begin(
        received_on, ANSWER_WORKDAYS, actor=actor, note=f"收到申请 {request_obj.tracking_code}"
    )
    request_obj.status = Status.PROCESSING
    request_obj.registered_by = actor
    request_obj.save()
    request_obj.handlers.set(handlers or [actor])


@transaction.atomic
def register(
    organization, data: dict, *, received_via, received_on, actor, handlers=None, attachments=()
) -> DisclosureRequest:
    """登记 a letter / in-person / fax / e-mail request: PROCESSING, clock from received_on."""
    if not scope_organizations(actor).filter(pk=organization.pk).exists():
        raise PermissionDenied("您无权登记该机关的申请。")
    if received_via == ReceivedVia.ONLINE:
        _refuse("网上申请由申请人在网站提交，请选择其他申请方式。", "via")
    _not_future(received_on, "收到申请日期")
    request_obj = _new_request(organization, data, received_via=received_via)
    request_obj.submitted_at = _at(received_on)
    _begin(request_obj, received_on, actor, handlers)
    _save_attachments(request_obj, attachments, RequestAttachment.Kind.APPLICANT, actor)
    event(
        request_obj,
        "register",
        f"{request_obj.get_received_via_display()}已登记，收到申请日期 {_fmt(received_on)}，"
        f"答复期限 {due_text(request_obj)}。",
        actor=actor,
        at=_at(received_on),
    )
    _audit("inforequest.register", request_obj, actor)
    return request_obj


@transaction.atomic
def confirm(request_obj, *, on=None, actor, handlers=None) -> DisclosureRequest:
    """确认收到 an online request: 收到申请日期 = ``on``; the 20 working days begin."""
    _require_scope(actor, request_obj)
    _require_status(request_obj, [Status.SUBMITTED], "确认收到")
    on = on or _today()
    _not_future(on, "收到申请日期")
    submitted = timezone.localdate(request_obj.submitted_at)
    if on < submitted:
        _refuse(f"收到申请日期不能早于提交日期（{_fmt(submitted)}）。", "before_submit")
    before = _snapshot(request_obj)
    _begin(request_obj, on, actor, handlers)
    event(
        request_obj,
        "confirm",
        f"工作人员已确认收到申请，收到申请日期 {_fmt(on)}，答复期限 {due_text(request_obj)}。",
        actor=actor,
        at=_at(on),
    )
    _audit("inforequest.confirm", request_obj, actor, before)
    notify_applicant(
        request_obj,
        f"您的政府信息公开申请已受理：{request_obj.tracking_code}",
        f"{request_obj.organization.name}已于{_fmt(on)}收到您的申请“{request_obj.subject}”，"
        f"将在 {ANSWER_WORKDAYS} 个工作日内（{due_text(request_obj)}前）答复。",
    )
    return request_obj


@transaction.atomic
def assign(request_obj, handlers, *, actor) -> DisclosureRequest:
    """指定承办人: staff of the organisation (or above) holding the handle permission."""
    _require_scope(actor, request_obj)
    if not request_obj.is_open or request_obj.status == Status.SUBMITTED:
        _refuse("只能为已登记、尚未办结的申请指定承办人。", "status")
    handlers = list(handlers)
    if not handlers:
        _refuse("请至少指定一名承办人。", "empty")
    allowed = set(eligible_handlers(request_obj.organization).values_list("pk", flat=True))
    if any(h.pk not in allowed for h in handlers):
        _refuse("承办人须为本机关有办理权限的工作人员。", "handler")
    before = {"承办人": sorted(u.get_username() for u in request_obj.handlers.all())}
    request_obj.handlers.set(handlers)
    names = "、".join(getattr(u, "display_name", "") or u.get_username() for u in handlers)
    event(request_obj, "assign", "", note=f"承办人：{names}", public=False, actor=actor)
    record(
        "inforequest.assign",
        user=actor,
        obj=request_obj,
        before=before,
        after={"承办人": sorted(u.get_username() for u in handlers)},
    )
    return request_obj


# -- 补正 -----------------------------------------------------------------------------------------


def clarification_deadline(request_obj) -> date | None:
    """The last day a clarification notice may be sent (7 working days after receipt)."""
    if request_obj.received_on is None:
        return None
    return add_workdays(request_obj.received_on, CLARIFICATION_NOTICE_WORKDAYS)


@transaction.atomic
def clarify(request_obj, text: str, *, on=None, actor) -> DisclosureRequest:
    """补正通知 (条例第三十条): once, within 7 working days of receipt; the clock pauses."""
    _require_handler(actor, request_obj)
    _require_status(request_obj, [Status.PROCESSING], "发出补正通知")
    on = on or _today()
    _not_future(on, "补正通知日期")
    if request_obj.clarification_sent_on is not None or MAX_CLARIFICATIONS < 1:
        _refuse("补正通知只能发出一次，本申请已经发出过补正通知。", "once")
    if on < request_obj.received_on:
        _refuse("补正通知日期不能早于收到申请日期。", "date_order")
    if workdays_between(request_obj.received_on, on) > CLARIFICATION_NOTICE_WORKDAYS:
        _refuse(
            f"补正通知应在收到申请之日起 {CLARIFICATION_NOTICE_WORKDAYS} 个工作日内发出"
            f"（最迟 {_fmt(clarification_deadline(request_obj))}），现已超过，不能再要求补正。",
            "late",
        )
    if not (text or "").strip():
        _refuse("请写明需要补正的事项。", "text")
    before = _snapshot(request_obj)
    request_obj.clock.pause(on, reason=PauseReason.CLARIFICATION, actor=actor)
    request_obj.clarification_sent_on = on
    request_obj.clarification_text = text.strip()
    request_obj.status = Status.CLARIFYING
    request_obj.save()
    event(
        request_obj,
        "clarify",
        "已发出补正通知，请按通知补正申请内容。收到补正后重新计算答复期限。",
        actor=actor,
        at=_at(on),
    )
    _audit("inforequest.clarify", request_obj, actor, before)
    notify_applicant(
        request_obj,
        f"请补正您的政府信息公开申请：{request_obj.tracking_code}",
        f"{request_obj.organization.name}需要您补正申请内容：\n{text.strip()}\n\n"
        "请在个人中心的申请详情页填写补正内容。答复期限自收到补正之日起重新计算。"
        "无正当理由逾期不补正的，视为放弃申请。",
    )
    return request_obj


@transaction.atomic
def record_clarification(request_obj, reply: str, *, on=None, actor=None) -> DisclosureRequest:
    """The applicant's 补正 (online, or a paper reply recorded by staff): clock restarts."""
    if actor is not None and actor != request_obj.applicant_user:
        _require_handler(actor, request_obj)
    _require_status(request_obj, [Status.CLARIFYING], "提交补正")
    on = on or _today()
    _not_future(on, "收到补正日期")
    if on < request_obj.clarification_sent_on:
        _refuse("收到补正日期不能早于补正通知日期。", "date_order")
    if not (reply or "").strip():
        _refuse("请填写补正内容。", "text")
    before = _snapshot(request_obj)
    request_obj.clock.restart(on, actor=actor, max_restarts=1, note="收到补正")
    request_obj.clarification_reply = reply.strip()
    request_obj.clarified_on = on
    request_obj.status = Status.PROCESSING
    request_obj.save()
    event(
        request_obj,
        "clarified",
        f"已收到补正，答复期限自 {_fmt(on)} 起重新计算，至 {due_text(request_obj)}。",
        actor=actor,
        at=_at(on),
    )
    _audit("inforequest.clarified", request_obj, actor, before)
    for handler in request_obj.handlers.all():
        notify(
            handler,
            f"依申请公开办件已补正：{request_obj.tracking_code}",
            f"申请“{request_obj.subject}”已于{_fmt(on)}补正，答复期限 {due_text(request_obj)}。",
            link=reverse("inforequests_admin:detail", args=(request_obj.pk,)),
        )
    return request_obj


# -- 征求意见 -------------------------------------------------------------------------------------


def open_consultation(request_obj) -> Consultation | None:
    return request_obj.consultations.filter(replied_on__isnull=True).order_by("-pk").first()


@transaction.atomic
def consult(request_obj, *, party_kind, party: str, on=None, actor, note: str = "") -> Consultation:
    """征求第三方/其他机关意见 (条例第三十二条、第三十三条): 15 working days, not counted."""
    _require_handler(actor, request_obj)
    _require_status(request_obj, [Status.PROCESSING], "征求意见")
    on = on or _today()
    _not_future(on, "发出日期")
    if not (party or "").strip():
        _refuse("请填写征求意见的对象。", "party")
    reason = (
        PauseReason.OTHER_AGENCY
        if party_kind == Consultation.PartyKind.OTHER_AGENCY
        else PauseReason.THIRD_PARTY
    )
    before = _snapshot(request_obj)
    request_obj.clock.pause(on, reason=reason, actor=actor, note=party.strip())
    consultation = Consultation.objects.create(
        request=request_obj,
        party_kind=party_kind,
        party=party.strip(),
        sent_on=on,
        due_on=add_workdays(on, CONSULTATION_WORKDAYS),
        created_by=actor,
    )
    request_obj.status = Status.CONSULTING
    request_obj.save()
    label = Consultation.PartyKind(party_kind).label
    event(
        request_obj,
        "consult",
        f"正在征求{label}意见，征求意见时间（最长 {CONSULTATION_WORKDAYS} 个工作日）不计入答复期限。",
        note=f"征求对象：{party.strip()}；截止 {_fmt(consultation.due_on)}。{note}".strip(),
        actor=actor,
        at=_at(on),
    )
    _audit("inforequest.consult", request_obj, actor, before, 征求对象=party.strip())
    notify_applicant(
        request_obj,
        f"您的政府信息公开申请正在征求意见：{request_obj.tracking_code}",
        f"您的申请“{request_obj.subject}”涉及{label}，{request_obj.organization.name}正在征求"
        f"意见。征求意见所需时间（最长 {CONSULTATION_WORKDAYS} 个工作日）不计入答复期限。",
    )
    return consultation


@transaction.atomic
def record_consultation_reply(consultation, *, opinion: str, on=None, actor) -> Consultation:
    """The party's opinion: the clock counts again from the day after ``on``."""
    request_obj = consultation.request
    _require_handler(actor, request_obj)
    if consultation.replied_on is not None:
        _refuse("该征求意见已经登记过答复。", "replied")
    on = on or _today()
    _not_future(on, "收到意见日期")
    if on < consultation.sent_on:
        _refuse("收到意见日期不能早于发出日期。", "date_order")
    before = _snapshot(request_obj)
    consultation.replied_on = on
    consultation.opinion = (opinion or "").strip()
    consultation.save()
    if request_obj.status == Status.CONSULTING:
        request_obj.clock.resume(min(on, consultation.due_on), actor=actor, note="收到意见")
        request_obj.status = Status.PROCESSING
        request_obj.save()
        event(
            request_obj,
            "consult_reply",
            f"征求意见结束，恢复计时，答复期限 {due_text(request_obj)}。",
            note=f"{consultation.party} 意见：{consultation.opinion}",
            actor=actor,
            at=_at(on),
        )
    else:  # lapsed earlier: the clock already runs again
        event(
            request_obj,
            "consult_reply",
            "",
            note=f"{consultation.party} 逾期提出意见：{consultation.opinion}",
            public=False,
            actor=actor,
            at=_at(on),
        )
    _audit("inforequest.consult_reply", request_obj, actor, before, 征求对象=consultation.party)
    return consultation


def resume_lapsed_consultations(today=None) -> int:
    """征求意见 whose 15 working days ran out with no reply: the clock counts again from the
    day after the due date. Returns how many requests resumed."""
    today = today or _today()
    resumed = 0
    for request_obj in DisclosureRequest.objects.filter(status=Status.CONSULTING):
        consultation = open_consultation(request_obj)
        if consultation is None or consultation.due_on >= today:
            continue
        with transaction.atomic():
            before = _snapshot(request_obj)
            request_obj.clock.resume(consultation.due_on, note="征求意见逾期")
            request_obj.status = Status.PROCESSING
            request_obj.save()
            event(
                request_obj,
                "consult_lapse",
                f"第三方逾期未提出意见，恢复计时，答复期限 {due_text(request_obj)}。",
                note=f"{consultation.party} 未在 {_fmt(consultation.due_on)} 前提出意见。",
                at=_at(min(today, add_workdays(consultation.due_on, 1))),
            )
            _audit("inforequest.consult_lapse", request_obj, None, before)
        resumed += 1
    return resumed


# -- 延期 -----------------------------------------------------------------------------------------


def pending_extension(request_obj) -> ExtensionRequest | None:
    return request_obj.extension_requests.filter(decision=ExtensionRequest.Decision.PENDING).first()


@transaction.atomic
def request_extension(request_obj, *, days: int, reason: str, actor) -> ExtensionRequest:
    """A handler asks to extend (条例第三十三条: once, ≤ 20 working days, with approval)."""
    _require_handler(actor, request_obj)
    _require_status(request_obj, [Status.PROCESSING, Status.CONSULTING], "申请延期")
    if not 1 <= int(days) <= MAX_EXTENSION_WORKDAYS:
        _refuse(f"延长期限应为 1 至 {MAX_EXTENSION_WORKDAYS} 个工作日。", "days")
    if not (reason or "").strip():
        _refuse("请填写延期理由。", "reason")
    if pending_extension(request_obj) is not None:
        _refuse("已有一份延期申请正在等待审批，不能重复申请。", "pending")
    approved = request_obj.extension_requests.filter(
        decision=ExtensionRequest.Decision.APPROVED
    ).count()
    if approved >= MAX_EXTENSIONS:
        _refuse("答复期限只能延长一次，本申请已经延期。", "extended")
    extension = ExtensionRequest.objects.create(
        request=request_obj, days=int(days), reason=reason.strip(), requested_by=actor
    )
    event(
        request_obj,
        "extension_request",
        "",
        note=f"申请延期 {days} 个工作日：{reason.strip()}",
        public=False,
        actor=actor,
    )
    _audit("inforequest.extension_request", request_obj, actor, 延长=int(days))
    return extension


@transaction.atomic
def decide_extension(extension, *, approve: bool, note: str = "", actor, on=None):
    """批准 (the clock extends, the applicant is told the new due date) or 不批准."""
    request_obj = extension.request
    if not can_approve(actor, request_obj):
        raise PermissionDenied("您没有审批延期答复的权限。")
    if extension.requested_by_id == actor.pk:
        raise PermissionDenied("延期申请须由申请人以外的负责人审批。")
    if extension.decision != ExtensionRequest.Decision.PENDING:
        _refuse("该延期申请已经审批过。", "decided")
    if approve and not request_obj.is_open:
        _refuse("申请已办结，不能再延期。", "closed")
    on = on or _today()
    before = _snapshot(request_obj)
    extension.decided_by = actor
    extension.decided_at = _at(on)
    extension.decision_note = (note or "").strip()[:300]
    if approve:
        request_obj.clock.extend(
            extension.days,
            reason=extension.reason,
            approver=actor,
            actor=actor,
            on=on,
            max_extensions=MAX_EXTENSIONS,
            max_extension_days=MAX_EXTENSION_WORKDAYS,
        )
        extension.decision = ExtensionRequest.Decision.APPROVED
        extension.save()
        request_obj.save()
        text = (
            f"因{extension.reason}，经负责人批准，答复期限延长 {extension.days} 个工作日，"
            f"延长后的答复期限为 {due_text(request_obj)}。"
        )
        event(request_obj, "extension_approve", text, actor=actor, at=_at(on))
        _audit("inforequest.extension_approve", request_obj, actor, before, 延长=extension.days)
        notify_applicant(
            request_obj,
            f"您的政府信息公开申请延期答复：{request_obj.tracking_code}",
            f"根据《中华人民共和国政府信息公开条例》第三十三条，{text}",
        )
    else:
        extension.decision = ExtensionRequest.Decision.REJECTED
        extension.save()
        event(
            request_obj,
            "extension_reject",
            "",
            note=f"不批准延期：{extension.decision_note}",
            public=False,
            actor=actor,
            at=_at(on),
        )
        _audit("inforequest.extension_reject", request_obj, actor, before)
    if extension.requested_by is not None:
        notify(
            extension.requested_by,
            f"延期申请{'已批准' if approve else '未批准'}：{request_obj.tracking_code}",
            f"{extension.get_decision_display()}。{extension.decision_note}",
            link=reverse("inforequests_admin:detail", args=(request_obj.pk,)),
        )
    return extension


# -- 答复 -----------------------------------------------------------------------------------------


def validate_answer(request_obj, *, answer_type, outcome, text, public_location="",
                    referral_agency="", has_attachments=False) -> None:  # fmt: skip
    if answer_type not in AnswerType.values:
        _refuse("请选择答复类型。", "answer_type")
    if outcome not in OUTCOMES_FOR_ANSWER[answer_type]:
        label = AnswerType(answer_type).label.split("（")[0]
        _refuse(f"办理结果与答复类型“{label}”不符，请重新选择。", "outcome")
    if request_obj.status == Status.CLARIFYING:
        if outcome != Outcome.OTHER_NO_CLARIFICATION:
            _refuse(
                "申请人尚未补正，只能以“申请人无正当理由逾期不补正”办结，或等待补正后再答复。",
                "status",
            )
    else:
        _require_status(request_obj, [Status.PROCESSING], "答复")
    if outcome == Outcome.OTHER_NO_CLARIFICATION and request_obj.clarification_sent_on is None:
        _refuse("未发出过补正通知，不能以“逾期不补正”办结。", "outcome")
    if answer_type == AnswerType.ALREADY_PUBLIC and not (public_location or "").strip():
        _refuse("已主动公开的，请填写获取该信息的方式和途径（如网址、公报期号）。", "location")
    if answer_type == AnswerType.NOT_THIS_AGENCY and not (referral_agency or "").strip():
        _refuse("不属于本机关负责公开的，请填写负责公开该信息的机关名称。", "referral")
    if answer_type == AnswerType.DISCLOSED and not has_attachments and not (text or "").strip():
        _refuse(
            "予以公开的，请上传所公开的信息，或在答复内容中写明获取的方式、途径和时间。", "give"
        )


@transaction.atomic
def answer(
    request_obj,
    *,
    answer_type,
    outcome,
    text: str = "",
    public_location: str = "",
    referral_agency: str = "",
    attachments=(),
    on=None,
    actor,
) -> DisclosureRequest:
    """答复: the 答复书 PDF is generated and stored; the clock stops; the applicant is told."""
    from . import letters

    _require_handler(actor, request_obj)
    attachments = list(attachments or ())
    validate_answer(
        request_obj,
        answer_type=answer_type,
        outcome=outcome,
        text=text,
        public_location=public_location,
        referral_agency=referral_agency,
        has_attachments=bool(attachments),
    )
    on = on or _today()
    _not_future(on, "答复日期")
    before = _snapshot(request_obj)
    request_obj.clock.stop(on, actor=actor, note="答复")
    request_obj.answer_type = answer_type
    request_obj.outcome = outcome
    request_obj.answer_text = (text or "").strip()
    request_obj.public_location = (public_location or "").strip()
    request_obj.referral_agency = (referral_agency or "").strip()
    request_obj.answered_on = on
    request_obj.answered_by = actor
    request_obj.closed_on = on
    request_obj.status = Status.ANSWERED
    request_obj.letter_number = letters.next_number(request_obj)
    _save_attachments(request_obj, attachments, RequestAttachment.Kind.ANSWER, actor)
    data = letters.build(request_obj)
    request_obj.answer_letter.save(
        f"{request_obj.tracking_code}-答复书.pdf", ContentFile(data), save=False
    )
    request_obj.save()
    event(
        request_obj,
        "answer",
        f"已答复：{AnswerType(answer_type).label.split('（')[0]}。请查看答复书。",
        actor=actor,
        at=_at(on),
    )
    _audit("inforequest.answer", request_obj, actor, before, 办理结果=Outcome(outcome).label)
    files = [(f"{request_obj.tracking_code}-答复书.pdf", data)]
    notify_applicant(
        request_obj,
        f"您的政府信息公开申请已答复：{request_obj.tracking_code}",
        f"{request_obj.organization.name}已于{_fmt(on)}答复您的申请“{request_obj.subject}”，"
        "答复书见附件，也可在个人中心的申请详情页查看和下载。",
        attachments=files,
    )
    if request_obj.delivery == Delivery.EMAIL and request_obj.email:
        _enqueue_answer_email(request_obj.pk)
    return request_obj


def _enqueue_answer_email(request_id: int) -> None:
    def enqueue():
        from .tasks import email_answer

        try:
            email_answer.enqueue(request_id)
        except Exception:
            logger.exception("could not enqueue the answer e-mail of request %s", request_id)

    transaction.on_commit(enqueue)


def send_answer_email(request_id: int) -> bool:
    """Send the 答复书 (and 答复附件) to the applicant's e-mail address; record the outcome in
    the case history (the address masked). Returns whether the mail server took it."""
    request_obj = DisclosureRequest.objects.select_related("organization").get(pk=request_id)
    if not request_obj.email or not request_obj.answer_letter:
        return False
    from govportal.privacy.access import masked

    message = EmailMessage(
        subject=f"政府信息公开申请答复书（{request_obj.tracking_code}）",
        body=(
            f"{request_obj.masked_name()}：\n\n"
            f"{request_obj.organization.name}已于{_fmt(request_obj.answered_on)}答复您的政府信息"
            f"公开申请“{request_obj.subject}”（查询码 {request_obj.tracking_code}）。"
            "答复书及附件见本邮件附件。\n\n本邮件由系统发送，请勿直接回复。"
        ),
        to=[request_obj.email],
    )
    with request_obj.answer_letter.open("rb") as letter:
        message.attach(f"{request_obj.tracking_code}-答复书.pdf", letter.read(), "application/pdf")
    for item in request_obj.attachments.filter(kind=RequestAttachment.Kind.ANSWER):
        with item.file.open("rb") as handle:
            message.attach(item.filename, handle.read())
    where = masked(request_obj, "email")
    try:
        message.send(fail_silently=False)
    except Exception:
        logger.exception("answer e-mail of request %s failed", request_id)
        event(request_obj, "email_failed", "", note=f"答复书邮件发送失败（{where}），请改用其他方式送达。",
              public=False)  # fmt: skip
        return False
    event(request_obj, "email", f"答复书已通过电子邮件发送至 {where}。")
    return True


# -- 撤回 -----------------------------------------------------------------------------------------


@transaction.atomic
def withdraw(request_obj, *, on=None, actor=None, by_applicant=True, note="") -> DisclosureRequest:
    """撤回申请 by the applicant (online) or recorded by a handler: the clock stops."""
    if by_applicant:
        if actor is None or actor.pk != request_obj.applicant_user_id:
            raise PermissionDenied("只有申请人本人可以撤回申请。")
    else:
        _require_handler(actor, request_obj)
    if not request_obj.is_open:
        _refuse(f"该申请当前状态为“{request_obj.get_status_display()}”，不能撤回。", "status")
    on = on or _today()
    _not_future(on, "撤回日期")
    before = _snapshot(request_obj)
    if request_obj.clock is not None:
        request_obj.clock.stop(on, actor=actor, note="申请人撤回")
    request_obj.status = Status.WITHDRAWN
    request_obj.outcome = WITHDRAWN_OUTCOME
    request_obj.withdrawn_on = on
    request_obj.closed_on = on
    request_obj.save()
    who = "申请人已撤回申请。" if by_applicant else "经申请人申请，工作人员已登记撤回。"
    event(request_obj, "withdraw", who, note=note, actor=actor, at=_at(on))
    _audit("inforequest.withdraw", request_obj, actor, before)
    for handler in request_obj.handlers.all():
        if handler != actor:
            notify(
                handler,
                f"依申请公开申请已撤回：{request_obj.tracking_code}",
                f"申请“{request_obj.subject}”已于{_fmt(on)}撤回。",
                link=reverse("inforequests_admin:detail", args=(request_obj.pk,)),
            )
    return request_obj


# -- lists --------------------------------------------------------------------------------------


def overdue(queryset, today=None):
    today = today or _today()
    return queryset.filter(
        status__in=Status.open_values(), clock__in=DeadlineClock.objects.overdue(today)
    )


def near_due(queryset, today=None):
    today = today or _today()
    return queryset.filter(
        status__in=Status.open_values(), clock__in=DeadlineClock.objects.near_due(today)
    )


def attention_count(user, today=None) -> int:
    """Overdue + near-due open requests the user may handle (the menu badge)."""
    qs = visible_requests(user)
    return overdue(qs, today).count() + near_due(qs, today).count()
