"""Demo interpretations (政策解读/回应关切): ``build_demo_interpretation()``.

On the city portal and two department sites (市发展改革委, 市教育局) about 60% of the policy
documents of the catalogue (:func:`.policies.policy_documents`) get a 文字解读, every
fourth of those also a 图解 (a generated chart in the body), a few a 视频解读 (with its
文字稿; no video file ships with the demo), and some a 回应关切 — the newest interpreted
document all four; each site also has one
stand-alone response and one interpretation still in draft, whose document therefore stays
in 报告 → 政策文件未解读 with the others left uninterpreted (and every document of the
sites not listed here). The pages go under the site's 政策解读 channel (ColumnType
INTERPRETATION), which is created next to 政策文件 where a site has none.

Idempotent: a site that already has an interpretation is left alone.
"""

import datetime
import io
import random
import re

from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone

from wagtail.images.models import Image
from wagtail.models import Site
from wagtail.rich_text import RichText

from govportal.content.factories import ChannelPageFactory
from govportal.content.models import ChannelPage, ColumnType
from govportal.sites.models import SiteProfile
from govportal.sites.roles import site_collection

from .models import InterpretationKind, InterpretationPage, PolicyLink
from .policies import policy_documents

DEMO_SITES = ("示例市人民政府", "示例市发展和改革委员会", "示例市教育局")
SHARE = 0.6

SECTIONS = [
    ("一、出台背景", "为深入贯彻落实党中央、国务院和省委、省政府关于{topic}的决策部署，进一步解决群众和企业反映集中的问题，{org}在深入调研、广泛征求意见的基础上，研究起草了《{name}》。"),
    ("二、主要内容", "文件共分{n}个部分，明确了{topic}的总体要求、重点任务和保障措施，提出了一批可操作、可评估的具体举措，并对责任分工和完成时限作出安排。"),
    ("三、适用范围和对象", "文件适用于本市行政区域内{topic}相关工作，涉及的企业、社会组织和个人可按照文件规定申请享受相关政策。"),
    ("四、主要创新点", "一是突出问题导向，聚焦群众急难愁盼；二是强化部门协同，实行清单化管理；三是注重政策衔接，明确新旧政策过渡办法。"),
    ("五、实施时间", "文件自印发之日起施行。执行中遇到的问题，请及时向{org}反映。"),
]  # fmt: skip
QUESTIONS = [
    "问：{topic}相关补贴如何申请？答：符合条件的对象可通过政务服务网或到所在区县政务服务中心提出申请，材料齐全的当场受理。",
    "问：政策实施后，原有规定是否继续有效？答：与本文件不一致的，以本文件为准；过渡期内已受理的事项按原规定办理。",
    "问：对政策执行有疑问可以向哪里咨询？答：可拨打12345政务服务便民热线，或通过本网站“互动交流”栏目留言。",
]
CONCERNS = [
    ("关于{topic}政策落实中群众关心问题的回应", "近期，部分市民通过12345热线和网站留言反映{topic}政策落实中的有关问题。现就集中关心的问题回应如下。"),
    ("关于网民反映{topic}办理时限问题的回应", "针对网民反映的{topic}办理时间较长的问题，{org}高度重视，立即组织核查，现将有关情况回应如下。"),
]  # fmt: skip
INTERPRETERS = ["{org}主要负责同志", "{org}政策法规处", "{org}", "示例市司法局", "示例市政府研究室"]


def interpretation_channel(site: Site) -> ChannelPage:
    """The site's 政策解读 channel; created (live, in the menu, after 政策文件) if missing."""
    channel = (
        ChannelPage.objects.descendant_of(site.root_page)
        .filter(column_type=ColumnType.INTERPRETATION)
        .order_by("depth", "path")
        .first()
    )
    if channel is not None:
        return channel
    home = site.root_page
    channel = ChannelPageFactory(
        parent=home,
        title="政策解读",
        slug="interpretations",
        column_type=ColumnType.INTERPRETATION,
        show_on_home=True,
        show_in_menus=True,
        page_size=15,
        description="对本机关出台的政策文件进行文字、图解和视频解读，回应社会关切。",
        keywords="政策解读,回应关切",
    )
    policies = (
        ChannelPage.objects.child_of(home)
        .filter(column_type=ColumnType.POLICY)
        .order_by("path")
        .last()
    )
    if policies is not None:
        channel.move(policies, pos="right")
        channel = ChannelPage.objects.get(pk=channel.pk)
    return channel


