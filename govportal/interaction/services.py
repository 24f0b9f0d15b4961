"""来信办理 as plain functions: each checks the state and the person, changes state, writes a
:class:`~.models.LetterEvent`, an audit record and notifies whom it concerns.

States of a letter (:class:`~.taxonomy.Status`)::

    SUBMITTED ──accept──▶ ACCEPTED ──dispatch──▶ DISPATCHED ──submit_reply──▶ REVIEWING
        │  └──merge──▶ MERGED          ▲   (return approved for the lead ▶ ACCEPTED)  │
        └──reject──▶ REJECTED          └────────────── send_back_reply ◀──────────────┤
                                                                                      │
    ANSWERED ◀──approve_reply──────────────────────────────────────────────────────────┘
    ANSWERED ──rate / close_unrated (REOPEN_DAYS)──▶ CLOSED
    ANSWERED or CLOSED ──reopen (writer, once, ≤ REOPEN_DAYS after the answer)──▶ DISPATCHED

Assignments (:class:`~.taxonomy.AssignmentStatus`): PENDING ──sign──▶ ACCEPTED
──request_return──▶ RETURN_REQUESTED ──decide_return──▶ RETURNED (approved; a returned lead
puts the letter back to ACCEPTED, to be dispatched to *another* lead unit) or ACCEPTED
(refused). An assisting unit's 协办意见 marks it DONE; the approved answer marks all DONE.
The clock keeps running during returns (the writer waits anyway).

Who (superusers: everything; nobody else without membership of the unit concerned):

* **dispatchers** — ``interaction.dispatch_letter`` and a member of one of the mailbox's
  handling units (or, when it has none, of the organisation owning the mailbox's site):
  accept, reject, merge, dispatch, decide returns.
* **unit staff** — ``interaction.handle_letter`` and a member of an assigned unit: sign,
  request a return, 协办意见 (assisting unit), draft and submit replies (lead unit).
* **approvers** — ``interaction.approve_letter_reply`` and a member of the lead unit, not the
  reply's author: approve or send back.
* **supervisors** — ``interaction.supervise_letter`` and a member of the supervising unit
  (the parent of the lead unit, or a handling unit): see supervised letters, 督办意见.

Reopening: the stopped clock cannot restart (:mod:`govportal.core.deadlines` refuses every
step after ``stop``), so a reopened letter gets a *new* clock of the same period from the
reopening day; the first clock stays in the database and its id is in the event's note.

Every function raises :class:`~django.core.exceptions.ValidationError` (Chinese message)
for a refused step and :class:`~django.core.exceptions.PermissionDenied` for a refused
person. Dates are explicit parameters (default: today) so the demo can build histories.
"""

import json
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from govportal.audit.actions import register_action
from govportal.audit.services import record
from govportal.core.models import DeadlineClock
from govportal.organizations.models import Membership, Organization, SiteOrganization
from govportal.personal.services import notify

from .duplicates import similar_open_letters
from .models import (
    Letter,
    LetterAssignment,
    LetterAttachment,
    LetterCategory,
    LetterEvent,
    LetterReply,
    MailboxPage,
    Supervision,
)
from .taxonomy import (
    REOPEN_DAYS,
    AssignmentRole,
    AssignmentStatus,
    ReplyStatus,
    Satisfaction,
    Status,
)

HANDLE_PERM = "interaction.handle_letter"
DISPATCH_PERM = "interaction.dispatch_letter"
APPROVE_PERM = "interaction.approve_letter_reply"
SUPERVISE_PERM = "interaction.supervise_letter"
CASE_KIND = "来信"

ACTIONS = {
    "letter.submit": "来信办理：写信人提交来信",
    "letter.accept": "来信办理：受理",
    "letter.reject": "来信办理：不予受理",
    "letter.merge": "来信办理：合并重复来信",
    "letter.dispatch": "来信办理：派单",
    "letter.assist_add": "来信办理：增加协办单位",
    "letter.attachment_download": "来信办理：下载来信附件",
    "letter.sign": "来信办理：签收",
    "letter.return_request": "来信办理：申请退回",
    "letter.return_approve": "来信办理：同意退回",
    "letter.return_refuse": "来信办理：不同意退回",
    "letter.opinion": "来信办理：协办意见",
    "letter.reply_draft": "来信办理：拟写答复",
    "letter.reply_submit": "来信办理：答复提交审核",
    "letter.reply_approve": "来信办理：批准答复",
    "letter.reply_send_back": "来信办理：答复退回修改",
    "letter.rate": "来信办理：写信人评价",
    "letter.reopen": "来信办理：写信人申请重新办理",
    "letter.auto_close": "来信办理：评价期满自动办结",
    "letter.supervise": "来信办理：督办",
    "letter.supervise_opinion": "来信办理：督办意见",
    "letter.hard_alarm": "来信办理：超长未答复告警",
    "letter.remind": "来信办理：到期提醒",
}


def register_actions() -> None:
    for code, label in ACTIONS.items():
        register_action(code, label)


# -- helpers ------------------------------------------------------------------------------------


def _today() -> date:
    return timezone.localdate()


def _fmt(day: date | None) -> str:
    return f"{day:%Y年%-m月%-d日}" if day else ""


def _refuse(message: str, code: str = "invalid"):
    raise ValidationError(message, code=code)


def _at(on: date | None):
    """A timestamp for an event dated ``on`` (now when ``on`` is today or absent)."""
    if on is None or on == _today():
        return timezone.now()
    return timezone.make_aware(datetime.combine(on, time(10, 0)))


def _require_status(letter, allowed, action: str):
    if letter.status not in allowed:
        _refuse(f"该来信当前状态为“{letter.get_status_display()}”，不能{action}。", "status")


def _not_future(on: date, label: str) -> None:
    if on > _today():
        _refuse(f"{label}不能晚于今天。", "future")


