"""The eight answer types end to end (答复书 PDF text), refusals, withdrawal, reminders."""

import io
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone

import pypdf
import pytest

from govportal.inforequests import services
from govportal.inforequests.factories import answer_kwargs, make_request
from govportal.inforequests.reminders import run_reminders_if_due, send_reminders
from govportal.inforequests.taxonomy import WITHDRAWN_OUTCOME, AnswerType, Outcome, Status
from govportal.personal.models import Message

MON = date(2026, 3, 2)


def pdf_text(field_file) -> str:
    field_file.open("rb")
    try:
        reader = pypdf.PdfReader(io.BytesIO(field_file.read()))
    finally:
        field_file.close()
    return "".join(page.extract_text() for page in reader.pages).replace("\n", "")


@pytest.mark.parametrize(
    ("answer_type", "outcome", "wording"),
    [
        (AnswerType.ALREADY_PUBLIC, Outcome.PUBLIC, "已经主动公开"),
        (AnswerType.DISCLOSED, Outcome.PUBLIC, "决定予以公开"),
        (AnswerType.DISCLOSED, Outcome.PARTIAL, "决定部分公开"),
        (AnswerType.WITHHELD, Outcome.WITHHELD_THIRD_PARTY, "第十五条"),
        (AnswerType.WITHHELD, Outcome.WITHHELD_PROCESS, "第十六条第二款"),
        (AnswerType.WITHHELD, Outcome.WITHHELD_SECRET, "第十四条"),
        (AnswerType.NOT_EXIST, Outcome.UNABLE_NOT_HELD, "该政府信息不存在"),
        (AnswerType.NOT_THIS_AGENCY, Outcome.UNABLE_NOT_HELD, "示例市住房和城乡建设局"),
        (AnswerType.REPEAT, Outcome.NOT_PROCESSED_REPEAT, "不予重复处理"),
        (AnswerType.SPECIAL_REGISTER, Outcome.OTHER, "依照有关法律、行政法规的规定办理"),
        (AnswerType.OTHER, Outcome.NOT_PROCESSED_PETITION, "信访"),
    ],
)
def test_each_answer_type_produces_its_letter(world, answer_type, outcome, wording):
    request_obj = make_request(world.city, actor=world.handler, received_on=MON,
                               applicant=world.citizen)  # fmt: skip
    services.answer(request_obj, on=date(2026, 3, 16), actor=world.handler,
                    **answer_kwargs(answer_type, outcome))  # fmt: skip
    request_obj.refresh_from_db()
    assert request_obj.status == Status.ANSWERED
    assert (request_obj.outcome, request_obj.answered_on, request_obj.closed_on) == (
        outcome, date(2026, 3, 16), date(2026, 3, 16),
    )  # fmt: skip
    assert request_obj.clock.status == "stopped"
    text = pdf_text(request_obj.answer_letter)
    assert "政府信息公开申请答复书" in text
    assert wording in text
    assert "李四光" in text  # the applicant's full name is in the letter
    assert "60日内" in text and "6个月内" in text
    assert request_obj.letter_number in text
    assert "示例市人民政府" in text
    message = Message.objects.get(recipient=world.citizen, title__contains="已答复")
    assert message.attachments.count() == 1


@pytest.mark.parametrize(
    ("answer_type", "outcome", "extra", "message"),
    [
        (AnswerType.ALREADY_PUBLIC, Outcome.PARTIAL, {}, "不符"),
        (AnswerType.REPEAT, Outcome.PUBLIC, {}, "不符"),
        (AnswerType.ALREADY_PUBLIC, Outcome.PUBLIC, {}, "获取该信息的方式和途径"),
        (AnswerType.NOT_THIS_AGENCY, Outcome.UNABLE_NOT_HELD, {}, "负责公开该信息的机关"),
        (AnswerType.DISCLOSED, Outcome.PUBLIC, {}, "请上传所公开的信息"),
        (AnswerType.OTHER, Outcome.OTHER_NO_CLARIFICATION, {}, "未发出过补正通知"),
    ],
)
def test_invalid_answers_are_refused(world, answer_type, outcome, extra, message):
    request_obj = make_request(world.city, actor=world.handler, received_on=MON)
    with pytest.raises(ValidationError, match=message):
        services.answer(request_obj, answer_type=answer_type, outcome=outcome, actor=world.handler,
                        **extra)  # fmt: skip
    request_obj.refresh_from_db()
    assert request_obj.status == Status.PROCESSING


@pytest.mark.parametrize(
    ("state", "message"),
    [("submitted", "待登记.*不能答复"), ("consulting", "征求意见中.*不能答复"),
     ("clarifying", "尚未补正")],
)  # fmt: skip
def test_answer_refused_in_wrong_state(world, state, message):
    request_obj = make_request(world.city, state, actor=world.handler, received_on=MON)
    request_obj.handlers.add(world.handler)
    with pytest.raises(ValidationError, match=message):
        services.answer(request_obj, answer_type="repeat", outcome="np_repeat", actor=world.handler)


