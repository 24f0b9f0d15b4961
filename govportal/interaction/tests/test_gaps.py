"""The smaller gaps of 来信办理 (issue 6): who sees the writer in full, step pages that refuse
people who may not take the step, downloading the writer's attachments in the admin, adding
协办单位 after dispatch, and the form helpers shared from ``govportal.core.forms``."""

from urllib.parse import quote

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

import pytest

from govportal.audit.models import AuditRecord
from govportal.interaction import services
from govportal.interaction.factories import letter_data, make_letter
from govportal.interaction.taxonomy import AssignmentRole, AssignmentStatus
from govportal.personal.models import Message


def _letter(world, state, **kw):
    return make_letter(world.mailbox, state, staff=world.staff, writer=world.citizen, **kw)


def _detail(letter):
    return reverse("interaction_admin:detail", args=(letter.pk,))


# -- a. who sees the writer's contact data in full -------------------------------------------


@pytest.mark.parametrize(
    ("state", "who", "full"),
    [
        ("submitted", "dispatcher", True),  # must verify the writer before accepting
        ("submitted", "handler", False),  # the unit does not hold it yet
        ("dispatched", "dispatcher", True),
        ("dispatched", "handler", True),  # lead unit
        ("dispatched", "assist", True),  # assisting unit
        ("dispatched", "approver", False),  # in the lead unit, but not a handler
        ("dispatched", "supervisor", False),
        ("dispatched", "outsider", False),  # every role, in another unit
        ("returned", "handler", False),  # the unit gave it back
    ],
)
def test_who_may_see_the_writer_in_full(world, state, who, full):
    letter = _letter(world, state)
    assert letter.privacy_can_reveal(getattr(world, who), "phone") is full


def test_without_handling_units_the_site_owners_dispatchers_see_the_writer(world):
    from govportal.interaction.factories import make_staff

    world.mailbox.handling_units.clear()
    letter = _letter(world, "submitted")
    elsewhere = make_staff("xj_other_dispatch", world.other, "dispatch")
    assert letter.privacy_can_reveal(world.dispatcher, "name")  # city owns the site
    assert not letter.privacy_can_reveal(elsewhere, "name")


def test_dispatcher_sees_the_writer_on_the_letter_page_and_it_is_audited(world, client):
    """Needs ``Letter.privacy_reveal_permission`` to admit dispatchers (see the report)."""
    letter = _letter(world, "submitted")
    client.force_login(world.dispatcher)
    page = client.get(_detail(letter)).content.decode()
    assert "13812345678" in page and "张三" in page
    assert AuditRecord.objects.filter(
        action="privacy.reveal", user=world.dispatcher, object_id=str(letter.pk)
    ).exists()
    client.force_login(world.supervisor)  # a supervisor of a supervised letter: masked
    services.supervise(letter, "群众反映强烈", actor=world.supervisor)
    page = client.get(_detail(letter)).content.decode()
    assert "13812345678" not in page and "138****5678" in page


# -- b. a step's page refuses who may not take the step ----------------------------------------


def _step_url(letter, step):
    if step in ("sign", "return", "decide_return"):
        target = services.lead_assignment(letter) or letter.assignments.first()
    elif step == "opinion":
        target = letter.assignments.get(role=AssignmentRole.ASSIST)
    elif step == "review":
        target = letter.replies.get()
    else:
        target = letter
    return reverse(f"interaction_admin:{step}", args=(target.pk,))


