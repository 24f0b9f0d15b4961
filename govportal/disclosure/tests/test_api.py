"""The open read API: JSON pages with links, live public entries only, filters, errors."""

import datetime

import pytest

from govportal.disclosure.taxonomy import Openness

from .conftest import make_entry

D = datetime.date
URL = "/api/v1/disclosure/entries/"


@pytest.fixture
def api_entries(cats):
    a = [make_entry(cats.index_a, title=f"甲区信息{n:02d}", written_date=D(2025, 1, 6) + datetime.timedelta(days=n),
                    published=D(2025, 1, 8) + datetime.timedelta(days=n)) for n in range(25)]  # fmt: skip
    b = make_entry(cats.index_b, title="乙局信息", written_date=D(2026, 2, 2), published=D(2026, 2, 3),
                   doc_number="乙财发〔2026〕3号")  # fmt: skip
    hidden = [
        make_entry(cats.index_a, title="草稿", live=False),
        make_entry(cats.index_a, title="不予公开", openness=Openness.NOT_DISCLOSED),
    ]
    return a, b, hidden


def test_pages_with_links(client, cats, api_entries):
    first = client.get(URL, {"page_size": 10}).json()
    assert first["count"] == 26
    assert first["pages"] == 3
    assert first["previous"] is None
    assert len(first["results"]) == 10
    assert first["results"][0]["title"] == "乙局信息"  # newest first
    second = client.get(first["next"]).json()
    assert second["page"] == 2
    assert second["previous"].endswith("page=1")
    last = client.get(URL, {"page_size": 10, "page": 3}).json()
    assert len(last["results"]) == 6 and last["next"] is None


def test_only_live_public_entries_and_no_personal_data(client, cats, api_entries):
    data = client.get(URL, {"page_size": 100}).json()
    titles = {r["title"] for r in data["results"]}
    assert "草稿" not in titles and "不予公开" not in titles
    row = data["results"][0]
    assert set(row) == {
        "id", "index_number", "title", "url", "publisher", "written_date", "publish_time",
        "doc_number", "category", "theme", "genre", "audience", "keywords", "summary",
        "openness", "validity", "expiry_date", "replaced_by",
    }  # fmt: skip
    assert "owner" not in str(row) and "author" not in row


@pytest.mark.parametrize(
    ("params", "count"),
    [
        ({"site": "1399000101"}, 25),  # 网站标识码 of site A
        ({"site": "1399000102"}, 1),
        ({"year": "2026"}, 1),
        ({"doc_number": "乙财发"}, 1),
        ({"validity": "repealed"}, 0),
        ({"category": "regulations"}, 26),
    ],
)
def test_filters(client, cats, api_entries, params, count):
    assert client.get(URL, params).json()["count"] == count


def test_filter_by_organisation(client, cats, api_entries):
    data = client.get(URL, {"org": cats.org_b.pk}).json()
    assert [r["title"] for r in data["results"]] == ["乙局信息"]
    assert data["results"][0]["publisher"]["code"] == cats.org_b.org_code


@pytest.mark.parametrize(
    ("params", "status", "text"),
    [
        ({"site": "0000000000"}, 404, "网站标识码"),
        ({"year": "二〇二六"}, 400, "四位数字"),
        ({"page": "0"}, 400, "页码"),
        ({"page": "99"}, 404, "超出范围"),
        ({"validity": "maybe"}, 400, "有效性"),
    ],
)
def test_errors_are_json_in_chinese(client, cats, api_entries, params, status, text):
    response = client.get(URL, params)
    assert response.status_code == status
    assert text in response.json()["error"]


def test_read_only(client, cats):
    assert client.post(URL).status_code == 405
