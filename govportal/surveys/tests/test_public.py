"""The public survey page: its state by date, the form, the one-answer rule, results."""

import datetime
import re
from html import unescape
from urllib.parse import urlsplit

from django.contrib.auth.models import AnonymousUser
from django.db import connection

import pytest

from govportal.conftest import make_user
from govportal.surveys import services
from govportal.surveys.models import (
    AnswerRule,
    QuestionType,
    SurveyPage,
    SurveyResponse,
    SurveyState,
)

from .conftest import add_response, at, make_survey, questions, valid_post

pytestmark = pytest.mark.django_db


def where(page) -> tuple[str, str]:
    parts = urlsplit(SurveyPage.objects.get(pk=page.pk).get_url())
    return parts.path, parts.netloc or "testserver"


def get(client, page, suffix=""):
    path, host = where(page)
    return client.get(path + suffix, HTTP_HOST=host)


def post(client, page, data, **extra):
    path, host = where(page)
    return client.post(path, data, HTTP_HOST=host, **extra)


def text(response) -> str:
    return unescape(re.sub(r"<[^>]+>", " ", response.content.decode()))


# -- state by date ---------------------------------------------------------------------------

OPENS, CLOSES = at(2026, 6, 1, 9), at(2026, 6, 30, 17, 30)


@pytest.mark.parametrize(
    ("now", "state"),
    [
        (at(2026, 5, 31, 23, 59), SurveyState.UPCOMING),
        (at(2026, 6, 1, 8, 59, 59), SurveyState.UPCOMING),
        (at(2026, 6, 1, 9), SurveyState.OPEN),
        (at(2026, 6, 15, 12), SurveyState.OPEN),
        (at(2026, 6, 30, 17, 29, 59), SurveyState.OPEN),
        (at(2026, 6, 30, 17, 30), SurveyState.CLOSED),
        (at(2026, 7, 1, 0), SurveyState.CLOSED),
        # 2026-06-01 00:30 UTC is 08:30 in Shanghai: not yet open.
        (datetime.datetime(2026, 6, 1, 0, 30, tzinfo=datetime.UTC), SurveyState.UPCOMING),
        (datetime.datetime(2026, 6, 1, 1, 0, tzinfo=datetime.UTC), SurveyState.OPEN),
    ],
)
def test_state_follows_the_dates_in_shanghai_time(now, state):
    survey = SurveyPage(opens_at=OPENS, closes_at=CLOSES)
    assert survey.state(now) == state


def test_closing_early_wins_over_a_later_closing_time():
    survey = SurveyPage(opens_at=OPENS, closes_at=CLOSES, closed_early_at=at(2026, 6, 10, 12))
    assert survey.state(at(2026, 6, 10, 11, 59)) == SurveyState.OPEN
    assert survey.state(at(2026, 6, 10, 12)) == SurveyState.CLOSED


def test_upcoming_survey_shows_its_dates_and_no_form(client, world):
    survey = make_survey(
        world.channel_a, state="upcoming", opens_at=at(2099, 3, 1, 9), closes_at=at(2099, 3, 31, 18)
    )
    response = get(client, survey)
    body = text(response)
    assert response.status_code == 200
    assert "未开始" in body
    assert "将于 2099年3月1日 09:00 开始" in body and "2099年3月31日 18:00 截止" in body
    assert "<form" not in response.content.decode().split("<main")[1].split("</main>")[0]


def test_open_survey_shows_the_form_with_fieldsets_csrf_and_honeypot(client, world):
    survey = make_survey(world.channel_a, answer_rule=AnswerRule.DEVICE)
    html = get(client, survey).content.decode()
    assert "进行中" in html
    assert html.count("<fieldset") == 3  # single, multiple, rating; text has a label
    assert "<legend" in html and "1. 您的年龄段" in html
    assert "csrfmiddlewaretoken" in html
    assert 'name="homepage"' in html
    assert "5星 很满意" in html
    assert "提交问卷" in html


