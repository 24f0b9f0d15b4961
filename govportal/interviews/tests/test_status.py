"""预告 / 直播中 / 已结束 follow the clock unless an editor overrides the status."""

import datetime

from django.utils import timezone

import pytest

from govportal.interviews.models import InterviewPage, InterviewStatus

START = timezone.make_aware(datetime.datetime(2026, 6, 1, 9, 0))
END = START + datetime.timedelta(hours=2)
MIN = datetime.timedelta(minutes=1)

# Building a Page looks up its content type, from the database unless Django's cache has it.
pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("now", "override", "expected"),
    [
        (START - datetime.timedelta(days=3), "", InterviewStatus.UPCOMING),
        (START - MIN, "", InterviewStatus.UPCOMING),
        (START, "", InterviewStatus.LIVE),
        (END - MIN, "", InterviewStatus.LIVE),
        (END, "", InterviewStatus.ENDED),
        (END + datetime.timedelta(days=30), "", InterviewStatus.ENDED),
        # The override wins: ended early, extended, or announced as live before the time.
        (START + MIN, InterviewStatus.ENDED, InterviewStatus.ENDED),
        (END + MIN, InterviewStatus.LIVE, InterviewStatus.LIVE),
        (START - MIN, InterviewStatus.LIVE, InterviewStatus.LIVE),
        (START + MIN, InterviewStatus.UPCOMING, InterviewStatus.UPCOMING),
    ],
)
def test_status_by_time_and_override(now, override, expected):
    page = InterviewPage(starts_at=START, ends_at=END, status_override=override)
    assert page.status_at(now) == expected


@pytest.mark.parametrize(
    ("status", "label"),
    [("upcoming", "预告"), ("live", "直播中"), ("ended", "已结束")],
)
def test_status_labels(status, label):
    assert InterviewStatus(status).label == label


def test_end_before_start_is_refused():
    from django.core.exceptions import ValidationError

    page = InterviewPage(title="x", slug="x", topic="x", starts_at=END, ends_at=START)
    with pytest.raises(ValidationError) as exc:
        page.clean()
    assert "结束时间须晚于开始时间" in str(exc.value)
