"""Demo catalogue (公开目录) for every demo site: ``build_demo_disclosure()``.

Under each site's 政府信息公开 channel (the shallowest channel of ColumnType 政务公开) a
政府信息公开目录 page with about 40 entries written 2024–2026 by the site's unit and its
sub-units (or its superior unit), across the Art. 20 categories; some 失效/废止 with the
document that replaced them, one 依申请公开, and a few published more than 20 working days
after 成文日期 (they show in 报告 → 超期主动公开). Idempotent: a site that already has a
catalogue is left alone.
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from wagtail.models import Page, Site

from govportal.content.factories import article_body
from govportal.content.models import ArticlePage, ChannelPage, ColumnType
from govportal.organizations.models import SiteOrganization

from .factories import TEXT, DisclosureIndexPageFactory
from .models import DisclosureCategory, DisclosureEntryPage, DisclosureIndexPage
from .taxonomy import Audience, Genre, Openness, Theme, Validity, ensure_categories

ENTRIES_PER_SITE = 40
FIRST_DAY = datetime.date(2024, 1, 8)
# 机关代字 per unit (文号 prefix); others use the first two characters of the short name.
DOC_PREFIXES = {
    "示例市人民政府": ["示政发", "示政办发", "示政规"],
    "示例市发展和改革委员会": ["示发改发", "示发改规"],
    "示例市教育局": ["示教发", "示教规"],
    "示例市财政局": ["示财预", "示财发"],
    "示例市人力资源和社会保障局": ["示人社发"],
    "示例市青山区人民政府": ["青政发", "青政办发"],
    "示例市东湖区人民政府": ["东政发", "东政办发"],
}
# (category code, genre, theme, title pattern, has a 文号)
KINDS = [
    ("regulations-normative", Genre.NOTICE, Theme.GENERAL, "关于印发{topic}实施办法的通知", True),
    ("regulations-normative", Genre.OPINION, Theme.ECONOMY, "关于进一步推进{topic}的实施意见", True),
    ("regulations-rules", Genre.ORDER, Theme.JUSTICE, "{org}{topic}管理规定", True),
    ("plans-special", Genre.NOTICE, Theme.ECONOMY, "关于印发{topic}三年行动计划的通知", True),
    ("statistics", Genre.OTHER, Theme.ECONOMY, "{year}年{topic}统计数据", False),
    ("budget-budget", Genre.OTHER, Theme.FINANCE, "{org}{year}年部门预算公开", False),
    ("budget-final", Genre.OTHER, Theme.FINANCE, "{org}{prev}年部门决算公开", False),
    ("enforcement-penalty", Genre.OTHER, Theme.MARKET, "{org}行政处罚决定信息公示（{year}年第{n}期）", False),
    ("licensing", Genre.OTHER, Theme.GENERAL, "{org}行政许可事项办理结果公示", False),
    ("procurement", Genre.ANNOUNCEMENT, Theme.FINANCE, "{org}{year}年政府集中采购目录及标准", False),
    ("projects", Genre.NOTICE, Theme.URBAN, "关于下达{year}年{topic}重大建设项目计划的通知", True),
    ("services-education", Genre.NOTICE, Theme.SCIENCE, "关于做好{year}年{topic}工作的通知", True),
    ("services-social-security", Genre.NOTICE, Theme.LABOUR, "关于调整{topic}相关待遇标准的通知", True),
    ("emergencies-plans", Genre.NOTICE, Theme.GENERAL, "关于印发{org}突发事件应急预案的通知", True),
    ("supervision-safety", Genre.CIRCULAR, Theme.MARKET, "关于{year}年{topic}安全生产检查情况的通报", True),
    ("personnel-recruitment", Genre.ANNOUNCEMENT, Theme.LABOUR, "{org}{year}年考试录用公务员公告", False),
    ("functions-duties", Genre.OTHER, Theme.GENERAL, "{org}主要职责和内设机构", False),
    ("inspection", Genre.CIRCULAR, Theme.GENERAL, "关于{topic}督查情况的通报", True),
]  # fmt: skip


def disclosure_channel(site: Site):
    """The site's 政府信息公开 channel: the shallowest channel of ColumnType 政务公开."""
    return (
        ChannelPage.objects.descendant_of(site.root_page)
        .filter(column_type=ColumnType.DISCLOSURE)
        .order_by("depth", "path")
        .first()
    )


def _publishers(organization) -> list:
    units = [organization, *organization.get_children().filter(is_active=True)]
    if len(units) == 1 and organization.get_parent() is not None:
        units.append(organization.get_parent())
    return units