def test_account_survey_asks_anonymous_visitors_to_log_in(client, world):
    survey = make_survey(world.channel_a, answer_rule=AnswerRule.ACCOUNT)
    response = get(client, survey)
    html = response.content.decode()
    assert "登录后参与" in html
    assert "/account/login/?next=" in html
    assert "csrfmiddlewaretoken" not in html.split("<main")[1]
    # A POST without logging in saves nothing.
    post(client, survey, valid_post(survey))
    assert not SurveyResponse.objects.filter(survey=survey).exists()


# -- answering ------------------------------------------------------------------------------


def test_account_survey_one_answer_per_account(client, world):
    survey = make_survey(world.channel_a, answer_rule=AnswerRule.ACCOUNT)
    citizen = make_user("c_wang")
    client.force_login(citizen)
    response = post(client, survey, valid_post(survey))
    assert response.status_code == 302
    assert response["Location"].endswith("/thanks/")
    thanks = client.get(response["Location"], HTTP_HOST=where(survey)[1])
    assert "感谢您的参与" in text(thanks)
    assert SurveyResponse.objects.filter(survey=survey, user=citizen).count() == 1

    again = get(client, survey)
    assert "您已参与本次调查" in text(again)
    assert "提交问卷" not in text(again)
    second = post(client, survey, valid_post(survey))
    assert "您已参与本次调查" in text(second)
    assert SurveyResponse.objects.filter(survey=survey).count() == 1

    # Another account may answer.
    client.force_login(make_user("c_zhao"))
    assert post(client, survey, valid_post(survey)).status_code == 302
    assert SurveyResponse.objects.filter(survey=survey).count() == 2


def test_device_survey_one_answer_per_device(client, world, settings):
    settings.SURVEYS_DEVICE_IP_LIMIT = (100, 3600)
    survey = make_survey(world.channel_a, answer_rule=AnswerRule.DEVICE)
    first = post(client, survey, valid_post(survey))
    assert first.status_code == 302
    cookie = first.cookies[services.DEVICE_COOKIE]
    assert cookie["httponly"] and cookie["max-age"]
    saved = SurveyResponse.objects.get(survey=survey)
    assert saved.user is None and len(saved.device_hash) == 64
    assert saved.ip_hash and "127.0.0.1" not in saved.ip_hash

    assert "您已参与本次调查" in text(get(client, survey))
    assert "您已参与本次调查" in text(post(client, survey, valid_post(survey)))
    assert SurveyResponse.objects.filter(survey=survey).count() == 1

    # A tampered cookie is no device token: a new device, counted once more.
    client.cookies[services.DEVICE_COOKIE] = "forged-token"
    assert post(client, survey, valid_post(survey)).status_code == 302
    assert SurveyResponse.objects.filter(survey=survey).count() == 2


def test_device_survey_throttles_one_address(client, world, settings):
    settings.SURVEYS_DEVICE_IP_LIMIT = (2, 3600)
    survey = make_survey(world.channel_a, answer_rule=AnswerRule.DEVICE)
    for _ in range(2):
        client.cookies.clear()
        assert (
            post(client, survey, valid_post(survey), REMOTE_ADDR="203.0.113.7").status_code == 302
        )
    client.cookies.clear()
    data = valid_post(survey)
    refused = post(client, survey, data, REMOTE_ADDR="203.0.113.7")
    assert refused.status_code == 429
    assert "提交过于频繁" in text(refused)
    assert "窗口服务很好" in refused.content.decode()  # typed text kept
    assert SurveyResponse.objects.filter(survey=survey).count() == 2
    # Another address is not affected.
    assert post(client, survey, data, REMOTE_ADDR="203.0.113.8").status_code == 302


def test_double_submit_is_stopped_by_the_database_constraint(rf, world):
    """Two requests that both passed the view's check: the second insert fails on the
    unique constraint and is reported as already answered, leaving one response."""
    survey = make_survey(world.channel_a, answer_rule=AnswerRule.ACCOUNT)
    user = make_user("c_race")
    answers = {q: None for q in questions(survey).values()}
    request = rf.post("/")
    request.user = user
    assert not services.already_answered(survey, request)
    services.submit(survey, request, answers)
    with pytest.raises(services.AlreadyAnswered):
        services.submit(survey, request, answers)
    device = make_survey(world.channel_a, slug="device", answer_rule=AnswerRule.DEVICE)
    request.user = AnonymousUser()
    services.submit(device, request, {}, token="t" * 32)
    with pytest.raises(services.AlreadyAnswered):
        services.submit(device, request, {}, token="t" * 32)
    assert SurveyResponse.objects.filter(survey__in=[survey, device]).count() == 2


