"""Over HTTP: the public form, receipt, tracking, personal centre, downloads, and the admin,
as each kind of person — with personal data masked wherever the viewer is not a handler."""

import json
from datetime import date

from django.db import connection
from django.urls import reverse
from django.utils import timezone

import pytest

from govportal.inforequests import services
from govportal.inforequests.factories import CREDIT_CODE, ID_CARD, make_request, org_data
from govportal.inforequests.models import DisclosureRequest
from govportal.inforequests.taxonomy import Status
from govportal.personal.models import Message

APPLY = reverse("inforequests:apply")
MON = date(2026, 3, 2)


def form_data(**overrides):
    data = {
        "applicant_type": "natural",
        "person_name": "王小明",
        "id_type": "id_card",
        "id_number": ID_CARD,
        "phone": "13712345678",
        "email": "",
        "address": "",
        "postcode": "",
        "subject": "示例小学扩建工程批复文件",
        "description": "请提供示例小学扩建工程的立项批复。",
        "purpose": "",
        "delivery": "online",
        "declaration": "on",
    }
    data.update(overrides)
    return data


def test_anonymous_application_gives_a_receipt_only_to_its_session(world, client):
    data = form_data(organization=world.bureau.pk)
    response = client.post(APPLY, data)
    request_obj = DisclosureRequest.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("inforequests:receipt", args=(request_obj.tracking_code,))
    receipt = client.get(response.url)
    page = receipt.content.decode()
    assert request_obj.tracking_code in page and "20 个工作日" in page
    assert "王**" in page and "王小明" not in page
    assert (request_obj.organization, request_obj.status, request_obj.applicant_user) == (
        world.bureau, Status.SUBMITTED, None,
    )  # fmt: skip
    other = client.__class__()
    assert other.get(response.url).status_code == 404


def test_the_form_defaults_to_the_sites_organisation_and_prefills_the_citizen(world, client):
    client.force_login(world.citizen)
    page = client.get(APPLY)
    form = page.context["form"]
    assert form.initial["organization"] == world.city.pk
    assert form.initial["phone"] == "13800138000"
    choices = [o.pk for o in form.fields["organization"].queryset]
    assert set(choices) == {world.city.pk, world.bureau.pk, world.other.pk}


def test_a_catalogue_entry_link_chooses_its_publisher(world, client):
    assert (
        client.get(APPLY, {"org": world.bureau.pk}).context["form"].initial["organization"]
        == world.bureau.pk
    )
    # An organisation that is not offered (or nonsense) falls back to the site's own.
    for asked in ("999999", "x"):
        form = client.get(APPLY, {"org": asked}).context["form"]
        assert form.initial["organization"] == world.city.pk


def test_logged_in_application_belongs_to_the_citizen_and_sends_a_message(world, client):
    client.force_login(world.citizen)
    client.post(APPLY, form_data(organization=world.city.pk))
    request_obj = DisclosureRequest.objects.get()
    assert request_obj.applicant_user == world.citizen
    assert Message.objects.filter(
        recipient=world.citizen, case_ref=request_obj.tracking_code
    ).exists()
    cases = client.get(reverse("personal:cases")).content.decode()
    assert request_obj.tracking_code in cases and "政府信息公开申请" in cases


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"id_number": ""}, "id_number", "请填写证件号码"),
        ({"id_number": "110105194912310021"}, "id_number", "校验"),
        ({"person_name": ""}, "person_name", "请填写姓名"),
        ({"applicant_type": "commercial"}, "org_name", "请填写法人或其他组织的名称"),
        ({"applicant_type": "research", "org_name": "研究院", "credit_code": "91350100M000100Y44",
          "legal_representative": "甲", "contact_name": "乙"}, "credit_code", "校验位"),
        ({"delivery": "email"}, "email", "请填写电子邮箱"),
        ({"delivery": "post"}, "address", "请填写通信地址"),
        ({"phone": "12345"}, "phone", "有效的手机号码"),
        ({"declaration": ""}, "declaration", "申请声明"),
    ],
)  # fmt: skip
def test_errors_keep_what_was_typed(world, client, overrides, field, message):
    data = form_data(organization=world.city.pk, **overrides)
    response = client.post(APPLY, data)
    assert response.status_code == 200
    form = response.context["form"]
    assert message in " ".join(form.errors[field])
    page = response.content.decode()
    assert 'value="示例小学扩建工程批复文件"' in page
    assert "请提供示例小学扩建工程的立项批复。" in page
    assert not DisclosureRequest.objects.exists()


def test_legal_person_application_ignores_the_person_fields(world, client):
    data = form_data(
        organization=world.city.pk, applicant_type="legal_service", person_name="", id_number="",
        org_name="示例律师事务所", credit_code=CREDIT_CODE, legal_representative="周律师",
        contact_name="钱助理", phone="0999-88886666",
    )  # fmt: skip
    assert client.post(APPLY, data).status_code == 302
    request_obj = DisclosureRequest.objects.get()
    assert (request_obj.applicant_type, request_obj.name, request_obj.id_type) == (
        "legal_service", "示例律师事务所", "credit_code",
    )  # fmt: skip
    assert request_obj.id_number == CREDIT_CODE


