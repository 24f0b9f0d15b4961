"""Index freshness: what editors and handlers do shows in search after the queue runs."""

import datetime
import io

from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

from wagtail.documents import get_document_model
from wagtail.models import Collection, PageViewRestriction

import pytest

from govportal.content.factories import ArticlePageFactory, ChannelPageFactory, article_body
from govportal.content.models import ArticlePage, ChannelPage, ColumnType
from govportal.interaction.factories import Staff, make_letter, make_mailbox, make_staff
from govportal.interaction.taxonomy import MailboxKind
from govportal.organizations.factories import OrganizationFactory
from govportal.search import queue, registry
from govportal.search.models import IndexQueueItem, SearchDocument
from govportal.search.query import SearchRequest, search
from govportal.search.queue import process_queue


def found(q: str, **filters) -> set[str]:
    return {hit.document.key for hit in search(SearchRequest(q=q, per_page=50, **filters)).hits}


def publish_new(parent, title: str, **fields) -> ArticlePage:
    """A draft article, then published by its revision (as the editor's publish button)."""
    page = ArticlePageFactory(parent=parent, title=title, live=False, **fields)
    page.save_revision().publish()
    return ArticlePage.objects.get(pk=page.pk)


def edit_and_publish(page, **changes) -> ArticlePage:
    page = ArticlePage.objects.get(pk=page.pk).specific
    for name, value in changes.items():
        setattr(page, name, value)
    page.save_revision().publish()
    return ArticlePage.objects.get(pk=page.pk)


@pytest.fixture(autouse=True)
def _empty_queue(site_group):
    process_queue(limit=10_000)  # what building the site group queued


def test_publish_is_found_after_the_queue_runs(site_group):
    page = publish_new(site_group.a.news, "量子通信产业园开园")
    key = f"page:{page.pk}"
    assert IndexQueueItem.objects.filter(key=key).exists()
    assert key not in found("量子通信")
    assert process_queue() >= 1
    assert key in found("量子通信")
    assert key in found("产业园", site_ids=[site_group.a.site.pk])
    assert key not in found("产业园", site_ids=[site_group.b.site.pk])
    assert not IndexQueueItem.objects.filter(key=key).exists()


def test_edited_title_replaces_the_old_one(site_group):
    page = publish_new(site_group.a.news, "冰雪旅游季开幕")
    process_queue()
    edit_and_publish(page, title="湿地公园观鸟季开幕")
    process_queue()
    key = f"page:{page.pk}"
    assert key in found("观鸟")
    assert key not in found("冰雪旅游")
    assert SearchDocument.objects.filter(key=key).count() == 1


def test_unpublished_page_disappears(site_group):
    page = publish_new(site_group.a.news, "候鸟保护志愿者招募")
    process_queue()
    assert f"page:{page.pk}" in found("候鸟保护")
    ArticlePage.objects.get(pk=page.pk).unpublish()
    process_queue()
    assert f"page:{page.pk}" not in found("候鸟保护")
    assert not SearchDocument.objects.filter(key=f"page:{page.pk}").exists()


def test_expiry_by_publish_scheduled_removes_the_page(site_group):
    page = publish_new(site_group.a.news, "限时办理公积金提取通知")
    process_queue()
    assert f"page:{page.pk}" in found("公积金提取")
    past = timezone.make_aware(datetime.datetime(2026, 1, 5, 9, 0))
    ArticlePage.objects.filter(pk=page.pk).update(expire_at=past)
    call_command("publish_scheduled", stdout=io.StringIO())
    assert not ArticlePage.objects.get(pk=page.pk).live
    process_queue()
    assert f"page:{page.pk}" not in found("公积金提取")


def test_deleted_page_disappears(site_group):
    page = publish_new(site_group.a.news, "老旧小区加装电梯补贴")
    process_queue()
    assert f"page:{page.pk}" in found("加装电梯")
    ArticlePage.objects.get(pk=page.pk).delete()
    process_queue()
    assert f"page:{page.pk}" not in found("加装电梯")


