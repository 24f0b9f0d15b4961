"""The closed loop through the services: every transition allowed and refused, who may do
each step, deadlines on working days, returns, reply review, reopening once."""

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

import pytest

from govportal.audit.models import AuditRecord
from govportal.core.models import WorkdayOverride
from govportal.interaction import services
from govportal.interaction.factories import letter_data, make_letter
from govportal.interaction.models import Letter
from govportal.interaction.taxonomy import (
    REOPEN_DAYS,
    AssignmentRole,
    AssignmentStatus,
    ReplyStatus,
    Satisfaction,
    Status,
)
from govportal.personal.models import Message


def _letter(world, state, **kw):
    kw.setdefault("writer", world.citizen)
    return make_letter(world.mailbox, state, staff=world.staff, **kw)


def test_submit_stores_similar_open_letters_and_tells_the_writer(world):
    first = _letter(world, "submitted")
    second = services.submit(world.mailbox, letter_data(phone="13700001111"), user=world.citizen2)
    assert second.status == Status.SUBMITTED
    assert list(second.similar_letters.all()) == [first]
    assert Message.objects.filter(
        recipient=world.citizen2, title__contains=second.tracking_code
    ).exists()
    assert AuditRecord.objects.filter(action="letter.submit").count() == 2


def test_submit_refuses_a_closed_mailbox_and_missing_fields(world):
    with pytest.raises(ValidationError):
        services.submit(world.mailbox, letter_data(title=""))
    world.mailbox.is_open = False
    with pytest.raises(ValidationError, match="暂停受理"):
        services.submit(world.mailbox, letter_data())


# -- the state machine: (state, step, allowed) ----------------------------------------------


def _step(world, letter, step):
    staff, today = world.staff, timezone.localdate()
    lead = services.lead_assignment(letter)
    reply = letter.replies.last()
    edu = world.mailbox.categories.get(name="教育")
    steps = {
        "accept": lambda: services.accept(letter, actor=staff.dispatcher),
        "reject": lambda: services.reject(letter, "不属于受理范围", actor=staff.dispatcher),
        "merge": lambda: services.merge(
            letter, _letter(world, "submitted"), actor=staff.dispatcher
        ),
        "dispatch": lambda: (
            services.dispatch(letter, lead=edu.lead_unit, actor=staff.dispatcher)
            if lead is None or lead.organization != edu.lead_unit
            else services.dispatch(letter, lead=world.roads, actor=staff.dispatcher)
        ),
        "sign": lambda: services.sign(lead, actor=staff.handler),
        "request_return": lambda: services.request_return(
            lead, "非本单位职责", actor=staff.handler
        ),
        "draft": lambda: services.draft_reply(letter, "答复内容", actor=staff.handler),
        "submit_reply": lambda: services.submit_reply(reply, actor=staff.handler),
        "approve": lambda: services.approve_reply(reply, actor=staff.approver),
        "send_back": lambda: services.send_back_reply(reply, "请补充", actor=staff.approver),
        "rate": lambda: services.rate(letter, Satisfaction.SATISFIED, user=world.citizen),
        "reopen": lambda: services.reopen(letter, "没有解决", user=world.citizen, on=today),
    }
    return steps[step]()


TRANSITIONS = [
    ("submitted", "accept", Status.ACCEPTED),
    ("submitted", "reject", Status.REJECTED),
    ("submitted", "merge", Status.MERGED),
    ("submitted", "dispatch", None),
    ("rejected", "accept", None),
    ("merged", "accept", None),
    ("accepted", "dispatch", Status.DISPATCHED),
    ("accepted", "merge", Status.MERGED),
    ("accepted", "accept", None),
    ("dispatched", "sign", Status.DISPATCHED),
    ("dispatched", "request_return", Status.DISPATCHED),
    ("dispatched", "merge", Status.MERGED),
    ("dispatched", "draft", None),  # not signed yet
    ("dispatched", "dispatch", None),
    ("signed", "draft", Status.DISPATCHED),
    ("signed", "rate", None),
    ("reviewing", "approve", Status.ANSWERED),
    ("reviewing", "send_back", Status.DISPATCHED),
    ("reviewing", "merge", None),
    ("reviewing", "request_return", None),
    ("sent_back", "submit_reply", None),  # needs the draft revised: see its own test
    ("answered", "rate", Status.CLOSED),
    ("answered", "reopen", Status.DISPATCHED),
    ("answered", "accept", None),
    ("closed", "reopen", Status.DISPATCHED),
    ("closed", "rate", None),
    ("reopened", "reopen", None),
    ("reopened", "draft", Status.DISPATCHED),
]