def _active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def _name(user) -> str:
    if user is None:
        return ""
    return getattr(user, "display_name", "") or user.get_username()


def event(letter, kind, text="", *, note="", public=True, actor=None, at=None) -> LetterEvent:
    return LetterEvent.objects.create(
        letter=letter,
        kind=kind,
        text=text[:300],
        note=note,
        public=public,
        actor=actor,
        at=at or timezone.now(),
    )


def _snapshot(letter) -> dict:
    clock = letter.clock
    return {
        "查询码": letter.tracking_code,
        "状态": letter.get_status_display(),
        "到期日": f"{clock.due_date:%Y-%m-%d}" if clock and clock.due_date else "",
    }


def _audit(action, letter, actor, before=None, **extra):
    record(action, user=actor, obj=letter, before=before, after=_snapshot(letter), **extra)


def admin_url(letter) -> str:
    return reverse("interaction_admin:detail", args=(letter.pk,))


def writer_link(letter) -> str:
    """The writer's own page of the letter (login required, owner only)."""
    return reverse("interaction:mine", args=(letter.tracking_code,))


def notify_writer(letter, title: str, body: str) -> None:
    """站内信 (+ e-mail/SMS per preference) to the writer when they wrote signed in."""
    user = letter.writer
    if user is None or not user.is_active:
        return
    notify(
        user,
        title,
        body,
        link=writer_link(letter),
        case_kind=CASE_KIND,
        case_ref=letter.tracking_code,
    )


def due_text(letter) -> str:
    clock = letter.clock
    if clock is None or not clock.due_date:
        return ""
    return _fmt(clock.due_date)


# -- who ----------------------------------------------------------------------------------------


def user_unit_ids(user) -> set[int]:
    if not _active(user):
        return set()
    return set(Membership.objects.filter(user=user).values_list("organization_id", flat=True))


def handling_units(mailbox) -> list[Organization]:
    """The mailbox's 受理单位, or the organisation owning its site when none are set."""
    units = list(mailbox.handling_units.all())
    if units:
        return units
    site = mailbox.get_site()
    if site is None:
        return []
    link = SiteOrganization.objects.filter(site=site).select_related("organization").first()
    return [link.organization] if link else []


def _has(user, perm) -> bool:
    return _active(user) and (user.is_superuser or user.has_perm(perm))


def is_dispatcher(user, letter_or_mailbox) -> bool:
    if not _has(user, DISPATCH_PERM):
        return False
    if user.is_superuser:
        return True
    mailbox = getattr(letter_or_mailbox, "mailbox", letter_or_mailbox)
    return bool({u.pk for u in handling_units(mailbox)} & user_unit_ids(user))


def active_assignments(letter):
    return letter.assignments.exclude(status=AssignmentStatus.RETURNED)


def lead_assignment(letter) -> LetterAssignment | None:
    return (
        active_assignments(letter)
        .filter(role=AssignmentRole.LEAD)
        .select_related("organization")
        .first()
    )


def is_unit_staff(user, assignment) -> bool:
    """``user`` may work for the unit of ``assignment`` (handle permission + membership)."""
    if not _has(user, HANDLE_PERM):
        return False
    return user.is_superuser or assignment.organization_id in user_unit_ids(user)


def my_assignments(user, letter) -> list[LetterAssignment]:
    return [a for a in active_assignments(letter).select_related("organization")
            if is_unit_staff(user, a)]  # fmt: skip


def is_lead_handler(user, letter) -> bool:
    lead = lead_assignment(letter)
    return lead is not None and is_unit_staff(user, lead)


def is_approver(user, letter) -> bool:
    if not _has(user, APPROVE_PERM):
        return False
    lead = lead_assignment(letter)
    return lead is not None and (user.is_superuser or lead.organization_id in user_unit_ids(user))


def supervising_units(letter) -> list[Organization]:
    """The lead unit's parent organisation, else the mailbox's handling units."""
    lead = lead_assignment(letter)
    if lead is not None:
        parent = lead.organization.get_parent()
        if parent is not None:
            return [parent]
    return handling_units(letter.mailbox)


def is_supervisor(user, letter) -> bool:
    if not _has(user, SUPERVISE_PERM):
        return False
    if user.is_superuser:
        return True
    units = user_unit_ids(user)
    if letter.supervisions.filter(organization_id__in=units).exists():
        return True
    return bool({u.pk for u in supervising_units(letter)} & units)


def _mailboxes_handled_by(unit_ids) -> list[int]:
    """Mailboxes whose handling units (or, when none, site owner) include one of ``unit_ids``."""
    ids = set(MailboxPage.objects.filter(handling_units__in=unit_ids).values_list("pk", flat=True))
    for link in SiteOrganization.objects.filter(organization_id__in=unit_ids).select_related(
        "site__root_page"
    ):
        root = link.site.root_page
        ids.update(
            MailboxPage.objects.filter(path__startswith=root.path, handling_units__isnull=True)
            .values_list("pk", flat=True)
        )  # fmt: skip
    return list(ids)


def dispatch_mailboxes(user) -> list[int]:
    if not _has(user, DISPATCH_PERM):
        return []
    if user.is_superuser:
        return list(MailboxPage.objects.values_list("pk", flat=True))
    return _mailboxes_handled_by(user_unit_ids(user))


def visible_letters(user):
    """Letters ``user`` may open in the admin, by any of their roles."""
    if not _active(user):
        return Letter.objects.none()
    if user.is_superuser:
        return Letter.objects.all()
    units = user_unit_ids(user)
    if not units:
        return Letter.objects.none()
    condition = Q(pk__in=[])
    if user.has_perm(DISPATCH_PERM):
        condition |= Q(mailbox_id__in=_mailboxes_handled_by(units))
    if user.has_perm(HANDLE_PERM) or user.has_perm(APPROVE_PERM):
        condition |= Q(assignments__organization_id__in=units)
    if user.has_perm(SUPERVISE_PERM):
        condition |= Q(supervisions__organization_id__in=units)
        # Supervisors of a parent unit follow their departments' supervised letters too.
        children = Organization.objects.none()
        for org in Organization.objects.filter(pk__in=units):
            children |= org.get_children()
        condition |= Q(
            supervisions__isnull=False,
            assignments__organization__in=children,
            assignments__role=AssignmentRole.LEAD,
        )
    return Letter.objects.filter(pk__in=Letter.objects.filter(condition).values("pk"))