def test_anonymous_applications_are_throttled(world, client, settings):
    settings.GOVPORTAL_INFOREQUEST_APPLY_LIMIT = 2
    for _ in range(2):
        assert client.post(APPLY, form_data(organization=world.city.pk)).status_code == 302
    refused = client.post(APPLY, form_data(organization=world.city.pk))
    assert refused.status_code == 429
    assert "提交过于频繁" in refused.content.decode()
    assert 'value="示例小学扩建工程批复文件"' in refused.content.decode()
    assert DisclosureRequest.objects.count() == 2


def test_tracking_by_code_and_last_four_digits(world, client):
    request_obj = make_request(world.city, "submitted", actor=world.handler)
    track = reverse("personal:track")
    found = client.post(
        track, {"tracking_code": request_obj.tracking_code.lower(), "verification": "5678"}
    )
    page = found.content.decode()
    assert "待登记" in page and "李**" in page and "139****5678" in page
    assert "李四光" not in page and "13912345678" not in page
    wrong = client.post(track, {"tracking_code": request_obj.tracking_code, "verification": "0000"})
    assert "未查询到相符的办件" in wrong.content.decode()


def test_applicant_pages_are_the_owners_only(world, client):
    request_obj = make_request(world.city, "answered", actor=world.handler, received_on=MON,
                               applicant=world.citizen)  # fmt: skip
    detail = reverse("inforequests:detail", args=(request_obj.tracking_code,))
    letter = reverse("inforequests:letter", args=(request_obj.tracking_code,))
    assert client.get(detail).status_code == 302  # to the login page
    client.force_login(world.citizen2)
    assert client.get(detail).status_code == 404
    assert client.get(letter).status_code == 404
    client.force_login(world.citizen)
    page = client.get(detail).content.decode()
    assert "已答复" in page and "下载答复书" in page and "李**" in page
    download = client.get(letter)
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_applicant_replies_to_the_clarification_and_withdraws(world, client):
    request_obj = make_request(world.city, "clarifying", actor=world.handler, received_on=MON,
                               applicant=world.citizen)  # fmt: skip
    client.force_login(world.citizen)
    detail = reverse("inforequests:detail", args=(request_obj.tracking_code,))
    assert "请写明所需文件的年份和文号" in client.get(detail).content.decode()
    reply = reverse("inforequests:clarification_reply", args=(request_obj.tracking_code,))
    empty = client.post(reply, {"reply": ""})
    assert empty.status_code == 400 and "请填写补正内容" in empty.content.decode()
    client.post(reply, {"reply": "2025年示政办发12号"})
    request_obj.refresh_from_db()
    assert request_obj.status == Status.PROCESSING
    assert request_obj.clock.start_date == timezone.localdate()
    withdraw = reverse("inforequests:withdraw", args=(request_obj.tracking_code,))
    assert "确认撤回" in client.get(withdraw).content.decode()
    client.post(withdraw)
    request_obj.refresh_from_db()
    assert request_obj.status == Status.WITHDRAWN


def test_personal_data_is_encrypted_at_rest(world):
    request_obj = make_request(world.city, actor=world.handler, received_on=MON)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, id_number, phone, email, address, description FROM "
            "inforequests_disclosurerequest WHERE id = %s",
            [request_obj.pk],
        )
        raw = " ".join(str(v) for v in cursor.fetchone())
    for plain in ("李四光", ID_CARD, "13912345678", "lisi@example.com", "文化路", "老旧小区"):
        assert plain not in raw


# -- admin -------------------------------------------------------------------------------------

LIST = reverse("inforequests_admin:list")


def test_admin_list_masks_names_and_highlights_deadlines(world, client):
    today = timezone.localdate()
    late = make_request(
        world.bureau, actor=world.handler, received_on=services.add_workdays(today, -22)
    )
    near = make_request(
        world.bureau, actor=world.handler, received_on=services.add_workdays(today, -18)
    )
    client.force_login(world.handler2)
    page = client.get(LIST).content.decode()
    assert late.tracking_code in page and near.tracking_code in page
    assert "李**" in page and "李四光" not in page
    over = -late.clock.remaining_workdays(today)
    left = near.clock.remaining_workdays(today)
    assert f"超期 {over} 个工作日" in page and "foi-row--overdue" in page
    assert (f"临近到期：剩 {left} 个工作日" if left else "今天到期") in page
    overdue_only = client.get(LIST, {"flag": "overdue"}).content.decode()
    assert late.tracking_code in overdue_only and near.tracking_code not in overdue_only
    assert client.get(LIST, {"q": near.tracking_code[-6:]}).context["items"].paginator.count == 1