def short_title(title: str) -> str:
    """《…》 name of a document: "关于印发X的通知" → "X"."""
    match = re.fullmatch(r"关于印发(.+)的通知", title)
    return match.group(1) if match else title


def _chart(seed: int) -> ImageFile:
    """A small generated bar chart (the demo ships no pictures); a few kB as PNG."""
    from PIL import Image as PILImage
    from PIL import ImageDraw

    rng = random.Random(seed)  # noqa: S311 — demo pictures
    img = PILImage.new("RGB", (800, 450), (238, 243, 250))
    draw = ImageDraw.Draw(img)
    draw.rectangle((0, 0, 800, 60), fill=(27, 79, 156))
    for i in range(6):
        height = rng.randint(80, 300)
        x = 80 + i * 115
        draw.rectangle((x, 400 - height, x + 70, 400), fill=(27 + i * 20, 79, 156 - i * 10))
    draw.line((60, 400, 760, 400), fill=(87, 93, 102), width=3)
    buf = io.BytesIO()
    img.save(buf, "PNG", optimize=True)
    return ImageFile(buf, name=f"tujie-{seed}.png")


def _body(paragraphs, extra=()):
    blocks = [("paragraph", RichText("".join(f"<p>{p}</p>" for p in paragraphs)))]
    blocks.extend(extra)
    return blocks


