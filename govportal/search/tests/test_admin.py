"""站内搜索 in the admin: dictionary, synonyms and promotions (validation, permissions,
audit), the 热门搜索 / 无结果搜索 reports with their exports, and 索引状态 with rebuild."""

import io
import json
from datetime import date, timedelta

from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone

import pytest
from bs4 import BeautifulSoup

from govportal.audit.models import AuditRecord
from govportal.conftest import make_user
from govportal.content.factories import ChannelPageFactory, make_site
from govportal.search import analysis, indexing, stats
from govportal.search.models import (
    DictionaryWord,
    HotSearchRule,
    IndexQueueItem,
    Promotion,
    SearchDocument,
    SynonymGroup,
)
from govportal.search.registry import Doc


def grant(user, *codenames):
    group = Group.objects.create(name=f"g-{user.username}")
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
        *Permission.objects.filter(content_type__app_label="govsearch", codename__in=codenames),
    )
    user.groups.add(group)
    return user


@pytest.fixture
def root(client, db):
    user = make_user("root", is_superuser=True, is_staff=True)
    client.force_login(user)
    return user


@pytest.fixture
def sites(db):
    a = make_site(hostname="a.admin.test", title="甲市人民政府", site_id_code="1399000301")
    b = make_site(hostname="b.admin.test", title="乙县人民政府", site_id_code="1399000302")
    return a, b


def denied(response) -> bool:
    """The admin answers a refusal by sending the user back to the dashboard."""
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    )


def menu_labels(client) -> str:
    """The admin menu as the sidebar receives it (JSON, non-ASCII escaped), decoded."""
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    soup = BeautifulSoup(html, "html.parser")
    props = soup.select_one("#wagtail-sidebar-props")
    return json.dumps(json.loads(props.string), ensure_ascii=False)


def errors_of(response) -> str:
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    return " ".join(
        e.get_text(" ", strip=True) for e in soup.select(".error-message, .help-critical")
    )


# -- dictionary --------------------------------------------------------------------------------


def test_dictionary_word_is_added_audited_and_used_by_segmentation(client, root):
    url = reverse("govsearch_dictionary:add")
    response = client.post(url, {"word": "一网通办专窗", "weight": 10000, "enabled": "on"})
    assert response.status_code == 302
    word = DictionaryWord.objects.get(word="一网通办专窗")
    assert word.created_by == root
    record = AuditRecord.objects.get(action="search.dictionary_create")
    assert record.after["word"] == "一网通办专窗" and record.username == "root"
    assert "一网通办专窗" in analysis.segment("请到一网通办专窗办理")


@pytest.mark.parametrize(
    ("word", "message"),
    [("政", "2 到 30 个字"), ("政务 公开", "不能有空格"), ("政" * 31, "2 到 30 个字")],
)
def test_dictionary_word_rules(client, root, word, message):
    response = client.post(reverse("govsearch_dictionary:add"), {"word": word, "weight": 10000})
    assert response.status_code == 200
    assert message in errors_of(response)
    assert not DictionaryWord.objects.exists()


def test_dictionary_edit_and_delete_are_audited(client, root):
    word = DictionaryWord.objects.create(word="营商环境", note="")
    client.post(
        reverse("govsearch_dictionary:edit", args=[word.pk]),
        {"word": "营商环境", "weight": 20000, "enabled": "on", "note": "高频词"},
    )
    change = AuditRecord.objects.get(action="search.dictionary_change")
    assert (change.before["note"], change.after["note"]) == ("", "高频词")
    client.post(reverse("govsearch_dictionary:delete", args=[word.pk]))
    assert not DictionaryWord.objects.exists()
    assert AuditRecord.objects.get(action="search.dictionary_delete").before["word"] == "营商环境"


# -- synonyms ----------------------------------------------------------------------------------


