"""``build_demo_surveys`` builds what the brief promises, once."""

import pytest

from govportal.content.factories import ChannelPageFactory, make_site
from govportal.content.models import ChannelPage, ColumnType
from govportal.surveys.demo import DEPARTMENT, PORTAL, RESPONSES, build_demo_surveys
from govportal.surveys.models import AnswerRule, SurveyKind, SurveyPage, SurveyResponse, SurveyState

pytestmark = pytest.mark.django_db


def test_demo_surveys_are_built_once():
    _s, portal, _p = make_site("city.example.test", title=PORTAL, site_id_code="1399000001")
    interaction = ChannelPageFactory(
        parent=portal, title="互动交流", slug="interaction", column_type=ColumnType.INTERACTION
    )
    existing = ChannelPageFactory(
        parent=interaction, title="征集调查", slug="surveys", column_type=ColumnType.INTERACTION
    )
    _s, department, _p = make_site("fgw.example.test", title=DEPARTMENT, site_id_code="1399000012")

    assert build_demo_surveys() == {PORTAL: 3, DEPARTMENT: 1}
    assert build_demo_surveys() == {}

    on_portal = {s.state(): s for s in SurveyPage.objects.child_of(existing)}
    assert set(on_portal) == {SurveyState.CLOSED, SurveyState.OPEN, SurveyState.UPCOMING}
    closed = on_portal[SurveyState.CLOSED]
    assert closed.kind == SurveyKind.SURVEY and closed.results_public
    assert SurveyResponse.objects.filter(survey=closed).count() == RESPONSES
    consultation = on_portal[SurveyState.OPEN]
    assert consultation.kind == SurveyKind.CONSULTATION
    assert consultation.draft_document is not None
    assert consultation.questions.filter(text="意见").exists()

    dept_channel = ChannelPage.objects.child_of(department).get(title="互动交流")
    survey = SurveyPage.objects.descendant_of(department).get()
    assert survey.get_parent().title == "征集调查"
    assert survey.get_parent().get_parent().pk == dept_channel.pk
    assert survey.state() == SurveyState.OPEN and survey.answer_rule == AnswerRule.ACCOUNT
    assert SurveyPage.objects.count() == 4
