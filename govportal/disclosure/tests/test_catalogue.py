"""The public catalogue: the site's entries only, browse/filter, exports, the entry page's
metadata table and the 失效/废止 banner."""

import csv
import datetime
import io
import json

import pytest
from openpyxl import load_workbook

from govportal.conftest import public_get
from govportal.disclosure.models import DisclosureCategory, DisclosureEntryPage
from govportal.disclosure.taxonomy import Openness, Validity

from .conftest import make_entry

D = datetime.date


@pytest.fixture
def entries(cats):
    cat = {c.code: c for c in DisclosureCategory.objects.all()}
    a = cats.index_a
    made = {
        "budget": make_entry(a, title="甲区2025年部门预算公开", written_date=D(2025, 2, 3),
                             published=D(2025, 2, 10), category=cat["budget-budget"]),
        "rule": make_entry(a, title="关于印发甲区数据管理办法的通知", written_date=D(2025, 6, 2),
                           published=D(2025, 6, 6), doc_number="甲政发〔2025〕7号",
                           category=cat["regulations-normative"]),
        "new_rule": make_entry(a, title="关于印发甲区数据管理新办法的通知", written_date=D(2026, 3, 2),
                               published=D(2026, 3, 4), doc_number="甲政发〔2026〕2号",
                               category=cat["regulations-normative"]),
        "school": make_entry(a, title="关于做好2026年招生工作的通知", written_date=D(2026, 4, 1),
                             published=D(2026, 4, 3), publisher=cats.org_a_sub,
                             doc_number="甲教发〔2026〕5号", category=cat["services-education"]),
        "on_request": make_entry(a, title="依申请公开的会议纪要", written_date=D(2026, 5, 6),
                                 published=D(2026, 5, 8), openness=Openness.ON_REQUEST,
                                 category=cat["other"]),
        "withheld": make_entry(a, title="不予公开的内部文件", written_date=D(2026, 5, 6),
                               published=D(2026, 5, 8), openness=Openness.NOT_DISCLOSED),
        "draft": make_entry(a, title="尚未发布的草稿", written_date=D(2026, 5, 6), live=False),
        "other_site": make_entry(cats.index_b, title="乙局的公开信息", written_date=D(2026, 1, 6),
                                 published=D(2026, 1, 8)),
    }  # fmt: skip
    DisclosureEntryPage.objects.filter(pk=made["rule"].pk).update(
        validity=Validity.REPEALED,
        expiry_date=D(2026, 4, 1),
        replaced_by=made["new_rule"],
        validity_note="根据甲政发〔2026〕2号废止。",
    )
    return made


LISTED_A = {"budget", "rule", "new_rule", "school", "on_request"}


def titles(response) -> set[str]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(response.content, "html.parser")
    return {a.get_text(strip=True) for a in soup.select(".disclosure-list__title a")}


def names(entries, keys) -> set[str]:
    return {entries[k].title for k in keys}


def test_catalogue_lists_only_live_public_entries_of_its_own_site(client, cats, entries):
    response = public_get(client, cats.index_a)
    assert response.status_code == 200
    assert titles(response) == names(entries, LISTED_A)
    html = response.content.decode()
    assert entries["rule"].index_number in html
    assert "（共 5 条）" in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?year=2025", {"budget", "rule"}),
        ("?validity=repealed", {"rule"}),
        ("?validity=valid", LISTED_A - {"rule"}),
        ("?doc_number=甲政发〔2026〕", {"new_rule"}),
        ("?doc_number=〔2026〕", {"new_rule", "school"}),
        ("?q=数据管理", {"rule", "new_rule"}),
        ("?date_from=2026-03-04&date_to=2026-04-03", {"new_rule", "school"}),
        ("?category=regulations", {"rule", "new_rule"}),  # a top category includes its children
        ("?category=services-education", {"school"}),
        ("?year=2026&q=通知", {"new_rule", "school"}),
    ],
)
def test_filters(client, cats, entries, query, expected):
    assert titles(public_get(client, cats.index_a, query)) == names(entries, expected)


def test_filter_by_publisher(client, cats, entries):
    response = public_get(client, cats.index_a, f"?org={cats.org_a_sub.pk}")
    assert titles(response) == names(entries, {"school"})


def test_browse_lists_publishers_categories_and_years_with_counts(client, cats, entries):
    html = public_get(client, cats.index_a).content.decode()
    assert "甲区教育局" in html
    assert '法规文件 <span class="disclosure-count">(2)</span>' in html
    assert '2026年 <span class="disclosure-count">(3)</span>' in html


