"""The library's rules and propagation, seen through the public site where it matters.

Sites (see conftest): B 市政府 (the city unit), A 甲区 (under the city), C 乙局 (under the
city). Articles of B are put in the library and appear on A and C.
"""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from wagtail.models import ModelLogEntry, Page

import pytest
from bs4 import BeautifulSoup

from govportal.conftest import public_get
from govportal.content.factories import ArticlePageFactory, ChannelPageFactory
from govportal.content.models import ArticlePage
from govportal.library import services
from govportal.library.models import (
    ItemStatus,
    LibraryItem,
    LibraryReferencePage,
    PushStatus,
    ShareScope,
    WithdrawalCause,
)


def fresh(page):
    return Page.objects.get(pk=page.pk).specific


def soup(response) -> BeautifulSoup:
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content.decode(), "html.parser")


def meta(doc: BeautifulSoup, name: str) -> str | None:
    tag = doc.find("meta", attrs={"name": name})
    return tag.get("content") if tag else None


def channel_titles(client, channel) -> list[str]:
    doc = soup(public_get(client, channel))
    return [a.get_text() for a in doc.select(".article-list__title")]


def edit_and_publish(article, user, **changes):
    article = fresh(article)
    for name, value in changes.items():
        setattr(article, name, value)
    article.save_revision(user=user).publish(user=user)
    return fresh(article)


@pytest.fixture
def item(world):
    """B's news article in the library, shared with the whole group."""
    return services.add_article(world.b.news_article, world.b.editor)


# -- 入库 --------------------------------------------------------------------------------


def test_add_article_records_source_site_unit_and_time(world, item):
    article = world.b.news_article
    assert item.kind == "article"
    assert item.title == article.title
    assert item.source_site == world.b.site
    assert item.organization == world.city  # the unit owning site B
    assert item.original_time == article.publish_time
    assert item.status == ItemStatus.ACTIVE
    entry = ModelLogEntry.objects.for_instance(item).get()
    assert entry.action == services.ACTION_ADD and entry.user == world.b.editor


@pytest.mark.parametrize(
    "who,error",
    [
        ("a_editor", PermissionDenied),  # another site's editor
        ("b_channel_editor_elsewhere", PermissionDenied),  # B's news-only editor, notices article
        ("draft", ValidationError),
        ("duplicate", ValidationError),
        ("reference", ValidationError),
    ],
)
def test_add_article_refusals(world, who, error):
    a, b = world.a, world.b
    article, user = b.news_article, b.editor
    if who == "a_editor":
        user = a.editor
    elif who == "b_channel_editor_elsewhere":
        article, user = b.notice_article, b.channel_editor
    elif who == "draft":
        article = ArticlePageFactory(parent=b.news, title="草稿", slug="draft-x", live=False)
    elif who == "duplicate":
        services.add_article(article, user)
    elif who == "reference":
        item = services.add_article(b.notice_article, b.editor)
        article, user = services.place(item, a.admin, a.news), a.admin
    with pytest.raises(error):
        services.add_article(article, user)


# -- push → place / decline; pull -------------------------------------------------------


def test_push_then_place_publishes_an_attributed_appearance(client, world, item):
    a, b = world.a, world.b
    push = services.push(item, b.editor, a.site, note="请转发")
    assert push.status == PushStatus.PENDING
    with pytest.raises(ValidationError):  # one open push per site
        services.push(item, b.editor, a.site)

    page = services.place_push(push, a.admin, a.news)
    assert page.live and page.item == item
    push.refresh_from_db()
    assert push.status == PushStatus.PLACED and push.reference_page_id == page.pk

    doc = soup(public_get(client, page))
    text = doc.get_text()
    assert item.title in doc.find("h1").get_text()
    assert f"来源：{b.site.site_name}" in text
    assert (
        "原发布时间：" + timezone.localtime(item.original_time).strftime("%Y-%m-%d %H:%M") in text
    )
    original = doc.select_one("[data-library-original]")
    assert original["href"] == b.news_article.get_full_url()
    assert meta(doc, "ContentSource") == b.site.site_name
    assert meta(doc, "ColumnName") == a.news.title
    # Nothing was copied: the reference page row holds no body of its own.
    assert len(fresh(page).body) == 0


def test_decline_push_needs_a_reason_and_a_handler_of_the_target_site(world, item):
    a, b = world.a, world.b
    push = services.push(item, b.editor, a.site)
    with pytest.raises(PermissionDenied):
        services.decline_push(push, b.editor, "不是本站的")
    with pytest.raises(ValidationError):
        services.decline_push(push, a.editor, "  ")
    push = services.decline_push(push, a.editor, "与本站栏目定位不符")
    assert push.status == PushStatus.DECLINED and push.decided_by == a.editor
    with pytest.raises(ValidationError):
        services.place_push(push, a.admin, a.news)
    assert not LibraryReferencePage.objects.filter(item=item).exists()


def test_pull_by_an_editor_without_publish_rights_goes_through_review(world, item):
    a = world.a
    page = services.place(item, a.editor, a.notices)
    assert not page.live
    assert page.workflow_in_progress
    assert services.with_reuse_count(LibraryItem.objects.filter(pk=item.pk)).get().reuse_count == 0


