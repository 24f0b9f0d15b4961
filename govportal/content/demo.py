"""The demo site group (示例市) that ``load_demo_data`` builds.

One city portal, two department sites and one district site, each with a channel
tree, code-generated articles, users for every role and its review workflow.
"""

import io
import time
from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.files.images import ImageFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, Site
from wagtail.rich_text import RichText

from govportal.accounts.demo import build_demo_security
from govportal.annualreports.demo import build_demo_annual_reports
from govportal.audit.demo import build_demo_audit
from govportal.citizens.demo import build_demo_citizens
from govportal.disclosure.demo import build_demo_disclosure
from govportal.inforequests.demo import build_demo_inforequests
from govportal.interaction.demo import build_demo_letters
from govportal.interaction.demo_stats import build_demo_letter_stats
from govportal.interpretation.demo import build_demo_interpretation
from govportal.interviews.demo import build_demo_interviews
from govportal.library.demo import build_demo_library
from govportal.organizations.demo import build_demo_organizations
from govportal.organizations.models import Membership, Organization
from govportal.organizations.services import link_site
from govportal.personal.demo import build_demo_personal
from govportal.provisioning.demo import build_demo_provisioned_sites
from govportal.search.demo import build_demo_search
from govportal.siteadmin.demo import build_demo_delegations
from govportal.sites.models import SiteKind, SiteProfile
from govportal.sites.roles import create_channel_editors, setup_site_roles
from govportal.submissions.demo import build_demo_submissions
from govportal.surveys.demo import build_demo_surveys

from .demo_text import DemoText
from .factories import (
    ArticlePageFactory,
    ChannelPageFactory,
    ExternalLinkChannelFactory,
    PortalHomePageFactory,
    TopicPageFactory,
    article_body,
)
from .models import ArticlePage, ChannelPage, ColumnType

DEMO_PASSWORD = "Demo@2026gov"  # noqa: S105 — documented demo logins, embedded run only
CITY_SITE_CODE = "1399000001"


@dataclass
class ChannelSpec:
    title: str
    slug: str
    column_type: str = ColumnType.NEWS
    home: bool = False
    weight: int = 0  # share of the articles; 0 = holds sub-channels only
    children: list["ChannelSpec"] = field(default_factory=list)
    link: str = ""  # external-link channel when set
    topic: bool = False


@dataclass
class SiteSpec:
    key: str
    title: str
    short_name: str
    kind: str
    site_id_code: str
    domain: str
    sponsor: str
    organization: str  # full name in the demo organisation tree
    channels: list[ChannelSpec]
    two_level: bool = False
    topics: list[str] = field(default_factory=list)


