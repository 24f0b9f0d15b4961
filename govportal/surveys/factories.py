"""Factories for surveys, shared by the tests and the demo."""

import datetime

from django.utils import timezone

from govportal.content.factories import PageFactory

from .models import AnswerRule, QuestionType, SurveyKind, SurveyOption, SurveyPage, SurveyQuestion

# (type, text, options, extra) — the default questionnaire.
DEFAULT_QUESTIONS = [
    (QuestionType.SINGLE, "您的年龄段", ["18岁以下", "18–35岁", "36–59岁", "60岁及以上"], {}),
    (
        QuestionType.MULTIPLE,
        "您最常使用的政务服务渠道（最多选3项）",
        ["政府网站", "政务服务APP", "12345热线", "政务服务大厅", "微信小程序"],
        {"min_choices": 1, "max_choices": 3},
    ),
    (QuestionType.RATING, "您对本市政务服务的总体满意度", [], {}),
    (QuestionType.TEXT, "您的其他意见和建议", [], {"required": False, "max_length": 500}),
]


class SurveyPageFactory(PageFactory):
    """A live survey under ``parent`` (a ChannelPage); ``questions`` as in DEFAULT_QUESTIONS."""

    class Meta:
        model = SurveyPage

    title = "示例市政务服务满意度调查"
    slug = "satisfaction"
    kind = SurveyKind.SURVEY
    answer_rule = AnswerRule.DEVICE
    results_public = True

    @classmethod
    def _create(
        cls, model_class, parent=None, questions=None, opens_at=None, closes_at=None, **kwargs
    ):
        now = timezone.now()
        kwargs["opens_at"] = opens_at or now - datetime.timedelta(days=1)
        kwargs["closes_at"] = closes_at or now + datetime.timedelta(days=30)
        page = super()._create(model_class, parent=parent, **kwargs)
        add_questions(page, DEFAULT_QUESTIONS if questions is None else questions)
        page.save_revision().publish()
        return SurveyPage.objects.get(pk=page.pk)


def add_questions(page: SurveyPage, questions) -> list[SurveyQuestion]:
    out = []
    for n, (qtype, text, options, extra) in enumerate(questions):
        question = SurveyQuestion.objects.create(
            page=page, question_type=qtype, text=text, sort_order=n, **extra
        )
        for m, label in enumerate(options):
            SurveyOption.objects.create(question=question, label=label, sort_order=m)
        out.append(question)
    return out
