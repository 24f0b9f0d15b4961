"""The public side: asking, nothing shown before approval, the stream, masking, 访谈实录."""

import datetime
import json

from django.utils import timezone

import pytest

from govportal.audit.models import AuditRecord
from govportal.interviews import services
from govportal.interviews.models import Question, QuestionStatus
from govportal.interviews.views import ASK_LIMIT

from .conftest import get_page, make_interview, post_page

pytestmark = pytest.mark.django_db


def ask(client, page, text, headers=None, **fields):
    data = {"text": text, "nickname": "", **fields}
    return post_page(client, page, "ask/", data, **(headers or {}))


def stream(client, page, since=0, **headers):
    return get_page(client, page, f"stream/?since={since}", **headers)


# -- asking ---------------------------------------------------------------------------------
def test_live_page_offers_the_form_and_a_valid_question_waits_for_moderation(client, interview):
    page = get_page(client, interview)
    html = page.content.decode()
    assert "直播中" in html and "我要提问" in html
    assert page["Cache-Control"] == "private, no-cache"

    response = ask(client, interview, "社区健身器材坏了向哪里报修？", nickname="热心市民")
    assert response.status_code == 302
    assert response["Location"].endswith("?asked=1#ask")
    question = Question.objects.get(interview=interview)
    assert question.status == QuestionStatus.PENDING
    assert question.nickname == "热心市民"
    follow = get_page(client, interview, "?asked=1")
    assert "提问已提交，经审核后显示" in follow.content.decode()
    assert AuditRecord.objects.filter(action="interviews.ask").count() == 1


def test_question_sent_by_script_gets_json(client, interview):
    response = ask(
        client, interview, "老年人健身有没有专门的指导？", {"HTTP_ACCEPT": "application/json"}
    )
    assert response.status_code == 200
    assert json.loads(response.content)["ok"] is True


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "请填写您的问题"),
        ("问" * 501, "问题不能超过500字"),
    ],
    ids=["empty", "too-long"],
)
def test_bad_question_is_refused_clearly_and_keeps_what_was_typed(client, interview, text, message):
    response = post_page(client, interview, "ask/", {"text": text, "nickname": "跑步爱好者"})
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert "跑步爱好者" in html  # nothing typed is lost
    if text:
        assert text in html
    assert not Question.objects.exists()


def test_exactly_500_characters_is_accepted(client, interview):
    assert ask(client, interview, "问" * 500).status_code == 302
    assert Question.objects.count() == 1


def test_throttle_refuses_after_the_limit_and_keeps_the_text(client, interview):
    for n in range(ASK_LIMIT):
        assert ask(client, interview, f"第{n}个问题").status_code == 302
    response = ask(client, interview, "还想再问一个问题")
    assert response.status_code == 429
    html = response.content.decode()
    assert "提问过于频繁" in html
    assert "还想再问一个问题" in html
    assert Question.objects.count() == ASK_LIMIT


def test_honeypot_looks_successful_but_stores_nothing(client, interview):
    response = ask(client, interview, "买药请加微信", website="http://spam.example")
    assert response.status_code == 302
    assert not Question.objects.exists()


@pytest.mark.parametrize(
    ("minutes_from_start", "hours", "label"),
    [(-60, 2, "预告"), (300, 2, "已结束")],
    ids=["upcoming", "ended"],
)
def test_no_questions_unless_live(client, site_group, minutes_from_start, hours, label):
    page = make_interview(site_group.a, minutes_from_start=minutes_from_start, hours=hours)
    html = get_page(client, page).content.decode()
    assert label in html and "我要提问" not in html
    response = ask(client, page, "现在可以提问吗？")
    assert response.status_code == 400
    assert "访谈不在直播中" in response.content.decode()
    assert not Question.objects.exists()


# -- nothing public before approval --------------------------------------------------------
def test_pending_rejected_and_merged_questions_never_appear(client, interview, site_group):
    editor = site_group.a.editor
    pending = services.submit_question(interview, "待审核的问题甲")
    rejected = services.submit_question(interview, "不予采用的问题乙")
    merged = services.submit_question(interview, "重复的问题丙")
    approved = services.submit_question(interview, "已通过的问题丁")
    services.approve(approved, editor)
    services.reject(rejected, editor, "与访谈主题无关")
    services.merge(merged, approved, editor)

    html = get_page(client, interview).content.decode()
    data = json.loads(stream(client, interview).content)
    shown = html + json.dumps(data, ensure_ascii=False)
    assert "已通过的问题丁" in html
    assert "已通过的问题丁" in json.dumps(data, ensure_ascii=False)
    for text in ("待审核的问题甲", "不予采用的问题乙", "重复的问题丙", "与访谈主题无关"):
        assert text not in shown
    assert pending.status == QuestionStatus.PENDING