@pytest.mark.parametrize(
    ("state", "step", "who", "message"),
    [
        ("dispatched", "accept", "handler", "受理派单权限"),
        ("dispatched", "reject", "handler", "受理派单权限"),
        ("dispatched", "merge", "assist", "受理派单权限"),
        ("return_requested", "decide_return", "handler", "受理派单权限"),
        ("dispatched", "sign", "dispatcher", "承办单位有办理权限"),
        ("dispatched", "return", "assist", "承办单位有办理权限"),  # the lead's assignment
        ("dispatched", "opinion", "handler", "承办单位有办理权限"),  # the assist's assignment
        ("signed", "reply", "dispatcher", "主办单位有办理权限"),
        ("dispatched", "reply", "handler", "请先签收"),  # right person, not signed yet
        ("reviewing", "review", "handler", "审核权限"),
        ("reviewing", "review", "dispatcher", "审核权限"),
        ("signed", "supervise", "handler", "督办权限"),
        ("signed", "supervise_opinion", "dispatcher", "督办权限"),
    ],
)
def test_a_step_page_sends_back_who_may_not_take_it(world, client, state, step, who, message):
    letter = _letter(world, state)
    client.force_login(getattr(world, who))
    response = client.get(_step_url(letter, step))
    assert response.status_code == 302 and response.url == _detail(letter)
    page = client.get(response.url).content.decode()
    assert message in page


@pytest.mark.parametrize(
    ("state", "step", "who"),
    [
        ("submitted", "accept", "dispatcher"),
        ("accepted", "dispatch", "dispatcher"),
        ("dispatched", "sign", "handler"),
        ("signed", "reply", "handler"),
        ("reviewing", "review", "approver"),
        ("return_requested", "decide_return", "dispatcher"),
    ],
)
def test_a_step_page_shows_its_form_to_who_may_take_it(world, client, state, step, who):
    letter = _letter(world, state)
    client.force_login(getattr(world, who))
    response = client.get(_step_url(letter, step))
    assert response.status_code == 200 and 'id="action-submit"' in response.content.decode()


def test_the_author_of_a_reply_may_not_open_its_review_page(world, client):
    letter = _letter(world, "signed")
    reply = services.draft_reply(letter, "已处理。", actor=world.handler2)
    services.submit_reply(reply, actor=world.handler2)
    client.force_login(world.handler2)  # holds approve too, but wrote it
    response = client.get(reverse("interaction_admin:review", args=(reply.pk,)), follow=True)
    assert "拟稿人以外的人审核批准" in response.content.decode()


# -- c. the writer's attachments download in the admin ----------------------------------------


def test_staff_download_a_writer_attachment_with_its_chinese_name(world, client):
    photo = SimpleUploadedFile(
        "现场 照片.jpg", b"\xff\xd8\xff fake jpeg", content_type="image/jpeg"
    )
    letter = services.submit(world.mailbox, letter_data(), user=world.citizen,
                             attachments=[photo], category=world.mailbox.categories.first())  # fmt: skip
    services.accept(letter, actor=world.dispatcher)
    item = letter.attachments.get()
    url = reverse("interaction_admin:attachment", args=(item.pk,))
    client.force_login(world.dispatcher)
    assert url in client.get(_detail(letter)).content.decode()
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"\xff\xd8\xff fake jpeg"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=utf-8''{quote('现场 照片.jpg')}" in disposition
    record = AuditRecord.objects.get(action="letter.attachment_download")
    assert record.user == world.dispatcher and record.after["附件"] == "现场 照片.jpg"
    # Who may not open the letter gets nothing, and nothing is audited for them.
    for user, status in ((world.handler, 404), (world.outsider, 404), (world.citizen, 302)):
        client.force_login(user)
        assert client.get(url).status_code == status
    assert AuditRecord.objects.filter(action="letter.attachment_download").count() == 1


# -- d. 协办单位 added after dispatch -------------------------------------------------------------


def test_dispatcher_adds_an_assisting_unit_after_dispatch(world):
    letter = _letter(world, "signed")
    services.add_assist_units(letter, [world.other], actor=world.dispatcher, note="涉及外市")
    added = letter.assignments.get(organization=world.other)
    assert added.role == AssignmentRole.ASSIST and added.status == AssignmentStatus.PENDING
    assert letter.events.filter(kind="assist_add", text__contains=world.other.name).exists()
    assert AuditRecord.objects.filter(action="letter.assist_add", object_id=str(letter.pk)).exists()
    assert Message.objects.filter(recipient=world.outsider, title__contains="协办").exists()
    assert services.is_unit_staff(world.outsider, added)  # the new unit can now sign it