@pytest.mark.parametrize(("state", "step", "expected"), TRANSITIONS)
def test_state_machine(world, state, step, expected):
    letter = _letter(world, state)
    before = letter.status
    if expected is None and step != "submit_reply":
        with pytest.raises(ValidationError):
            _step(world, letter, step)
        assert Letter.objects.get(pk=letter.pk).status == before
    elif step == "submit_reply":
        # A sent-back reply is revised and resubmitted.
        services.draft_reply(letter, "补充后的答复", actor=world.handler)
        services.submit_reply(letter.replies.last(), actor=world.handler)
        assert Letter.objects.get(pk=letter.pk).status == Status.REVIEWING
    else:
        _step(world, letter, step)
        assert Letter.objects.get(pk=letter.pk).status == expected
        assert letter.events.exists()


# -- who may ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "allowed"),
    [("dispatcher", True), ("handler", False), ("supervisor", False), ("outsider", False),
     ("citizen", False)],
)  # fmt: skip
def test_only_dispatchers_of_the_handling_unit_accept(world, who, allowed):
    letter = _letter(world, "submitted")
    if allowed:
        services.accept(letter, actor=getattr(world, who))
    else:
        with pytest.raises(PermissionDenied):
            services.accept(letter, actor=getattr(world, who))


def test_site_owner_dispatches_when_the_mailbox_has_no_handling_units(world):
    world.mailbox.handling_units.clear()
    letter = _letter(world, "submitted")
    services.accept(letter, actor=world.dispatcher)  # member of the site's organisation
    assert services.handling_units(world.mailbox) == [world.city]


@pytest.mark.parametrize(
    ("who", "allowed"),
    [("handler", True), ("assist", False), ("outsider", False), ("dispatcher", False)],
)
def test_only_lead_unit_staff_sign_and_draft(world, who, allowed):
    letter = _letter(world, "dispatched")
    lead = services.lead_assignment(letter)
    if allowed:
        services.sign(lead, actor=getattr(world, who))
    else:
        with pytest.raises(PermissionDenied):
            services.sign(lead, actor=getattr(world, who))


def test_reply_is_approved_by_another_person_of_the_lead_unit(world):
    letter = _letter(world, "signed")
    reply = services.draft_reply(letter, "草稿", actor=world.handler2)
    services.submit_reply(reply, actor=world.handler2)
    with pytest.raises(PermissionDenied, match="拟稿人以外"):
        services.approve_reply(reply, actor=world.handler2)  # author, although an approver
    with pytest.raises(PermissionDenied):
        services.approve_reply(reply, actor=world.outsider)
    services.approve_reply(reply, actor=world.approver, public=False)
    letter.refresh_from_db()
    assert (letter.status, letter.reply_public, letter.answer_unit) == (
        Status.ANSWERED,
        False,
        world.edu,
    )
    assert letter.answered_on == timezone.localdate() and letter.answer_text == "草稿"
    assert letter.clock.status == "stopped"
    assert Message.objects.filter(
        recipient=world.citizen, title__startswith="您的来信已答复"
    ).exists()


def test_send_back_needs_a_note_and_returns_the_reply_to_its_author(world):
    letter = _letter(world, "reviewing")
    reply = letter.replies.get()
    with pytest.raises(ValidationError, match="意见"):
        services.send_back_reply(reply, "  ", actor=world.approver)
    services.send_back_reply(reply, "请写明维修日期", actor=world.approver)
    reply.refresh_from_db()
    assert reply.status == ReplyStatus.SENT_BACK and reply.review_note == "请写明维修日期"
    assert Message.objects.filter(
        recipient=world.handler, title__startswith="答复退回修改"
    ).exists()
    revised = services.draft_reply(letter, "已于3月5日修复。", actor=world.handler)
    assert revised.pk == reply.pk and revised.status == ReplyStatus.SENT_BACK


def test_approved_reply_uses_the_mailbox_default_for_public(world):
    world.mailbox.replies_public_default = False
    world.mailbox.save()
    letter = _letter(world, "answered")
    assert not letter.reply_public


