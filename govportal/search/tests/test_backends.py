"""The full-text backends (SQLite FTS5, PostgreSQL tsvector): recall against a substring
scan, long documents, ranking tiers and paging, nothing stale after deletes.

Run on PostgreSQL too: ``DATABASE_URL=postgres://… pytest govportal/search/tests/test_backends.py``.
"""

import random
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import connection

import pytest

from govportal.search import indexing
from govportal.search.analysis import normalize, parse_query
from govportal.search.backends import Filters, get_backend, postgres, sqlite
from govportal.search.models import SearchDocument
from govportal.search.query import SearchRequest, matching_ids, search
from govportal.search.registry import Doc

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 1, 1, 9, 0, tzinfo=TZ)

VOCAB = [
    "政务公开",
    "营商环境",
    "信息公开",
    "依申请公开",
    "年度报告",
    "社会保险",
    "乡村振兴",
    "一网通办",
    "放管服",
    "信息化",
    "养老院",
    "养老服务",
    "政府采购",
    "公共资源交易",
    "12345热线",
    "统计公报",
    "行政审批",
    "不动产登记",
    "安全生产",
    "食品安全",
    "就业创业",
    "减税降费",
    "生态环境",
    "城市更新",
    "市场监管",
    "住房公积金",
    "新能源",
    "第三季度",
    "2025年",
    "关于",
    "进一步",
    "加强",
    "做好",
    "工作",
    "通知",
    "意见",
    "实施",
    "方案",
    "办法",
    "全市",
    "各区",
    "有关部门",
    "单位",
    "持续",
    "推进",
    "落实",
    "情况",
    "报告",
    "建设",
    "服务",
    "管理",
    "改革",
    "发展",
    "群众",
    "企业",
]
PUNCT = "，。、；：！？（）《》“”"


def _sentence(rng: random.Random) -> str:
    words = rng.choices(VOCAB, k=rng.randint(3, 9))
    # Some random characters too, so words also appear across word boundaries.
    if rng.random() < 0.3:
        words.insert(
            rng.randrange(len(words)), "".join(rng.choices("的在和是有政务公开信息养老院", k=2))
        )
    return "".join(words) + rng.choice(PUNCT)


def corpus(n: int, seed: int = 7) -> list[Doc]:
    rng = random.Random(seed)
    docs = []
    for i in range(n):
        title = "".join(rng.choices(VOCAB, k=rng.randint(2, 5)))
        body = "".join(_sentence(rng) for _ in range(rng.randint(2, 8)))
        docs.append(
            Doc(
                key=f"bench:{i}",
                kind=rng.choice(["news", "policy", "disclosure"]),
                title=title,
                body=body,
                url=f"/d/{i}/",
                published_at=T0 + timedelta(minutes=i * 37 % 50000),
            )
        )
    return docs


@pytest.fixture
def loaded():
    docs = corpus(3000)
    assert indexing.bulk_load(docs, batch_size=700) == 3000
    indexing.optimize()
    ids = dict(SearchDocument.objects.values_list("key", "id"))
    texts = {ids[d.key]: normalize(d.title) + "\n" + normalize(d.body) for d in docs}
    return texts


def _query_words(texts: dict[int, str], rng: random.Random) -> list[str]:
    words = [w for w in VOCAB if len(w) >= 2]
    cjk_text = [t for t in texts.values()]
    # Random 2-, 3- and 4-character substrings of the corpus (whatever a segmenter says).
    for _ in range(120):
        text = rng.choice(cjk_text)
        size = rng.choice([2, 3, 4])
        start = rng.randrange(0, max(1, len(text) - size))
        piece = text[start : start + size]
        if all("\u4e00" <= c <= "\u9fff" for c in piece) and len(piece) == size:
            words.append(piece)
    return list(dict.fromkeys(words))


def test_recall_is_exactly_a_substring_scan(loaded):
    texts = loaded
    words = _query_words(texts, random.Random(3))
    assert len(words) > 100
    for word in words:
        expected = {doc_id for doc_id, text in texts.items() if word in text}
        found = set(matching_ids(SearchRequest(word)))
        assert found == expected, word
    # A common word: totals agree with the scan and the first page is there.
    common = {doc_id for doc_id, text in texts.items() if "工作" in text}
    response = search(SearchRequest("工作"))
    assert response.total == len(common) and len(response.hits) == 10