def test_no_reply_to_clarification_closes_as_other(world):
    request_obj = make_request(world.city, "clarifying", actor=world.handler, received_on=MON)
    services.answer(request_obj, answer_type=AnswerType.OTHER,
                    outcome=Outcome.OTHER_NO_CLARIFICATION, on=date(2026, 4, 20),
                    actor=world.handler)  # fmt: skip
    assert request_obj.status == Status.ANSWERED
    assert "视为放弃申请" in pdf_text(request_obj.answer_letter)


@pytest.mark.parametrize("state", ["submitted", "processing", "clarifying", "consulting"])
def test_applicant_withdraws_an_open_request(world, state):
    request_obj = make_request(world.city, state, actor=world.handler, received_on=MON,
                               applicant=world.citizen)  # fmt: skip
    services.withdraw(request_obj, actor=world.citizen, on=date(2026, 3, 20)
                      if state != "submitted" else None)  # fmt: skip
    request_obj.refresh_from_db()
    assert request_obj.status == Status.WITHDRAWN
    assert request_obj.outcome == WITHDRAWN_OUTCOME
    assert request_obj.closed_on == request_obj.withdrawn_on
    if request_obj.clock:
        assert request_obj.clock.status == "stopped"
    with pytest.raises(ValidationError, match="不能撤回"):
        services.withdraw(request_obj, actor=world.citizen)


def test_reminders_once_a_day_to_each_handler(world):
    today = timezone.localdate()
    near = make_request(
        world.city, actor=world.handler, received_on=services.add_workdays(today, -18)
    )
    late = make_request(
        world.city, actor=world.handler, received_on=services.add_workdays(today, -22)
    )
    late.handlers.add(world.handler2)
    first = send_reminders(today)
    assert (first["near_due"], first["overdue"]) == (1, 2)
    titles = set(Message.objects.filter(recipient=world.handler).values_list("title", flat=True))
    assert titles == {f"依申请公开办件即将到期：{near.tracking_code}",
                      f"依申请公开办件已超期：{late.tracking_code}"}  # fmt: skip
    again = send_reminders(today)
    assert (again["near_due"], again["overdue"]) == (0, 0)
    # Mid-morning, so "an hour later" is the same day whenever the suite runs.
    now = timezone.make_aware(datetime.combine(today, time(10, 0)))
    assert run_reminders_if_due(now) is True
    assert run_reminders_if_due(now + timedelta(hours=1)) is False
    assert run_reminders_if_due(now + timedelta(days=1)) is True


@pytest.mark.parametrize("broken", [False, True], ids=["sent", "mail-server-down"])
def test_answer_is_emailed_to_an_applicant_who_chose_email(
    world, settings, django_capture_on_commit_callbacks, broken
):
    """No account needed: 获取方式 电子邮件 sends the 答复书 and the 答复附件 to the address
    given; a failed send is noted for the handlers and loses nothing."""
    from django.core import mail
    from django.core.files.uploadedfile import SimpleUploadedFile

    from govportal.inforequests.factories import person_data
    from govportal.inforequests.taxonomy import Delivery

    if broken:
        settings.EMAIL_BACKEND = "govportal.personal.tests.broken_backends.BrokenEmailBackend"
    request_obj = make_request(world.city, actor=world.handler, received_on=MON,
                               data=person_data(delivery=Delivery.EMAIL))  # fmt: skip
    list_file = SimpleUploadedFile("改造项目清单.xlsx", b"PK\x03\x04 demo", "application/zip")
    with django_capture_on_commit_callbacks(execute=True):
        services.answer(request_obj, on=date(2026, 3, 16), actor=world.handler,
                        attachments=[list_file],
                        **answer_kwargs(AnswerType.DISCLOSED, Outcome.PUBLIC))  # fmt: skip
    request_obj.refresh_from_db()
    assert request_obj.status == Status.ANSWERED and request_obj.answer_letter
    events = request_obj.events.filter(kind__startswith="email")
    if broken:
        assert mail.outbox == []
        failed = events.get(kind="email_failed")
        assert not failed.public and "l***@example.com" in failed.note
        return
    [message] = mail.outbox
    assert message.to == ["lisi@example.com"]
    assert request_obj.tracking_code in message.subject
    names = [name for name, _content, _type in message.attachments]
    assert names == [f"{request_obj.tracking_code}-答复书.pdf", "改造项目清单.xlsx"]
    assert "李**" in message.body and "李四光" not in message.body
    sent = events.get(kind="email")
    assert sent.public and "lisi@example.com" not in sent.text


def test_no_email_when_the_applicant_chose_another_way(world, django_capture_on_commit_callbacks):
    from django.core import mail

    request_obj = make_request(world.city, actor=world.handler, received_on=MON)
    with django_capture_on_commit_callbacks(execute=True):
        services.answer(request_obj, on=date(2026, 3, 16), actor=world.handler,
                        **answer_kwargs(AnswerType.REPEAT, Outcome.NOT_PROCESSED_REPEAT))  # fmt: skip
    assert mail.outbox == []