C = ChannelSpec
SITES = [
    SiteSpec(
        key="city",
        title="示例市人民政府",
        short_name="示例市政府",
        kind=SiteKind.PORTAL,
        site_id_code=CITY_SITE_CODE,
        domain="www.shili.gov.cn",
        sponsor="示例市人民政府办公室",
        organization="示例市人民政府",
        two_level=True,
        topics=["优化营商环境", "乡村振兴"],
        channels=[
            C("要闻动态", "news", home=True, children=[
                C("本市要闻", "city-news", ColumnType.NEWS, home=True, weight=14),
                C("部门动态", "dept-news", ColumnType.NEWS, home=True, weight=10),
                C("区县动态", "district-news", ColumnType.NEWS, home=True, weight=8),
            ]),
            C("通知公告", "notices", ColumnType.NOTICE, home=True, weight=8),
            C("政策文件", "policies", ColumnType.POLICY, children=[
                C("市政府文件", "gov-docs", ColumnType.POLICY, home=True, weight=6),
                C("市政府办公室文件", "office-docs", ColumnType.POLICY, weight=4),
            ]),
            C("政策解读", "interpretations", ColumnType.INTERPRETATION, home=True, weight=5),
            C("政务公开", "disclosure", ColumnType.DISCLOSURE, children=[
                C("人事信息", "personnel", ColumnType.DISCLOSURE, weight=3),
                C("财政资金", "finance", ColumnType.DISCLOSURE, weight=3),
            ]),
            C("办事服务", "services", ColumnType.SERVICE, link="https://zwfw.example.gov.cn/"),
            C("互动交流", "interaction", ColumnType.INTERACTION, children=[
                C("征集调查", "surveys", ColumnType.INTERACTION, weight=2),
                C("在线访谈", "interviews", ColumnType.INTERACTION, weight=2),
            ]),
            C("走进示例", "about", ColumnType.OVERVIEW, weight=2),
            C("专题专栏", "topics", ColumnType.TOPIC, topic=True),
        ],
    ),
    SiteSpec(
        key="fgw",
        title="示例市发展和改革委员会",
        short_name="市发展改革委",
        kind=SiteKind.DEPARTMENT,
        site_id_code="1399000012",
        domain="fgw.shili.gov.cn",
        sponsor="示例市发展和改革委员会",
        organization="示例市发展和改革委员会",
        topics=["重点项目建设"],
        channels=[
            C("工作动态", "news", ColumnType.NEWS, home=True, weight=10),
            C("通知公告", "notices", ColumnType.NOTICE, home=True, weight=5),
            C("政策文件", "policies", ColumnType.POLICY, home=True, weight=5),
            C("政策解读", "interpretations", ColumnType.INTERPRETATION, home=True, weight=3),
            C("规划计划", "plans", ColumnType.POLICY, weight=3),
            C("政务公开", "disclosure", ColumnType.DISCLOSURE, weight=3),
            C("机构概况", "about", ColumnType.OVERVIEW, weight=2),
            C("办事服务", "services", ColumnType.SERVICE, link="https://zwfw.example.gov.cn/fgw/"),
            C("专题专栏", "topics", ColumnType.TOPIC, topic=True),
        ],
    ),
    SiteSpec(
        key="edu",
        title="示例市教育局",
        short_name="市教育局",
        kind=SiteKind.DEPARTMENT,
        site_id_code="1399000023",
        domain="jyj.shili.gov.cn",
        sponsor="示例市教育局",
        organization="示例市教育局",
        topics=["中小学课后服务"],
        channels=[
            C("教育动态", "news", ColumnType.NEWS, home=True, weight=10),
            C("通知公告", "notices", ColumnType.NOTICE, home=True, weight=5),
            C("政策文件", "policies", ColumnType.POLICY, home=True, weight=4),
            C("招生考试", "admissions", ColumnType.NOTICE, home=True, weight=4),
            C("学校风采", "schools", ColumnType.NEWS, weight=3),
            C("政务公开", "disclosure", ColumnType.DISCLOSURE, weight=3),
            C("机构概况", "about", ColumnType.OVERVIEW, weight=2),
            C("办事服务", "services", ColumnType.SERVICE, link="https://zwfw.example.gov.cn/edu/"),
            C("专题专栏", "topics", ColumnType.TOPIC, topic=True),
        ],
    ),
    SiteSpec(
        key="qingshan",
        title="示例市青山区人民政府",
        short_name="青山区政府",
        kind=SiteKind.DISTRICT,
        site_id_code="1399010001",
        domain="qs.shili.gov.cn",
        sponsor="示例市青山区人民政府办公室",
        organization="示例市青山区人民政府",
        topics=["城市更新"],
        channels=[
            C("青山要闻", "news", ColumnType.NEWS, home=True, weight=10),
            C("街镇动态", "towns", ColumnType.NEWS, home=True, weight=6),
            C("通知公告", "notices", ColumnType.NOTICE, home=True, weight=5),
            C("政策文件", "policies", ColumnType.POLICY, home=True, weight=4),
            C("政务公开", "disclosure", ColumnType.DISCLOSURE, weight=3),
            C("走进青山", "about", ColumnType.OVERVIEW, weight=2),
            C("办事服务", "services", ColumnType.SERVICE, link="https://zwfw.example.gov.cn/qs/"),
            C("互动交流", "interaction", ColumnType.INTERACTION, weight=2),
            C("专题专栏", "topics", ColumnType.TOPIC, topic=True),
        ],
    ),
]  # fmt: skip


