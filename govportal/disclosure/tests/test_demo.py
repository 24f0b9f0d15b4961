"""The demo catalogue and the Art. 20 taxonomy loaded by migration."""

from django.utils import timezone

from govportal.disclosure.demo import build_demo_disclosure
from govportal.disclosure.models import (
    ANNUAL_REPORT_CATEGORY,
    DisclosureCategory,
    DisclosureEntryPage,
    DisclosureIndexPage,
)
from govportal.disclosure.taxonomy import ART20_CATEGORIES, Validity


def test_migration_loads_the_art20_categories(db):
    tops = list(
        DisclosureCategory.objects.filter(parent=None)
        .exclude(code=ANNUAL_REPORT_CATEGORY)  # added by the annual-report app's migration
        .values_list("name", flat=True)
    )
    assert tops == [name for _code, name, _children in ART20_CATEGORIES]
    assert DisclosureCategory.objects.get(code="regulations-normative").parent.name == "法规文件"


def test_demo_builds_a_catalogue_per_site_once(cats):
    DisclosureIndexPage.objects.all().delete()
    built = build_demo_disclosure()
    assert set(built.values()) == {40}
    assert len(built) == 2
    entries = DisclosureEntryPage.objects.all()
    assert (
        entries.filter(validity__in=[Validity.EXPIRED, Validity.REPEALED])
        .exclude(replaced_by=None)
        .exists()
    )
    assert entries.values("publisher").distinct().count() >= 3
    years = {e.written_date.year for e in entries}
    assert {2024, 2025, 2026} <= years
    late = [
        e for e in entries if (timezone.localtime(e.publish_time).date() - e.written_date).days > 30
    ]
    assert late
    assert len({e.index_number for e in entries}) == entries.count()
    assert build_demo_disclosure() == {}  # idempotent