def test_bad_filters_explain_themselves_and_keep_the_input(client, cats, entries):
    response = public_get(client, cats.index_a, "?year=20x&date_from=2026-02-30&q=数据")
    html = response.content.decode()
    assert response.status_code == 200
    assert "年份应为四位数字" in html
    assert "开始日期格式应为" in html
    assert 'value="20x"' in html and 'value="数据"' in html
    assert titles(response) == names(entries, {"rule", "new_rule"})  # the valid part applies


def test_pagination_by_twenty(client, cats):
    for n in range(23):
        make_entry(cats.index_b, title=f"分页测试{n:02d}", written_date=D(2026, 1, 5))
    first = public_get(client, cats.index_b)
    second = public_get(client, cats.index_b, "?page=2")
    assert len(titles(first)) == 20
    assert len(titles(second)) == 3


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_exports_carry_the_filtered_list(client, cats, entries, fmt):
    response = public_get(client, cats.index_a, f"?year=2025&format={fmt}")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    rule = entries["rule"]
    if fmt == "json":
        data = json.loads(response.content)
        assert data["count"] == 2
        by_title = {r["title"]: r for r in data["results"]}
        row = by_title[rule.title]
        assert row["index_number"] == rule.index_number
        assert row["doc_number"] == "甲政发〔2025〕7号"
        assert row["validity"] == {"code": "repealed", "name": "废止"}
        assert row["replaced_by"]["title"] == entries["new_rule"].title
        assert row["publisher"]["name"] == "甲区人民政府"
        return
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    else:
        sheet = load_workbook(io.BytesIO(response.content)).active
        rows = [[c if c is not None else "" for c in r] for r in sheet.iter_rows(values_only=True)]
    header, body = rows[0], rows[1:]
    assert header[:6] == ["索引号", "名称", "发布机构", "成文日期", "发布日期", "文号"]
    assert len(body) == 2
    row = next(r for r in body if r[1] == rule.title)
    assert row[0] == rule.index_number
    assert row[3] == "2025-06-02"
    assert row[5] == "甲政发〔2025〕7号"
    assert row[header.index("有效性")] == "废止"
    assert row[header.index("替代文件")] == entries["new_rule"].title


def test_exports_neutralise_spreadsheet_formulas(client, cats):
    make_entry(cats.index_b, title='=HYPERLINK("http://x")', written_date=D(2026, 1, 5))
    response = public_get(client, cats.index_b, "?format=csv")
    assert "'=HYPERLINK" in response.content.decode("utf-8-sig")


def test_entry_page_shows_the_metadata_table(client, cats, entries):
    entry = entries["school"]
    response = public_get(client, entry)
    html = response.content.decode()
    from bs4 import BeautifulSoup

    table = BeautifulSoup(html, "html.parser").select_one("[data-disclosure-meta]")
    cells = {th.get_text(strip=True).replace("\u3000", "").replace(" ", ""): th.find_next("td").get_text(strip=True)
             for th in table.select("th")}  # fmt: skip
    assert cells["索引号"] == entry.index_number
    assert cells["发布机构"] == "甲区教育局"
    assert cells["成文日期"] == "2026-04-01"
    assert cells["发布日期"] == "2026-04-03"
    assert cells["文号"] == "甲教发〔2026〕5号"
    assert cells["公开分类"] == "公共服务 › 教育"
    assert cells["公开属性"] == "主动公开"
    assert cells["有效性"] == "有效"
    assert "data-validity-banner" not in html
    assert '<meta name="ColumnType" content="政务公开">' in html or "ColumnType" in html


def test_repealed_entry_has_a_banner_linking_its_replacement(client, cats, entries):
    html = public_get(client, entries["rule"]).content.decode()
    from bs4 import BeautifulSoup

    banner = BeautifulSoup(html, "html.parser").select_one("[data-validity-banner]")
    assert banner is not None and banner["role"] == "note"
    assert "本文件已废止（自 2026年4月1日 起）" in banner.get_text()
    link = banner.select_one("[data-replacement]")
    assert link.get_text(strip=True) == entries["new_rule"].title
    assert link["href"].endswith(entries["new_rule"].url_path.split("/", 2)[2])


def test_replacement_that_is_not_live_is_not_linked(client, cats, entries):
    entries["new_rule"].unpublish()
    html = public_get(client, entries["rule"]).content.decode()
    assert "data-validity-banner" in html
    assert "data-replacement" not in html


def test_on_request_entries_show_metadata_but_not_the_text(client, cats, entries):
    html = public_get(client, entries["on_request"]).content.decode()
    assert "依申请公开的政府信息" in html
    # …with a link to the application form, addressed to the entry's 发布机构.
    assert f'href="/disclosure/requests/apply/?org={cats.org_a.pk}"' in html
    assert "data-disclosure-meta" in html
    assert 'id="article-body"' in html


def test_withheld_entries_are_not_served(client, cats, entries):
    assert public_get(client, entries["withheld"]).status_code == 404