def test_admin_list_names_organisations_in_full_and_masks_their_people(world, client):
    """An organisation's 名称 is not personal data; its representative's and contact's are."""
    make_request(world.bureau, actor=world.handler, received_on=MON, data=org_data())
    client.force_login(world.handler2)
    page = client.get(LIST).content.decode()
    assert "示例市青松科技有限公司" in page
    assert "王青松" not in page and "赵联络" not in page


def test_admin_detail_reveals_only_to_assigned_handlers(world, client):
    request_obj = make_request(world.city, actor=world.handler, received_on=MON)
    url = reverse("inforequests_admin:detail", args=(request_obj.pk,))
    client.force_login(world.handler2)
    page = client.get(url).content.decode()
    assert "李**" in page and "李四光" not in page and ID_CARD not in page
    assert "13912345678" not in page
    client.force_login(world.handler)
    page = client.get(url).content.decode()
    assert "李四光" in page and ID_CARD in page and "13912345678" in page
    from govportal.audit.models import AuditRecord

    assert AuditRecord.objects.filter(action="privacy.reveal").exists()


@pytest.mark.parametrize("who", ["outsider", "citizen"])
def test_other_organisations_and_citizens_cannot_open_admin_requests(world, client, who):
    request_obj = make_request(world.city, actor=world.handler, received_on=MON)
    client.force_login(getattr(world, who))
    for name in ("detail", "answer", "clarify", "assign", "letter"):
        response = client.get(reverse(f"inforequests_admin:{name}", args=(request_obj.pk,)))
        assert response.status_code in (302, 403, 404), name
        assert "李" not in response.content.decode()
    if who == "outsider":
        assert request_obj.tracking_code not in client.get(LIST).content.decode()


def test_non_handler_cannot_act_and_is_told_why(world, client):
    request_obj = make_request(world.city, actor=world.handler, received_on=MON)
    client.force_login(world.handler2)
    url = reverse("inforequests_admin:answer", args=(request_obj.pk,))
    response = client.post(
        url, {"answer_type": "repeat", "outcome": "np_repeat", "on": "2026-03-10"}, follow=True
    )
    assert "只有该申请的承办人可以办理此环节" in response.content.decode()
    request_obj.refresh_from_db()
    assert request_obj.status == Status.PROCESSING


def test_staff_confirm_and_answer_over_http(world, client):
    request_obj = make_request(
        world.city, "submitted", actor=world.handler, applicant=world.citizen
    )
    client.force_login(world.handler)
    confirm = reverse("inforequests_admin:confirm", args=(request_obj.pk,))
    assert client.post(confirm, {"on": timezone.localdate().isoformat()}).status_code == 302
    request_obj.refresh_from_db()
    assert (
        request_obj.status == Status.PROCESSING and request_obj.received_on == timezone.localdate()
    )
    answer = reverse("inforequests_admin:answer", args=(request_obj.pk,))
    bad = client.post(
        answer,
        {
            "on": timezone.localdate().isoformat(),
            "answer_type": "already_public",
            "outcome": "partial",
        },
    )
    assert "不符" in bad.content.decode()
    preview = client.post(answer, {"on": timezone.localdate().isoformat(), "answer_type": "repeat",
                                   "outcome": "np_repeat", "action": "preview"})  # fmt: skip
    assert preview["Content-Type"] == "application/pdf"
    request_obj.refresh_from_db()
    assert request_obj.status == Status.PROCESSING
    done = client.post(
        answer,
        {"on": timezone.localdate().isoformat(), "answer_type": "repeat", "outcome": "np_repeat"},
    )
    assert done.status_code == 302
    request_obj.refresh_from_db()
    assert request_obj.status == Status.ANSWERED and request_obj.letter_number


def test_staff_register_a_letter(world, client):
    client.force_login(world.handler)
    data = form_data(organization=world.bureau.pk, received_via="letter", received_on="2026-03-02")
    response = client.post(reverse("inforequests_admin:register"), data)
    assert response.status_code == 302
    request_obj = DisclosureRequest.objects.get()
    assert (request_obj.received_via, request_obj.received_on) == ("letter", MON)
    assert request_obj.clock.due_date == date(2026, 3, 30)
    future = client.post(
        reverse("inforequests_admin:register"), {**data, "received_on": "2999-01-01"}
    )
    assert "不能晚于今天" in future.content.decode()
    client.force_login(world.outsider)
    other = client.post(reverse("inforequests_admin:register"), data)
    assert other.status_code == 200 and DisclosureRequest.objects.count() == 1


def test_menu_shows_the_attention_count(world, client):
    make_request(
        world.city,
        actor=world.handler,
        received_on=services.add_workdays(timezone.localdate(), -22),
    )
    client.force_login(world.handler)
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert json.dumps("依申请公开（1）")[1:-1] in page  # the sidebar's JSON props
