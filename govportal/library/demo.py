"""Demo 统一信息资源库: items of the demo sites reused across the site group.

Called at the end of ``load_demo_data`` (after sites, users and organisations exist)::

    from govportal.library.demo import build_demo_library
    build_demo_library()

Builds: articles of 市发展改革委, 市教育局 and 青山区 each shown on two or three other
sites; a PDF, an image and a short video (``demo_media/demo-video.webm``, a 3-second
WebM generated once in Chromium) uploaded by the city; a pending push in the city's and
青山区's inboxes, a declined push, and a withdrawn item. Idempotent: does nothing once the
library holds items.
"""

from datetime import timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from wagtail.models import Site

from govportal.content.models import ArticlePage, ChannelPage
from govportal.sites.models import SiteProfile

from . import services
from .models import ItemStatus, LibraryItem, LibraryPush, LibraryReferencePage

CODES = {"city": "1399000001", "fgw": "1399000012", "edu": "1399000023", "qingshan": "1399010001"}
VIDEO = Path(__file__).parent / "demo_media" / "demo-video.webm"


def _site(key: str) -> Site:
    return SiteProfile.objects.select_related("site__root_page").get(site_id_code=CODES[key]).site


def _channel(site: Site, slug: str) -> ChannelPage:
    return ChannelPage.objects.descendant_of(site.root_page).get(slug=slug)


def _articles(site: Site, slug: str, count: int) -> list[ArticlePage]:
    """Recent live articles of one channel, other than those of the submissions demo."""
    channel = _channel(site, slug)
    return list(
        ArticlePage.objects.live()
        .child_of(channel)
        .exact_type(ArticlePage)
        .filter(submissions__isnull=True)
        .order_by("-publish_time", "-pk")[:count]
    )


def _image_file():
    from govportal.content.demo import _png

    return SimpleUploadedFile("city-view.png", _png((30, 120, 90), 7), content_type="image/png")


def _pdf_file():
    from govportal.content.demo import _pdf

    return SimpleUploadedFile("work-report-2026.pdf", _pdf("2026 government work report"))


@transaction.atomic
def build_demo_library(stdout=None) -> dict[str, int]:
    """Create the demo library (idempotent); returns counts for the load log."""
    if LibraryItem.objects.exists():
        return _counts()
    User = get_user_model()
    users = {u.username: u for u in User.objects.filter(username__contains="_")}
    sites = {key: _site(key) for key in CODES}
    now = timezone.now()

    def place(item, key: str, slug: str):
        return services.place(item, users[f"{key}_admin"], _channel(sites[key], slug))

    # Articles: each source site's news reused by two or three other sites.
    fgw = _articles(sites["fgw"], "news", 3)
    edu = _articles(sites["edu"], "news", 3)
    qs = _articles(sites["qingshan"], "news", 2)

    item = services.add_article(fgw[0], users["fgw_editor"])
    push = services.push(
        item, users["fgw_editor"], sites["city"], note="我委重点工作进展，请市政府门户网站采用。"
    )
    services.place_push(push, users["city_admin"], _channel(sites["city"], "dept-news"))
    place(item, "qingshan", "news")
    place(item, "edu", "news")

    item = services.add_article(edu[0], users["edu_editor"])
    place(item, "city", "dept-news")
    place(item, "qingshan", "towns")

    item = services.add_article(qs[0], users["qingshan_editor"])
    place(item, "city", "district-news")
    place(item, "fgw", "news")

    # Files uploaded by the city into the library, used by the departments and district.
    report = services.upload(
        users["city_admin"], sites["city"], kind="document", title="示例市2026年政府工作报告（全文）",
        description="2026年1月在示例市第十六届人民代表大会第五次会议上所作的政府工作报告全文。",
        file=_pdf_file(), original_time=now - timedelta(days=20),
    )  # fmt: skip
    for key in ("fgw", "edu", "qingshan"):
        place(report, key, "policies")
    photo = services.upload(
        users["city_admin"], sites["city"], kind="image", title="示例市城市新貌",
        description="示例市滨江新区全景（示意图）。", file=_image_file(),
        original_time=now - timedelta(days=9),
    )  # fmt: skip
    place(photo, "qingshan", "about")
    place(photo, "edu", "news")
    if VIDEO.exists():
        video = services.upload(
            users["city_admin"], sites["city"], kind="video", title="“一网通办”操作演示视频",
            description="三步完成网上办事：登录、填报、查询进度。",
            file=SimpleUploadedFile("yiwangtongban.webm", VIDEO.read_bytes(), content_type="video/webm"),
            original_time=now - timedelta(days=3),
        )  # fmt: skip
        place(video, "fgw", "news")
        place(video, "qingshan", "news")

    # Pushes waiting in inboxes, one declined.
    item = services.add_article(edu[1], users["edu_editor"])
    services.push(item, users["edu_editor"], sites["qingshan"], note="请青山区转载。")
    services.push(
        item, users["edu_editor"], sites["city"], note="全市招生政策，建议市政府门户网站转载。"
    )
    item = services.add_article(fgw[1], users["fgw_editor"])
    push = services.push(item, users["fgw_editor"], sites["edu"])
    services.decline_push(push, users["edu_admin"], "与教育系统工作关联不大，暂不转载。")
    place(item, "qingshan", "news")

    # A withdrawn item: its appearance went offline with it.
    item = services.add_article(qs[1], users["qingshan_editor"])
    place(item, "city", "district-news")
    services.withdraw(item, users["qingshan_editor"])

    counts = _counts()
    if stdout is not None:
        stdout.write(
            f"  资源库: {counts['items']} items, {counts['live_references']} live appearances, "
            f"{counts['pending_pushes']} pending pushes"
        )
    return counts


def _counts() -> dict[str, int]:
    return {
        "items": LibraryItem.objects.count(),
        "withdrawn": LibraryItem.objects.filter(status=ItemStatus.WITHDRAWN).count(),
        "live_references": LibraryReferencePage.objects.live().count(),
        "pending_pushes": LibraryPush.objects.filter(status="pending").count(),
    }
