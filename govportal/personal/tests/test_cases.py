"""我的办件: every registered case type merged, newest update first, filters, pagination."""

from datetime import timedelta

from django.utils import timezone

import pytest

from govportal.personal import cases as registry
from govportal.personal.tests.testapp.models import SampleCase
from govportal.personal.views import EMPTY_CASES

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def make_case(owner, kind, n, *, updated_days_ago, is_open=True, code=None):
    return SampleCase.objects.create(
        kind=kind,
        owner=owner,
        title=f"{kind} 第{n}件",
        tracking_code=code or f"{kind[:6].upper()}{n:04d}",
        verification="8000",
        status="办理中" if is_open else "已办结",
        is_open=is_open,
        submitted_at=NOW - timedelta(days=updated_days_ago + 1),
        updated_at=NOW - timedelta(days=updated_days_ago),
    )


def titles(response):
    return [c.title for c in response.context["page_obj"].object_list]


def test_cases_of_all_kinds_are_merged_newest_update_first(client, citizen, other):
    make_case(citizen, "sample_request", 1, updated_days_ago=5)
    make_case(citizen, "sample_letter", 2, updated_days_ago=1)
    make_case(citizen, "sample_request", 3, updated_days_ago=3)
    make_case(other, "sample_letter", 4, updated_days_ago=0)  # someone else's
    client.force_login(citizen)
    response = client.get("/my/cases/")
    assert titles(response) == [
        "sample_letter 第2件",
        "sample_request 第3件",
        "sample_request 第1件",
    ]
    page = response.content.decode()
    assert "测试来信" in page and "测试申请" in page
    assert "sample_letter 第4件" not in page


@pytest.mark.parametrize(
    "query,expected",
    [
        ("kind=sample_request", ["sample_request 第3件", "sample_request 第1件"]),
        ("kind=sample_letter", ["sample_letter 第2件"]),
        ("state=open", ["sample_letter 第2件", "sample_request 第1件"]),
        ("state=closed", ["sample_request 第3件"]),
        ("kind=sample_request&state=closed", ["sample_request 第3件"]),
        (
            "kind=unknown&state=bogus",
            ["sample_letter 第2件", "sample_request 第3件", "sample_request 第1件"],
        ),
    ],
)
def test_filters_by_kind_and_state(client, citizen, query, expected):
    make_case(citizen, "sample_request", 1, updated_days_ago=5)
    make_case(citizen, "sample_letter", 2, updated_days_ago=1)
    make_case(citizen, "sample_request", 3, updated_days_ago=3, is_open=False)
    client.force_login(citizen)
    assert titles(client.get(f"/my/cases/?{query}")) == expected


def test_cases_are_paginated_twenty_per_page(client, citizen):
    for n in range(45):
        make_case(citizen, "sample_request" if n % 2 else "sample_letter", n, updated_days_ago=n)
    client.force_login(citizen)
    first = client.get("/my/cases/")
    assert len(titles(first)) == 20
    assert titles(first)[0] == "sample_letter 第0件"
    third = client.get("/my/cases/?page=3")
    assert len(titles(third)) == 5
    assert titles(third)[-1] == "sample_letter 第44件"
    assert "第 3 / 3 页，共 45 条" in third.content.decode()


def test_empty_states(client, citizen, monkeypatch):
    client.force_login(citizen)
    # Kinds registered, no cases yet.
    page = client.get("/my/cases/").content.decode()
    assert EMPTY_CASES in page
    make_case(citizen, "sample_request", 1, updated_days_ago=1)
    page = client.get("/my/cases/?state=closed").content.decode()
    assert "没有符合筛选条件的办件。" in page
    # No case type registered at all (before the case-handling features exist).
    monkeypatch.setattr(registry, "_REGISTRY", {})
    page = client.get("/my/cases/").content.decode()
    assert EMPTY_CASES in page
    assert 'name="kind"' not in page  # no filter without kinds
    assert EMPTY_CASES in client.get("/my/").content.decode()


def test_lookup_needs_code_and_verification_of_the_same_case(citizen):
    make_case(citizen, "sample_letter", 7, updated_days_ago=1, code="XF0007")
    found = registry.lookup(" xf 0007 ", "8000")
    assert found is not None and found.kind == "测试来信" and found.kind_key == "sample_letter"
    assert registry.lookup("XF0007", "1234") is None
    assert registry.lookup("XF0008", "8000") is None
    assert registry.lookup("", "") is None


def test_a_case_type_needs_key_and_label():
    with pytest.raises(ValueError):
        registry.register_case_type(registry.CaseType())
