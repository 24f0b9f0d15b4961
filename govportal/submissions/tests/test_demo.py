"""The demo submissions: every state, from each lower site to the city portal, idempotent."""

import io

from django.core.management import call_command
from django.utils import timezone

from wagtail.models import Site

import pytest

from govportal.content.models import ArticlePage
from govportal.submissions.demo import build_demo_submissions
from govportal.submissions.models import Submission, SubmissionStatus
from govportal.submissions.services import monthly_stats

S = SubmissionStatus
pytestmark = pytest.mark.django_db


def test_demo_submissions_in_every_state_and_idempotent():
    call_command("load_demo_data", articles=60, stdout=io.StringIO())
    counts = build_demo_submissions()
    assert all(counts[status] >= 1 for status in S.values), counts
    assert counts[S.WITHDRAWN] == 1 and counts[S.SUBMITTED] >= 3
    assert build_demo_submissions() == counts
    assert Submission.objects.count() == sum(counts.values())

    city = Site.objects.get(is_default_site=True)
    assert set(Submission.objects.values_list("target_site", flat=True)) == {city.pk}
    assert Submission.objects.values("source_site").distinct().count() == 3
    for submission in Submission.objects.filter(status=S.ADOPTED):
        page = ArticlePage.objects.get(pk=submission.adopted_page_id)
        assert page.live and page.get_site() == city
        assert page.get_parent().slug in {"dept-news", "district-news"}
        assert page.source == submission.organization.name
    for submission in Submission.objects.filter(status=S.DECLINED):
        assert submission.decline_reason

    now = timezone.localtime()
    months = {timezone.localtime(s.created_at).month for s in Submission.objects.all()}
    assert now.month in months and len(months) == 2
    rows = monthly_stats(now.year, now.month, [city])
    assert (
        sum(r.submitted for r in rows)
        == Submission.objects.filter(created_at__month=now.month)
        .exclude(status=S.WITHDRAWN)
        .count()
    )
    assert rows[0].adopted >= 1
