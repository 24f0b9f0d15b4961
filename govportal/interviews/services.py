"""What happens to an interview's questions and messages, who may do it, and the stream.

Every function here checks permission again (the views check first) and writes one
audit record. Changes that visitors see take the next ``LiveState.seq``; every change
raises ``LiveState.revision`` (the moderation console's version).
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from govportal.audit.services import record

from .models import (
    HostMessage,
    InterviewGuest,
    InterviewPage,
    InterviewStatus,
    LiveState,
    Question,
    QuestionStatus,
    SpeakerRole,
)

AUDIT_ACTIONS = {
    "interviews.ask": "在线访谈：网友提问",
    "interviews.approve": "在线访谈：通过提问",
    "interviews.reject": "在线访谈：不予采用提问",
    "interviews.merge": "在线访谈：合并重复提问",
    "interviews.answer": "在线访谈：回答提问",
    "interviews.post": "在线访谈：发布主持人/嘉宾消息",
}


# -- permissions ---------------------------------------------------------------------------
def can_moderate(user, interview: InterviewPage) -> bool:
    """Moderators are the people who may edit the page (the site's editors and admins)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return interview.permissions_for_user(user).can_edit()


def guest_of(user, interview: InterviewPage) -> InterviewGuest | None:
    """The guest row naming this staff account on the interview, if any."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    return interview.guests.filter(user=user).first()


def can_open_console(user, interview: InterviewPage) -> bool:
    return can_moderate(user, interview) or guest_of(user, interview) is not None


def _require_moderator(user, interview) -> None:
    if not can_moderate(user, interview):
        raise PermissionDenied("只有本站编辑和管理员可以审核访谈提问。")


def _speaking_guest(user, interview, guest: InterviewGuest | None) -> InterviewGuest:
    """The guest an answer is recorded for: guests answer as themselves only."""
    own = guest_of(user, interview)
    if can_moderate(user, interview):
        if guest is None:
            raise ValidationError("请选择回答问题的嘉宾。")
        if guest.interview_id != interview.pk:
            raise ValidationError("所选嘉宾不属于本次访谈。")
        return guest
    if own is None:
        raise PermissionDenied("只有本次访谈的嘉宾和管理人员可以回答问题。")
    if guest is not None and guest.pk != own.pk:
        raise PermissionDenied("嘉宾只能以本人身份回答问题。")
    return own


# -- counters -----------------------------------------------------------------------------
def _bump(interview_id: int, *, public: bool) -> int:
    """Raise the counters (inside the caller's transaction); returns the public seq."""
    LiveState.objects.get_or_create(interview_id=interview_id)
    state = LiveState.objects.select_for_update().get(pk=interview_id)
    state.revision += 1
    if public:
        state.seq += 1
    state.save(update_fields=["revision", "seq"])
    return state.seq


def public_cursor(interview: InterviewPage) -> int:
    return LiveState.objects.filter(pk=interview.pk).values_list("seq", flat=True).first() or 0


def console_revision(interview: InterviewPage) -> int:
    return LiveState.objects.filter(pk=interview.pk).values_list("revision", flat=True).first() or 0


# -- the public stream ----------------------------------------------------------------------
@dataclass
class StreamItem:
    key: str
    kind: str  # "qa" or "message"
    seq: int
    when: object
    obj: object

    @property
    def answered(self) -> bool:
        return self.kind == "qa" and bool(self.obj.answer)


def public_stream(
    interview: InterviewPage, since: int = 0, *, newest_first: bool = False
) -> list[StreamItem]:
    """Approved questions (with answers) and host messages changed after ``since``."""
    questions = (
        Question.objects.filter(interview=interview, status=QuestionStatus.APPROVED, seq__gt=since)
        .select_related("answered_by_guest")
        .order_by("shown_at", "pk")
    )
    messages = (
        HostMessage.objects.filter(interview=interview, seq__gt=since)
        .select_related("guest", "image")
        .order_by("created_at", "pk")
    )
    items = [StreamItem(f"q{q.pk}", "qa", q.seq, q.shown_at, q) for q in questions]
    items += [StreamItem(f"m{m.pk}", "message", m.seq, m.created_at, m) for m in messages]
    items.sort(key=lambda i: (i.when, i.key), reverse=newest_first)
    return items


# -- actions --------------------------------------------------------------------------------
def submit_question(
    interview: InterviewPage, text: str, *, nickname: str = "", user=None, request=None
) -> Question:
    """网友提问: kept for moderation, never shown before approval."""
    if interview.status != InterviewStatus.LIVE:
        raise ValidationError("访谈不在直播中，暂不能提问。")
    asker = user if getattr(user, "is_authenticated", False) else None
    with transaction.atomic():
        question = Question.objects.create(
            interview=interview, text=text.strip(), nickname=nickname.strip(), asker=asker
        )
        _bump(interview.pk, public=False)
    record(
        "interviews.ask",
        user=asker,
        request=request,
        obj=question,
        after={"interview": interview.pk, "status": question.status},
    )
    return question


def _question_for_update(question: Question) -> Question:
    return Question.objects.select_for_update().get(pk=question.pk)


def approve(question: Question, user, request=None) -> Question:
    interview = question.interview
    _require_moderator(user, interview)
    with transaction.atomic():
        question = _question_for_update(question)
        if question.status != QuestionStatus.PENDING:
            raise ValidationError("该提问已处理，不能重复审核。")
        now = timezone.now()
        question.status = QuestionStatus.APPROVED
        question.moderated_at = question.shown_at = now
        question.moderated_by = user
        question.seq = _bump(interview.pk, public=True)
        question.save()
    record(
        "interviews.approve",
        user=user,
        request=request,
        obj=question,
        before={"status": QuestionStatus.PENDING},
        after={"status": question.status},
    )
    return question


def reject(question: Question, user, reason: str, request=None) -> Question:
    interview = question.interview
    _require_moderator(user, interview)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("请填写不予采用的原因。")
    with transaction.atomic():
        question = _question_for_update(question)
        if question.status != QuestionStatus.PENDING:
            raise ValidationError("该提问已处理，不能重复审核。")
        question.status = QuestionStatus.REJECTED
        question.reject_reason = reason[:200]
        question.moderated_at = timezone.now()
        question.moderated_by = user
        question.save()
        _bump(interview.pk, public=False)
    record(
        "interviews.reject",
        user=user,
        request=request,
        obj=question,
        before={"status": QuestionStatus.PENDING},
        after={"status": question.status, "reason": question.reject_reason},
    )
    return question


def merge(question: Question, target: Question, user, request=None) -> Question:
    """合并重复提问: the pending question is closed as a duplicate of ``target``."""
    interview = question.interview
    _require_moderator(user, interview)
    if target.interview_id != interview.pk or target.pk == question.pk:
        raise ValidationError("只能合并到本次访谈的其他提问。")
    if target.status not in (QuestionStatus.PENDING, QuestionStatus.APPROVED):
        raise ValidationError("只能合并到待审核或已通过的提问。")
    with transaction.atomic():
        question = _question_for_update(question)
        if question.status != QuestionStatus.PENDING:
            raise ValidationError("该提问已处理，不能重复审核。")
        question.status = QuestionStatus.MERGED
        question.duplicate_of = target
        question.moderated_at = timezone.now()
        question.moderated_by = user
        question.save()
        _bump(interview.pk, public=False)
    record(
        "interviews.merge",
        user=user,
        request=request,
        obj=question,
        before={"status": QuestionStatus.PENDING},
        after={"status": question.status, "duplicate_of": target.pk},
    )
    return question


def answer(
    question: Question, user, text: str, *, guest: InterviewGuest | None = None, request=None
) -> Question:
    """A guest's answer (typed by the guest, or by a moderator on the guest's behalf)."""
    interview = question.interview
    speaker = _speaking_guest(user, interview, guest)
    text = (text or "").strip()
    if not text:
        raise ValidationError("请填写回答内容。")
    with transaction.atomic():
        question = _question_for_update(question)
        if question.status != QuestionStatus.APPROVED:
            raise ValidationError("只能回答已通过审核的提问。")
        before = {"answer": question.answer, "guest": question.answered_by_guest_id}
        question.answer = text
        question.answered_by_guest = speaker
        question.answered_by = user
        question.answered_at = timezone.now()
        question.seq = _bump(interview.pk, public=True)
        question.save()
    record(
        "interviews.answer",
        user=user,
        request=request,
        obj=question,
        before=before,
        after={"answer": text, "guest": speaker.pk},
    )
    return question


def post_message(
    interview: InterviewPage,
    user,
    text: str,
    *,
    role: str = SpeakerRole.HOST,
    guest: InterviewGuest | None = None,
    image=None,
    image_alt: str = "",
    request=None,
) -> HostMessage:
    """主持人/嘉宾 message in the stream. Guests post as themselves only."""
    text = (text or "").strip()
    if not text:
        raise ValidationError("请填写消息内容。")
    if image is not None and not image_alt.strip():
        raise ValidationError("请填写图片的替代文字。")
    if can_moderate(user, interview):
        if role == SpeakerRole.GUEST:
            if guest is None or guest.interview_id != interview.pk:
                raise ValidationError("请选择以哪位嘉宾的身份发布。")
        else:
            guest = None
    else:
        own = guest_of(user, interview)
        if own is None:
            raise PermissionDenied("只有本次访谈的嘉宾和管理人员可以发布消息。")
        role, guest = SpeakerRole.GUEST, own
    with transaction.atomic():
        message = HostMessage.objects.create(
            interview=interview,
            role=role,
            guest=guest,
            text=text,
            image=image,
            image_alt=image_alt.strip(),
            posted_by=user,
            seq=_bump(interview.pk, public=True),
        )
    record(
        "interviews.post",
        user=user,
        request=request,
        obj=message,
        after={"interview": interview.pk, "role": role, "text": text},
    )
    return message