def can_view(user, letter) -> bool:
    return visible_letters(user).filter(pk=letter.pk).exists()


def staff_of(unit_ids, codename: str):
    """Active members of ``unit_ids`` holding ``interaction.<codename>``."""
    User = get_user_model()
    perm = Q(groups__permissions__codename=codename,
             groups__permissions__content_type__app_label="interaction") | Q(
        user_permissions__codename=codename,
        user_permissions__content_type__app_label="interaction",
    )  # fmt: skip
    return (
        User.objects.filter(is_active=True, organization_memberships__organization_id__in=unit_ids)
        .filter(perm)
        .distinct()
        .order_by("username")
    )


def _notify_staff(unit_ids, codename, title, body, letter, *, important=False, exclude=None):
    sent = 0
    for user in staff_of(list(unit_ids), codename):
        if exclude is not None and user.pk == exclude.pk:
            continue
        notify(user, title, body, important=important, link=admin_url(letter))
        sent += 1
    return sent


def _require(check: bool, message: str):
    if not check:
        raise PermissionDenied(message)


# The ``require_*`` checks raise PermissionDenied (or ValidationError for a wrong state) with
# the message the user sees; the steps call them, and the admin's step pages call them before
# showing a form, so nobody fills in a form the step would refuse.


def require_dispatcher(user, letter):
    _require(
        is_dispatcher(user, letter), "只有本信箱受理单位有受理派单权限的工作人员可以办理此环节。"
    )


def require_unit_staff(user, assignment):
    _require(is_unit_staff(user, assignment), "只有承办单位有办理权限的工作人员可以办理此环节。")


def require_supervisor(user, letter, action: str = "督办"):
    _require(is_supervisor(user, letter), f"只有督办单位有督办权限的工作人员可以{action}。")


# -- 提交 (the public side calls this) ---------------------------------------------------------

WRITER_FIELDS = (
    "title", "body", "name", "phone", "email", "address", "location_text", "latitude",
    "longitude", "wants_public",
)  # fmt: skip


@transaction.atomic
def submit(mailbox, data: dict, *, user=None, site=None, attachments=(), category=None) -> Letter:
    """A new letter (SUBMITTED): validates, stores attachments, runs the duplicate check and
    keeps the similar open letters for the dispatcher."""
    if not mailbox.is_open:
        _refuse("该信箱暂停受理来信。", "closed")
    if category is not None and category.page_id != mailbox.pk:
        _refuse("所选类别不属于该信箱。", "category")
    writer = user if _active(user) else None
    values = {k: data[k] for k in WRITER_FIELDS if k in data}
    extra = data.get("extra_data")
    if isinstance(extra, dict):
        extra = json.dumps(extra, ensure_ascii=False)
    letter = Letter(mailbox=mailbox, category=category, writer=writer, site=site,
                    extra_data=extra or "", **values)  # fmt: skip
    letter.full_clean(exclude=["clock", "site", "writer", "phone_index", "duplicate_of",
                               "accepted_by", "answer_unit", "category"])  # fmt: skip
    letter.save()
    for upload in attachments or ():
        name = getattr(upload, "name", "附件").rsplit("/", 1)[-1]
        att = LetterAttachment(
            letter=letter, kind=LetterAttachment.Kind.WRITER, filename=name[:200]
        )
        att.file.save(name, upload, save=False)
        att.size = att.file.size
        att.save()
    matches = similar_open_letters(mailbox, letter.title, letter.body, phone=letter.phone,
                                   exclude=letter)  # fmt: skip
    letter.similar_letters.set([m.letter for m in matches])
    event(letter, "submit", f"来信已提交到{mailbox.title}，查询码 {letter.tracking_code}。",
          note=f"相似来信 {len(matches)} 件" if matches else "")  # fmt: skip
    _audit("letter.submit", letter, writer)
    notify_writer(
        letter,
        f"您的来信已提交：{letter.tracking_code}",
        f"您写给{mailbox.title}的来信“{letter.title}”已提交，查询码 {letter.tracking_code}。"
        f"受理后将在 {(category.workdays() if category else mailbox.default_workdays)} "
        "个工作日内答复。",
    )
    return letter


# -- 受理 ---------------------------------------------------------------------------------------


@transaction.atomic
def accept(letter, *, actor, on=None, category=None) -> Letter:
    """受理: the clock begins on ``on`` (default today) with the category's or mailbox's period."""
    require_dispatcher(actor, letter)
    _require_status(letter, [Status.SUBMITTED], "受理")
    on = on or _today()
    _not_future(on, "受理日期")
    submitted = timezone.localdate(letter.submitted_at)
    if on < submitted:
        _refuse(f"受理日期不能早于来信日期（{_fmt(submitted)}）。", "before_submit")
    if category is not None:
        if category.page_id != letter.mailbox_id:
            _refuse("所选类别不属于该信箱。", "category")
        letter.category = category
    before = _snapshot(letter)
    days = letter.category.workdays() if letter.category else letter.mailbox.default_workdays
    letter.clock = DeadlineClock.begin(
        on, days, actor=actor, note=f"受理来信 {letter.tracking_code}"
    )
    letter.status, letter.accepted_on, letter.accepted_by = Status.ACCEPTED, on, actor
    letter.save()
    event(letter, "accept", f"来信已受理，将在 {days} 个工作日内（{due_text(letter)}前）答复。",
          actor=actor, at=_at(on))  # fmt: skip
    _audit("letter.accept", letter, actor, before)
    notify_writer(
        letter,
        f"您的来信已受理：{letter.tracking_code}",
        f"您的来信“{letter.title}”已于{_fmt(on)}受理，将在 {days} 个工作日内"
        f"（{due_text(letter)}前）答复。",
    )
    return letter