def test_synonym_group_needs_two_distinct_words(client, root):
    url = reverse("govsearch_synonyms:add")
    response = client.post(url, {"words": "社保，社保", "enabled": "on"})
    assert "至少要有两个不同的词语" in errors_of(response)
    assert not SynonymGroup.objects.exists()

    response = client.post(url, {"words": "社保、 社会保险,社保", "enabled": "on"})
    assert response.status_code == 302
    assert SynonymGroup.objects.get().words == "社保，社会保险"
    assert AuditRecord.objects.filter(action="search.synonym_create").count() == 1
    assert "社会保险" in analysis.synonyms("社保"), "the engine sees the new group at once"


# -- promotions --------------------------------------------------------------------------------


def test_promotion_needs_a_page_or_an_external_url(client, root, sites):
    url = reverse("govsearch_promotions:add")
    base = {"query": "营商环境", "sort_order": 0}
    response = client.post(url, base)
    assert "请选择一个页面或填写外部链接" in errors_of(response)
    response = client.post(url, {**base, "external_url": "https://yss.example.gov.cn/"})
    assert "外部链接须填写标题" in errors_of(response)
    assert not Promotion.objects.exists()

    (_site, home, _), _b = sites
    channel = ChannelPageFactory(parent=home, title="营商环境专栏", slug="yshj")
    response = client.post(url, {**base, "query": "  營商環境 ", "page": channel.pk})
    assert response.status_code == 302
    promotion = Promotion.objects.get()
    assert promotion.query == "营商环境", "stored normalized, as queries are"
    assert AuditRecord.objects.get(action="search.promotion_create").after["page"] == str(
        channel.pk
    )


def test_promotion_period_must_end_after_it_starts(client, root):
    response = client.post(
        reverse("govsearch_promotions:add"),
        {
            "query": "社保",
            "external_url": "https://si.example.gov.cn/",
            "title": "社保服务",
            "sort_order": 0,
            "starts_at": "2025-03-01 10:00",
            "ends_at": "2025-02-01 10:00",
        },
    )
    assert "结束时间须晚于开始时间" in errors_of(response)


# -- 热词管理 ----------------------------------------------------------------------------------


def test_hot_search_rules_are_validated_audited_and_shown_at_once(client, root, sites):
    (site_a, _, _), _b = sites
    for _ in range(4):
        stats.log_search("代办证件", site_a, 2)
    assert stats.hot_searches(site_a) == ["代办证件"]
    url = reverse("govsearch_hotrules:add")
    assert "热词管理" in menu_labels(client)
    response = client.post(url, {"word": "  ", "action": "block", "sort_order": 0})
    assert "请填写词语" in errors_of(response)
    response = client.post(
        url, {"word": " 代辦 ", "action": "block", "sort_order": 0, "enabled": "on"}
    )
    assert response.status_code == 302
    rule = HotSearchRule.objects.get()
    assert rule.word == "代办" and rule.created_by == root
    assert AuditRecord.objects.get(action="search.hotrule_create").after["word"] == "代办"
    assert stats.hot_searches(site_a) == []
    response = client.post(url, {"word": "代办", "action": "block", "sort_order": 0})
    assert "同一词语的同类规则" in errors_of(response)
    assert HotSearchRule.objects.count() == 1
    response = client.post(
        reverse("govsearch_hotrules:edit", args=[rule.pk]),
        {"word": "代办", "action": "block", "sort_order": 0},  # unticked: disabled
    )
    assert response.status_code == 302
    assert AuditRecord.objects.get(action="search.hotrule_change").after["enabled"] == "False"
    assert stats.hot_searches(site_a) == ["代办证件"]
    listing = client.get(reverse("govsearch_hotrules:index"))
    row = BeautifulSoup(listing.content.decode(), "html.parser").select_one("tbody tr")
    row = " ".join(row.get_text(" ").split())
    assert row.startswith("代办"), row
    # A rule without a site applies to every site; the disabled rule says so in words.
    assert "全部网站" in row and "停用" in row and "False" not in row


