"""The daily job: near-due and overdue reminders to the lead unit, automatic 督办, the hard
alarm once, closing unrated answers — and once a day only."""

from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

from govportal.core.workdays import add_workdays
from govportal.interaction import reminders, services
from govportal.interaction.factories import make_letter
from govportal.interaction.models import Letter, Supervision
from govportal.interaction.taxonomy import HARD_ALARM_DAYS, REOPEN_DAYS, Status
from govportal.personal.models import Message


def _letter(world, state, **kw):
    return make_letter(world.mailbox, state, staff=world.staff, writer=world.citizen, **kw)


def _titles(user):
    return list(Message.objects.filter(recipient=user).values_list("title", flat=True))


def test_near_due_and_overdue_reminders_go_to_the_lead_unit_once_a_day(world):
    today = timezone.localdate()
    near = _letter(world, "signed", on=add_workdays(today, -9))  # 1 working day left
    late = _letter(world, "signed", on=add_workdays(today, -12))
    fine = _letter(world, "signed")
    result = reminders.send_reminders(today)
    assert result["near_due"] >= 1 and result["overdue"] >= 1
    titles = _titles(world.handler)
    assert f"{reminders.NEAR_TITLE}{near.tracking_code}" in titles
    assert f"{reminders.OVERDUE_TITLE}{late.tracking_code}" in titles
    assert not any(fine.tracking_code in t for t in titles if t.startswith("来信"))
    assert not any(late.tracking_code in t for t in _titles(world.outsider))
    count = Message.objects.count()
    reminders.send_reminders(today)
    assert Message.objects.count() == count  # nothing twice on the same day


def test_overdue_letters_get_one_automatic_supervision(world):
    today = timezone.localdate()
    late = _letter(world, "signed", on=add_workdays(today, -12))
    reminders.send_reminders(today)
    reminders.send_reminders(today)
    [sup] = Supervision.objects.filter(letter=late)
    assert sup.automatic and sup.organization == world.city  # parent of the lead unit 教育局
    assert any(t == f"督办来信：{late.tracking_code}" for t in _titles(world.supervisor))
    assert services.is_supervisor(world.supervisor, late)
    assert late in services.queue(world.supervisor, "supervise")
    # Answering resolves it.
    reply = services.draft_reply(late, "已办理。", actor=world.handler)
    services.submit_reply(reply, actor=world.handler)
    services.approve_reply(reply, actor=world.approver)
    sup.refresh_from_db()
    assert sup.resolved_at is not None


def test_hard_alarm_once_for_old_open_letters(world):
    today = timezone.localdate()
    old = _letter(world, "signed", on=today - timedelta(days=HARD_ALARM_DAYS + 2))
    recent = _letter(world, "signed", on=today - timedelta(days=HARD_ALARM_DAYS - 5))
    reminders.send_reminders(today)
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.hard_alarm_at is not None and recent.hard_alarm_at is None
    alarms = [t for t in _titles(world.dispatcher) if t.startswith(reminders.ALARM_TITLE)]
    assert alarms == [f"{reminders.ALARM_TITLE}{old.tracking_code}"]
    body = Message.objects.get(recipient=world.dispatcher, title=alarms[0]).body
    assert "距3个月期限仅剩28天" in body
    assert Message.objects.filter(recipient=world.supervisor, title=alarms[0]).exists()
    first = old.hard_alarm_at
    reminders.send_reminders(today + timedelta(days=1))
    old.refresh_from_db()
    assert old.hard_alarm_at == first
    assert old.events.filter(kind="hard_alarm").count() == 1


def test_unrated_answers_close_after_the_rating_period(world):
    today = timezone.localdate()
    old = _letter(world, "answered", on=today - timedelta(days=REOPEN_DAYS + 12))
    new = _letter(world, "answered")
    reminders.send_reminders(today)
    assert Letter.objects.get(pk=old.pk).status == Status.CLOSED
    assert Letter.objects.get(pk=old.pk).satisfaction == ""
    assert Letter.objects.get(pk=new.pk).status == Status.ANSWERED


def test_scheduler_runs_it_once_a_day_and_the_command_by_hand(world, capsys):
    now = timezone.now()
    assert reminders.run_letter_reminders_if_due(now) is True
    assert reminders.run_letter_reminders_if_due(now) is False
    assert reminders.run_letter_reminders_if_due(now + timedelta(days=1)) is True
    call_command("send_letter_reminders")
    assert "超长告警" in capsys.readouterr().out