def test_required_questions_errors_summary_and_kept_input(client, world):
    survey = make_survey(world.channel_a, answer_rule=AnswerRule.DEVICE)
    q = questions(survey)
    data = {q[QuestionType.TEXT].field_name: "保留这段文字"}
    response = post(client, survey, data)
    body = text(response)
    assert response.status_code == 200
    assert "请修正以下问题后再提交（共 3 处）" in body
    assert "第1题 您的年龄段：此题为必答题，请选择一项。" in body
    assert "此题为必答题，请至少选择一项。" in body
    assert "此题为必答题，请选择1至5星。" in body
    assert f'href="#question-{q[QuestionType.SINGLE].pk}"' in response.content.decode()
    assert "保留这段文字" in response.content.decode()
    assert not SurveyResponse.objects.filter(survey=survey).exists()
    # The optional text question may stay empty.
    ok = valid_post(survey, **{q[QuestionType.TEXT].field_name: ""})
    assert post(client, survey, ok).status_code == 302


@pytest.mark.parametrize(
    ("picked", "error"),
    [
        ([], "此题为必答题，请至少选择一项。"),
        ([0], None),
        ([0, 1, 2], None),
        ([0, 1, 2, 3], "此题最多选择 3 项（已选 4 项）。"),
    ],
)
def test_multiple_choice_min_and_max(client, world, picked, error):
    survey = make_survey(world.channel_a, answer_rule=AnswerRule.DEVICE)
    q = questions(survey)[QuestionType.MULTIPLE]
    options = list(q.options.all())
    data = valid_post(survey, **{q.field_name: [str(options[i].pk) for i in picked]})
    response = post(client, survey, data)
    if error is None:
        assert response.status_code == 302
    else:
        assert response.status_code == 200
        assert error in text(response)
        kept = response.content.decode()
        for i in picked:
            assert re.search(rf'value="{options[i].pk}"[^>]*checked', kept)


def test_minimum_selection(client, world):
    survey = make_survey(world.channel_a, answer_rule=AnswerRule.DEVICE)
    q = questions(survey)[QuestionType.MULTIPLE]
    q.min_choices = 2
    q.save()
    one = valid_post(survey, **{q.field_name: [str(q.options.first().pk)]})
    response = post(client, survey, one)
    assert response.status_code == 200
    assert "此题至少选择 2 项（已选 1 项）。" in text(response)


def test_text_too_long_is_refused(client, world):
    survey = make_survey(world.channel_a, answer_rule=AnswerRule.DEVICE)
    q = questions(survey)[QuestionType.TEXT]
    response = post(client, survey, valid_post(survey, **{q.field_name: "长" * 501}))
    assert response.status_code == 200
    assert "最多 500 字（当前 501 字）" in text(response)


def test_honeypot_submissions_are_thanked_but_not_saved(client, world):
    survey = make_survey(world.channel_a, answer_rule=AnswerRule.DEVICE)
    response = post(client, survey, valid_post(survey, homepage="http://spam.example"))
    assert response.status_code == 302
    assert not SurveyResponse.objects.filter(survey=survey).exists()


def test_text_answers_are_encrypted_at_rest(client, world):
    survey = make_survey(world.channel_a, answer_rule=AnswerRule.DEVICE)
    post(client, survey, valid_post(survey))
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM surveys_surveyanswer WHERE text <> ''")
        stored = [row[0] for row in cursor.fetchall()]
    assert len(stored) == 1
    assert "13812345678" not in stored[0] and "窗口" not in stored[0]


def test_posting_to_a_closed_or_upcoming_survey_saves_nothing(client, world):
    for state in ("closed", "upcoming"):
        survey = make_survey(world.channel_a, state=state, slug=f"s-{state}")
        response = post(client, survey, valid_post(survey))
        assert response.status_code == 409
        assert ("已结束" if state == "closed" else "尚未开始") in text(response)
        assert not SurveyResponse.objects.filter(survey=survey).exists()