@pytest.mark.parametrize("strategy", ["list", "walk"])
def test_relevance_tiers_and_paging_are_consistent(loaded, monkeypatch, strategy):
    """Both strategies (list the matches and sort them; walk the time index and probe
    each document) page through the same order: title matches newest first, then the
    rest."""
    monkeypatch.setattr(postgres, "SMALL_MATCH", 100000 if strategy == "list" else 5)
    monkeypatch.setattr(sqlite, "PROBE_COST", 10**9 if strategy == "list" else 0)
    docs = {d.pk: d for d in SearchDocument.objects.all()}
    for word, sort in (
        ("乡村振兴", "relevance"),
        ("营商环境", "time"),
        ("乡村振兴 年度报告", "relevance"),
    ):
        seen = []
        first = search(SearchRequest(word, sort=sort, per_page=25))
        for page in range(1, first.pages + 1):
            seen += [
                h.document.pk
                for h in search(SearchRequest(word, sort=sort, per_page=25, page=page)).hits
            ]
        assert len(seen) == len(set(seen)) == first.total > 50
        assert set(seen) == set(matching_ids(SearchRequest(word)))
        parts = word.split()

        def in_title(pk, parts=parts):
            return all(p in normalize(docs[pk].title) for p in parts)

        def key(pk, sort=sort, in_title=in_title):
            tier = 0 if sort == "time" else (0 if in_title(pk) else 1)
            return (tier, -docs[pk].published_at.timestamp(), -pk)

        assert seen == sorted(seen, key=key), word


def test_long_document_is_found_everywhere():
    # Far beyond PostgreSQL's 16 383 positions, with a lexeme repeated > 256 times.
    filler = "政府工作。" * 6000
    body = "开头的政务公开。" + filler + "跨越" + "中间部分。" * 2000 + "政府采购结果公告在最后"
    indexing.index_documents(
        [
            Doc(
                key="document:1",
                kind="attachment",
                title="附件",
                body=body,
                url="/a.pdf",
                published_at=T0,
            )
        ]
    )
    for word in ("政务公开", "政府采购", "结果公告", "在最后", "跨越中间部分", "政府工作"):
        assert search(SearchRequest(word)).total == 1, word
    assert search(SearchRequest("采购政府")).total == 0
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM govsearch_fts")
            assert cursor.fetchone()[0] > 5  # split into parts


def _fts_rows() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM govsearch_fts")
        return cursor.fetchone()[0]


def test_deleting_documents_leaves_no_index_rows():
    indexing.index_documents(corpus(30))
    assert _fts_rows() >= 30
    # Deleted behind the indexer's back (SQL, as a cascade from a site would do).
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM govsearch_searchdocument WHERE key IN ('bench:0', 'bench:1')")
    assert _fts_rows() == 28
    SearchDocument.objects.all().delete()
    assert _fts_rows() == 0
    # New documents reuse nothing stale.
    indexing.index_documents(
        [Doc(key="page:1", kind="news", title="城市更新", body="", url="/", published_at=T0)]
    )
    assert search(SearchRequest("政务公开")).total == 0
    assert search(SearchRequest("城市更新")).total == 1


def test_reindexing_replaces_the_old_text():
    doc = Doc(
        key="page:5",
        kind="news",
        title="旧标题营商环境",
        body="旧正文政务公开",
        url="/",
        published_at=T0,
    )
    indexing.index_documents([doc])
    indexing.bulk_load([Doc(**{**doc.__dict__, "title": "新标题乡村振兴", "body": "新正文"})])
    assert search(SearchRequest("营商环境")).total == 0
    assert search(SearchRequest("政务公开")).total == 0
    assert search(SearchRequest("乡村振兴")).total == 1
    assert SearchDocument.objects.count() == 1
    assert _fts_rows() == 1


def test_count_is_capped(monkeypatch):
    from govportal.search import query

    monkeypatch.setattr(query, "COUNT_CAP", 20)
    indexing.bulk_load(corpus(60))
    response = search(SearchRequest("工作"))
    matches = len(matching_ids(SearchRequest("工作")))
    assert matches > 20
    assert response.total == 20 and response.total_capped
    assert response.pages == 2


class _FakeSource:
    prefix = "fake"

    def __init__(self, docs):
        self.docs = {d.key.partition(":")[2]: d for d in docs}

    def all_keys(self):
        return (f"fake:{ident}" for ident in self.docs)

    def documents(self, ident):
        return [self.docs[ident]] if ident in self.docs else []