def _prefix(organization, rng) -> str:
    prefixes = DOC_PREFIXES.get(organization.name)
    if prefixes:
        return rng.choice(prefixes)
    return f"{(organization.short_name or organization.name)[:2]}发"


def guide_paragraphs(organization) -> list[str]:
    """政府信息公开指南 (条例第十二条) of ``organization``, from its own contact data."""
    name = organization.name
    phone = organization.phone or "（见本网站“联系我们”）"
    address = organization.address or "（见本网站“联系我们”）"
    return [
        f"为了更好地提供政府信息公开服务，根据《中华人民共和国政府信息公开条例》，"
        f"结合{name}工作实际，编制本指南。公民、法人和其他组织需要获得{name}政府信息"
        "服务的，建议阅读本指南。",
        "一、主动公开。公开范围见本网站“法定主动公开内容”。主动公开的政府信息自该信息"
        "形成或者变更之日起 20 个工作日内予以公开，公开形式包括政府网站、政府公报、"
        "新闻发布会以及报刊、广播、电视等。",
        f"二、依申请公开。受理机构：{name}政府信息公开工作机构；办公地址：{address}；"
        f"联系电话：{phone}；办公时间：工作日上午 9:00—12:00，下午 13:30—17:30（法定节假日除外）。"
        "申请人可以通过本网站“依申请公开”栏目在线提交申请，也可以通过信函、当面等方式"
        "提交书面申请。",
        "三、处理流程。行政机关收到申请后，能够当场答复的当场答复；不能当场答复的，自收到"
        "申请之日起 20 个工作日内予以答复；需要延长答复期限的，经负责人同意并告知申请人，"
        "延长期限最长不超过 20 个工作日。申请内容不明确的，在收到申请之日起 7 个工作日内"
        "一次性告知申请人补正，答复期限自收到补正的申请之日起计算。征求第三方和其他机关"
        "意见所需时间不计算在答复期限内。",
        "四、收费。行政机关依申请提供政府信息，不收取费用。申请人申请公开政府信息的数量、"
        "频次明显超过合理范围的，可以依照国务院有关规定收取信息处理费。",
        "五、监督和救济。公民、法人或者其他组织认为行政机关在政府信息公开工作中侵犯其合法"
        "权益的，可以向上一级行政机关或者政府信息公开工作主管部门投诉、举报，也可以依法"
        "申请行政复议或者提起行政诉讼。",
    ]


def rules_paragraphs(organization) -> list[str]:
    name = organization.name
    return [
        f"第一条 为规范{name}政府信息公开工作，根据《中华人民共和国政府信息公开条例》，"
        "制定本制度。",
        "第二条 政府信息公开工作机构负责本机关政府信息公开的日常工作，组织编制公开指南、"
        "公开目录和年度报告，受理政府信息公开申请。",
        "第三条 公开前审查：拟公开的政府信息由承办科室提出公开属性意见，经保密审查后"
        "按程序审批发布；不予公开的须说明理由和依据。",
        "第四条 依申请公开实行登记、承办、审核、答复、归档全过程记录，答复书由负责人签发。",
        "第五条 政府信息公开工作年度报告于每年 1 月 31 日前在本网站公布。",
        "第六条 本制度自印发之日起施行。",
    ]


def add_guide_and_rules(channel, index, organization) -> None:
    """公开指南 and 公开制度 article pages beside the catalogue, linked from it."""
    now = timezone.now()
    pages = {}
    for slug, title, paragraphs in [
        ("guide", f"{organization.name}政府信息公开指南", guide_paragraphs(organization)),
        ("rules", f"{organization.name}政府信息公开工作制度", rules_paragraphs(organization)),
    ]:
        parent = channel
        existing = Page.objects.child_of(channel).filter(slug=slug).specific().first()
        if isinstance(existing, ChannelPage):  # a provisioned site's 公开指南 channel
            parent, existing = existing, ArticlePage.objects.child_of(existing).first()
        page = existing
        if page is None:
            page = ArticlePage(
                title=title,
                slug=slug,
                source=organization.name,
                publish_time=now,
                first_published_at=now,
                last_published_at=now,
                summary=title,
                show_in_menus=False,
                body=article_body(paragraphs),
            )
            parent.add_child(instance=page)
        pages[slug] = page
    index.guide_page = pages["guide"]
    index.rules_page = pages["rules"]
    index.save(update_fields=["guide_page", "rules_page"])