@pytest.mark.parametrize(
    ("state", "unit", "who", "error"),
    [
        ("signed", "roads", "dispatcher", ValidationError),  # already assisting
        ("signed", "edu", "dispatcher", ValidationError),  # the lead unit
        ("accepted", "roads", "dispatcher", ValidationError),  # not dispatched yet: 派单
        ("closed", "other", "dispatcher", ValidationError),
        ("signed", "other", "handler", PermissionDenied),
    ],
)
def test_adding_assisting_units_is_refused(world, state, unit, who, error):
    letter = _letter(world, state)
    before = letter.assignments.count()
    with pytest.raises(error):
        services.add_assist_units(letter, [getattr(world, unit)], actor=getattr(world, who))
    assert letter.assignments.count() == before


def test_the_letter_page_offers_adding_assisting_units_to_the_dispatcher(world, client):
    letter = _letter(world, "signed")
    client.force_login(world.handler)
    assert 'id="add-assist"' not in client.get(_detail(letter)).content.decode()
    client.force_login(world.dispatcher)
    page = client.get(_detail(letter)).content.decode()
    assert 'id="add-assist"' in page
    assert f'value="{world.other.pk}"' in page and f'value="{world.roads.pk}"' not in page
    url = reverse("interaction_admin:add_assist", args=(letter.pk,))
    response = client.post(url, {"units": [], "note": "请配合"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "请选择要增加的协办单位" in body and "请配合" in body  # nothing typed is lost
    response = client.post(url, {"units": [world.other.pk], "note": ""})
    assert response.status_code == 302
    assert letter.assignments.filter(organization=world.other).exists()
    client.force_login(world.handler)
    assert client.get(url).status_code == 302  # not a dispatcher: sent back


# -- e. the form helpers live in core ----------------------------------------------------------


def test_shared_form_helpers_come_from_core():
    from govportal.core import forms as core_forms
    from govportal.inforequests import forms as inforequest_forms
    from govportal.interaction import forms as letter_forms

    for name in ("ChineseFormMixin", "validate_phone", "ALLOWED_EXTENSIONS", "MAX_FILE_BYTES"):
        assert getattr(inforequest_forms, name) is getattr(core_forms, name)
    assert letter_forms.ChineseFormMixin is core_forms.ChineseFormMixin
    assert core_forms.validate_phone("138 1234 5678") == "13812345678"
    with pytest.raises(ValidationError, match="有效的手机号码"):
        core_forms.validate_phone("12345")
    with pytest.raises(ValidationError, match="格式不支持"):
        core_forms.validate_upload(SimpleUploadedFile("a.exe", b"x"))
    big = SimpleUploadedFile("a.pdf", b"x")
    big.size = core_forms.MAX_FILE_BYTES + 1
    with pytest.raises(ValidationError, match="超过 10 MB"):
        core_forms.validate_upload(big)


def test_letter_form_rejects_a_bad_attachment_in_chinese(world):
    from govportal.interaction.forms import LetterForm
    from govportal.interaction.models import MailboxField, MailboxPage

    MailboxField.objects.create(page=world.mailbox, label="现场照片", field_type="file",
                                required=False)  # fmt: skip
    data = letter_data(wants_public="on") | {"category": world.mailbox.categories.first().pk}
    field = f"extra_{world.mailbox.form_fields.get().clean_name}"
    mailbox = MailboxPage.objects.get(pk=world.mailbox.pk)
    form = LetterForm(data, {field: SimpleUploadedFile("病毒.exe", b"x")}, mailbox=mailbox,
                      anonymous=False)  # fmt: skip
    assert not form.is_valid()
    assert "格式不支持" in form.errors[field][0]
    assert form.errors.get("title") is None  # the rest is kept