def test_place_refuses_channels_the_user_cannot_add_to(world, item):
    a, b = world.a, world.b
    with pytest.raises(PermissionDenied):  # A's news-only editor, A's notices channel
        services.place(item, a.channel_editor, a.notices)
    with pytest.raises(PermissionDenied):  # an A editor, a channel of site C
        services.place(item, a.editor, world.c.news)
    services.place(item, a.admin, a.news)
    with pytest.raises(ValidationError):  # the same channel twice
        services.place(item, a.admin, a.news)
    with pytest.raises(ValidationError):  # a push may only be placed on its target site
        push = services.push(item, b.editor, world.c.site)
        services.place_push(push, world.c.admin, a.notices)


def test_only_the_source_side_may_push_or_withdraw(world, item):
    a = world.a
    with pytest.raises(PermissionDenied):
        services.push(item, a.admin, world.c.site)
    with pytest.raises(PermissionDenied):
        services.withdraw(item, a.admin)
    with pytest.raises(ValidationError):
        services.push(item, world.b.editor, world.b.site)  # its own source site


def test_organization_scope_limits_who_sees_and_places(world):
    """An item of A (甲区) shared with "本单位及下级单位" stays inside 甲区's subtree."""
    a, b, c = world.a, world.b, world.c
    item = services.add_article(a.news_article, a.editor, scope=ShareScope.ORGANIZATION)
    assert item.organization == world.district
    assert services.shared_with_site(item, a.site)
    assert not services.shared_with_site(item, b.site)  # the city is above, not below
    assert not services.shared_with_site(item, c.site)
    assert item not in services.visible_items(b.admin)
    with pytest.raises(PermissionDenied):
        services.place(item, b.admin, b.news)
    with pytest.raises(ValidationError):
        services.push(item, a.editor, c.site)
    # An item of B (the city) shared the same way reaches A and C below it.
    city_item = services.add_article(b.notice_article, b.editor, scope=ShareScope.ORGANIZATION)
    assert services.shared_with_site(city_item, a.site)
    assert services.shared_with_site(city_item, c.site)
    assert city_item in services.visible_items(c.editor)


# -- propagation: edit, withdraw ------------------------------------------------------------


@pytest.fixture
def appearances(world, item):
    """The item shown on A (news) and C (news)."""
    return [
        services.place(item, world.a.admin, world.a.news),
        services.place(item, world.c.admin, world.c.news),
    ]


@pytest.mark.usefixtures("page_cache")
def test_editing_the_source_updates_every_appearance(client, world, item, appearances):
    b = world.b
    for page in appearances:  # rendered once: now in the page cache
        assert "初版正文" not in public_get(client, page).content.decode()
        assert item.title in channel_titles(client, page.get_parent())
    from wagtail.rich_text import RichText

    later = item.original_time - timedelta(days=1)
    edit_and_publish(
        b.news_article,
        b.admin,
        title="修改后的标题 zebra",
        publish_time=later,
        body=[("paragraph", RichText("<p>修订后的正文内容</p>"))],
    )
    for page in appearances:
        response = public_get(client, page)
        assert response.status_code == 200
        html = response.content.decode()
        assert "修订后的正文内容" in html
        assert "修改后的标题 zebra" in BeautifulSoup(html, "html.parser").find("h1").get_text()
        assert timezone.localtime(later).strftime("%Y-%m-%d %H:%M") in html
        assert "修改后的标题 zebra" in channel_titles(client, page.get_parent())
    # A draft of the source is not shown anywhere.
    draft = fresh(b.news_article)
    draft.body = [("paragraph", RichText("<p>尚未发布的草稿</p>"))]
    draft.save_revision(user=b.admin)
    assert "尚未发布的草稿" not in public_get(client, appearances[0]).content.decode()


@pytest.mark.usefixtures("page_cache")
def test_unpublishing_the_source_withdraws_every_appearance_and_republishing_restores(
    client, world, item, appearances
):
    b = world.b
    manual = appearances[1]
    fresh(manual).unpublish()  # C took its appearance down itself: it must stay down
    for page in appearances:
        public_get(client, page)

    fresh(b.news_article).unpublish()
    item.refresh_from_db()
    assert item.status == ItemStatus.WITHDRAWN
    assert item.withdrawal_cause == WithdrawalCause.SOURCE_UNPUBLISHED
    for page in appearances:
        assert public_get(client, page).status_code == 404
        assert item.title not in channel_titles(client, page.get_parent())
    with pytest.raises(ValidationError):
        services.place(item, world.c.admin, world.c.notices)

    fresh(b.news_article).save_revision(user=b.admin).publish(user=b.admin)
    item.refresh_from_db()
    assert item.status == ItemStatus.ACTIVE
    assert public_get(client, appearances[0]).status_code == 200
    assert item.title in channel_titles(client, world.a.news)
    assert public_get(client, manual).status_code == 404  # exactly those taken down