def test_rebuild_search_index_command(monkeypatch):
    from io import StringIO

    from django.core.management import call_command

    from govportal.search import registry

    docs = [
        Doc(key="fake:1", kind="news", title="营商环境新闻", body="", url="/1/", published_at=T0),
        Doc(key="fake:2", kind="policy", title="营商环境政策", body="", url="/2/", published_at=T0),
    ]
    monkeypatch.setattr(registry, "_SOURCES", {"fake": _FakeSource(docs)})
    monkeypatch.setitem(registry._KINDS, "news", registry.Kind("news", "新闻动态"))
    monkeypatch.setitem(registry._KINDS, "policy", registry.Kind("policy", "政策文件"))
    # Something stale from before the rebuild disappears.
    indexing.index_documents(
        [Doc(key="gone:1", kind="news", title="营商环境旧文", body="", url="/", published_at=T0)]
    )
    out = StringIO()
    call_command("rebuild_search_index", stdout=out)
    assert "索引完成：2 个文档" in out.getvalue()
    assert {h.document.title for h in search(SearchRequest("营商环境")).hits} == {
        "营商环境新闻",
        "营商环境政策",
    }
    assert search(SearchRequest("yshj")).parsed.converted_from_pinyin == "营商环境"
    # Only one kind: the other kind's documents stay as they are.
    docs[0].title = "乡村振兴新闻"
    call_command("rebuild_search_index", kind=["news"], stdout=out)
    assert [h.document.title for h in search(SearchRequest("营商环境")).hits] == ["营商环境政策"]
    assert search(SearchRequest("乡村振兴")).total == 1


@pytest.fixture
def filtered_corpus():
    """600 documents over three sites, three kinds, nested channels and two organisations,
    with the brute-force text of each."""
    from wagtail.models import Page, Site

    from govportal.organizations.models import Organization

    root = Page.objects.get(depth=1)
    sites = [
        Site.objects.create(hostname=f"s{i}.example.test", root_page=root, site_name=f"站{i}")
        for i in range(3)
    ]
    orgs = [Organization.add_root(instance=Organization(name=f"单位{i}")) for i in range(2)]
    rng = random.Random(11)
    docs = corpus(600, seed=5)
    for doc in docs:
        doc.site_id = rng.choice(sites).pk
        doc.channel_path = rng.choice(["", "0001", "00010001", "00010002", "0002"])
        doc.organization_id = rng.choice([None, orgs[0].pk, orgs[1].pk])
    indexing.bulk_load(docs, batch_size=250)
    indexing.optimize()
    by_key = {d.key: d for d in docs}
    rows = {}
    for pk, key in SearchDocument.objects.values_list("id", "key"):
        d = by_key[key]
        rows[pk] = (d, normalize(d.title) + "\n" + normalize(d.body))
    return sites, orgs, rows


