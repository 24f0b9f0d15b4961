"""build_demo_interviews: a past 访谈实录, a 预告 and a live one with work for the console."""

from django.contrib.auth import get_user_model

import pytest

from govportal.content.factories import make_site
from govportal.interviews.demo import GUEST_USERNAME, build_demo_interviews
from govportal.interviews.models import InterviewPage, Question, QuestionStatus

pytestmark = pytest.mark.django_db


def test_demo_is_complete_and_idempotent(client):
    site, home, _ = make_site(hostname="demo.example.test", title="示例市人民政府")
    assert build_demo_interviews() == 3
    before = (InterviewPage.objects.count(), Question.objects.count())
    assert build_demo_interviews() == 0
    assert (InterviewPage.objects.count(), Question.objects.count()) == before

    by_status = {p.status: p for p in InterviewPage.objects.all()}
    assert set(by_status) == {"ended", "upcoming", "live"}
    past, live = by_status["ended"], by_status["live"]
    assert past.guests.count() == 2 and past.photos.count() >= 3
    assert all(photo.alt_text for photo in past.photos.all())
    answered = past.questions.filter(status=QuestionStatus.APPROVED).exclude(answer="")
    assert answered.count() == 15
    assert live.questions.filter(status=QuestionStatus.PENDING).count() >= 3
    guest = get_user_model().objects.get(username=GUEST_USERNAME)
    assert guest.is_staff and guest.last_name == "演示"
    assert guest.has_perm("wagtailadmin.access_admin")
    assert live.guests.filter(user=guest).exists()

    response = client.get(past.url_path[len(home.url_path) - 1 :], HTTP_HOST="demo.example.test")
    html = response.content.decode()
    assert response.status_code == 200 and "访谈实录" in html
    assert html.count("iv-item--answered") == 15
