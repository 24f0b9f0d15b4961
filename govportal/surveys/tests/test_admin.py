"""调查结果 in the admin: who may see it, the masked text answers, export, closing early,
and the page editor's validation (dates, options, questions frozen once answered)."""

import csv
import io

from django.urls import reverse

from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

import pytest
from openpyxl import load_workbook

from govportal.audit.models import AuditRecord
from govportal.conftest import make_user
from govportal.surveys import services
from govportal.surveys.models import QuestionType, SurveyPage, SurveyQuestion, SurveyState

from .conftest import add_response, make_survey

pytestmark = pytest.mark.django_db


def results_url(survey):
    return reverse("surveys:results", args=(survey.pk,))


def people(world):
    a, b = world.group.a, world.group.b
    return {
        "anonymous": None,
        "citizen": make_user("c_citizen"),
        "editor_a": a.editor,
        "admin_a": a.admin,
        "editor_b": b.editor,
        "admin_b": b.admin,
        "news_editor_a": a.channel_editor,  # may edit only inside A's news channel
    }


# who → may see results / export / close a survey of site A
ACCESS = [
    ("anonymous", False),
    ("citizen", False),
    ("editor_b", False),
    ("admin_b", False),
    ("news_editor_a", False),
    ("editor_a", True),
    ("admin_a", True),
]


@pytest.mark.parametrize(("who", "allowed"), ACCESS)
def test_only_who_may_edit_the_page_sees_results_exports_and_closes(client, world, who, allowed):
    survey = make_survey(world.channel_a)
    add_response(survey, single=0, multiple=[0], rating=5, text="电话13812345678")
    user = people(world)[who]
    if user is not None:
        client.force_login(user)
    pages = [
        client.get(results_url(survey)),
        client.get(reverse("surveys:export", args=(survey.pk, "csv"))),
        client.post(reverse("surveys:close", args=(survey.pk,))),
    ]
    for response in pages:
        if allowed:
            assert response.status_code in (200, 302)
        else:
            assert response.status_code in (302, 403, 404)
            assert b"13812345678" not in response.content
            assert b"1381" not in response.content
            if response.status_code == 302:
                assert "/admin/" in response["Location"] or "login" in response["Location"]
    survey.refresh_from_db()
    assert (survey.state() == SurveyState.CLOSED) is allowed


def test_results_show_counts_and_masked_text_answers(client, world):
    survey = make_survey(world.channel_a)
    add_response(
        survey,
        single=1,
        multiple=[0, 1],
        rating=4,
        text="请联系我 13812345678，邮箱 li@example.com",
    )
    add_response(survey, single=1, multiple=[1], rating=2)
    client.force_login(world.group.a.editor)
    response = client.get(results_url(survey))
    html = response.content.decode()
    assert response.status_code == 200
    assert "共收到答卷 <span data-total>2</span> 份" in html
    assert '<th scope="row">18–35岁</th><td>2</td><td>100.0%</td>' in html
    assert "平均 3.0 星" in html
    assert "138****5678" in html and "13812345678" not in html
    assert "li@example.com" not in html
    assert "提前结束征集" in html


def test_survey_page_editor_offers_the_results_button(client, world):
    survey = make_survey(world.channel_a)
    client.force_login(world.group.a.editor)
    html = client.get(reverse("wagtailadmin_pages:edit", args=(survey.pk,))).content.decode()
    assert results_url(survey) in html and "调查结果" in html
    listing = client.get(
        reverse("wagtailadmin_explore", args=(world.channel_a.pk,))
    ).content.decode()
    assert results_url(survey) in listing


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_lists_every_sheet_and_is_audited(client, world, fmt):
    survey = make_survey(world.channel_a)
    add_response(survey, single=0, multiple=[0, 2], rating=5, text="身份证 110101199003071234")
    add_response(survey, single=3, multiple=[1], rating=1)
    client.force_login(world.group.a.editor)
    response = client.get(reverse("surveys:export", args=(survey.pk, fmt)))
    assert response.status_code == 200
    assert f".{fmt}" in response["Content-Disposition"]
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    else:
        sheet = load_workbook(io.BytesIO(response.content)).active
        rows = [
            [("" if c is None else str(c)) for c in row]
            for row in sheet.iter_rows(values_only=True)
        ]
    assert rows[0][:4] == ["答卷编号", "提交时间", "参与方式", "您的年龄段"]
    assert len(rows) == 3
    first = rows[1]
    assert first[3] == "18岁以下"
    assert first[4] == "政府网站；12345热线"
    assert first[5] == "5星"
    assert "110101199003071234" not in first[6] and first[6].startswith("身份证 1101")
    record = AuditRecord.objects.filter(action=services.AUDIT_EXPORT).latest("seq")
    assert record.object_id == str(survey.pk)
    assert record.username == world.group.a.editor.username
    assert record.extra["file"].endswith(f".{fmt}")