def test_assisting_opinion_after_signing_is_shown_to_the_lead(world):
    letter = _letter(world, "dispatched")
    assist = letter.assignments.get(role=AssignmentRole.ASSIST)
    with pytest.raises(ValidationError, match="签收"):
        services.give_opinion(assist, "同意", actor=world.assist)
    services.sign(assist, actor=world.assist)
    with pytest.raises(PermissionDenied):
        services.give_opinion(assist, "同意", actor=world.handler)
    services.give_opinion(assist, "路灯属我局管养，已安排维修。", actor=world.assist)
    assist.refresh_from_db()
    assert assist.status == AssignmentStatus.DONE
    assert Message.objects.filter(
        recipient=world.handler, title__startswith="收到协办意见"
    ).exists()


# -- 派单 and 退回 ------------------------------------------------------------------------------


def test_dispatch_defaults_come_from_the_catalogue_and_need_one_lead(world):
    letter = _letter(world, "accepted")
    lead, assists = services.default_units(letter)
    assert (lead, assists) == (world.edu, [world.roads])
    with pytest.raises(ValidationError, match="主办单位"):
        services.dispatch(letter, lead=None, actor=world.dispatcher)
    with pytest.raises(ValidationError, match="协办"):
        services.dispatch(letter, lead=world.edu, assists=[world.edu], actor=world.dispatcher)
    services.dispatch(letter, lead=lead, assists=assists, actor=world.dispatcher)
    assert [(a.organization, a.role, a.status) for a in letter.assignments.all()] == [
        (world.edu, "lead", "pending"), (world.roads, "assist", "pending"),
    ]  # fmt: skip
    assert Message.objects.filter(
        recipient=world.handler, title__startswith="新派来信（主办）"
    ).exists()


def test_return_approved_then_redispatch_to_another_lead_clock_keeps_running(world):
    letter = _letter(world, "dispatched")
    due = letter.clock.due_date
    lead = services.lead_assignment(letter)
    services.request_return(lead, "属于交通部门职责", actor=world.handler)
    assert Message.objects.filter(
        recipient=world.dispatcher, title__startswith="退回申请待审批"
    ).exists()
    with pytest.raises(PermissionDenied):
        services.decide_return(lead, approve=True, actor=world.handler)
    services.decide_return(lead, approve=True, actor=world.dispatcher)
    letter.refresh_from_db()
    assert letter.status == Status.ACCEPTED and services.lead_assignment(letter) is None
    with pytest.raises(ValidationError, match="已退回"):
        services.dispatch(letter, lead=world.edu, actor=world.dispatcher)
    services.dispatch(letter, lead=world.roads, actor=world.dispatcher)
    letter.refresh_from_db()
    assert services.lead_assignment(letter).organization == world.roads
    assert letter.clock.due_date == due and letter.clock.status == "running"


def test_return_refused_needs_a_reason_and_keeps_the_unit(world):
    letter = _letter(world, "signed")
    lead = services.lead_assignment(letter)
    services.request_return(lead, "不是我们的", actor=world.handler)
    with pytest.raises(ValidationError, match="理由"):
        services.decide_return(lead, approve=False, actor=world.dispatcher)
    services.decide_return(lead, approve=False, actor=world.dispatcher, note="属于你局职责")
    lead.refresh_from_db()
    assert lead.status == AssignmentStatus.ACCEPTED
    assert Letter.objects.get(pk=letter.pk).status == Status.DISPATCHED


# -- deadlines on working days ---------------------------------------------------------------


def test_accept_on_a_friday_before_a_holiday_counts_working_days(world):
    friday = date(2026, 9, 25)
    # The whole stretch is fixed here, whatever the holiday package says: 1–8 Oct off,
    # Sunday 27 Sep a 调休 working day, Saturday 10 Oct off.
    days = {date(2026, 10, d): False for d in range(1, 9)}
    days |= {date(2026, 9, 26): False, date(2026, 9, 27): True, date(2026, 10, 10): False,
             date(2026, 10, 11): False}  # fmt: skip
    for day, work in days.items():
        WorkdayOverride.objects.update_or_create(date=day, defaults={"is_workday": work})
    letter = _letter(world, "submitted")
    letter.submitted_at = services._at(friday)
    letter.save()
    services.accept(letter, actor=world.dispatcher, on=friday)
    # Day 1 = Sun 27 Sep, 28, 29, 30 Sep (4), then Fri 9 Oct (5), 12–16 Oct (6–10).
    assert letter.clock.due_date == date(2026, 10, 16)
    assert letter.clock.workdays_allowed == 10


