"""Tables 三 and 二 against hand-counted fixtures, and the consistency check."""

import datetime

import pytest

from govportal.annualreports import services
from govportal.annualreports.factories import CountedRequestFactory
from govportal.disclosure.models import DisclosureCategory, DisclosureEntryPage
from govportal.disclosure.taxonomy import Validity
from govportal.disclosure.tests.conftest import make_entry
from govportal.inforequests.taxonomy import ApplicantType as A
from govportal.inforequests.taxonomy import Outcome as O
from govportal.inforequests.taxonomy import Status

d = datetime.date
N, C, R, P, L, X = (
    A.NATURAL,
    A.COMMERCIAL,
    A.RESEARCH,
    A.PUBLIC_INTEREST,
    A.LEGAL_SERVICE,
    A.OTHER_ORG,
)

# (applicant type, received, closed, outcome, status) — counted by hand for 2025 below.
REQUESTS = [
    (N, d(2024, 11, 20), d(2025, 1, 10), O.PUBLIC, None),  # 1 carried in, answered
    (C, d(2024, 12, 25), None, "", None),  # 2 carried in and out
    (N, d(2024, 5, 1), d(2024, 6, 1), O.PUBLIC, None),  # 3 closed last year: not counted
    (N, d(2025, 2, 10), d(2025, 3, 1), O.PUBLIC, None),  # 4
    (N, d(2025, 4, 1), d(2025, 4, 20), O.PARTIAL, None),  # 5
    (C, d(2025, 5, 5), d(2025, 5, 30), O.WITHHELD_THIRD_PARTY, None),  # 6
    (R, d(2025, 6, 1), d(2025, 6, 20), O.UNABLE_NOT_HELD, None),  # 7
    (P, d(2025, 7, 1), d(2025, 7, 10), O.NOT_PROCESSED_REPEAT, None),  # 8
    (L, d(2025, 8, 1), d(2025, 8, 5), "", Status.WITHDRAWN),  # 9 withdrawn: 其他处理：其他
    (X, d(2025, 9, 1), d(2025, 9, 25), O.OTHER_NO_CLARIFICATION, None),  # 10
    (N, d(2025, 12, 20), d(2026, 1, 15), O.PUBLIC, None),  # 11 carried out
    (X, d(2025, 12, 28), None, "", None),  # 12 carried out, still open
    (N, None, None, "", Status.SUBMITTED),  # 13 not registered: not counted
    (N, d(2026, 1, 5), None, "", None),  # 14 next year: not counted
    (N, d(2025, 10, 10), d(2025, 11, 1), O.WITHHELD_PROCESS, None),  # 15
    (N, d(2025, 11, 11), d(2025, 11, 20), "", Status.ANSWERED),  # 16 no outcome: 其他, warned
]


def cols(natural=0, commercial=0, research=0, public_interest=0, legal_service=0, other_org=0):
    row = {
        "natural": natural,
        "commercial": commercial,
        "research": research,
        "public_interest": public_interest,
        "legal_service": legal_service,
        "other_org": other_org,
    }
    return {**row, "total": sum(row.values())}


def make_requests(org, rows=REQUESTS):
    for applicant_type, received, closed, outcome, status in rows:
        extra = {"status": status} if status else {}
        CountedRequestFactory(
            organization=org,
            applicant_type=applicant_type,
            received_on=received,
            closed_on=closed,
            outcome=outcome,
            **extra,
        )


@pytest.fixture
def requests_a(world):
    make_requests(world.org_a)
    # another organisation's request never counts for A
    CountedRequestFactory(organization=world.org_b, received_on=d(2025, 3, 1))
    return world.org_a