@transaction.atomic
def reject(letter, reason: str, *, actor, on=None) -> Letter:
    """不予受理 with a reason the writer sees; no clock."""
    require_dispatcher(actor, letter)
    _require_status(letter, [Status.SUBMITTED], "不予受理")
    reason = (reason or "").strip()
    if not reason:
        _refuse("请填写不予受理的理由。", "reason")
    before = _snapshot(letter)
    letter.status, letter.reject_reason = Status.REJECTED, reason[:300]
    letter.save()
    event(letter, "reject", f"不予受理：{reason}", actor=actor, at=_at(on))
    _audit("letter.reject", letter, actor, before, 理由=reason)
    notify_writer(
        letter,
        f"您的来信不予受理：{letter.tracking_code}",
        f"您的来信“{letter.title}”不予受理，理由：{reason}",
    )
    return letter


@transaction.atomic
def merge(letter, into, *, actor, note: str = "") -> Letter:
    """合并重复来信: ``letter`` becomes MERGED into the open letter ``into``."""
    require_dispatcher(actor, letter)
    _require_status(letter, [Status.SUBMITTED, Status.ACCEPTED, Status.DISPATCHED], "合并")
    if into.pk == letter.pk:
        _refuse("不能合并到来信本身。", "self")
    if into.mailbox_id != letter.mailbox_id:
        _refuse("只能合并到同一信箱的来信。", "mailbox")
    if not into.is_open:
        _refuse(f"来信 {into.tracking_code} 已“{into.get_status_display()}”，只能合并到未办结的来信。",
                "target")  # fmt: skip
    before = _snapshot(letter)
    if letter.clock is not None and letter.clock.status != "stopped":
        letter.clock.stop(actor=actor, note=f"合并到 {into.tracking_code}")
    active_assignments(letter).update(status=AssignmentStatus.DONE)
    letter.status, letter.duplicate_of = Status.MERGED, into
    letter.save()
    event(letter, "merge", f"与来信 {into.tracking_code} 反映的是同一事项，已合并办理。",
          note=note, actor=actor)  # fmt: skip
    event(into, "merged_in", "", note=f"合并了重复来信 {letter.tracking_code}。{note}".strip(),
          public=False, actor=actor)  # fmt: skip
    _audit("letter.merge", letter, actor, before, 合并到=into.tracking_code)
    notify_writer(
        letter,
        f"您的来信已合并办理：{letter.tracking_code}",
        f"您的来信“{letter.title}”与已受理的来信 {into.tracking_code} 反映的是同一事项，"
        f"已合并办理，请以查询码 {into.tracking_code} 查询办理进度和答复。",
    )
    return letter


# -- 派单 ---------------------------------------------------------------------------------------


def default_units(letter) -> tuple[Organization | None, list[Organization]]:
    """The dispatch catalogue's lead and assisting units for the letter's category."""
    category = letter.category
    if category is None:
        return None, []
    return category.lead_unit, list(category.assist_units.all())


def returned_lead_ids(letter) -> set[int]:
    return set(
        letter.assignments.filter(role=AssignmentRole.LEAD, status=AssignmentStatus.RETURNED)
        .values_list("organization_id", flat=True)
    )  # fmt: skip


@transaction.atomic
def dispatch(letter, *, lead, assists=(), actor, on=None, note: str = "") -> Letter:
    """派单 to exactly one lead unit and any assisting units (PENDING until 签收)."""
    require_dispatcher(actor, letter)
    _require_status(letter, [Status.ACCEPTED], "派单")
    if lead is None:
        _refuse("请选择一个主办单位。", "lead")
    assists = [u for u in assists if u is not None]
    if any(u.pk == lead.pk for u in assists):
        _refuse("主办单位不能同时作为协办单位。", "lead_assist")
    if lead.pk in returned_lead_ids(letter):
        _refuse(f"{lead.name}已退回该来信，请派给其他主办单位。", "returned")
    if lead_assignment(letter) is not None:
        _refuse("该来信已有主办单位。", "has_lead")
    before = _snapshot(letter)
    at = _at(on)
    LetterAssignment.objects.create(letter=letter, organization=lead, role=AssignmentRole.LEAD,
                                    assigned_by=actor, assigned_at=at)  # fmt: skip
    held = set(active_assignments(letter).values_list("organization_id", flat=True))
    for unit in assists:
        if unit.pk not in held:
            LetterAssignment.objects.create(letter=letter, organization=unit, assigned_at=at,
                                            role=AssignmentRole.ASSIST, assigned_by=actor)  # fmt: skip
            held.add(unit.pk)
    letter.status = Status.DISPATCHED
    letter.save()
    names = "、".join(u.name for u in assists)
    text = f"已转交{lead.name}办理" + (f"，{names}协办。" if names else "。")
    event(letter, "dispatch", text, note=note, actor=actor, at=at)
    _audit("letter.dispatch", letter, actor, before, 主办单位=lead.name, 协办单位=names)
    body = f"来信“{letter.title}”（{letter.tracking_code}）已派给贵单位，请及时签收办理，答复期限 {due_text(letter)}。"
    _notify_staff(
        [lead.pk], "handle_letter", f"新派来信（主办）：{letter.tracking_code}", body, letter
    )
    if assists:
        _notify_staff([u.pk for u in assists], "handle_letter",
                      f"新派来信（协办）：{letter.tracking_code}", body, letter)  # fmt: skip
    return letter


ADD_ASSIST_STATUSES = (Status.DISPATCHED, Status.REVIEWING)


def require_add_assist(user, letter) -> None:
    """A dispatcher, and a letter already dispatched and not yet answered."""
    require_dispatcher(user, letter)
    _require_status(letter, ADD_ASSIST_STATUSES, "增加协办单位")