@pytest.mark.usefixtures("page_cache")
def test_withdrawing_the_item_takes_every_appearance_down_and_restore_brings_them_back(
    client, world, item, appearances
):
    b = world.b
    pending = services.push(item, b.editor, world.c.site)
    for page in appearances:
        public_get(client, page)
    services.withdraw(item, b.editor)
    for page in appearances:
        assert public_get(client, page).status_code == 404
        assert item.title not in channel_titles(client, page.get_parent())
    pending.refresh_from_db()
    assert pending.status == PushStatus.CANCELLED
    # The source article itself stays online: only the library use ends.
    assert public_get(client, b.news_article).status_code == 200
    # A receiving editor republishing their page cannot bring it back.
    fresh(appearances[0]).save_revision(user=world.a.admin).publish(user=world.a.admin)
    assert not fresh(appearances[0]).live

    services.restore(item, b.editor)
    for page in appearances:
        assert public_get(client, page).status_code == 200
    actions = list(
        ModelLogEntry.objects.for_instance(item)
        .order_by("timestamp")
        .values_list("action", flat=True)
    )
    assert services.ACTION_WITHDRAW in actions and services.ACTION_RESTORE in actions


def test_deleting_the_source_withdraws_for_good(client, world, item, appearances):
    fresh(world.b.news_article).delete()
    item.refresh_from_db()
    assert item.status == ItemStatus.WITHDRAWN
    assert item.withdrawal_cause == WithdrawalCause.SOURCE_DELETED
    assert item.article is None
    for page in appearances:
        assert public_get(client, page).status_code == 404
    with pytest.raises(ValidationError):
        services.restore(item, world.b.admin)


# -- listings -----------------------------------------------------------------------------


def test_channel_lists_appearances_by_original_time_with_their_source(client, world):
    a, b = world.a, world.b
    now = timezone.now()
    old = ArticlePageFactory(
        parent=b.news, title="三天前的市政府文章", slug="old", publish_time=now - timedelta(days=3)
    )
    item = services.add_article(old, b.editor)
    ArticlePageFactory(
        parent=a.news, title="两天前的本站文章", slug="two", publish_time=now - timedelta(days=2)
    )
    ArticlePageFactory(
        parent=a.news, title="四天前的本站文章", slug="four", publish_time=now - timedelta(days=4)
    )
    services.place(item, a.admin, a.news)
    titles = channel_titles(client, a.news)
    assert titles.index("两天前的本站文章") < titles.index("三天前的市政府文章")
    assert titles.index("三天前的市政府文章") < titles.index("四天前的本站文章")
    doc = soup(public_get(client, a.news))
    row = next(li for li in doc.select(".article-list__item") if "三天前" in li.get_text())
    assert row.select_one(".article-list__source").get_text() == f"来源：{b.site.site_name}"
    own = next(li for li in doc.select(".article-list__item") if "两天前" in li.get_text())
    assert own.select_one(".article-list__source") is None
    # The home page block of the channel lists it too.
    home = soup(public_get(client, a.home)).get_text()
    assert "三天前的市政府文章" in home or not a.news.show_on_home


def test_channel_query_count_does_not_grow_with_appearances(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    a, b = world.a, world.b
    channel = ChannelPageFactory(parent=a.home, title="转载", slug="reused", show_on_home=True)

    def count(page):
        public_get(client, page)
        with CaptureQueriesContext(connection) as ctx:
            assert public_get(client, page).status_code == 200
        return len(ctx.captured_queries)

    for i in range(2):
        article = ArticlePageFactory(parent=b.news, title=f"市政府文章{i}", slug=f"city-{i}")
        services.place(services.add_article(article, b.editor), a.admin, channel)
    before = (count(channel), count(a.home))
    for i in range(2, 12):
        article = ArticlePageFactory(parent=b.news, title=f"市政府文章{i}", slug=f"city-{i}")
        services.place(services.add_article(article, b.editor), a.admin, channel)
    after = (count(channel), count(a.home))
    assert after == before
    assert after[0] <= 24


def test_reuse_count_counts_live_appearances(world, item, appearances):
    counted = services.with_reuse_count(LibraryItem.objects.filter(pk=item.pk)).get()
    assert counted.reuse_count == 2
    fresh(appearances[0]).unpublish()
    counted = services.with_reuse_count(LibraryItem.objects.filter(pk=item.pk)).get()
    assert counted.reuse_count == 1


def test_reference_pages_are_article_pages_to_every_listing(world, item):
    page = services.place(item, world.a.admin, world.a.news)
    assert ArticlePage.objects.live().descendant_of(world.a.home).filter(pk=page.pk).exists()
    assert page.specific_class is LibraryReferencePage
    assert page.list_source == world.b.site.site_name
    assert ArticlePage.objects.get(pk=world.a.news_article.pk).list_source == ""


def test_an_appearance_cannot_be_submitted_upward_as_if_it_were_original(world, item):
    """信息报送 is for a site's own articles: the receiving site must not re-submit B's text."""
    from govportal.submissions import services as submissions

    a, b = world.a, world.b
    page = services.place(item, a.admin, a.news)
    with pytest.raises(ValidationError, match="引用页不能报送"):
        submissions.submit(page, a.admin, b.site)