def test_view_restriction_hides_a_channel_and_lifting_it_brings_it_back(site_group):
    channel = ChannelPageFactory(parent=site_group.a.home, title="内部事务", slug="internal")
    page = publish_new(channel, "机关食堂承包招标公告")
    process_queue()
    key = f"page:{page.pk}"
    assert key in found("食堂承包")
    restriction = PageViewRestriction.objects.create(page=channel, restriction_type="login")
    process_queue()
    assert key not in found("食堂承包")
    restriction.delete()
    process_queue()
    assert key in found("食堂承包")


def test_moved_page_follows_to_its_new_site(site_group):
    page = publish_new(site_group.a.news, "跨区域医保结算指南")
    process_queue()
    ArticlePage.objects.get(pk=page.pk).move(site_group.b.news, pos="last-child")
    process_queue()
    document = SearchDocument.objects.get(key=f"page:{page.pk}")
    assert document.site_id == site_group.b.site.pk
    assert document.url.startswith("http://beta.example.test/news/")
    assert f"page:{page.pk}" in found("医保结算", site_ids=[site_group.b.site.pk])


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_attachment_text_is_found_and_follows_the_file_and_the_page(site_group, media):
    Document = get_document_model()
    document = Document(title="实施细则", collection=Collection.get_first_root_node())
    document.file.save(
        "rules.txt", ContentFile("新能源汽车充电桩建设补贴细则".encode()), save=False
    )
    document.save()
    page = publish_new(
        site_group.a.news,
        "关于充电设施建设的通知",
        body=article_body(["正文"], [("attachment", {"document": document, "title": ""})]),
    )
    process_queue()
    key = f"document:{document.pk}:{page.pk}"
    assert key in found("充电桩")
    # The file is replaced: the new text is found, the old is not.
    document = Document.objects.get(pk=document.pk)
    document.file.save("rules-v2.txt", ContentFile("氢能加注站运营补贴细则".encode()), save=False)
    document.save()
    process_queue()
    assert key in found("加注站")
    assert key not in found("充电桩")
    # The page drops the attachment: its entry leaves the index with the new version.
    edit_and_publish(page, body=article_body(["不再附带附件"]))
    process_queue()
    assert key not in found("加注站")
    assert f"page:{page.pk}" in found("充电设施")
    # Deleting the page takes any remaining attachment along (parent_key).
    Document.objects.get(pk=document.pk).delete()
    process_queue()
    assert not SearchDocument.objects.filter(key__startswith=f"document:{document.pk}:").exists()


def test_letter_reply_made_non_public_disappears(site_group, settings, tmp_path):
    settings.GOVPORTAL_PRIVATE_MEDIA_ROOT = tmp_path / "private"
    city = OrganizationFactory(name="站点A人民政府", kind="government")
    channel = ChannelPageFactory(
        parent=site_group.a.home, title="互动交流", slug="hdjl", column_type=ColumnType.INTERACTION
    )
    mailbox = make_mailbox(channel, "市长信箱", MailboxKind.MAYOR, slug="mayor", units=[city],
                           categories=[("市政", city, [])])  # fmt: skip
    staff = Staff(
        make_staff("f_dispatcher", city, "dispatch"),
        make_staff("f_handler", city, "handle"),
        make_staff("f_approver", city, "approve"),
    )
    data = {"title": "滨江步道夜间照明不足", "body": "滨江步道晚上太暗，电话13900001111。"}
    letter = make_letter(mailbox, "answered", staff=staff, data=data, public=True)
    process_queue()
    key = f"letter:{letter.pk}"
    assert key in found("滨江步道")
    assert key not in found("13900001111")
    letter.reply_public = False
    letter.save()
    process_queue()
    assert key not in found("滨江步道")


class _Flaky(registry.Source):
    prefix = "flaky"
    fail = True

    def documents(self, ident):
        if self.fail:
            raise RuntimeError("数据库暂时不可用")
        page = ArticlePage.objects.get(pk=int(ident))
        return [
            registry.Doc(
                key=f"flaky:{ident}",
                kind="news",
                title=f"{page.title}（镜像）",
                body="",
                url="/flaky/",
                published_at=page.publish_time,
            )
        ]

    def all_keys(self):
        return iter(())


@pytest.fixture
def flaky():
    source = _Flaky()
    registry.register_source(source)
    yield source
    registry._SOURCES.pop("flaky", None)