@transaction.atomic
def add_assist_units(letter, units, *, actor, note: str = "") -> list[LetterAssignment]:
    """增加协办单位 after dispatch: each unit gets a PENDING assisting assignment and a
    notice; refused for a letter not (or no longer) being handled and for units that
    already hold it."""
    require_add_assist(actor, letter)
    units = [u for u in units or () if u is not None]
    if not units:
        _refuse("请选择要增加的协办单位。", "units")
    held = set(active_assignments(letter).values_list("organization_id", flat=True))
    already = [u.name for u in units if u.pk in held]
    if already:
        _refuse(f"{'、'.join(already)}已在办理该来信，不能重复派单。", "held")
    before = _snapshot(letter)
    at = timezone.now()
    created = [
        LetterAssignment.objects.create(letter=letter, organization=unit, assigned_at=at,
                                        role=AssignmentRole.ASSIST, assigned_by=actor)
        for unit in units
    ]  # fmt: skip
    names = "、".join(u.name for u in units)
    event(letter, "assist_add", f"已增加{names}协办。", note=note, actor=actor, at=at)
    _audit("letter.assist_add", letter, actor, before, 协办单位=names)
    _notify_staff([u.pk for u in units], "handle_letter",
                  f"新派来信（协办）：{letter.tracking_code}",
                  f"来信“{letter.title}”（{letter.tracking_code}）已增派贵单位协办，请及时签收，"
                  f"答复期限 {due_text(letter)}。", letter)  # fmt: skip
    return created


def record_attachment_download(attachment, *, user, request=None) -> None:
    """Audit one download of a letter's attachment by staff."""
    record("letter.attachment_download", user=user, request=request, obj=attachment.letter,
           after={"附件": attachment.filename, "类别": attachment.get_kind_display()})  # fmt: skip


@transaction.atomic
def sign(assignment, *, actor, on=None) -> LetterAssignment:
    """签收: the unit takes the letter on (PENDING → ACCEPTED)."""
    require_unit_staff(actor, assignment)
    letter = assignment.letter
    _require_status(letter, [Status.DISPATCHED, Status.REVIEWING], "签收")
    if assignment.status != AssignmentStatus.PENDING:
        _refuse(f"该派单当前为“{assignment.get_status_display()}”，无需签收。", "status")
    assignment.status, assignment.accepted_at = AssignmentStatus.ACCEPTED, _at(on)
    assignment.save()
    event(
        letter, "sign", f"{assignment.organization.name}已签收，正在办理。", actor=actor, at=_at(on)
    )
    record("letter.sign", user=actor, obj=letter, after={"单位": assignment.organization.name})
    return assignment


@transaction.atomic
def request_return(assignment, reason: str, *, actor) -> LetterAssignment:
    """退回申请: the unit says the letter is not theirs; a dispatcher decides."""
    require_unit_staff(actor, assignment)
    letter = assignment.letter
    _require_status(letter, [Status.DISPATCHED], "申请退回")
    if assignment.status not in (AssignmentStatus.PENDING, AssignmentStatus.ACCEPTED):
        _refuse(f"该派单当前为“{assignment.get_status_display()}”，不能申请退回。", "status")
    reason = (reason or "").strip()
    if not reason:
        _refuse("请填写退回理由。", "reason")
    assignment.status, assignment.return_reason = AssignmentStatus.RETURN_REQUESTED, reason
    assignment.save()
    event(letter, "return_request", "", note=f"{assignment.organization.name}申请退回：{reason}",
          public=False, actor=actor)  # fmt: skip
    record("letter.return_request", user=actor, obj=letter,
           after={"单位": assignment.organization.name, "理由": reason})  # fmt: skip
    _notify_staff([u.pk for u in handling_units(letter.mailbox)], "dispatch_letter",
                  f"退回申请待审批：{letter.tracking_code}",
                  f"{assignment.organization.name}申请退回来信“{letter.title}”，理由：{reason}",
                  letter)  # fmt: skip
    return assignment


@transaction.atomic
def decide_return(assignment, *, approve: bool, actor, note: str = "") -> LetterAssignment:
    """A dispatcher approves a return (RETURNED; a returned lead puts the letter back to
    ACCEPTED for re-dispatch) or refuses it (back to ACCEPTED, the unit keeps it)."""
    letter = assignment.letter
    require_dispatcher(actor, letter)
    if assignment.status != AssignmentStatus.RETURN_REQUESTED:
        _refuse("该派单没有待审批的退回申请。", "status")
    if not approve and not (note or "").strip():
        _refuse("不同意退回时请说明理由。", "note")
    unit = assignment.organization
    assignment.return_decided_by, assignment.return_decided_at = actor, timezone.now()
    before = _snapshot(letter)
    if approve:
        assignment.status = AssignmentStatus.RETURNED
        assignment.save()
        if assignment.role == AssignmentRole.LEAD:
            letter.status = Status.ACCEPTED
            letter.save()
        event(letter, "return_approve", f"{unit.name}已退回，正在重新派单。"
              if assignment.role == AssignmentRole.LEAD else "",
              note=f"同意{unit.name}退回。{note}".strip(), actor=actor,
              public=assignment.role == AssignmentRole.LEAD)  # fmt: skip
        _audit("letter.return_approve", letter, actor, before, 单位=unit.name)
    else:
        assignment.status = AssignmentStatus.ACCEPTED
        assignment.accepted_at = assignment.accepted_at or timezone.now()
        assignment.save()
        event(letter, "return_refuse", "", note=f"不同意{unit.name}退回：{note}",
              public=False, actor=actor)  # fmt: skip
        _audit("letter.return_refuse", letter, actor, before, 单位=unit.name, 理由=note)
    _notify_staff([unit.pk], "handle_letter",
                  f"退回申请{'已同意' if approve else '未同意'}：{letter.tracking_code}",
                  f"来信“{letter.title}”的退回申请{'已同意' if approve else '未同意，请继续办理'}。"
                  + (f"意见：{note}" if note else ""), letter)  # fmt: skip
    return assignment


