"""Searching: filters, order, pages, highlighting, did-you-mean (SQLite and PostgreSQL)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from wagtail.models import Page, Site

import pytest

from govportal.search.indexing import delete_keys, index_documents, rebuild_terms
from govportal.search.models import SearchDocument, SynonymGroup
from govportal.search.query import SearchRequest, matching_ids, search
from govportal.search.registry import Doc

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


def doc(key, title, body="", *, day=1, kind="news", site=None, **extra):
    return Doc(
        key=key,
        kind=kind,
        title=title,
        body=body,
        url=f"/{key}/",
        published_at=datetime(2026, 3, day, 10, 0, tzinfo=TZ),
        site_id=site.pk if site else None,
        **extra,
    )


def titles(response):
    return [hit.document.title for hit in response.hits]


@pytest.fixture
def sites():
    root = Page.objects.get(depth=1)
    return (
        Site.objects.create(hostname="a.example.test", root_page=root, site_name="甲市"),
        Site.objects.create(hostname="b.example.test", root_page=root, site_name="乙县", port=81),
    )


def test_finds_chinese_words_inside_longer_text():
    index_documents(
        [
            doc("page:1", "关于进一步优化营商环境的若干措施", "为持续优化营商环境，激发市场活力。"),
            doc(
                "page:2",
                "2025年政府信息公开工作年度报告",
                "本报告依据《条例》编制，依申请公开情况如下。",
            ),
            doc("page:3", "养老院服务质量提升行动", "信息化建设稳步推进。"),
        ]
    )
    assert titles(search(SearchRequest("营商环境"))) == ["关于进一步优化营商环境的若干措施"]
    assert titles(search(SearchRequest("信息公开"))) == ["2025年政府信息公开工作年度报告"]
    assert titles(search(SearchRequest("依申请公开"))) == ["2025年政府信息公开工作年度报告"]
    # Words inside longer words (养老 in 养老院, 信息 in 信息化) are found too.
    assert titles(search(SearchRequest("养老"))) == ["养老院服务质量提升行动"]
    assert set(titles(search(SearchRequest("信息")))) == {
        "2025年政府信息公开工作年度报告",
        "养老院服务质量提升行动",
    }
    # Not a substring anywhere: nothing (环境营商 is not 营商环境).
    assert search(SearchRequest("环境营商")).total == 0


def test_single_character_and_mixed_queries():
    index_documents(
        [
            doc("page:1", "个人所得税汇算清缴指南"),
            doc("page:2", "拨打12345热线反映问题"),
            doc("page:3", "2024年度财政决算公开"),
        ]
    )
    assert titles(search(SearchRequest("税"))) == ["个人所得税汇算清缴指南"]
    assert titles(search(SearchRequest("12345热线"))) == ["拨打12345热线反映问题"]
    assert titles(search(SearchRequest("2024年"))) == ["2024年度财政决算公开"]
    assert titles(search(SearchRequest("决算"))) == ["2024年度财政决算公开"]


def test_title_matches_come_first_then_newest(sites):
    index_documents(
        [
            doc("page:1", "全市工作动态", "今年营商环境持续改善。", day=20),
            doc("page:2", "营商环境评价结果发布", day=2),
            doc("page:3", "优化营商环境条例解读", day=10),
            doc("page:4", "区县工作简报", "营商环境专项督查。", day=5),
        ]
    )
    response = search(SearchRequest("营商环境"))
    assert titles(response) == [
        "优化营商环境条例解读",
        "营商环境评价结果发布",
        "全市工作动态",
        "区县工作简报",
    ]
    assert [h.score for h in response.hits] == [2.0, 2.0, 1.0, 1.0]
    by_time = search(SearchRequest("营商环境", sort="time"))
    assert titles(by_time) == [
        "全市工作动态",
        "优化营商环境条例解读",
        "区县工作简报",
        "营商环境评价结果发布",
    ]


def test_filters_site_kind_channel_organization_dates(sites):
    a, b = sites
    index_documents(
        [
            doc(
                "page:1", "甲市乡村振兴政策", site=a, kind="policy", channel_path="00010001", day=3
            ),
            doc(
                "page:2",
                "甲市乡村振兴动态",
                site=a,
                kind="news",
                channel_path="000100010002",
                day=9,
            ),
            doc("page:3", "乙县乡村振兴动态", site=b, kind="news", channel_path="00010002", day=15),
        ]
    )
    q = "乡村振兴"
    assert search(SearchRequest(q)).total == 3
    assert set(titles(search(SearchRequest(q, site_ids=[a.pk])))) == {
        "甲市乡村振兴政策",
        "甲市乡村振兴动态",
    }
    assert titles(search(SearchRequest(q, site_ids=[b.pk]))) == ["乙县乡村振兴动态"]
    assert titles(search(SearchRequest(q, kinds=["policy"]))) == ["甲市乡村振兴政策"]
    # A channel takes its sub-channels.
    assert set(titles(search(SearchRequest(q, channel_path="00010001")))) == {
        "甲市乡村振兴政策",
        "甲市乡村振兴动态",
    }
    assert titles(
        search(SearchRequest(q, date_from=date(2026, 3, 9), date_to=date(2026, 3, 9)))
    ) == ["甲市乡村振兴动态"]
    assert titles(search(SearchRequest(q, date_to=date(2026, 3, 8)))) == ["甲市乡村振兴政策"]
    response = search(SearchRequest(q))
    assert dict(response.facets["kind"]) == {"news": 2, "policy": 1}
    assert dict(response.facets["site"]) == {a.pk: 2, b.pk: 1}
    assert {h.site_name for h in response.hits} == {"甲市", "乙县"}


def test_pagination_and_totals():
    index_documents(
        [doc(f"page:{i}", f"第{i}号通知 公共资源交易", day=1 + i % 27) for i in range(25)]
    )
    first = search(SearchRequest("公共资源交易", per_page=10))
    assert (first.total, first.pages, len(first.hits)) == (25, 3, 10)
    last = search(SearchRequest("公共资源交易", per_page=10, page=3))
    assert len(last.hits) == 5
    seen = {
        h.document.pk for p in (1, 2, 3) for h in search(SearchRequest("公共资源交易", page=p)).hits
    }
    assert len(seen) == 25
    assert len(matching_ids(SearchRequest("公共资源交易"))) == 25


def test_highlight_is_escaped_and_marks_terms():
    index_documents(
        [
            doc(
                "page:1",
                "<script>alert(1)</script>政务公开专栏",
                "前文。" * 40 + "深化政务公开工作，<b>加强</b>监督。",
            )
        ]
    )
    hit = search(SearchRequest("政务公开")).hits[0]
    assert "<script>" not in hit.title_html
    assert "&lt;script&gt;" in hit.title_html
    assert "<mark>政务公开</mark>专栏" in hit.title_html
    assert "<mark>政务公开</mark>" in hit.snippet_html
    assert "&lt;b&gt;加强&lt;/b&gt;" in hit.snippet_html
    assert hit.snippet_html.startswith("…")
    assert len(hit.snippet_html) < 400


def test_traditional_and_full_width_queries():
    index_documents([doc("page:1", "政务公开目录", "ＡＢＣ公司"), doc("page:2", "abc公司年报")])
    response = search(SearchRequest("政務公開"))
    assert titles(response) == ["政务公开目录"]
    assert response.parsed.traditional_converted
    assert len(search(SearchRequest("ABC")).hits) == 2


def test_synonyms_find_each_other():
    index_documents([doc("page:1", "社会保险缴费基数调整"), doc("page:2", "社保卡办理流程")])
    assert titles(search(SearchRequest("社保"))) == ["社保卡办理流程"]
    SynonymGroup.objects.create(words="社保，社会保险")
    assert len(search(SearchRequest("社保")).hits) == 2
    assert len(search(SearchRequest("社会保险")).hits) == 2


def test_pinyin_and_initials_input():
    index_documents([doc("page:1", "政务公开工作要点"), doc("page:2", "营商环境报告")])
    rebuild_terms()
    for q in ("zhengwugongkai", "zwgk"):
        response = search(SearchRequest(q))
        assert response.parsed.converted_from_pinyin == "政务公开"
        assert titles(response) == ["政务公开工作要点"]


def test_did_you_mean_typo_and_homophone():
    index_documents([doc("page:1", "营商环境评价"), doc("page:2", "优化营商环境")])
    rebuild_terms()
    assert search(SearchRequest("营商环竟")).suggestion == "营商环境"  # one character off
    assert search(SearchRequest("营伤环境")).suggestion == "营商环境"  # same pinyin
    assert search(SearchRequest("营商环境")).suggestion is None
    # Pinyin typed only in part, or mistyped at the end.
    assert search(SearchRequest("yingshanghuanj")).suggestion == "营商环境"


def test_excluded_words():
    index_documents([doc("page:1", "政务公开年度报告"), doc("page:2", "政务公开工作要点")])
    assert titles(search(SearchRequest("政务公开 -年度报告"))) == ["政务公开工作要点"]


def test_deleted_and_updated_documents_are_not_found(sites):
    a, _b = sites
    index_documents(
        [
            doc("page:1", "营商环境政策", site=a),
            doc("document:9", "营商环境附件", parent_key="page:1"),
        ]
    )
    assert search(SearchRequest("营商环境")).total == 2
    index_documents([doc("page:1", "人才引进政策", site=a)])
    assert titles(search(SearchRequest("营商环境"))) == ["营商环境附件"]
    assert titles(search(SearchRequest("人才引进"))) == ["人才引进政策"]
    delete_keys(["page:1"])  # the attachment goes with its page
    assert search(SearchRequest("营商环境")).total == 0
    assert search(SearchRequest("人才引进")).total == 0
    # A cascade (the site deleted) leaves nothing findable either.
    index_documents([doc("page:2", "乡村振兴规划", site=a)])
    a.delete()
    assert not SearchDocument.objects.exists()
    assert search(SearchRequest("乡村振兴")).total == 0
    index_documents([doc("page:3", "城市更新方案")])
    assert titles(search(SearchRequest("乡村振兴 城市更新"))) == []
    assert titles(search(SearchRequest("城市更新"))) == ["城市更新方案"]


def test_empty_query():
    response = search(SearchRequest("  ，。 "))
    assert response.total == 0 and response.hits == [] and response.parsed.empty


def test_pinyin_reaches_words_jieba_splits():
    # 河道 + 保洁 are two jieba words; used together in enough titles they become a term.
    index_documents([doc(f"page:{i}", f"第{i}片区河道保洁工作安排") for i in range(3)])
    rebuild_terms()
    response = search(SearchRequest("hdbj"))
    assert response.parsed.converted_from_pinyin == "河道保洁"
    assert response.total == 3