def test_request_table_matches_the_hand_count(requests_a):
    table = services.request_table([requests_a.pk], 2025)

    assert table["new"] == cols(natural=5, commercial=1, research=1, public_interest=1,
                                legal_service=1, other_org=2)  # fmt: skip
    assert table["carried_in"] == cols(natural=1, commercial=1)
    outcomes = {k: v for k, v in table["outcomes"].items() if v["total"]}
    assert outcomes == {
        O.PUBLIC: cols(natural=2),
        O.PARTIAL: cols(natural=1),
        O.WITHHELD_THIRD_PARTY: cols(commercial=1),
        O.WITHHELD_PROCESS: cols(natural=1),
        O.UNABLE_NOT_HELD: cols(research=1),
        O.NOT_PROCESSED_REPEAT: cols(public_interest=1),
        O.OTHER_NO_CLARIFICATION: cols(other_org=1),
        O.OTHER: cols(natural=1, legal_service=1),  # withdrawn + the one without outcome
    }
    assert table["total"] == cols(natural=5, commercial=1, research=1, public_interest=1,
                                  legal_service=1, other_org=1)  # fmt: skip
    assert table["carried_out"] == cols(natural=1, commercial=1, other_org=1)
    assert table["unclassified"] == 1
    assert services.check_failures(table) == []


def test_the_previous_year_carries_into_this_one(requests_a):
    carried_out_2024 = services.request_table([requests_a.pk], 2024)["carried_out"]
    carried_in_2025 = services.request_table([requests_a.pk], 2025)["carried_in"]
    assert carried_out_2024 == carried_in_2025


def test_a_forced_inconsistency_is_caught(requests_a):
    # closed before it was received: counted as new, but neither answered nor carried out
    make_requests(requests_a, [(N, d(2025, 5, 1), d(2024, 12, 30), O.PUBLIC, None)])
    table = services.request_table([requests_a.pk], 2025)
    assert services.check_failures(table) == ["自然人", "总计"]


def test_rows_follow_the_template(requests_a):
    rows = services.table3_rows(services.request_table([requests_a.pk], 2025))
    labels = [row["label"] for row in rows]
    assert labels[:4] == [services.ROW_NEW, services.ROW_CARRIED_IN, services.ROW_RESULTS,
                          "（一）予以公开"]  # fmt: skip
    assert labels[-2:] == ["（七）总计", "四、结转下年度继续办理"]
    assert "1.属于国家秘密" in labels and "8.属于行政查询事项" in labels
    assert "3.其他" in labels
    assert len([r for r in rows if r["level"] == 2]) == 8 + 3 + 5 + 3
    new = next(r for r in rows if r["label"] == services.ROW_NEW)
    assert new["cells"] == [5, 1, 1, 1, 1, 2, 11]


# -- table 二 from the catalogue -------------------------------------------------------------


@pytest.fixture
def entries_a(world):
    index = world.cats.index_a
    org, other = world.org_a, world.org_b
    rules = DisclosureCategory.objects.get(code="regulations-rules")
    normative = DisclosureCategory.objects.get(code="regulations-normative")

    def entry(category, written, validity=Validity.VALID, expiry=None, publisher=org):
        return make_entry(index, category=category, written_date=written, validity=validity,
                          expiry_date=expiry, publisher=publisher)  # fmt: skip

    entry(rules, d(2025, 3, 1))  # made, in force
    entry(rules, d(2023, 5, 1), Validity.REPEALED, d(2025, 6, 30))  # repealed in 2025
    entry(rules, d(2022, 1, 1))  # in force
    entry(rules, d(2024, 2, 1), Validity.EXPIRED, d(2026, 2, 1))  # still in force at end 2025
    entry(rules, d(2026, 1, 10))  # next year
    hidden = entry(rules, d(2025, 4, 1))  # unpublished: not counted
    DisclosureEntryPage.objects.filter(pk=hidden.pk).update(live=False)
    entry(normative, d(2025, 2, 2))  # made, in force
    entry(normative, d(2025, 5, 5), Validity.REPEALED, d(2025, 11, 11))  # made and repealed
    entry(normative, d(2025, 1, 1), publisher=other)  # another publisher
    return org


def test_proactive_table_matches_the_hand_count(entries_a):
    assert services.proactive_table([entries_a.pk], 2025) == {
        "rules": {"made": 1, "repealed": 1, "valid": 3},
        "normative": {"made": 2, "repealed": 1, "valid": 1},
    }


def test_catalogue_counts_help_writing_section_one(entries_a):
    # published two days after 成文日期: 2025 holds the two normative ones and one rule
    assert services.catalogue_counts([entries_a.pk], 2025) == [
        {"code": "regulations", "name": "法规文件", "n": 3}
    ]