@transaction.atomic
def give_opinion(assignment, text: str, *, actor) -> LetterAssignment:
    """协办意见 of an assisting unit (after 签收); shown to the lead unit."""
    require_unit_staff(actor, assignment)
    letter = assignment.letter
    if assignment.role != AssignmentRole.ASSIST:
        _refuse("主办单位请直接拟写答复。", "role")
    _require_status(letter, [Status.DISPATCHED, Status.REVIEWING], "提交协办意见")
    if assignment.status != AssignmentStatus.ACCEPTED:
        _refuse("请先签收，再提交协办意见。", "status")
    text = (text or "").strip()
    if not text:
        _refuse("请填写协办意见。", "text")
    assignment.opinion, assignment.status = text, AssignmentStatus.DONE
    assignment.save()
    event(letter, "opinion", "", note=f"{assignment.organization.name}协办意见：{text}",
          public=False, actor=actor)  # fmt: skip
    record("letter.opinion", user=actor, obj=letter, after={"单位": assignment.organization.name})
    lead = lead_assignment(letter)
    if lead is not None:
        _notify_staff([lead.organization_id], "handle_letter",
                      f"收到协办意见：{letter.tracking_code}",
                      f"{assignment.organization.name}对来信“{letter.title}”提交了协办意见。",
                      letter)  # fmt: skip
    return assignment


# -- 答复 ---------------------------------------------------------------------------------------


def editable_reply(letter) -> LetterReply | None:
    return letter.replies.filter(status__in=[ReplyStatus.DRAFT, ReplyStatus.SENT_BACK]).last()


def pending_reply(letter) -> LetterReply | None:
    return letter.replies.filter(status=ReplyStatus.SUBMITTED).last()


def require_lead_at_work(actor, letter) -> LetterAssignment:
    lead = lead_assignment(letter)
    _require(lead is not None and is_unit_staff(actor, lead),
             "只有主办单位有办理权限的工作人员可以拟写答复。")  # fmt: skip
    _require_status(letter, [Status.DISPATCHED], "拟写答复")
    if lead.status != AssignmentStatus.ACCEPTED:
        _refuse("请先签收来信，再拟写答复。", "not_signed")
    return lead


@transaction.atomic
def draft_reply(letter, body: str, *, actor) -> LetterReply:
    """拟写 or revise the lead unit's reply (DRAFT; a sent-back reply is revised in place)."""
    lead = require_lead_at_work(actor, letter)
    body = (body or "").strip()
    if not body:
        _refuse("请填写答复内容。", "body")
    reply = editable_reply(letter)
    if reply is None:
        reply = LetterReply(letter=letter, organization=lead.organization, author=actor)
    reply.body, reply.author = body, actor
    reply.save()
    record("letter.reply_draft", user=actor, obj=letter, after={"答复": reply.pk})
    return reply


@transaction.atomic
def submit_reply(reply, *, actor, on=None) -> LetterReply:
    """提交审核: the reply goes to the lead unit's approvers; the letter is REVIEWING."""
    letter = reply.letter
    require_lead_at_work(actor, letter)
    if reply.status not in (ReplyStatus.DRAFT, ReplyStatus.SENT_BACK):
        _refuse(f"该答复当前为“{reply.get_status_display()}”，不能提交审核。", "status")
    if not reply.body.strip():
        _refuse("请填写答复内容。", "body")
    before = _snapshot(letter)
    reply.status, reply.submitted_at = ReplyStatus.SUBMITTED, _at(on)
    reply.save()
    letter.status = Status.REVIEWING
    letter.save()
    event(letter, "reply_submit", "答复已拟定，正在审核。", actor=actor, at=_at(on))
    _audit("letter.reply_submit", letter, actor, before)
    _notify_staff([reply.organization_id], "approve_letter_reply",
                  f"答复待审核：{letter.tracking_code}",
                  f"来信“{letter.title}”的答复已提交审核。", letter, exclude=actor)  # fmt: skip
    return reply


def require_reviewer(actor, reply):
    letter = reply.letter
    _require(is_approver(actor, letter), "只有主办单位有审核权限的工作人员可以审核答复。")
    if reply.status != ReplyStatus.SUBMITTED:
        _refuse(f"该答复当前为“{reply.get_status_display()}”，不能审核。", "status")
    if reply.author_id == getattr(actor, "pk", None):
        raise PermissionDenied("答复须由拟稿人以外的人审核批准。")


@transaction.atomic
def approve_reply(reply, *, actor, public: bool | None = None, on=None, note: str = "") -> Letter:
    """批准: the letter is ANSWERED (clock stopped), the writer is told."""
    require_reviewer(actor, reply)
    letter = reply.letter
    on = on or _today()
    _not_future(on, "答复日期")
    before = _snapshot(letter)
    reply.status, reply.reviewer, reply.reviewed_at = ReplyStatus.APPROVED, actor, _at(on)
    reply.review_note = (note or "")[:300]
    reply.save()
    letter.status, letter.answered_on = Status.ANSWERED, on
    letter.answer_unit_id, letter.answer_text = reply.organization_id, reply.body
    letter.reply_public = letter.mailbox.replies_public_default if public is None else public
    if letter.clock is not None and letter.clock.status != "stopped":
        letter.clock.stop(on, actor=actor, note="答复")
    letter.save()
    active_assignments(letter).exclude(status=AssignmentStatus.PENDING).update(
        status=AssignmentStatus.DONE
    )
    letter.supervisions.filter(resolved_at__isnull=True).update(resolved_at=_at(on))
    event(letter, "answer", f"{reply.organization.name}已答复。", actor=actor, at=_at(on),
          note=f"答复{'公开' if letter.reply_public else '不公开'}。{note}".strip())  # fmt: skip
    _audit("letter.reply_approve", letter, actor, before, 公开=letter.reply_public)
    notify_writer(
        letter,
        f"您的来信已答复：{letter.tracking_code}",
        f"{reply.organization.name}对您的来信“{letter.title}”答复如下：\n\n{reply.body}\n\n"
        f"请在 {REOPEN_DAYS} 日内对办理结果进行评价；如不满意，可申请重新办理一次。",
    )
    return letter