def _png(color: tuple[int, int, int], seed: int) -> bytes:
    """A simple generated cover picture (no photos ship with the project)."""
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (960, 540), color)
    draw = ImageDraw.Draw(img)
    for i in range(8):
        offset = (seed * 37 + i * 131) % 960
        shade = tuple(min(255, c + 18 * (i % 4)) for c in color)
        draw.ellipse((offset - 200, 300 - i * 30, offset + 260, 760 - i * 30), fill=shade)
    draw.rectangle((0, 470, 960, 540), fill=tuple(max(0, c - 40) for c in color))
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def _pdf(title: str) -> bytes:
    """A minimal valid one-page PDF (ASCII text only) standing in for a scanned document."""
    text = title.encode("ascii", "ignore").decode() or "govportal demo attachment"
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def _xlsx(rows: list[list]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


class DemoBuilder:
    """Builds the demo site group; ``stdout`` receives progress lines."""

    def __init__(self, *, articles: int = 320, hostname: str = "127.0.0.1", base_port: int = 8000,
                 stdout=None, seed: int = 2026):  # fmt: skip
        self.total_articles = articles
        self.hostname = hostname
        self.base_port = base_port
        self.text = DemoText(seed)
        self.stdout = stdout
        self.now = timezone.now().replace(second=0, microsecond=0)
        self.users: dict[str, object] = {}
        self.organizations: dict[str, Organization] = {}
        self.counter = 0

    def log(self, message: str) -> None:
        if self.stdout is not None:
            self.stdout.write(message)

    @staticmethod
    def already_loaded() -> bool:
        return SiteProfile.objects.filter(site_id_code=CITY_SITE_CODE).exists()

    # -- users ---------------------------------------------------------------------------
    def user(self, username: str, display_name: str, groups=(), superuser=False, organization=None):
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(
                username=username,
                display_name=display_name,
                first_name=display_name,
                email=f"{username}@example.gov.cn",
                is_staff=True,
                is_superuser=superuser,
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
        user.groups.add(*groups)
        if organization is not None:
            Membership.objects.get_or_create(
                user=user, organization=organization, defaults={"is_primary": True}
            )
        self.users[username] = user
        return user

    # -- media ---------------------------------------------------------------------------
    def make_images(self, collection, count=6):
        Image = get_image_model()
        palette = [
            (27, 79, 156),
            (179, 27, 27),
            (30, 120, 90),
            (150, 90, 20),
            (80, 60, 140),
            (20, 110, 140),
        ]
        images = []
        for i in range(count):
            data = _png(palette[i % len(palette)], i)
            image = Image(title=f"示例图片{i + 1}", collection=collection)
            image.file = ImageFile(io.BytesIO(data), name=f"demo-cover-{collection.pk}-{i + 1}.png")
            image.save()
            images.append(image)
        return images

    def make_documents(self, collection, short_name):
        Document = get_document_model()
        pdf = Document(title=f"{short_name}2026年重点工作任务分工方案", collection=collection)
        pdf.file = SimpleUploadedFile(f"work-plan-{collection.pk}.pdf", _pdf("2026 work plan"))
        pdf.file_size = pdf.file.size
        pdf.save()
        xlsx = Document(title=f"{short_name}2026年重点项目清单", collection=collection)
        xlsx.file = SimpleUploadedFile(
            f"projects-{collection.pk}.xlsx",
            _xlsx([["序号", "项目名称", "总投资（亿元）", "责任单位"]]
                  + [[i, f"示例重点项目{i}", round(1.5 * i, 1), "市发展改革委"] for i in range(1, 11)]),
        )  # fmt: skip
        xlsx.file_size = xlsx.file.size
        xlsx.save()
        return [pdf, xlsx]

    # -- pages ---------------------------------------------------------------------------
    def publish_time(self) -> timezone.datetime:
        self.counter += 1
        # Newest first: one to a few hours apart, spread over the last months.
        hours = self.counter * self.text.rng.randint(3, 11)
        minutes = self.text.rng.randint(0, 59)
        return self.now - timedelta(hours=hours, minutes=minutes)

    def add_article(self, parent, column_type, *, images=(), documents=(), topic=None, **extra):
        topic = topic or self.text.topic()
        title = self.text.title(column_type, topic)
        body = article_body(self.text.paragraphs(topic))
        if column_type in {ColumnType.POLICY, ColumnType.DISCLOSURE} and documents:
            body.append(
                ("attachment", {"document": documents[self.counter % len(documents)], "title": ""})
            )
        if column_type == ColumnType.POLICY and self.counter % 3 == 0:
            body.append(("table", {"caption": "任务分工表", "table": {
                "data": [["序号", "重点任务", "责任单位", "完成时限"]] + [
                    [str(i), f"{topic}任务{i}", self.text.rng.choice(["市发展改革委", "市财政局", "各区县政府"]),
                     f"2026年{i + 3}月底前"] for i in range(1, 5)],
                "first_row_is_table_header": True, "first_col_is_header": False}}))  # fmt: skip
        if images and self.counter % 5 == 0:
            body.insert(
                1,
                ("image", {"image": images[self.counter % len(images)], "caption": f"{topic}现场"}),
            )
        when = extra.pop("publish_time", None) or self.publish_time()
        page = ArticlePageFactory.build(
            title=title,
            slug=f"a{self.counter:06d}",
            source=self.text.source(),
            author=self.text.author(),
            publish_time=when,
            summary=self.text.summary(topic),
            keywords=f"{topic},示例市",
            body=body,
            first_published_at=when,
            last_published_at=when,
            **extra,
        )
        parent.add_child(instance=page)
        return page

    def build_channels(self, parent, specs, site_short, collection, leaves, links):
        for spec in specs:
            if spec.link:
                page = ExternalLinkChannelFactory(
                    parent=parent, title=spec.title, slug=spec.slug, link_url=spec.link,
                    description=f"{spec.title}（跳转至政务服务网）",
                )  # fmt: skip
                links.append(page)
                continue
            page = ChannelPageFactory(
                parent=parent,
                title=spec.title,
                slug=spec.slug,
                column_type=spec.column_type,
                show_on_home=spec.home,
                show_in_menus=True,
                description=f"{site_short}{spec.title}栏目，发布{spec.title}相关信息。",
                keywords=f"{spec.title},{site_short}",
                page_size=15,
            )
            if spec.weight:
                leaves.append((page, spec))
            if spec.children:
                self.build_channels(page, spec.children, site_short, collection, leaves, links)
            spec_page = page
            if spec.topic:
                self.topic_parent = spec_page
        return leaves

    def build_site(self, index: int, spec: SiteSpec, article_share: int):
        home = PortalHomePageFactory(
            parent=Page.get_first_root_node(), title=spec.title, slug=spec.key,
            intro=f"{spec.title}门户网站",
        )  # fmt: skip
        port = self.base_port + index
        site = Site.objects.create(
            hostname=self.hostname, port=port, root_page=home, site_name=spec.title,
            is_default_site=(index == 0),
        )  # fmt: skip
        SiteProfile.objects.create(
            site=site,
            site_name=f"{spec.title}网站"
            if spec.kind != SiteKind.PORTAL
            else f"{spec.title}门户网站",
            short_name=spec.short_name,
            kind=spec.kind,
            public_domain=spec.domain,
            site_id_code=spec.site_id_code,
            sponsor=spec.sponsor,
            organizer="示例市大数据中心",
            contact_phone=f"0999-8{index}123456",
            contact_email=f"webmaster@{spec.domain}",
            address="示例市人民大道1号",
            icp_number="示ICP备20260001号",
            police_number=f"示公网安备 9901020200000{index + 1}号",
            sort_order=index,
        )
        organization = Organization.objects.get(name=spec.organization)
        link_site(site, organization)
        self.organizations[spec.key] = organization
        roles = setup_site_roles(home, spec.short_name, two_level=spec.two_level)
        images = self.make_images(roles.collection, 6 if index == 0 else 3)
        documents = self.make_documents(roles.collection, spec.short_name)

        self.topic_parent = None
        leaves: list = []
        self.build_channels(home, spec.channels, spec.short_name, roles.collection, leaves, [])
        total_weight = sum(s.weight for _, s in leaves)
        made = 0
        for channel, cspec in leaves:
            count = max(3, round(article_share * cspec.weight / total_weight))
            for i in range(count):
                headline = cspec.column_type == ColumnType.NEWS and i < 2 and cspec.home
                self.add_article(
                    channel, cspec.column_type, images=images, documents=documents,
                    cover_image=images[(made + i) % len(images)] if headline else None,
                    is_headline=headline,
                )  # fmt: skip
            made += count
        for topic_title in spec.topics:
            topic = TopicPageFactory(
                parent=self.topic_parent or home, title=f"{topic_title}专题", slug=f"topic-{len(topic_title)}-{made}",
                banner=images[0], description=f"{spec.title}{topic_title}专题", keywords=topic_title,
                intro=RichText(f"<p>集中发布{topic_title}相关政策、动态和解读。</p>"),
            )  # fmt: skip
            for _ in range(6):
                self.add_article(topic, ColumnType.NEWS, topic=topic_title, images=images)
            made += 6

        # People for every role of this site.
        key = spec.key
        org = organization
        self.user(f"{key}_admin", f"{spec.short_name}站点管理员", [roles.admins], organization=org)
        self.user(
            f"{key}_reviewer", f"{spec.short_name}审核员", [roles.reviewers], organization=org
        )
        self.user(f"{key}_editor", f"{spec.short_name}编辑", [roles.editors], organization=org)
        if roles.final_reviewers is not None:
            self.user(f"{key}_leader", f"{spec.short_name}终审", [roles.final_reviewers],
                      organization=org)  # fmt: skip
        news = ChannelPage.objects.descendant_of(home).filter(column_type=ColumnType.NEWS).first()
        if key == "city" and news is not None:
            group = create_channel_editors(news.get_parent().specific if news.depth > home.depth + 1 else news,
                                           spec.short_name, roles.collection)  # fmt: skip
            self.user("city_news_editor", "要闻动态栏目编辑", [group], organization=organization)
        self.log(f"  {spec.title}: http://{self.hostname}:{port}/  ({made} articles)")
        return site, home, roles

    def build_workflow_examples(self, home, roles):
        """Items in every editorial state, so the admin has something to show."""
        notices = ChannelPage.objects.descendant_of(home).get(slug="notices")
        editor = self.users["city_editor"]
        reviewer = self.users["city_reviewer"]

        def draft(title, **extra):
            page = ArticlePageFactory.build(
                title=title, slug=f"draft-{self.counter}-{len(title)}", live=False,
                source="示例市人民政府办公室", author="王明", publish_time=self.now,
                summary=title, body=article_body(self.text.paragraphs("政务公开", 2)),
                owner=editor, **extra,
            )  # fmt: skip
            self.counter += 1
            notices.add_child(instance=page)
            page.save_revision(user=editor)
            return page

        pending = draft("关于2026年度政府信息公开工作要点的通知（待初审）")
        roles.workflow.start(pending, editor)

        second = draft("关于开展2026年度政务服务满意度调查的公告（待终审）")
        state = roles.workflow.start(second, editor)
        task_state = state.current_task_state
        task_state.task.specific.on_action(
            task_state, reviewer, "approve", comment="内容准确，同意提交终审。"
        )

        rejected = draft("关于调整部分公交线路的通告（已退回修改）")
        state = roles.workflow.start(rejected, editor)
        task_state = state.current_task_state
        task_state.task.specific.on_action(
            task_state, reviewer, "reject", comment="请补充调整后的线路走向和实施日期后重新提交。"
        )

        # A scheduled item (生效) and a live item that will expire (失效).
        scheduled = draft("关于2027年元旦假期安排的通知（定时发布）")
        scheduled.go_live_at = self.now + timedelta(days=2)
        scheduled.save_revision(user=self.users["city_admin"]).publish(
            user=self.users["city_admin"]
        )
        expiring = self.add_article(
            notices, ColumnType.NOTICE, publish_time=self.now - timedelta(minutes=30)
        )
        expiring.expire_at = self.now + timedelta(days=30)
        expiring.title = "关于征集2026年度民生实事项目意见建议的公告（30天后下线）"
        expiring.save()

        # An article with history: two revisions to compare and roll back.
        history = ArticlePage.objects.descendant_of(home).live().order_by("-publish_time").first()
        if history is not None:
            admin = self.users["city_admin"]
            history.save_revision(user=admin, log_action=True).publish(user=admin)
            original = history.title
            history.title = original + "（修订）"
            history.subtitle = "根据有关部门意见修订"
            history.save_revision(user=admin, log_action=True).publish(user=admin)

    def build(self) -> None:
        started = time.monotonic()
        self.user("admin", "平台管理员", superuser=True)
        weights = [0.4, 0.2, 0.2, 0.2]
        with transaction.atomic():
            default = Site.objects.filter(root_page__depth=2, root_page__slug="home").first()
            if default is not None:
                # Wagtail's welcome page from its initial migration: not part of a portal.
                welcome = default.root_page
                default.delete()
                if not welcome.get_children().exists() and welcome.specific_class is Page:
                    welcome.delete()
            build_demo_organizations()
            built = []
            for index, spec in enumerate(SITES):
                share = round(self.total_articles * weights[index])
                built.append(self.build_site(index, spec, share))
            self.build_workflow_examples(built[0][1], built[0][2])
            submissions = build_demo_submissions()
            self.log(f"  信息报送: {sum(submissions.values())} submissions ({submissions})")
            build_demo_audit(stdout=self.stdout)
            build_demo_security(stdout=self.stdout)
            build_demo_library(stdout=self.stdout)
            build_demo_delegations(stdout=self.stdout)
            build_demo_provisioned_sites(self.hostname, self.base_port, stdout=self.stdout)
            build_demo_disclosure(stdout=self.stdout)
            build_demo_interpretation(stdout=self.stdout)
            build_demo_surveys(stdout=self.stdout)
            build_demo_citizens(stdout=self.stdout)
            build_demo_personal(stdout=self.stdout)
            build_demo_inforequests(stdout=self.stdout)
            build_demo_letters(stdout=self.stdout)
            build_demo_letter_stats(stdout=self.stdout)
            build_demo_annual_reports(stdout=self.stdout)
            build_demo_interviews(stdout=self.stdout)
            # Wagtail's account page asks for 姓 as well; demo staff accounts are named by role.
            get_user_model().objects.filter(is_staff=True, last_name="").update(last_name="演示")
            build_demo_search(stdout=self.stdout)  # last: indexes everything built above
        elapsed = time.monotonic() - started
        count = ArticlePage.objects.count()
        self.log(f"Demo site group loaded: {len(SITES)} sites, {count} articles in {elapsed:.1f}s.")
