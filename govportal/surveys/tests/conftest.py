"""A 互动交流 → 征集调查 channel on sites A and B of the shared site group, and helpers to
build surveys at explicit times and to answer them."""

import datetime
import itertools
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils import timezone

import pytest

from govportal.conftest import SiteGroup
from govportal.content.factories import ChannelPageFactory
from govportal.content.models import ChannelPage, ColumnType
from govportal.surveys.factories import SurveyPageFactory
from govportal.surveys.models import (
    AnswerRule,
    QuestionType,
    SurveyAnswer,
    SurveyPage,
    SurveyQuestion,
    SurveyResponse,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
_SHEETS = itertools.count(1)


def at(*args) -> datetime.datetime:
    """An aware Asia/Shanghai datetime: at(2026, 5, 1, 9) → 2026-05-01 09:00 CST."""
    return datetime.datetime(*args, tzinfo=SHANGHAI)


@dataclass
class World:
    group: SiteGroup
    channel_a: ChannelPage
    channel_b: ChannelPage


def survey_channels(home) -> ChannelPage:
    interaction = ChannelPageFactory(
        parent=home, title="互动交流", slug="interaction", column_type=ColumnType.INTERACTION
    )
    return ChannelPageFactory(
        parent=interaction, title="征集调查", slug="surveys", column_type=ColumnType.INTERACTION
    )


@pytest.fixture
def world(site_group) -> World:
    return World(
        group=site_group,
        channel_a=survey_channels(site_group.a.home),
        channel_b=survey_channels(site_group.b.home),
    )


def make_survey(channel, *, state="open", **kwargs) -> SurveyPage:
    now = timezone.now()
    day = datetime.timedelta(days=1)
    times = {
        "open": (now - day, now + 10 * day),
        "upcoming": (now + day, now + 10 * day),
        "closed": (now - 10 * day, now - day),
    }[state]
    kwargs.setdefault("opens_at", times[0])
    kwargs.setdefault("closes_at", times[1])
    return SurveyPageFactory(parent=channel, **kwargs)


def questions(survey) -> dict[QuestionType, SurveyQuestion]:
    return {
        q.question_type: q
        for q in SurveyQuestion.objects.filter(page=survey).prefetch_related("options")
    }


def valid_post(survey, **override) -> dict:
    """Answers to the default questionnaire: option 2 of Q1, options 1+3 of Q2, 4 stars."""
    q = questions(survey)
    single = list(q[QuestionType.SINGLE].options.all())
    multiple = list(q[QuestionType.MULTIPLE].options.all())
    data = {
        q[QuestionType.SINGLE].field_name: str(single[1].pk),
        q[QuestionType.MULTIPLE].field_name: [str(multiple[0].pk), str(multiple[2].pk)],
        q[QuestionType.RATING].field_name: "4",
        q[QuestionType.TEXT].field_name: "窗口服务很好，电话13812345678",
    }
    data.update(override)
    return data


def add_response(survey, *, single: int, multiple: list[int], rating: int, text: str = ""):
    """An answer sheet written directly (by option index), for counting tests."""
    q = questions(survey)
    response = SurveyResponse.objects.create(survey=survey, device_hash=f"hand-{next(_SHEETS)}")
    singles = list(q[QuestionType.SINGLE].options.all())
    multiples = list(q[QuestionType.MULTIPLE].options.all())
    rows = [
        SurveyAnswer(response=response, question=q[QuestionType.SINGLE], option=singles[single])
    ]
    rows += [
        SurveyAnswer(response=response, question=q[QuestionType.MULTIPLE], option=multiples[i])
        for i in multiple
    ]
    rows.append(SurveyAnswer(response=response, question=q[QuestionType.RATING], rating=rating))
    if text:
        rows.append(SurveyAnswer(response=response, question=q[QuestionType.TEXT], text=text))
    SurveyAnswer.objects.bulk_create(rows)
    return response


__all__ = ["AnswerRule", "World", "add_response", "at", "make_survey", "questions", "valid_post"]