@transaction.atomic
def send_back_reply(reply, note: str, *, actor) -> LetterReply:
    """退回修改 with a note: the reply goes back to its author, the letter to DISPATCHED."""
    require_reviewer(actor, reply)
    note = (note or "").strip()
    if not note:
        _refuse("请填写退回修改的意见。", "note")
    letter = reply.letter
    before = _snapshot(letter)
    reply.status, reply.reviewer, reply.reviewed_at = ReplyStatus.SENT_BACK, actor, timezone.now()
    reply.review_note = note[:300]
    reply.save()
    letter.status = Status.DISPATCHED
    letter.save()
    event(letter, "reply_send_back", "", note=f"答复退回修改：{note}", public=False, actor=actor)
    _audit("letter.reply_send_back", letter, actor, before, 意见=note)
    if reply.author is not None and reply.author.is_active:
        notify(reply.author, f"答复退回修改：{letter.tracking_code}",
               f"来信“{letter.title}”的答复被退回修改，意见：{note}", link=admin_url(letter))  # fmt: skip
    return reply


# -- 回访/评价 ------------------------------------------------------------------------------------


def _require_writer(user, letter):
    _require(
        _active(user) and letter.writer_id == user.pk, "只有写信人本人可以评价或申请重新办理。"
    )


def reopen_deadline(letter) -> date | None:
    return letter.answered_on + timedelta(days=REOPEN_DAYS) if letter.answered_on else None


def can_reopen(letter, today=None) -> bool:
    today = today or _today()
    deadline = reopen_deadline(letter)
    return (
        letter.status in (Status.ANSWERED, Status.CLOSED)
        and letter.reopened == 0
        and deadline is not None
        and today <= deadline
    )


@transaction.atomic
def rate(letter, satisfaction, comment: str = "", *, user, on=None) -> Letter:
    """评价: the writer rates the answer; the letter is CLOSED."""
    _require_writer(user, letter)
    _require_status(letter, [Status.ANSWERED], "评价")
    if satisfaction not in Satisfaction.values:
        _refuse("请选择满意度。", "satisfaction")
    comment = (comment or "").strip()
    before = _snapshot(letter)
    letter.satisfaction, letter.rating_comment = satisfaction, comment[:300]
    letter.rated_at, letter.closed_on, letter.status = _at(on), on or _today(), Status.CLOSED
    letter.save()
    label = Satisfaction(satisfaction).label
    event(letter, "rate", f"写信人评价：{label}。已办结。", note=comment, actor=user, at=_at(on))
    _audit("letter.rate", letter, user, before, 满意度=label)
    return letter


@transaction.atomic
def reopen(letter, reason: str, *, user, on=None) -> Letter:
    """重新办理: once, within REOPEN_DAYS of the answer; the same lead unit gets it back with
    a new answer period (a new clock: the stopped one cannot restart)."""
    _require_writer(user, letter)
    on = on or _today()
    _require_status(letter, [Status.ANSWERED, Status.CLOSED], "申请重新办理")
    if letter.reopened >= 1:
        _refuse("每件来信只能申请重新办理一次。", "reopened")
    if on > reopen_deadline(letter):
        _refuse(f"答复后 {REOPEN_DAYS} 日内才能申请重新办理（已于{_fmt(reopen_deadline(letter))}截止）。",
                "too_late")  # fmt: skip
    reason = (reason or "").strip()
    if not reason:
        _refuse("请说明申请重新办理的理由。", "reason")
    lead = lead_assignment(letter)
    if lead is None:
        _refuse("该来信没有主办单位，不能重新办理。", "no_lead")
    before = _snapshot(letter)
    old_clock = letter.clock
    days = letter.category.workdays() if letter.category else letter.mailbox.default_workdays
    letter.clock = DeadlineClock.begin(on, days, actor=user,
                                       note=f"重新办理 {letter.tracking_code}")  # fmt: skip
    letter.status, letter.reopened, letter.reopen_reason = (
        Status.DISPATCHED,
        letter.reopened + 1,
        reason,
    )
    letter.satisfaction, letter.rating_comment, letter.rated_at, letter.closed_on = (
        "",
        "",
        None,
        None,
    )
    letter.save()
    lead.status = AssignmentStatus.ACCEPTED
    lead.save(update_fields=["status"])
    event(letter, "reopen", f"写信人申请重新办理，已转{lead.organization.name}重新办理，"
          f"答复期限 {due_text(letter)}。", note=f"理由：{reason}；原期限计时 #{old_clock.pk if old_clock else '—'}",
          actor=user, at=_at(on))  # fmt: skip
    _audit("letter.reopen", letter, user, before, 理由=reason)
    _notify_staff([lead.organization_id], "handle_letter", f"来信重新办理：{letter.tracking_code}",
                  f"写信人对来信“{letter.title}”的答复申请重新办理，理由：{reason}。"
                  f"答复期限 {due_text(letter)}。", letter, important=True)  # fmt: skip
    return letter


@transaction.atomic
def close_unrated(today=None) -> int:
    """Answered letters not rated within REOPEN_DAYS are CLOSED without a rating."""
    today = today or _today()
    cutoff = today - timedelta(days=REOPEN_DAYS)
    closed = 0
    for letter in Letter.objects.filter(status=Status.ANSWERED, answered_on__lt=cutoff):
        letter.status, letter.closed_on = Status.CLOSED, today
        letter.save(update_fields=["status", "closed_on", "updated_at"])
        event(letter, "auto_close", f"评价期（{REOPEN_DAYS} 日）已满，已办结。")
        _audit("letter.auto_close", letter, None)
        closed += 1
    return closed


