"""Every deadline path of 依申请公开, table-driven where the shape repeats."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError

import pytest

from govportal.core.workdays import add_workdays, workdays_between
from govportal.inforequests import services
from govportal.inforequests.factories import make_request, make_staff, person_data
from govportal.inforequests.models import Consultation
from govportal.inforequests.reminders import send_reminders
from govportal.inforequests.taxonomy import ReceivedVia, Status
from govportal.personal.models import Message

MON = date(2026, 3, 2)


def register(world, received_on, **kw):
    return services.register(
        world.city, person_data(), received_via=ReceivedVia.LETTER, received_on=received_on,
        actor=world.handler, **kw,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("received_on", "due"),
    [
        (date(2025, 9, 26), date(2025, 10, 30)),  # 国庆中秋: 9-28 and 10-11 are working days
        (date(2026, 3, 2), date(2026, 3, 30)),  # plain weeks
    ],
)
def test_twenty_working_days_from_receipt(world, received_on, due):
    request_obj = register(world, received_on)
    assert request_obj.status == Status.PROCESSING
    assert request_obj.received_on == received_on
    assert request_obj.clock.due_date == due
    assert list(request_obj.handlers.all()) == [world.handler]


def test_register_refuses_a_future_date_and_online_channel(world):
    with pytest.raises(ValidationError, match="不能晚于今天"):
        register(world, date(2999, 1, 1))
    with pytest.raises(ValidationError, match="网上申请"):
        services.register(world.city, person_data(), received_via=ReceivedVia.ONLINE,
                          received_on=MON, actor=world.handler)  # fmt: skip


def test_submitted_requests_have_no_clock_until_confirmed(world):
    request_obj = services.submit_online(world.city, person_data(), user=world.citizen)
    assert (request_obj.status, request_obj.received_on, request_obj.clock) == (
        Status.SUBMITTED, None, None,
    )  # fmt: skip
    with pytest.raises(ValidationError, match="不能早于提交日期"):
        services.confirm(request_obj, on=date(2020, 1, 1), actor=world.handler)
    services.confirm(request_obj, actor=world.handler)
    assert request_obj.status == Status.PROCESSING
    assert request_obj.clock.due_date == add_workdays(request_obj.received_on, 20)


def test_clarification_restarts_the_clock_on_the_reply(world):
    request_obj = register(world, MON)
    services.clarify(request_obj, "请写明文号。", on=date(2026, 3, 4), actor=world.handler)
    assert request_obj.status == Status.CLARIFYING
    assert request_obj.clock.due_date is None  # paused
    reply_day = date(2026, 3, 20)
    services.record_clarification(request_obj, "示政办发〔2025〕12号", on=reply_day,
                                  actor=world.handler)  # fmt: skip
    assert request_obj.status == Status.PROCESSING
    assert request_obj.clock.due_date == add_workdays(reply_day, 20)
    event = request_obj.events.get(kind="clarified")
    assert "重新计算" in event.text


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("late", "7 个工作日内"),
        ("twice", "只能发出一次"),
        ("empty", "需要补正的事项"),
    ],
)
def test_clarification_refusals(world, case, message):
    request_obj = register(world, MON)
    on = add_workdays(MON, 3)
    text = "请写明文号。"
    if case == "late":
        on = add_workdays(MON, 8)
    if case == "twice":
        services.clarify(request_obj, text, on=on, actor=world.handler)
        services.record_clarification(request_obj, "补正", on=on, actor=world.handler)
    if case == "empty":
        text = " "
    with pytest.raises(ValidationError, match=message):
        services.clarify(request_obj, text, on=on, actor=world.handler)


def test_clarification_on_the_seventh_working_day_is_accepted(world):
    request_obj = register(world, MON)
    services.clarify(request_obj, "请写明文号。", on=add_workdays(MON, 7), actor=world.handler)
    assert request_obj.status == Status.CLARIFYING


def test_consultation_pause_is_not_counted(world):
    request_obj = register(world, MON)
    sent, replied = date(2026, 3, 4), date(2026, 3, 11)
    consultation = services.consult(
        request_obj, party_kind=Consultation.PartyKind.THIRD_PARTY, party="某公司", on=sent,
        actor=world.handler,
    )  # fmt: skip
    assert consultation.due_on == add_workdays(sent, 15)
    assert request_obj.status == Status.CONSULTING
    services.record_consultation_reply(consultation, opinion="不同意公开", on=replied,
                                       actor=world.handler)  # fmt: skip
    request_obj.refresh_from_db()
    assert request_obj.status == Status.PROCESSING
    assert request_obj.clock.due_date == add_workdays(MON, 20 + workdays_between(sent, replied))


def test_lapsed_consultation_resumes_on_its_due_date(world):
    request_obj = register(world, MON)
    sent = date(2026, 3, 4)
    consultation = services.consult(
        request_obj, party_kind=Consultation.PartyKind.OTHER_AGENCY, party="市财政局", on=sent,
        actor=world.handler,
    )  # fmt: skip
    send_reminders(consultation.due_on)  # the last day: still waiting
    request_obj.refresh_from_db()
    assert request_obj.status == Status.CONSULTING
    result = send_reminders(add_workdays(consultation.due_on, 1))
    assert result["resumed"] == 1
    request_obj.refresh_from_db()
    assert request_obj.status == Status.PROCESSING
    assert request_obj.clock.due_date == add_workdays(MON, 35)
    assert request_obj.events.filter(text__startswith="第三方逾期未提出意见，恢复计时").exists()
    # A late opinion is kept but changes no date.
    services.record_consultation_reply(consultation, opinion="迟到的意见", on=date(2026, 4, 30),
                                       actor=world.handler)  # fmt: skip
    request_obj.refresh_from_db()
    assert request_obj.clock.due_date == add_workdays(MON, 35)


def test_cannot_consult_while_clarifying(world):
    request_obj = register(world, MON)
    services.clarify(request_obj, "请写明文号。", on=MON, actor=world.handler)
    with pytest.raises(ValidationError, match="待补正.*不能征求意见"):
        services.consult(request_obj, party_kind="third_party", party="某公司", on=MON,
                         actor=world.handler)  # fmt: skip


@pytest.mark.parametrize(
    ("steps", "expected_due_extra", "error"),
    [
        ([("ask", 15), ("approve",)], 15, None),
        ([("ask", 20), ("approve",)], 20, None),
        ([("ask", 10), ("reject",)], 0, None),
        ([("ask", 21)], 0, "1 至 20 个工作日"),
        ([("ask", 0)], 0, "1 至 20 个工作日"),
        ([("ask", 5), ("ask", 5)], 0, "正在等待审批"),
        ([("ask", 5), ("approve",), ("ask", 5)], 5, "只能延长一次"),
        ([("ask", 5), ("reject",), ("ask", 5), ("approve",)], 5, None),
    ],
)
def test_extension_paths(world, steps, expected_due_extra, error):
    request_obj = register(world, MON)
    base_due = request_obj.clock.due_date
    extension = None
    raised = None
    for step in steps:
        try:
            if step[0] == "ask":
                extension = services.request_extension(
                    request_obj, days=step[1], reason="需调取档案", actor=world.handler
                )
            else:
                services.decide_extension(extension, approve=step[0] == "approve",
                                          note="意见", actor=world.lead, on=date(2026, 3, 10))  # fmt: skip
        except ValidationError as exc:
            raised = exc
    if error:
        assert raised is not None and error in " ".join(raised.messages)
    else:
        assert raised is None
    request_obj.clock.refresh_from_db()
    assert request_obj.clock.due_date == add_workdays(base_due, expected_due_extra)


def test_extension_approval_notifies_the_applicant_with_the_new_due_date(world):
    request_obj = make_request(world.city, actor=world.handler, received_on=MON,
                               applicant=world.citizen)  # fmt: skip
    extension = services.request_extension(request_obj, days=10, reason="需调取档案",
                                            actor=world.handler)  # fmt: skip
    services.decide_extension(extension, approve=True, actor=world.lead, on=date(2026, 3, 10))
    new_due = add_workdays(date(2026, 3, 30), 10)
    message = Message.objects.get(recipient=world.citizen, title__contains="延期答复")
    assert f"{new_due:%Y年%-m月%-d日}" in message.body


@pytest.mark.parametrize("who", ["self", "handler_without_approve", "outsider"])
def test_extension_approval_needs_another_person_with_the_permission(world, who):
    request_obj = register(world, MON)
    asker = world.lead if who == "self" else world.handler
    if who == "self":
        request_obj.handlers.add(world.lead)
    extension = services.request_extension(request_obj, days=5, reason="档案", actor=asker)
    approver = {"self": world.lead, "handler_without_approve": world.handler2,
                "outsider": make_staff("out_lead", world.other, lead=True)}[who]  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.decide_extension(extension, approve=True, actor=approver)


def test_overdue_and_near_due_lists(world):
    today = date(2026, 3, 30)
    on_time = register(world, date(2026, 3, 20))
    near = register(world, add_workdays(today, -18))  # 2 working days left
    late = register(world, add_workdays(today, -22))  # 2 working days over
    done = register(world, add_workdays(today, -22))
    services.answer(done, answer_type="repeat", outcome="np_repeat", on=add_workdays(today, -3),
                    actor=world.handler)  # fmt: skip
    qs = services.visible_requests(world.handler)
    assert list(services.overdue(qs, today)) == [late]
    assert list(services.near_due(qs, today)) == [near]
    assert on_time not in services.near_due(qs, today)