def test_close_early_ends_the_survey_now_and_is_audited(client, world):
    survey = make_survey(world.channel_a)
    client.force_login(world.group.a.editor)
    response = client.post(reverse("surveys:close", args=(survey.pk,)), follow=True)
    assert "已提前结束" in response.content.decode()
    survey = SurveyPage.objects.get(pk=survey.pk)
    assert survey.state() == SurveyState.CLOSED
    record = AuditRecord.objects.filter(action=services.AUDIT_CLOSE).latest("seq")
    assert record.object_id == str(survey.pk) and record.before and record.after
    # Publishing an older draft (with the original closing time) does not reopen it.
    revision = survey.get_latest_revision()
    revision.publish()
    assert SurveyPage.objects.get(pk=survey.pk).state() == SurveyState.CLOSED


def test_closing_needs_post(client, world):
    survey = make_survey(world.channel_a)
    client.force_login(world.group.a.editor)
    assert client.get(reverse("surveys:close", args=(survey.pk,))).status_code == 405


# -- the page editor -------------------------------------------------------------------------


def editor_data(
    title="市民满意度调查", *, opens="2026-06-01 09:00", closes="2026-06-30 17:00", questions=None
):
    questions = (
        questions
        if questions is not None
        else [
            ("single", "您的年龄段", ["青年", "中年", "老年"]),
            ("text", "其他建议", []),
        ]
    )
    forms = []
    for qtype, text, options in questions:
        forms.append({
            "question_type": qtype,
            "text": text,
            "help_text": "",
            "required": "on",
            "min_choices": "",
            "max_choices": "",
            "max_length": "500",
            "options": inline_formset([{"label": o} for o in options]),
        })  # fmt: skip
    return nested_form_data({
        "title": title,
        "slug": "manyi",
        "kind": "survey",
        "intro": rich_text("<p>说明</p>"),
        "opens_at": opens,
        "closes_at": closes,
        "answer_rule": "device",
        "results_public": "on",
        "contact": "",
        "questions": inline_formset(forms),
    })  # fmt: skip


def add_url(world):
    return reverse("wagtailadmin_pages:add", args=("surveys", "surveypage", world.channel_a.pk))


def test_editor_builds_a_survey_with_questions_and_options(client, world):
    client.force_login(world.group.a.admin)
    response = client.post(add_url(world), {**editor_data(), "action-publish": "1"})
    assert response.status_code == 302, response.content.decode()[:3000]
    survey = SurveyPage.objects.get(slug="manyi")
    qs = list(SurveyQuestion.objects.filter(page=survey).order_by("sort_order"))
    assert [q.text for q in qs] == ["您的年龄段", "其他建议"]
    assert [o.label for o in qs[0].options.all()] == ["青年", "中年", "老年"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"closes": "2026-05-31 09:00"}, "截止时间必须晚于开始时间。"),
        ({"closes": "2026-06-01 09:00"}, "截止时间必须晚于开始时间。"),
        ({"questions": [("single", "只有一个选项", ["是"])]}, "选择题至少需要两个选项"),
        ({"questions": [("multiple", "没有选项", [])]}, "选择题至少需要两个选项"),
    ],
)
def test_editor_validation(client, world, kwargs, message):
    client.force_login(world.group.a.admin)
    response = client.post(add_url(world), {**editor_data(**kwargs), "action-publish": "1"})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not SurveyPage.objects.filter(slug="manyi").exists()


def _edit_post(client, survey, data):
    return client.post(
        reverse("wagtailadmin_pages:edit", args=(survey.pk,)), {**data, "action-publish": "1"}
    )


def _current_data(client, survey):
    from govportal.conftest import edit_form_data

    data = edit_form_data(client, reverse("wagtailadmin_pages:edit", args=(survey.pk,)))
    # A checked box without a value attribute is read as "" here; a browser sends "on".
    for key in list(data):
        if key.endswith(("-required", "results_public")) and data[key] == "":
            data[key] = "on"
    return data


def test_questions_are_frozen_once_answered_but_the_text_is_not(client, world):
    survey = make_survey(world.channel_a)
    add_response(survey, single=0, multiple=[0], rating=3)
    client.force_login(world.group.a.admin)

    data = _current_data(client, survey)
    data["questions-0-text"] = "改过的题目"
    response = _edit_post(client, survey, data)
    assert response.status_code == 200
    assert "题目和选项不能再修改" in response.content.decode()

    data = _current_data(client, survey)
    data["questions-0-options-1-label"] = "改过的选项"
    assert "题目和选项不能再修改" in _edit_post(client, survey, data).content.decode()

    data = _current_data(client, survey)
    data["title"] = "改过的标题"
    data["intro"] = rich_text("<p>新的说明</p>")
    response = _edit_post(client, survey, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    survey = SurveyPage.objects.get(pk=survey.pk)
    assert survey.title == "改过的标题"
    assert (
        SurveyQuestion.objects.get(page=survey, question_type=QuestionType.SINGLE).text
        == "您的年龄段"
    )


def test_deleting_an_answered_survey_deletes_its_answers(world):
    survey = make_survey(world.channel_a)
    add_response(survey, single=0, multiple=[0], rating=3, text="意见")
    SurveyPage.objects.get(pk=survey.pk).delete()
    assert not SurveyQuestion.objects.filter(page_id=survey.pk).exists()
    from govportal.surveys.models import SurveyAnswer, SurveyResponse

    assert not SurveyResponse.objects.filter(survey_id=survey.pk).exists()
    assert not SurveyAnswer.objects.exists()