# -- 督办 ---------------------------------------------------------------------------------------


def open_supervision(letter) -> Supervision | None:
    return letter.supervisions.filter(resolved_at__isnull=True).first()


@transaction.atomic
def supervise(letter, reason: str, *, actor=None, automatic: bool = False) -> Supervision:
    """督办 by the supervising unit (automatic for overdue letters, or by a supervisor)."""
    if not automatic:
        require_supervisor(actor, letter)
    if not letter.is_open:
        _refuse("已办结的来信无需督办。", "closed")
    if open_supervision(letter) is not None:
        _refuse("该来信已在督办中。", "supervised")
    reason = (reason or "").strip()
    if not reason:
        _refuse("请填写督办事由。", "reason")
    units = supervising_units(letter)
    if not units:
        _refuse("找不到督办单位：请为信箱设置受理单位。", "no_unit")
    supervision = Supervision.objects.create(letter=letter, organization=units[0], reason=reason[:300],
                                             automatic=automatic, created_by=actor)  # fmt: skip
    event(letter, "supervise", "", note=f"{units[0].name}督办：{reason}", public=False, actor=actor)
    record("letter.supervise", user=actor, obj=letter,
           after={"督办单位": units[0].name, "事由": reason, "自动": automatic})  # fmt: skip
    lead = lead_assignment(letter)
    if lead is not None:
        _notify_staff([lead.organization_id], "handle_letter", f"来信被督办：{letter.tracking_code}",
                      f"来信“{letter.title}”已被{units[0].name}督办：{reason}", letter,
                      important=True)  # fmt: skip
    _notify_staff([units[0].pk], "supervise_letter", f"督办来信：{letter.tracking_code}",
                  f"来信“{letter.title}”{'超期未答复，已自动' if automatic else '已'}列入督办：{reason}",
                  letter, important=True, exclude=actor)  # fmt: skip
    return supervision


@transaction.atomic
def supervision_opinion(letter, text: str, *, actor) -> LetterEvent:
    """督办意见: a supervisor's instruction to the lead unit (internal)."""
    require_supervisor(actor, letter, "提出督办意见")
    if not letter.supervisions.exists():
        _refuse("该来信没有督办记录，请先督办。", "not_supervised")
    text = (text or "").strip()
    if not text:
        _refuse("请填写督办意见。", "text")
    item = event(
        letter, "supervise_opinion", "", note=f"督办意见：{text}", public=False, actor=actor
    )
    record("letter.supervise_opinion", user=actor, obj=letter, after={"意见": text})
    lead = lead_assignment(letter)
    if lead is not None:
        _notify_staff([lead.organization_id], "handle_letter", f"督办意见：{letter.tracking_code}",
                      f"关于来信“{letter.title}”的督办意见：{text}", letter, important=True)  # fmt: skip
    return item


# -- queues (admin lists, menu count) -----------------------------------------------------------


def queue(user, name: str):
    """Letters waiting for ``user`` in one of the admin's lists."""
    base = visible_letters(user)
    if name == "dispatch":
        if not _has(user, DISPATCH_PERM):
            return base.none()
        mine = base.filter(mailbox_id__in=dispatch_mailboxes(user))
        return mine.filter(
            Q(status__in=[Status.SUBMITTED, Status.ACCEPTED])
            | Q(assignments__status=AssignmentStatus.RETURN_REQUESTED)
        ).distinct()
    if name == "unit":
        if not _has(user, HANDLE_PERM):
            return base.none()
        units = (
            Q() if user.is_superuser else Q(assignments__organization_id__in=user_unit_ids(user))
        )
        return base.filter(
            units,
            assignments__status__in=[AssignmentStatus.PENDING, AssignmentStatus.ACCEPTED],
            status__in=[Status.DISPATCHED, Status.REVIEWING],
        ).distinct()
    if name == "review":
        if not _has(user, APPROVE_PERM):
            return base.none()
        qs = base.filter(status=Status.REVIEWING, replies__status=ReplyStatus.SUBMITTED)
        if not user.is_superuser:
            qs = qs.filter(replies__organization_id__in=user_unit_ids(user))
        return qs.exclude(replies__status=ReplyStatus.SUBMITTED, replies__author=user).distinct()
    if name == "supervise":
        if not _has(user, SUPERVISE_PERM):
            return base.none()
        return base.filter(supervisions__resolved_at__isnull=True,
                           supervisions__isnull=False).distinct()  # fmt: skip
    return base


QUEUES = (
    ("dispatch", "待受理", DISPATCH_PERM),
    ("unit", "待签收/办理中", HANDLE_PERM),
    ("review", "待审核", APPROVE_PERM),
    ("supervise", "督办", SUPERVISE_PERM),
)


def attention_count(user) -> int:
    """Letters needing ``user``'s action (the menu's count)."""
    ids = set()
    for name, _label, perm in QUEUES:
        if _has(user, perm):
            ids.update(queue(user, name).values_list("pk", flat=True))
    return len(ids)


def any_letter_role(user) -> bool:
    return any(_has(user, perm) for _n, _l, perm in QUEUES)


def overdue(queryset, today=None):
    today = today or _today()
    return queryset.filter(
        status__in=Status.open_values(), clock__in=DeadlineClock.objects.overdue(today)
    )


def near_due(queryset, today=None, threshold=None):
    from .taxonomy import NEAR_DUE_WORKDAYS

    today = today or _today()
    clocks = DeadlineClock.objects.near_due(today, threshold or NEAR_DUE_WORKDAYS)
    return queryset.filter(status__in=Status.open_values(), clock__in=clocks)


def category_choices(letter) -> list[LetterCategory]:
    return list(letter.mailbox.categories.all())