def test_a_failure_keeps_the_item_and_it_is_retried(site_group, flaky):
    page = ArticlePage.objects.get(pk=site_group.a.news_article.pk)
    queue.enqueue([f"flaky:{page.pk}", "page:0"])
    assert process_queue() == 1  # page:0 (gone) done; the flaky one kept
    item = IndexQueueItem.objects.get(key=f"flaky:{page.pk}")
    assert item.attempts == 1
    assert "数据库暂时不可用" in item.last_error
    assert item.queued_at > timezone.now()  # waits before the retry
    assert process_queue() == 0  # not due yet
    flaky.fail = False
    IndexQueueItem.objects.filter(pk=item.pk).update(queued_at=timezone.now())
    assert process_queue() == 1
    assert not IndexQueueItem.objects.exists()
    assert SearchDocument.objects.filter(key=f"flaky:{page.pk}").exists()


def test_re_queued_while_indexing_is_not_lost(site_group):
    page = publish_new(site_group.a.news, "秸秆综合利用")
    item = IndexQueueItem.objects.get(key=f"page:{page.pk}")
    # Another edit lands while this batch runs: the item is refreshed, not deleted.
    IndexQueueItem.objects.filter(pk=item.pk).update(
        queued_at=item.queued_at + datetime.timedelta(seconds=1)
    )
    queue._settle([item], {})
    assert IndexQueueItem.objects.filter(key=f"page:{page.pk}").exists()


def test_management_command_and_scheduler_hook_run_the_queue(site_group):
    page = publish_new(site_group.a.news, "农村人居环境整治")
    out = io.StringIO()
    call_command("process_search_queue", "--all", stdout=out)
    assert "已处理 1 条" in out.getvalue()
    assert f"page:{page.pk}" in found("人居环境")
    other = publish_new(site_group.a.news, "高标准农田建设")
    queue._last_run["at"] = 0.0
    assert queue.process_queue_if_due() == 1
    assert queue.process_queue_if_due() == 0  # within two seconds: not yet
    assert f"page:{other.pk}" in found("农田建设")


def test_run_scheduler_indexes_what_it_unpublishes(site_group):
    page = publish_new(site_group.a.news, "夏季防汛应急预案")
    call_command("run_scheduler", "--once", stdout=io.StringIO())
    assert f"page:{page.pk}" in found("防汛应急")
    past = timezone.make_aware(datetime.datetime(2026, 1, 5, 9, 0))
    ArticlePage.objects.filter(pk=page.pk).update(expire_at=past)
    call_command("run_scheduler", "--once", stdout=io.StringIO())
    assert f"page:{page.pk}" not in found("防汛应急")


def test_column_type_change_reclassifies_its_articles(site_group):
    channel = ChannelPageFactory(parent=site_group.a.home, title="文件", slug="wenjian")
    channel.save_revision().publish()
    page = publish_new(channel, "示例市促进民营经济发展若干措施")
    process_queue()
    assert SearchDocument.objects.get(key=f"page:{page.pk}").kind == "news"
    channel = ChannelPage.objects.get(pk=channel.pk)
    channel.column_type = ColumnType.POLICY
    channel.save_revision().publish()
    process_queue()
    assert SearchDocument.objects.get(key=f"page:{page.pk}").kind == "policy"
    assert f"page:{page.pk}" in found("民营经济", kinds=["policy"])


def test_site_address_change_rewrites_its_results_links(site_group):
    page = publish_new(site_group.a.news, "城市更新试点方案")
    process_queue()
    doc = SearchDocument.objects.get(key=f"page:{page.pk}")
    site = site_group.a.site
    assert doc.url.startswith(site.root_url)
    other = SearchDocument.objects.filter(site=site_group.b.site).count()
    site.site_name = "改个名字"
    site.save()
    assert not IndexQueueItem.objects.exists(), "a name change does not touch the links"
    site.hostname = "new-address.example.test"
    site.save()
    queued = set(IndexQueueItem.objects.values_list("key", flat=True))
    assert f"page:{page.pk}" in queued
    assert len(queued) == SearchDocument.objects.filter(site=site).count()
    process_queue(limit=10_000)
    doc.refresh_from_db()
    assert doc.url.startswith("http://new-address.example.test")
    assert SearchDocument.objects.filter(site=site_group.b.site).count() == other
