"""The demo builds mailboxes and letters in every state, idempotently."""

import io

from django.utils import timezone

from govportal.citizens.demo import build_demo_citizens
from govportal.content.factories import ChannelPageFactory, make_site
from govportal.content.models import ColumnType
from govportal.interaction import services
from govportal.interaction.demo import build_demo_letters
from govportal.interaction.models import Letter, MailboxPage
from govportal.interaction.taxonomy import Satisfaction, Status
from govportal.organizations.demo import build_demo_organizations
from govportal.organizations.models import Organization, SiteOrganization


def test_demo_covers_every_state_and_is_idempotent(db, settings, tmp_path):
    settings.GOVPORTAL_PRIVATE_MEDIA_ROOT = tmp_path
    build_demo_organizations()
    citizen = build_demo_citizens()[0]
    site, home, _ = make_site("www.shili.test", 80, title="示例市人民政府", is_default=True)
    SiteOrganization.objects.create(
        site=site, organization=Organization.objects.get(name="示例市人民政府")
    )
    ChannelPageFactory(
        parent=home, title="互动交流", slug="interaction", column_type=ColumnType.INTERACTION
    )
    edu_site, _, _ = make_site(
        "jyj.shili.test", 80, title="示例市教育局", site_id_code="1399000023"
    )
    SiteOrganization.objects.create(
        site=edu_site, organization=Organization.objects.get(name="示例市教育局")
    )
    out = io.StringIO()
    built = build_demo_letters(stdout=out)
    assert {m.title for m in MailboxPage.objects.all()} == {
        "市长信箱",
        "咨询",
        "投诉举报",
        "局长信箱",
    }
    assert {letter.status for letter in built} == set(Status.values)
    today = timezone.localdate()
    qs = Letter.objects.all()
    assert services.overdue(qs, today).exists() and services.near_due(qs, today).exists()
    assert qs.filter(supervisions__automatic=True).exists()
    assert qs.filter(hard_alarm_at__isnull=False).exists()
    assert qs.filter(reopened=1).exists()
    assert qs.filter(assignments__status="return_requested").exists()
    assert {Satisfaction.SATISFIED, Satisfaction.DISSATISFIED} <= set(
        qs.values_list("satisfaction", flat=True)
    )
    assert qs.filter(status=Status.ANSWERED, reply_public=True).exists()
    assert qs.filter(status=Status.ANSWERED, reply_public=False).exists()
    assert qs.filter(writer=citizen).count() >= 5
    assert qs.filter(similar_letters__isnull=False).exists()
    assert "letter_dispatcher" in out.getvalue()
    build_demo_letters()
    assert Letter.objects.count() == len(built)