@pytest.mark.parametrize("strategy", ["list", "walk"])
def test_filters_find_exactly_the_filtered_substring_matches(
    filtered_corpus, monkeypatch, strategy
):
    """Site, kind, channel (with sub-channels) and organisation are filter tokens in the
    full-text index: with any of them the results are still exactly the brute-force
    matches, counted, paged and checked for existence the same way."""
    monkeypatch.setattr(postgres, "SMALL_MATCH", 100000 if strategy == "list" else 5)
    monkeypatch.setattr(sqlite, "PROBE_COST", 10**9 if strategy == "list" else 0)
    sites, orgs, rows = filtered_corpus
    cases = [
        {"site_ids": [sites[0].pk]},
        {"site_ids": [sites[1].pk, sites[2].pk], "kinds": ["news"]},
        {"kinds": ["policy", "disclosure"]},
        {"channel_path": "0001"},
        {"channel_path": "00010002", "site_ids": [sites[2].pk]},
        {"organization_id": orgs[1].pk, "kinds": ["news"]},
    ]

    def wanted(doc, f):
        return (
            (f.get("site_ids") is None or doc.site_id in f["site_ids"])
            and (not f.get("kinds") or doc.kind in f["kinds"])
            and (doc.channel_path or "").startswith(f.get("channel_path", ""))
            and (f.get("organization_id") is None or doc.organization_id == f["organization_id"])
        )

    for word in ("工作", "营商环境", "乡村振兴 年度报告", "住房公积金", "量子通信"):
        parts = word.split()
        for f in cases:
            expected = {
                pk
                for pk, (doc, text) in rows.items()
                if wanted(doc, f) and all(p in text for p in parts)
            }
            req = SearchRequest(word, per_page=100, **f)
            assert set(matching_ids(req)) == expected, (word, f)
            response = search(req)
            seen = [h.document.pk for h in response.hits]
            for page in range(2, response.pages + 1):
                seen += [
                    h.document.pk
                    for h in search(SearchRequest(**{**req.__dict__, "page": page})).hits
                ]
            assert response.total == len(expected) and set(seen) == expected, (word, f)
            assert get_backend().exists(parse_query(word), req.filters()) == bool(expected)
    assert not get_backend().exists(parse_query("工作"), Filters(site_ids=[]))


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the index format change is PostgreSQL's"
)
def test_migration_adds_filter_tokens_to_an_index_built_without_them(filtered_corpus):
    import importlib

    migration = importlib.import_module("govportal.search.migrations.0003_postgres_filter_tokens")
    sites, orgs, rows = filtered_corpus
    with connection.cursor() as cursor:
        migration.remove_tokens(cursor)
        cursor.execute("SELECT count(*) FROM govsearch_fts WHERE tsv::text LIKE %s", ["%'#%"])
        assert cursor.fetchone()[0] == 0
    req = SearchRequest("工作", site_ids=[sites[0].pk], channel_path="0001")
    assert matching_ids(req) == []  # the old index cannot answer filtered searches
    with connection.cursor() as cursor:
        migration.add_tokens(cursor)
    expected = {
        pk
        for pk, (doc, text) in rows.items()
        if doc.site_id == sites[0].pk and doc.channel_path.startswith("0001") and "工作" in text
    }
    assert expected and set(matching_ids(req)) == expected
    with connection.cursor() as cursor:
        cursor.execute("SELECT tsv::text, title::text FROM govsearch_fts")
        after = sorted(cursor.fetchall(), key=str)
    # The same vectors the indexer writes today.
    indexing.bulk_load([d for d, _ in rows.values()], batch_size=250)
    with connection.cursor() as cursor:
        cursor.execute("SELECT tsv::text, title::text FROM govsearch_fts")
        assert sorted(cursor.fetchall(), key=str) == after


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's count skipping")
@pytest.mark.parametrize("titles", ["walked", "counted"])
def test_uncounted_big_matches_page_the_same_results(loaded, monkeypatch, titles):
    """A match the statistics say is huge is shown as "2000+" without being counted; its
    pages are the same documents in the same order as when everything is counted."""
    words = [("工作", "relevance"), ("营商环境", "time"), ("乡村振兴 年度报告", "relevance")]

    def pages(word, sort):
        out = []
        for page in (1, 2, 3):
            response = search(SearchRequest(word, sort=sort, per_page=20, page=page))
            out.append([h.document.pk for h in response.hits])
        return response, out

    counted = {w: pages(*w) for w in words}
    monkeypatch.setattr(postgres, "SKIP_COUNT_ESTIMATE", 0)
    monkeypatch.setattr(postgres, "TITLE_SKIP_ESTIMATE", 0 if titles == "walked" else 10**9)
    for w in words:
        response, ids = pages(*w)
        assert ids == counted[w][1], w
        assert response.total_capped and response.total_display == f"{postgres.COUNT_CAP}+"
    # Small sites and rare words are still counted exactly (estimate 0 only skips big ones
    # when the planner thinks so): the totals of the brute force.
    monkeypatch.setattr(postgres, "SKIP_COUNT_ESTIMATE", 10**9)
    assert search(SearchRequest("工作")).total == counted[words[0]][0].total


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's count skipping")
def test_a_too_slow_uncounted_walk_falls_back_to_counting(loaded, monkeypatch):
    """When the estimate was wrong and walking takes too long, the statement is cancelled
    and the search answered the counted way: same page, exact total, session unharmed."""
    counted = search(SearchRequest("营商环境"))
    monkeypatch.setattr(postgres, "SKIP_COUNT_ESTIMATE", 0)
    monkeypatch.setattr(postgres, "WALK_TIMEOUT_MS", 5)
    original = postgres.PostgresBackend._search
    walks = []

    def slow_when_uncounted(self, cursor, *args, counted=True, **kwargs):
        if not counted:
            walks.append(1)
            cursor.execute("SELECT pg_sleep(0.2)")  # cancelled after 5 ms
        return original(self, cursor, *args, counted=counted, **kwargs)

    monkeypatch.setattr(postgres.PostgresBackend, "_search", slow_when_uncounted)
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        before = cursor.fetchone()[0]
    response = search(SearchRequest("营商环境"))
    assert walks, "the uncounted path was tried"
    assert [h.document.pk for h in response.hits] == [h.document.pk for h in counted.hits]
    assert response.total == counted.total and not response.total_capped
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == before
