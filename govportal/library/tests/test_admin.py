"""The library in the admin: list with filters, sort and reuse count; 入库, upload, push,
the inbox, placing and declining — each checking permissions on the server."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

import pytest
from bs4 import BeautifulSoup

from govportal.conftest import make_user, public_get
from govportal.content.demo import _pdf, _png
from govportal.content.factories import ArticlePageFactory
from govportal.library import services
from govportal.library.models import LibraryItem, LibraryPush, LibraryReferencePage, PushStatus

WEBM = b"\x1aE\xdf\xa3" + b"\x00" * 60  # an EBML header is enough for the upload rules


def rows(response) -> list[str]:
    assert response.status_code == 200, response.status_code
    doc = BeautifulSoup(response.content.decode(), "html.parser")
    return [tr.select_one("td a").get_text() for tr in doc.select("#library-items tbody tr")]


def reuse_of(response, title) -> int:
    doc = BeautifulSoup(response.content.decode(), "html.parser")
    for tr in doc.select("#library-items tbody tr"):
        if tr.select_one("td a").get_text() == title:
            return int(tr.select_one("[data-reuse]")["data-reuse"])
    raise AssertionError(title)


@pytest.fixture
def library(world):
    """Three items of B (two articles, one uploaded PDF) and one of A, reused unevenly."""
    a, b, c = world.a, world.b, world.c
    now = timezone.now()
    old = ArticlePageFactory(
        parent=b.news,
        title="去年的市政府文章",
        slug="last-year",
        publish_time=now - timedelta(days=400),
    )
    # Explicit times: the shared fixture's articles get older with every factory call.
    news = ArticlePageFactory(
        parent=b.news,
        title="本周的市政府要闻",
        slug="this-week",
        publish_time=now - timedelta(days=2),
    )
    district = ArticlePageFactory(
        parent=a.notices,
        title="甲区的通知",
        slug="district-notice",
        publish_time=now - timedelta(days=5),
    )
    items = {
        "news": services.add_article(news, b.editor),
        "old": services.add_article(old, b.editor),
        "pdf": services.upload(
            b.admin, b.site, title="市政府工作报告全文", kind="document",
            file=SimpleUploadedFile("report.pdf", _pdf("report")),
        ),
        "district": services.add_article(district, a.editor),
    }  # fmt: skip
    services.place(items["news"], a.admin, a.news)
    services.place(items["news"], c.admin, c.news)
    services.place(items["pdf"], a.admin, a.notices)
    return items


def test_library_lists_visible_items_with_reuse_count_and_sorts_by_it(client, world, library):
    client.force_login(world.a.editor)
    url = reverse("library:index")
    listed = rows(client.get(url))
    assert set(listed) == {item.title for item in library.values()}
    response = client.get(url, {"sort": "-reuse"})
    assert rows(response)[0] == library["news"].title
    assert reuse_of(response, library["news"].title) == 2
    assert reuse_of(response, library["pdf"].title) == 1
    assert reuse_of(response, library["old"].title) == 0
    assert rows(client.get(url, {"sort": "reuse"}))[-1] == library["news"].title


@pytest.mark.parametrize(
    "params,expected",
    [
        ({"kind": "document"}, {"pdf"}),
        ({"kind": "article", "q": "去年"}, {"old"}),
        ({"organization": "district"}, {"district"}),
        ({"status": "withdrawn"}, {"news"}),
        ({"date_from": -30}, {"news", "pdf", "district"}),
        ({"date_to": -30}, {"old"}),
    ],
)
def test_library_filters(client, world, library, params, expected):
    if params.get("status"):
        services.withdraw(library["news"], world.b.editor)
    today = timezone.localdate()
    query = {}
    for key, value in params.items():
        if key.startswith("date_"):
            value = (today + timedelta(days=value)).isoformat()
        elif key == "organization":
            value = world.district.pk
        query[key] = value
    client.force_login(world.b.admin)
    assert set(rows(client.get(reverse("library:index"), query))) == {
        library[k].title for k in expected
    }


def test_library_is_refused_to_users_without_an_editorial_site(client, world, library):
    nobody = make_user("library_nobody", is_staff=True)
    client.force_login(nobody)
    response = client.get(reverse("library:index"))
    assert response.status_code == 302
    assert client.get(reverse("library:detail", args=(library["news"].pk,))).status_code == 302


def test_items_outside_the_scope_are_invisible(client, world):
    item = services.add_article(world.a.news_article, world.a.editor, scope="organization")
    client.force_login(world.b.admin)
    assert item.title not in rows(client.get(reverse("library:index")))
    assert client.get(reverse("library:detail", args=(item.pk,))).status_code == 404
    assert (
        client.post(
            reverse("library:place", args=(item.pk,)), {"channel": world.b.news.pk}
        ).status_code
        == 404
    )
    assert not LibraryReferencePage.objects.filter(item=item).exists()


def test_add_article_from_the_page_action(client, world):
    b = world.b
    client.force_login(b.editor)
    edit = client.get(reverse("wagtailadmin_pages:edit", args=(b.notice_article.pk,)))
    assert reverse("library:add_article", args=(b.notice_article.pk,)) in edit.content.decode()
    response = client.post(
        reverse("library:add_article", args=(b.notice_article.pk,)), {"scope": "group"}
    )
    item = LibraryItem.objects.get(article=b.notice_article)
    assert response.status_code == 302 and response["Location"] == reverse(
        "library:detail", args=(item.pk,)
    )
    # Someone who may not edit the article gets nowhere.
    client.force_login(world.a.admin)
    response = client.post(
        reverse("library:add_article", args=(b.news_article.pk,)), {"scope": "group"}
    )
    assert (
        response.status_code == 302
        and not LibraryItem.objects.filter(article=b.news_article).exists()
    )


@pytest.mark.parametrize(
    "kind,upload,field",
    [
        ("document", SimpleUploadedFile("plan.pdf", _pdf("plan")), "file"),
        ("video", SimpleUploadedFile("clip.webm", WEBM, content_type="video/webm"), "file"),
        (
            "image",
            SimpleUploadedFile("photo.png", _png((27, 79, 156), 1), content_type="image/png"),
            "image",
        ),
    ],
)
def test_upload_and_place_a_file_shows_it_on_the_receiving_site(client, world, kind, upload, field):
    a, b = world.a, world.b
    client.force_login(b.editor)
    response = client.post(
        reverse("library:upload"),
        {"site": b.site.pk, "kind": kind, "title": f"上传的{kind}", "description": "说明文字",
         "scope": "group", field: upload},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[-2000:]
    item = LibraryItem.objects.get(title=f"上传的{kind}")
    assert item.kind == kind and item.source_site == b.site
    client.force_login(a.admin)
    response = client.post(reverse("library:place", args=(item.pk,)), {"channel": a.news.pk})
    assert response.status_code == 302
    page = LibraryReferencePage.objects.get(item=item)
    html = public_get(client.__class__(), page).content.decode()
    marker = {"document": "library-file__download", "video": "<video controls", "image": "<img"}[
        kind
    ]
    assert marker in html and f"来源：{b.site.site_name}" in html


def test_upload_refuses_a_mismatched_or_unknown_file(client, world):
    client.force_login(world.b.editor)
    for kind, name in (("video", "plan.pdf"), ("document", "run.exe")):
        response = client.post(
            reverse("library:upload"),
            {"site": world.b.site.pk, "kind": kind, "title": "错误的文件", "scope": "group",
             "file": SimpleUploadedFile(name, b"data")},
        )  # fmt: skip
        assert response.status_code == 200
        assert not LibraryItem.objects.filter(title="错误的文件").exists()
    # Uploading for another site is refused by the form (not one of the user's sites).
    response = client.post(
        reverse("library:upload"),
        {"site": world.a.site.pk, "kind": "document", "title": "别站的文件", "scope": "group",
         "file": SimpleUploadedFile("x.pdf", _pdf("x"))},
    )  # fmt: skip
    assert (
        response.status_code == 200 and not LibraryItem.objects.filter(title="别站的文件").exists()
    )


def test_push_inbox_place_and_decline(client, world, library):
    a, b, c = world.a, world.b, world.c
    item = library["old"]
    client.force_login(b.editor)
    response = client.post(
        reverse("library:push", args=(item.pk,)),
        {"target_sites": [a.site.pk, c.site.pk], "note": "请各站转载"},
    )
    assert response.status_code == 302
    assert LibraryPush.objects.filter(item=item, status=PushStatus.PENDING).count() == 2

    # A's editor sees the push in the inbox and places it in a channel of A.
    client.force_login(a.admin)
    inbox = client.get(reverse("library:inbox")).content.decode()
    assert item.title in inbox
    push_a = LibraryPush.objects.get(item=item, target_site=a.site)
    push_c = LibraryPush.objects.get(item=item, target_site=c.site)
    assert (
        client.get(reverse("library:push_place", args=(push_c.pk,))).status_code == 302
    )  # not A's
    response = client.post(
        reverse("library:push_place", args=(push_a.pk,)), {"channel": a.notices.pk}
    )
    assert response.status_code == 302
    push_a.refresh_from_db()
    assert push_a.status == PushStatus.PLACED and push_a.reference_page.live

    # C declines with a reason; the reason shows in the item's push history.
    client.force_login(c.editor)
    response = client.post(
        reverse("library:push_decline", args=(push_c.pk,)), {"reason": "暂不转载"}
    )
    assert response.status_code == 302
    detail = client.get(reverse("library:detail", args=(item.pk,))).content.decode()
    assert "暂不转载" in detail and a.notices.title in detail
    # A push can't be pushed by the receiving side.
    assert client.get(reverse("library:push", args=(item.pk,))).status_code == 302


def test_withdraw_from_the_detail_page(client, world, library):
    item = library["news"]
    client.force_login(world.a.admin)  # not the source side
    client.post(reverse("library:withdraw", args=(item.pk,)))
    item.refresh_from_db()
    assert item.is_active
    client.force_login(world.b.editor)
    client.post(reverse("library:withdraw", args=(item.pk,)))
    item.refresh_from_db()
    assert not item.is_active
    assert not LibraryReferencePage.objects.filter(item=item, live=True).exists()
    history = client.get(reverse("library:detail", args=(item.pk,))).content.decode()
    assert "资源库：撤回" in history


def test_channel_choices_are_only_those_the_user_may_add_to(client, world, library):
    client.force_login(world.a.channel_editor)  # may add only in A's news channel
    html = client.get(reverse("library:place", args=(library["old"].pk,))).content.decode()
    doc = BeautifulSoup(html, "html.parser")
    options = [o["value"] for o in doc.select("select[name=channel] option") if o["value"]]
    assert options == [str(world.a.news.pk)]


def test_receiving_editors_manage_their_appearance_in_the_page_editor(client, world, library):
    a = world.a
    page = LibraryReferencePage.objects.get(item=library["news"], path__startswith=a.home.path)
    client.force_login(a.admin)
    assert client.get(reverse("wagtailadmin_explore", args=(a.news.pk,))).status_code == 200
    response = client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,)))
    assert response.status_code == 200
    assert "资源引用" in response.content.decode()
    # The source side cannot touch the receiving site's page.
    client.force_login(world.b.editor)
    assert client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,))).status_code == 302