def test_accept_refuses_future_dates_and_dates_before_the_letter(world):
    letter = _letter(world, "submitted")
    with pytest.raises(ValidationError, match="晚于今天"):
        services.accept(letter, actor=world.dispatcher, on=timezone.localdate() + timedelta(days=1))
    with pytest.raises(ValidationError, match="早于来信日期"):
        services.accept(letter, actor=world.dispatcher, on=timezone.localdate() - timedelta(days=3))


def test_category_sets_the_answer_period(world):
    cat = world.mailbox.categories.get(name="交通出行")
    cat.answer_workdays = 3
    cat.save()
    letter = _letter(world, "accepted", category=cat)
    assert letter.clock.workdays_allowed == 3


# -- 回访/评价 and 重新办理 -------------------------------------------------------------------------


def test_only_the_writer_rates_and_the_letter_closes(world):
    letter = _letter(world, "answered")
    with pytest.raises(PermissionDenied):
        services.rate(letter, Satisfaction.SATISFIED, user=world.citizen2)
    with pytest.raises(ValidationError, match="满意度"):
        services.rate(letter, "great", user=world.citizen)
    services.rate(letter, Satisfaction.DISSATISFIED, "没解决", user=world.citizen)
    letter.refresh_from_db()
    assert (letter.status, letter.satisfaction, letter.closed_on) == (
        Status.CLOSED, "dissatisfied", timezone.localdate(),
    )  # fmt: skip


def test_reopen_once_within_the_period_with_a_new_clock(world):
    answered_on = timezone.localdate() - timedelta(days=30)
    letter = _letter(world, "answered", on=answered_on)
    first_clock = letter.clock_id
    # Too late: more than REOPEN_DAYS after the answer.
    with pytest.raises(ValidationError, match="日内"):
        services.reopen(letter, "没有解决", user=world.citizen)
    reopen_day = letter.answered_on + timedelta(days=REOPEN_DAYS)
    with pytest.raises(ValidationError, match="理由"):
        services.reopen(letter, " ", user=world.citizen, on=reopen_day)
    services.reopen(letter, "路灯又坏了", user=world.citizen, on=reopen_day)
    letter.refresh_from_db()
    assert letter.status == Status.DISPATCHED and letter.reopened == 1
    assert letter.clock_id != first_clock and letter.clock.start_date == reopen_day
    assert services.lead_assignment(letter).status == AssignmentStatus.ACCEPTED
    assert Message.objects.filter(
        recipient=world.handler, title__startswith="来信重新办理"
    ).exists()
    # Answer again, then a second reopen is refused.
    reply = services.draft_reply(letter, "已再次维修。", actor=world.handler)
    services.submit_reply(reply, actor=world.handler)
    services.approve_reply(reply, actor=world.approver)
    letter.refresh_from_db()
    with pytest.raises(ValidationError, match="一次"):
        services.reopen(letter, "还是坏的", user=world.citizen)


def test_merge_tells_the_writer_the_other_code(world):
    target = _letter(world, "accepted")
    dup = _letter(world, "submitted", writer=world.citizen2)
    with pytest.raises(ValidationError, match="本身"):
        services.merge(dup, dup, actor=world.dispatcher)
    services.merge(dup, target, actor=world.dispatcher)
    dup.refresh_from_db()
    assert dup.status == Status.MERGED and dup.duplicate_of == target
    assert target.events.filter(kind="merged_in").exists()
    assert Message.objects.filter(
        recipient=world.citizen2, body__contains=target.tracking_code
    ).exists()
    closed = _letter(world, "closed")
    other = _letter(world, "submitted")
    with pytest.raises(ValidationError, match="未办结"):
        services.merge(other, closed, actor=world.dispatcher)


def test_every_step_is_audited(world):
    _letter(world, "closed")
    actions = set(AuditRecord.objects.values_list("action", flat=True))
    assert {"letter.submit", "letter.accept", "letter.dispatch", "letter.sign",
            "letter.reply_submit", "letter.reply_approve", "letter.rate"} <= actions  # fmt: skip