# -- permissions -------------------------------------------------------------------------------


def test_editor_tools_follow_model_permissions(client, db):
    nobody = grant(make_user("nobody"))
    client.force_login(nobody)
    assert "站内搜索" not in menu_labels(client)
    assert denied(client.get(reverse("govsearch_dictionary:add")))
    client.post(reverse("govsearch_dictionary:add"), {"word": "偷偷加词", "weight": 1})
    assert not DictionaryWord.objects.exists()
    assert denied(client.get(reverse("govsearch_admin:hot")))
    assert denied(client.get(reverse("govsearch_admin:status")))

    editor = grant(make_user("dict_editor"), "add_dictionaryword", "change_dictionaryword")
    client.force_login(editor)
    menu = menu_labels(client)
    assert "自定义词典" in menu and "置顶结果" not in menu and "热门搜索" not in menu
    response = client.post(reverse("govsearch_dictionary:add"), {"word": "一件事", "weight": 1})
    assert response.status_code == 302 and DictionaryWord.objects.filter(word="一件事").exists()
    assert denied(client.get(reverse("govsearch_promotions:add")))
    assert denied(client.get(reverse("govsearch_hotrules:add")))
    client.post(reverse("govsearch_hotrules:add"), {"word": "偷偷推荐", "action": "pin"})
    assert not HotSearchRule.objects.exists()


# -- reports -----------------------------------------------------------------------------------


@pytest.fixture
def logged(sites):
    (site_a, _, _), (site_b, _, _) = sites
    today = timezone.localdate()
    for _ in range(3):
        stats.log_search("营商环境", site_a, 12, day=today)
    stats.log_search("社保卡挂失", site_a, 0, day=today)
    stats.log_search("社保卡挂失", site_a, 0, day=today - timedelta(days=1))
    stats.log_search("乙县招聘", site_b, 0, day=today)
    stats.log_search("很久以前", site_a, 0, day=today - timedelta(days=90))
    return site_a, site_b


def table_rows(response) -> list[list[str]]:
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    return [
        [c.get_text(strip=True) for c in tr.find_all(["td", "th"])]
        for tr in soup.select("#report-table tbody tr")
    ]


def test_hot_and_zero_result_reports(client, root, logged):
    site_a, site_b = logged
    menu = menu_labels(client)
    for label in (
        "站内搜索",
        "自定义词典",
        "同义词",
        "置顶结果",
        "热门搜索",
        "无结果搜索",
        "索引状态",
    ):
        assert label in menu, label
    rows = table_rows(client.get(reverse("govsearch_admin:hot")))
    assert [r[1:3] for r in rows] == [["营商环境", "3"], ["社保卡挂失", "2"], ["乙县招聘", "1"]]
    rows = table_rows(client.get(reverse("govsearch_admin:zero"), {"site": site_a.pk}))
    assert [r[1:4] for r in rows] == [["社保卡挂失", "2", "2"]]
    old = date.today() - timedelta(days=120)
    rows = table_rows(
        client.get(reverse("govsearch_admin:zero"), {"start": f"{old:%Y-%m-%d}", "site": ""})
    )
    assert "很久以前" in [r[1] for r in rows]
    response = client.get(
        reverse("govsearch_admin:zero"), {"start": "2025-05-01", "end": "2025-04-01"}
    )
    assert "结束日期不能早于开始日期" in response.content.decode()


