"""The demo builds requests in every state, idempotently, for the demo citizen too."""

import io

from django.utils import timezone

from govportal.citizens.demo import build_demo_citizens
from govportal.inforequests import services
from govportal.inforequests.demo import build_demo_inforequests
from govportal.inforequests.models import DisclosureRequest
from govportal.inforequests.taxonomy import AnswerType, Status
from govportal.organizations.demo import build_demo_organizations
from govportal.personal import cases


def test_demo_covers_every_state_and_is_idempotent(db, settings, tmp_path):
    settings.GOVPORTAL_PRIVATE_MEDIA_ROOT = tmp_path
    build_demo_organizations()
    citizen = build_demo_citizens()[0]
    out = io.StringIO()
    built = build_demo_inforequests(stdout=out)
    assert len(built) >= 25
    assert {r.status for r in built} == set(Status.values)
    answered = DisclosureRequest.objects.filter(status=Status.ANSWERED)
    assert set(answered.values_list("answer_type", flat=True)) == set(AnswerType.values)
    today = timezone.localdate()
    qs = DisclosureRequest.objects.all()
    assert services.overdue(qs, today).count() >= 2
    assert services.near_due(qs, today).count() >= 2
    assert qs.filter(extension_requests__decision="approved").exists()
    assert qs.filter(extension_requests__decision="pending").exists()
    assert qs.filter(events__kind="consult_lapse").exists()
    assert qs.filter(clarified_on__isnull=False).exists()
    assert qs.values("organization").distinct().count() >= 3
    assert len(cases.cases_for(citizen, kind="disclosure_request")) >= 5
    assert "foi_handler" in out.getvalue()
    build_demo_inforequests()
    assert DisclosureRequest.objects.count() == len(built)