# -- the JSON stream -------------------------------------------------------------------------
def test_stream_returns_only_new_approved_items_and_304_while_unchanged(
    client, interview, site_group
):
    editor = site_group.a.editor
    guest = interview.guests.first()
    first = services.approve(services.submit_question(interview, "第一个问题"), editor)
    services.submit_question(interview, "还在审核的问题")

    response = stream(client, interview)
    data = json.loads(response.content)
    assert data["status"] == "live" and data["poll"] == 5
    assert [i["key"] for i in data["items"]] == [f"q{first.pk}"]
    cursor = data["cursor"]
    assert stream(client, interview, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304

    # Nothing new: the same ETag answers 304 without a body.
    same = stream(client, interview, cursor)
    assert json.loads(same.content)["items"] == []
    unchanged = stream(client, interview, cursor, HTTP_IF_NONE_MATCH=same["ETag"])
    assert unchanged.status_code == 304
    assert unchanged.content == b""

    # A pending question does not change what the public sees.
    services.submit_question(interview, "又一个待审核的问题")
    assert stream(client, interview, cursor, HTTP_IF_NONE_MATCH=same["ETag"]).status_code == 304

    # An answer and a host message: exactly those two come back, the answer in place.
    services.answer(first, editor, "这是嘉宾的回答。", guest=guest)
    services.post_message(interview, editor, "欢迎各位网友。")
    fresh = stream(client, interview, cursor, HTTP_IF_NONE_MATCH=same["ETag"])
    assert fresh.status_code == 200
    items = json.loads(fresh.content)["items"]
    assert [i["kind"] for i in items] == ["qa", "message"]
    assert items[0]["key"] == f"q{first.pk}" and items[0]["answered"] is True
    assert "这是嘉宾的回答。" in items[0]["html"] and guest.name in items[0]["html"]
    assert items[0]["summary"] == f"{guest.name}回答了网友提问"


def test_stream_says_when_the_event_has_ended(client, site_group):
    page = make_interview(site_group.a, minutes_from_start=300, hours=2)
    data = json.loads(stream(client, page).content)
    assert data["status"] == "ended" and data["poll"] == 0


# -- masking ---------------------------------------------------------------------------------
def test_personal_data_in_questions_is_masked_on_display(client, interview, site_group):
    question = services.submit_question(
        interview,
        "我的电话13812345678，身份证110101199003077777，能帮忙吗？",
        nickname="13900001111",
    )
    services.approve(question, site_group.a.editor)
    shown = get_page(client, interview).content.decode()
    shown += json.dumps(json.loads(stream(client, interview).content), ensure_ascii=False)
    for secret in ("13812345678", "110101199003077777", "13900001111"):
        assert secret not in shown
    assert "能帮忙吗" in shown


# -- 访谈实录 --------------------------------------------------------------------------------
def test_transcript_after_the_event(client, interview, site_group):
    from govportal.interviews.factories import add_photo, make_picture

    editor = site_group.a.editor
    guest = interview.guests.first()
    texts = ["先问的问题", "后问的问题"]
    for text in texts:
        q = services.approve(services.submit_question(interview, text), editor)
        services.answer(q, editor, f"{text}的回答", guest=guest)
    services.reject(services.submit_question(interview, "被拒绝的问题"), editor, "广告")
    services.submit_question(interview, "没人审核的问题")
    add_photo(interview, make_picture(1), "嘉宾在访谈室回答问题", caption="访谈现场")
    page = type(interview).objects.get(pk=interview.pk)
    page.summary = "<p>本期访谈摘要内容。</p>"
    page.transcript = "主持人：欢迎收看。"
    page.ends_at = timezone.now() - datetime.timedelta(minutes=1)
    page.starts_at = page.ends_at - datetime.timedelta(hours=2)
    page.save_revision().publish()

    response = get_page(client, page)
    html = response.content.decode()
    assert "访谈实录" in html and "已结束" in html
    assert "本期访谈摘要内容。" in html and "主持人：欢迎收看。" in html
    assert 'alt="嘉宾在访谈室回答问题"' in html
    assert html.index("先问的问题") < html.index("后问的问题")  # in order, oldest first
    assert "先问的问题的回答" in html and guest.name in html
    assert "被拒绝的问题" not in html and "没人审核的问题" not in html
    assert "我要提问" not in html and "live.js" not in html
    assert "private" not in response.get("Cache-Control", "")