class _SiteBuilder:
    def __init__(self, site: Site, seed: int):
        self.site = site
        self.rng = random.Random(seed)  # noqa: S311 — demo text
        self.seed = seed
        self.channel = interpretation_channel(site)
        profile = SiteProfile.objects.filter(site=site).first()
        self.short_name = (profile.short_name if profile else "") or site.site_name
        self.now = timezone.now()
        self.count = 0

    def add(self, title, kind, policies, *, after, body, live=True, **extra):
        self.count += 1
        when = min(after + datetime.timedelta(days=self.rng.randint(1, 4), hours=2), self.now)
        page = InterpretationPage(
            title=title[:255],
            slug=f"jd{self.count:04d}",
            kind=kind,
            publish_time=when,
            first_published_at=when if live else None,
            last_published_at=when if live else None,
            live=live,
            has_unpublished_changes=not live,
            source=self.short_name,
            body=body,
            policy_links=[PolicyLink(policy=p, sort_order=n) for n, p in enumerate(policies)],
            **extra,
        )
        self.channel.add_child(instance=page)
        if not live:
            page.save_revision()
        return page

    def org_of(self, doc) -> str:
        return doc.publisher.name if doc.publisher_id else self.site.site_name

    def text(self, doc, topic, *, live=True):
        org = self.org_of(doc)
        name = short_title(doc.title)
        paragraphs = []
        for heading, text in SECTIONS:
            paragraphs.append(f"<strong>{heading}</strong>")
            paragraphs.append(
                text.format(topic=topic, org=org, name=name, n=self.rng.randint(3, 6))
            )
        return self.add(
            f"《{name}》政策解读" + ("（草稿）" if not live else ""),
            InterpretationKind.TEXT,
            [doc],
            after=doc.publish_time,
            live=live,
            body=_body(paragraphs),
            interpreter=self.rng.choice(INTERPRETERS).format(org=org),
            summary=f"{org}就《{name}》的出台背景、主要内容和实施要求作出解读。",
            keywords=f"{topic},政策解读",
        )

    def graphic(self, doc, topic):
        name = short_title(doc.title)
        image = Image.objects.create(
            title=f"一图读懂《{name}》",
            file=_chart(self.seed * 100 + self.count),
            collection=site_collection(self.short_name),
        )
        caption = f"一图读懂《{name}》：{topic}主要任务和支持措施示意图"
        return self.add(
            f"一图读懂《{name}》",
            InterpretationKind.GRAPHIC,
            [doc],
            after=doc.publish_time,
            body=_body(
                [f"以图表形式解读《{name}》的主要内容，图中要点的文字说明如下。"]
                + [f"要点{n}：{topic}相关任务和支持措施。" for n in (1, 2, 3)],
                [("image", {"image": image, "caption": caption})],
            ),
            interpreter=self.org_of(doc),
            summary=f"一图读懂《{name}》。",
        )

    def video(self, doc, topic):
        name = short_title(doc.title)
        org = self.org_of(doc)
        transcript = "\n\n".join(
            [
                f"主持人：各位观众大家好。今天我们邀请到{org}有关负责同志，为大家解读《{name}》。",
                f"嘉宾：这份文件聚焦{topic}，主要解决群众和企业反映集中的问题，提出了一系列具体措施。",
                "主持人：哪些人可以享受文件规定的政策？",
                "嘉宾：凡是符合文件规定条件的企业和个人，都可以通过政务服务网在线申请，也可以到线下窗口办理。",
                "主持人：感谢您的解读。",
            ]
        )
        return self.add(
            f"视频解读｜{org}负责同志解读《{name}》",
            InterpretationKind.VIDEO,
            [doc],
            after=doc.publish_time,
            body=_body([f"{org}有关负责同志做客在线访谈，解读《{name}》。视频文字稿附后。"]),
            transcript=transcript,
            interpreter=f"{org}有关负责同志",
        )

    def response(self, docs, topic, after):
        title, opening = self.rng.choice(CONCERNS)
        org = self.org_of(docs[0]) if docs else self.site.site_name
        return self.add(
            title.format(topic=topic),
            InterpretationKind.RESPONSE,
            docs,
            after=after,
            body=_body(
                [opening.format(topic=topic, org=org)]
                + [q.format(topic=topic) for q in self.rng.sample(QUESTIONS, 2)]
            ),
            interpreter=org,
            summary=f"就{topic}有关问题回应社会关切。",
        )

    def build(self) -> int:
        from govportal.content.demo_text import DemoText

        text = DemoText(seed=self.seed)
        docs = list(
            policy_documents()
            .descendant_of(self.site.root_page)
            .select_related("publisher")
            .order_by("publish_time", "pk")
        )
        chosen = [doc for doc in docs if self.rng.random() < SHARE]
        for n, doc in enumerate(chosen):
            # The most recent document shows every form; the others one or two.
            showcase = n == len(chosen) - 1
            topic = text.topic()
            if n % 6 == 5 or showcase:
                self.video(doc, topic)
            if n % 6 != 5:
                self.text(doc, topic)
            if n % 4 == 1 or showcase:
                self.graphic(doc, topic)
            if n % 5 == 2 or showcase:
                self.response([doc], topic, doc.publish_time)
        self.response([], text.topic(), self.now - datetime.timedelta(days=3))
        waiting = [doc for doc in docs if doc not in chosen]
        if waiting:
            self.text(waiting[-1], text.topic(), live=False)
        return InterpretationPage.objects.descendant_of(self.site.root_page).count()


@transaction.atomic
def build_demo_interpretation(stdout=None, site_names=DEMO_SITES) -> dict[str, int]:
    """Build the interpretations of each demo site that has none yet; returns pages per site."""
    built: dict[str, int] = {}
    names = list(site_names)
    sites = Site.objects.filter(site_name__in=names).select_related("root_page")
    for site in sorted(sites, key=lambda s: names.index(s.site_name)):
        if InterpretationPage.objects.descendant_of(site.root_page).exists():
            continue
        seed = 3100 + names.index(site.site_name)
        built[site.site_name] = _SiteBuilder(site, seed).build()
    if stdout is not None and built:
        stdout.write(
            f"  政策解读: {sum(built.values())} 篇解读/回应，{len(built)} 个网站"
            f"（{'、'.join(f'{k} {v}' for k, v in built.items())}）"
        )
    return built