# -- results --------------------------------------------------------------------------------

SHEETS = [
    # single option, multiple options, rating, text
    (0, [0, 1], 5, "非常好，联系我 13900001111"),
    (1, [1], 4, ""),
    (1, [1, 2, 4], 4, "建议延长办公时间"),
    (3, [3], 2, ""),
    (1, [0], 5, ""),
]


def _table(html: str, caption_start: str) -> list[tuple[str, str, str]]:
    for table in re.findall(r"<table.*?</table>", html, re.S):
        if caption_start in table:
            rows = re.findall(
                r"<tr><th scope=\"row\">(.*?)</th><td>(.*?)</td><td>(.*?)</td></tr>", table
            )
            return [tuple(unescape(c) for c in r) for r in rows]
    raise AssertionError(f"no table {caption_start}")


def test_closed_survey_publishes_tables_matching_hand_counts(client, world):
    survey = make_survey(world.channel_a, state="closed")
    for single, multiple, rating, words in SHEETS:
        add_response(survey, single=single, multiple=multiple, rating=rating, text=words)
    html = get(client, survey).content.decode()
    assert "已结束" in html
    assert "共收到有效答卷" in html and "<strong data-total>5</strong>" in html
    assert _table(html, "您的年龄段：各选项人数（本题作答 5 人") == [
        ("18岁以下", "1", "20.0%"),
        ("18–35岁", "3", "60.0%"),
        ("36–59岁", "0", "0.0%"),
        ("60岁及以上", "1", "20.0%"),
    ]
    assert _table(html, "您最常使用的政务服务渠道") == [
        ("政府网站", "2", "40.0%"),
        ("政务服务APP", "3", "60.0%"),
        ("12345热线", "1", "20.0%"),
        ("政务服务大厅", "1", "20.0%"),
        ("微信小程序", "1", "20.0%"),
    ]
    assert "平均 4.0 星" in html
    assert _table(html, "总体满意度")[4] == ("5星（很满意）", "2", "40.0%")
    assert _table(html, "总体满意度")[1] == ("2星（不满意）", "1", "20.0%")
    # The chart is drawn from the same numbers, as decoration (canvas hidden from AT).
    assert 'aria-hidden="true"' in html and "data-survey-chart" in html
    assert "vendor/chartjs/chart.umd.min.js" in html


def test_text_answers_are_not_published_only_their_number(client, world):
    survey = make_survey(world.channel_a, state="closed")
    for single, multiple, rating, words in SHEETS:
        add_response(survey, single=single, multiple=multiple, rating=rating, text=words)
    html = get(client, survey).content.decode()
    assert "本题共收到 2 条文字意见" in html
    assert "建议延长办公时间" not in html and "13900001111" not in html and "1390" not in html


def test_results_not_public_stay_hidden(client, world):
    survey = make_survey(world.channel_a, state="closed", results_public=False)
    add_response(survey, single=0, multiple=[0], rating=3)
    html = get(client, survey).content.decode()
    assert "本次征集结果不公开发布" in html
    assert "<table" not in html.split("<main")[1].split("</main>")[0]


def test_open_survey_does_not_show_results_yet(client, world):
    survey = make_survey(world.channel_a)
    add_response(survey, single=0, multiple=[0], rating=3)
    assert "各选项人数" not in get(client, survey).content.decode()


def test_consultation_links_its_draft_document(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from wagtail.documents import get_document_model

    Document = get_document_model()
    doc = Document(title="示例办法（征求意见稿）")
    doc.file = SimpleUploadedFile("draft.pdf", b"%PDF-1.4 demo", "application/pdf")
    doc.save()
    survey = make_survey(
        world.channel_a,
        kind="consultation",
        draft_document=doc,
        questions=[(QuestionType.TEXT, "意见", [], {"max_length": 2000})],
        answer_rule=AnswerRule.DEVICE,
    )
    html = get(client, survey).content.decode()
    assert "征求意见稿：" in html and doc.url in html
    assert "提交意见" in html
