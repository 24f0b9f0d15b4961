"""The public side of 来信: writing form, CAPTCHA, receipt, writer page, 来信选登."""

import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

import pytest
from captcha.models import CaptchaStore

from govportal.interaction import captcha as human
from govportal.interaction.factories import make_letter
from govportal.interaction.models import Letter, LetterAttachment, MailboxField
from govportal.interaction.taxonomy import FieldType, Status

PASSWORD = "Gov!portal-2026x"  # noqa: S105


@pytest.fixture
def test_mode(monkeypatch):
    """django-simple-captcha's test mode (answer "PASSED"), for this test only."""
    from captcha.conf import settings as captcha_settings

    monkeypatch.setattr(captcha_settings, "CAPTCHA_TEST_MODE", True)


def write_url(mailbox):
    return reverse("interaction:write", args=(mailbox.pk,))


def form_data(world, **overrides):
    data = {
        "title": "青山路口红绿灯时间太短",
        "body": "青山路与幸福路交叉口行人绿灯只有十秒，老人过马路来不及，请延长。",
        "category": world.mailbox.categories.get(name="交通出行").pk,
        "name": "李四",
        "phone": "13712345678",
        "email": "",
        "address": "",
        "wants_public": "on",
        "verify_method": "image",
        "captcha_0": "x",
        "captcha_1": "PASSED",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.mark.django_db
def test_anonymous_writer_needs_captcha_and_gets_receipt(client, world, test_mode):
    page = client.get(write_url(world.mailbox))
    assert page.status_code == 200
    html = page.content.decode()
    assert "图形验证码" in html and "换一张" in html
    assert "选择不公开，您的来信和答复不会在网站上显示" in html

    missing = client.post(write_url(world.mailbox), form_data(world, captcha_1=""))
    assert missing.status_code == 400
    assert "请填写图形验证码" in missing.content.decode()
    assert "青山路口红绿灯时间太短" in missing.content.decode()  # nothing typed is lost

    done = client.post(write_url(world.mailbox), form_data(world))
    assert done.status_code == 302
    letter = Letter.objects.get()
    assert letter.writer is None and letter.wants_public and letter.name == "李四"
    assert letter.category.name == "交通出行"
    receipt = client.get(done["Location"])
    assert letter.tracking_code in receipt.content.decode()
    assert "李*" in receipt.content.decode() and "137****5678" in receipt.content.decode()


@pytest.mark.django_db
def test_wrong_captcha_is_refused_and_right_one_accepted(client, world):
    client.get(write_url(world.mailbox))
    store = CaptchaStore.objects.latest("pk")
    wrong = client.post(write_url(world.mailbox), form_data(
        world, captcha_0=store.hashkey, captcha_1=store.response + "x"))  # fmt: skip
    assert wrong.status_code == 400
    assert "图形验证码不正确" in wrong.content.decode()
    assert not Letter.objects.exists()
    # The store is used up even by a wrong answer: a new image is shown.
    client.get(write_url(world.mailbox))
    store = CaptchaStore.objects.latest("pk")
    ok = client.post(write_url(world.mailbox), form_data(
        world, captcha_0=store.hashkey, captcha_1=store.response.upper()))  # fmt: skip
    assert ok.status_code == 302 and Letter.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.skipif(not human.sms_available(), reason="citizens.models.Purpose has no LETTER yet")
def test_sms_code_alternative(client, world):
    from govportal.citizens import sms

    url = write_url(world.mailbox)
    data = form_data(world, verify_method="sms", captcha_1="", captcha_0="")
    sent = client.post(url, {**data, "action": "send_sms"}, HTTP_X_REQUESTED_WITH="XMLHttpRequest")
    assert sent.status_code == 200 and "137****5678" in sent.json()["message"]
    code = re.search(r"验证码为 (\d{6})", sms.outbox[-1].text).group(1)
    wrong = client.post(url, {**data, "sms_code": "000000" if code != "000000" else "111111"})
    assert wrong.status_code == 400 and "验证码不正确" in wrong.content.decode()
    ok = client.post(url, {**data, "sms_code": code})
    assert ok.status_code == 302 and Letter.objects.count() == 1


@pytest.mark.django_db
def test_sms_alternative_needs_a_mobile(client, world):
    url = write_url(world.mailbox)
    data = form_data(world, verify_method="sms", phone="0999-88886666", sms_code="123456")
    answer = client.post(url, data)
    assert answer.status_code == 400
    if human.sms_available():
        assert "联系电话须为手机号码" in answer.content.decode()


@pytest.mark.django_db
def test_anonymous_submissions_are_throttled(client, world, settings, test_mode):
    settings.GOVPORTAL_LETTER_ANONYMOUS_LIMIT = 2
    for i in range(2):
        answer = client.post(write_url(world.mailbox), form_data(
            world, title=f"第{i}件不同的事情", body=f"内容各不相同第{i}件：" + "甲乙丙丁" * (i + 1),
            confirm_duplicate="on"))  # fmt: skip
        assert answer.status_code == 302
    third = client.post(write_url(world.mailbox), form_data(world, confirm_duplicate="on"))
    assert third.status_code == 429
    assert "提交过于频繁" in third.content.decode()
    assert Letter.objects.count() == 2


@pytest.mark.django_db
def test_signed_in_citizen_is_prefilled_skips_captcha_and_is_limited(client, world, settings):
    settings.GOVPORTAL_LETTER_SIGNED_IN_LIMIT = 1
    client.force_login(world.citizen)
    page = client.get(write_url(world.mailbox))
    html = page.content.decode()
    assert "图形验证码" not in html
    assert 'value="13800138000"' in html
    data = form_data(world, phone="13800138000", captcha_0=None, captcha_1=None)
    done = client.post(write_url(world.mailbox), data)
    assert done.status_code == 302
    letter = Letter.objects.get()
    assert letter.writer == world.citizen
    again = client.post(write_url(world.mailbox), {**data, "confirm_duplicate": "on"})
    assert again.status_code == 429


@pytest.mark.django_db
def test_custom_fields_file_and_location(client, world, test_mode, settings, tmp_path):
    mailbox = world.mailbox
    mailbox.ask_location = "required"
    mailbox.save()
    MailboxField.objects.create(page=mailbox, label="所在街道", field_type=FieldType.DROPDOWN,
                                choices="青山街道\n幸福街道", required=True)  # fmt: skip
    MailboxField.objects.create(page=mailbox, label="现场照片", field_type=FieldType.FILE,
                                required=False)  # fmt: skip
    url = write_url(mailbox)
    html = client.get(url).content.decode()
    assert "所在街道" in html and "现场照片" in html and "使用我的位置" in html

    bad = client.post(url, form_data(world, latitude="39.9"))
    text = bad.content.decode()
    assert bad.status_code == 400
    assert "请填写问题发生的位置" in text and "请选择所在街道" in text
    assert "经度和纬度须同时填写" in text
    assert "附件请重新选择" in text

    fields = {f.label: f"extra_{f.clean_name}" for f in mailbox.form_fields.all()}
    exe = SimpleUploadedFile("a.exe", b"MZ", content_type="application/octet-stream")
    data = form_data(world, location_text="青山路口")
    data |= {fields["所在街道"]: "青山街道", fields["现场照片"]: exe}
    refused = client.post(url, data)
    assert refused.status_code == 400 and "格式不支持" in refused.content.decode()

    photo = SimpleUploadedFile("路口.jpg", b"\xff\xd8\xff" + b"0" * 100, content_type="image/jpeg")
    data = form_data(world, location_text="青山路口", latitude="39.900000", longitude="116.400000")
    data |= {fields["所在街道"]: "青山街道", fields["现场照片"]: photo}
    done = client.post(url, data)
    assert done.status_code == 302, done.content.decode()
    letter = Letter.objects.get()
    assert letter.location_text == "青山路口" and str(letter.latitude) == "39.900000"
    assert "青山街道" in letter.extra_data
    attachment = letter.attachments.get()
    assert attachment.kind == LetterAttachment.Kind.WRITER and attachment.filename == "路口.jpg"


@pytest.mark.django_db
def test_wants_public_follows_the_mailbox_default_and_the_writer(client, world, test_mode):
    world.mailbox.replies_public_default = False
    world.mailbox.save()
    html = client.get(write_url(world.mailbox)).content.decode()
    assert re.search(r'<input type="checkbox" name="wants_public"[^>]*checked', html) is None
    data = form_data(world)
    del data["wants_public"]
    assert client.post(write_url(world.mailbox), data).status_code == 302
    assert Letter.objects.get().wants_public is False


@pytest.mark.django_db
def test_duplicate_warning_then_confirm(client, world, test_mode):
    first = make_letter(world.mailbox, "submitted", staff=world.staff)
    url = write_url(world.mailbox)
    data = form_data(world, title=first.title, body=first.body)
    warned = client.post(url, data)
    html = warned.content.decode()
    assert warned.status_code == 200
    assert "您反映的问题可能已有人反映" in html and first.title in html
    assert "我已查看，仍要提交" in html
    assert "图形验证码" not in html  # the check already passed in this session
    assert Letter.objects.count() == 1
    data.pop("captcha_0"), data.pop("captcha_1")
    done = client.post(url, {**data, "confirm_duplicate": "on"})
    assert done.status_code == 302
    new = Letter.objects.exclude(pk=first.pk).get()
    assert first in new.similar_letters.all()


@pytest.mark.django_db
def test_receipt_only_in_the_submitting_session(client, world, test_mode):
    done = client.post(write_url(world.mailbox), form_data(world))
    assert client.get(done["Location"]).status_code == 200
    from django.test import Client

    assert Client().get(done["Location"]).status_code == 404


@pytest.mark.django_db
def test_closed_mailbox_shows_notice_and_no_form(client, world, test_mode):
    world.mailbox.is_open = False
    world.mailbox.save()
    page = client.get(write_url(world.mailbox))
    assert "该信箱暂停受理来信" in page.content.decode()
    assert "提交来信" not in page.content.decode()
    assert client.post(write_url(world.mailbox), form_data(world)).status_code == 403
    assert not Letter.objects.exists()


@pytest.mark.django_db
def test_tracking_lookup_with_last_four_digits(client, world, test_mode):
    client.post(write_url(world.mailbox), form_data(world))
    letter = Letter.objects.get()
    other = client.__class__()
    wrong = other.post(reverse("personal:track"),
                       {"tracking_code": letter.tracking_code, "verification": "0000"})  # fmt: skip
    assert "未查询到相符的办件" in wrong.content.decode()
    found = other.post(reverse("personal:track"),
                       {"tracking_code": letter.tracking_code.lower(), "verification": "5678"})  # fmt: skip
    html = found.content.decode()
    assert "来信" in html and letter.title in html and "待受理" in html


@pytest.mark.django_db
def test_writer_page_is_owner_only_and_listed_in_my_cases(client, world):
    letter = make_letter(world.mailbox, "answered", staff=world.staff, writer=world.citizen,
                         public=True)  # fmt: skip
    url = reverse("interaction:mine", args=(letter.tracking_code,))
    assert client.get(url).status_code == 302  # login first
    client.force_login(world.citizen2)
    assert client.get(url).status_code == 404
    client.force_login(world.citizen)
    html = client.get(url).content.decode()
    assert letter.answer_text[:10] in html and "评价答复" in html and "申请重新办理" in html
    cases = client.get(reverse("personal:cases")).content.decode()
    assert letter.tracking_code in cases


@pytest.mark.django_db
def test_rate_closes_the_letter(client, world):
    letter = make_letter(world.mailbox, "answered", staff=world.staff, writer=world.citizen)
    client.force_login(world.citizen)
    url = reverse("interaction:rate", args=(letter.tracking_code,))
    empty = client.post(url, {})
    assert empty.status_code == 400 and "请选择您对答复的评价" in empty.content.decode()
    client.post(url, {"satisfaction": "basically", "comment": "还行"})
    letter.refresh_from_db()
    assert letter.status == Status.CLOSED and letter.satisfaction == "basically"
    client.force_login(world.citizen2)
    assert client.post(url, {"satisfaction": "satisfied"}).status_code == 404


@pytest.mark.django_db
def test_reopen_once_with_a_reason(client, world):
    letter = make_letter(world.mailbox, "answered", staff=world.staff, writer=world.citizen)
    client.force_login(world.citizen)
    url = reverse("interaction:reopen", args=(letter.tracking_code,))
    assert client.post(url, {"reason": ""}).status_code == 400
    assert client.post(url, {"reason": "问题没有解决"}).status_code == 302
    letter.refresh_from_db()
    assert letter.status == Status.DISPATCHED and letter.reopened == 1
    html = client.get(reverse("interaction:mine", args=(letter.tracking_code,))).content.decode()
    assert "不满意，申请重新办理" not in html


@pytest.mark.django_db
def test_public_list_and_page_mask_personal_data(client, world):
    body = "我叫王小明，电话13912345678，身份证110101199003077777，反映小区噪音问题。"
    shown = make_letter(world.mailbox, "answered", staff=world.staff, public=True,
                        data={"name": "王小明", "title": "小区夜间施工噪音", "body": body})  # fmt: skip
    private = make_letter(world.mailbox, "answered", staff=world.staff, public=False,
                          data={"title": "不公开的来信"})  # fmt: skip
    unwanted = make_letter(world.mailbox, "answered", staff=world.staff, public=True,
                           data={"title": "写信人不同意公开", "wants_public": False})  # fmt: skip
    listing = client.get(reverse("interaction:public_list")).content.decode()
    assert "小区夜间施工噪音" in listing and "王**" in listing
    assert "不公开的来信" not in listing and "写信人不同意公开" not in listing
    page = client.get(reverse("interaction:public_detail", args=(shown.pk,))).content.decode()
    assert "13912345678" not in page and "110101199003077777" not in page
    assert "139****5678" in page and "王**" in page
    assert "答复部门" in page and shown.answer_unit.name in page
    for hidden in (private, unwanted):
        assert (
            client.get(reverse("interaction:public_detail", args=(hidden.pk,))).status_code == 404
        )


@pytest.mark.django_db
def test_public_list_filters(client, world):
    a = make_letter(world.mailbox, "answered", staff=world.staff, public=True,
                    data={"title": "教育类的来信"})  # fmt: skip
    b = make_letter(world.mailbox, "closed", staff=world.staff, public=True, writer=world.citizen,
                    data={"title": "已经办结的来信"})  # fmt: skip
    url = reverse("interaction:public_list")
    closed = client.get(url, {"status": "closed"}).content.decode()
    assert b.title in closed and a.title not in closed
    unit = client.get(url, {"unit": a.answer_unit_id}).content.decode()
    assert a.title in unit
    none = client.get(url, {"start": "2000-01-01", "end": "2000-01-02"}).content.decode()
    assert a.title not in none and "共 0 件" in none
    bad = client.get(url, {"start": "2026-02-01", "end": "2026-01-01"}).content.decode()
    assert "结束日期不能早于开始日期" in bad
    by_box = client.get(url, {"mailbox": world.mailbox.pk}).content.decode()
    assert a.title in by_box and b.title in by_box