def test_report_exports_are_audited(client, root, logged):
    response = client.get(reverse("govsearch_admin:zero"), {"export": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("搜索词,搜索次数,无结果次数")
    assert "社保卡挂失,2,2" in text
    response = client.get(reverse("govsearch_admin:hot"), {"export": "xlsx"})
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[2]][:2] == ["营商环境", 3]
    exports = AuditRecord.objects.filter(action="export.search_stats").order_by("seq")
    assert [e.extra["format"] for e in exports] == ["csv", "xlsx"]
    assert exports[0].extra["report"] == "无结果搜索"


def test_report_permission_sees_only_the_users_own_sites(client, logged):
    site_a, site_b = logged
    from govportal.sites.roles import setup_site_roles

    roles = setup_site_roles(site_b.root_page, "乙县")
    analyst = grant(make_user("analyst"), "view_querystat")
    analyst.groups.add(roles.admins)
    client.force_login(analyst)
    rows = table_rows(client.get(reverse("govsearch_admin:zero")))
    assert [r[1] for r in rows] == ["乙县招聘"]
    assert client.get(reverse("govsearch_admin:zero"), {"site": site_a.pk}).status_code in (
        200,
        403,
    )
    assert (
        "社保卡挂失"
        not in client.get(reverse("govsearch_admin:zero"), {"site": site_a.pk}).content.decode()
    )


# -- index status ------------------------------------------------------------------------------


def test_index_status_and_audited_rebuild(client, root, sites):
    (site_a, _, _), _b = sites
    indexing.index_documents(
        [
            Doc(key="manual:1", kind="news", title="营商环境", body="正文", url="/x/",
                published_at=timezone.now(), site_id=site_a.pk),
            Doc(key="manual:2", kind="policy", title="政务公开", body="正文", url="/y/",
                published_at=timezone.now(), site_id=site_a.pk),
        ]
    )  # fmt: skip
    IndexQueueItem.objects.create(key="page:999999", last_error="boom")
    soup = BeautifulSoup(client.get(reverse("govsearch_admin:status")).content, "html.parser")
    overview = soup.select_one("#index-overview").get_text(" ", strip=True)
    assert "已索引文档 2 条" in overview and "待索引队列 1 条" in overview and "曾出错" in overview
    kinds = soup.select_one("#by-kind").get_text(" ", strip=True)
    assert "新闻动态 1" in kinds and "政策文件 1" in kinds
    assert "甲市人民政府 2" in soup.select_one("#by-site").get_text(" ", strip=True)

    response = client.post(reverse("govsearch_admin:status"), follow=True)
    assert "已提交重建请求" in response.content.decode()
    assert "已提交，等待后台开始" in response.content.decode()
    # The request itself only queues the rebuild; the background indexer expands it.
    assert set(IndexQueueItem.objects.values_list("key", flat=True)) == {
        "page:999999",
        "rebuild:all",
    }
    assert AuditRecord.objects.filter(action="search.rebuild").count() == 1
    from govportal.search.queue import process_queue

    IndexQueueItem.objects.filter(key="page:999999").delete()
    process_queue()
    queued = set(IndexQueueItem.objects.values_list("key", flat=True))
    assert {"manual:1", "manual:2"} <= queued, "what is indexed is re-checked"
    assert "rebuild:all" not in queued
    assert SearchDocument.objects.count() == 2, "search keeps working while it rebuilds"
    process_queue()
    assert not IndexQueueItem.objects.exists()
    assert not SearchDocument.objects.filter(key__startswith="manual:").exists(), (
        "no source makes them any more: the rebuild drops them"
    )


def test_rebuild_is_for_platform_operators_only(client, db):
    viewer = grant(make_user("viewer"), "view_searchdocument")
    client.force_login(viewer)
    html = client.get(reverse("govsearch_admin:status")).content.decode()
    assert "索引状态" in html and 'id="rebuild-index"' not in html
    assert denied(client.post(reverse("govsearch_admin:status")))
    assert not AuditRecord.objects.filter(action="search.rebuild").exists()


def test_tools_work_for_an_editor_using_the_english_admin(client, root, logged):
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(root)
    profile.preferred_language = "en"
    profile.save()
    for name in ("govsearch_dictionary:index", "govsearch_promotions:add", "govsearch_admin:hot",
                 "govsearch_admin:status"):  # fmt: skip
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        assert 'lang="en"' in response.content.decode()