def build_site_catalogue(site: Site, organization, *, seed: int, count: int = ENTRIES_PER_SITE):
    """A catalogue page with ``count`` entries on ``site``; returns the page."""
    channel = disclosure_channel(site)
    if channel is None:
        return None
    rng = random.Random(seed)  # noqa: S311 — demo text, not security
    index = DisclosureIndexPageFactory(parent=channel, slug="catalogue")
    add_guide_and_rules(channel, index, organization)
    publishers = _publishers(organization)
    categories = {c.code: c for c in DisclosureCategory.objects.all()}
    today = timezone.localdate()
    span = (today - FIRST_DAY).days - 10
    serials: dict[tuple[str, int], int] = {}
    entries = []
    for i in range(count):
        written = FIRST_DAY + datetime.timedelta(days=int(span * i / count) + rng.randint(0, 5))
        late = i % 9 == 4  # a few: 35–60 calendar days, well over 20 working days
        delay = rng.randint(35, 60) if late else rng.randint(0, 9)
        published = min(written + datetime.timedelta(days=delay), today)
        code, genre, theme, pattern, numbered = KINDS[(i * 7 + seed) % len(KINDS)]
        publisher = publishers[i % len(publishers)]
        topic = TEXT.topic()
        title = pattern.format(
            topic=topic, org=publisher.short_name or publisher.name, year=written.year,
            prev=written.year - 1, n=rng.randint(1, 12),
        )  # fmt: skip
        doc_number = ""
        if numbered:
            prefix = _prefix(publisher, rng)
            serials[(prefix, written.year)] = serials.get((prefix, written.year), 0) + rng.randint(
                1, 6
            )
            doc_number = f"{prefix}〔{written.year}〕{serials[(prefix, written.year)]}号"
        when = timezone.make_aware(
            datetime.datetime.combine(published, datetime.time(9 + i % 8, (i * 13) % 60))
        )
        entry = DisclosureEntryPage(
            title=title,
            slug=f"e{i + 1:03d}",
            publisher=publisher,
            written_date=written,
            publish_time=when,
            first_published_at=when,
            last_published_at=when,
            doc_number=doc_number,
            category=categories.get(code),
            genre=genre,
            theme=theme,
            audience=rng.choice(Audience.values),
            openness=Openness.ON_REQUEST if i == 17 else Openness.PROACTIVE,
            source=publisher.name,
            summary=TEXT.summary(topic),
            keywords=f"{topic},{publisher.short_name or publisher.name}",
            body=article_body(TEXT.paragraphs(topic, 3)),
        )
        index.add_child(instance=entry)
        entries.append(entry)
    # Older numbered documents superseded by a later one of the same unit.
    numbered = [e for e in entries if e.doc_number]
    superseded = 0
    for position, old in enumerate(numbered[: len(numbered) // 2]):
        if position % 3:
            continue
        new = next(
            (
                e
                for e in reversed(numbered)
                if e.publisher_id == old.publisher_id and e.pk != old.pk
            ),
            None,
        )
        if new is None or new.written_date <= old.written_date:
            continue
        validity = Validity.REPEALED if superseded % 2 == 0 else Validity.EXPIRED
        superseded += 1
        expiry = new.written_date + datetime.timedelta(days=30)
        DisclosureEntryPage.objects.filter(pk=old.pk).update(
            validity=validity,
            expiry_date=expiry,
            replaced_by=new,
            validity_note=f"根据《{new.title}》（{new.doc_number}），本文件自 {expiry:%Y年%-m月%-d日} 起{validity.label}。",
        )
    return index


@transaction.atomic
def build_demo_disclosure(stdout=None) -> dict[str, int]:
    """Build the catalogue of every demo site that has none yet; returns entries per site."""
    ensure_categories()
    built: dict[str, int] = {}
    links = SiteOrganization.objects.select_related("site__root_page", "organization").order_by(
        "site_id"
    )
    for n, link in enumerate(links):
        site = link.site
        if DisclosureIndexPage.objects.descendant_of(site.root_page).exists():
            continue
        index = build_site_catalogue(site, link.organization, seed=2026 + n)
        if index is not None:
            built[site.site_name] = DisclosureEntryPage.objects.child_of(index).count()
    if stdout is not None and built:
        stdout.write(
            f"  公开目录: {sum(built.values())} 条目录信息，{len(built)} 个网站"
            f"（{'、'.join(f'{k} {v}' for k, v in built.items())}）"
        )
    return built
