"""The catalogue's classifications (分类): standard lists as data, not code paths.

* :data:`ART20_CATEGORIES` — 法定主动公开内容, the items of Art. 20 of the 政府信息公开条例
  (2019) plus 督查, as (code, name, children). Loaded into :class:`DisclosureCategory` rows
  by migration ``0002`` and :func:`ensure_categories`, editable by operators afterwards.
* :class:`Theme` (主题分类), :class:`Genre` (体裁分类, GB/T 9704 公文种类),
  :class:`Audience` (服务对象分类), :class:`Openness` (公开属性), :class:`Validity` (有效性).
"""

from django.db import models

ART20_CATEGORIES: list[tuple[str, str, list[tuple[str, str]]]] = [
    ("regulations", "法规文件", [
        ("regulations-admin", "行政法规"),
        ("regulations-rules", "规章"),
        ("regulations-normative", "规范性文件"),
    ]),
    ("functions", "机构职能", [
        ("functions-duties", "机关职能"),
        ("functions-structure", "机构设置"),
        ("functions-contact", "办公地址、时间和联系方式"),
        ("functions-leaders", "负责人信息"),
    ]),
    ("plans", "规划计划", [
        ("plans-development", "国民经济和社会发展规划"),
        ("plans-special", "专项规划"),
        ("plans-regional", "区域规划"),
    ]),
    ("statistics", "统计信息", []),
    ("licensing", "行政许可和对外管理服务", []),
    ("enforcement", "行政处罚和行政强制", [
        ("enforcement-penalty", "行政处罚"),
        ("enforcement-coercion", "行政强制"),
    ]),
    ("budget", "财政预决算", [
        ("budget-budget", "财政预算"),
        ("budget-final", "财政决算"),
    ]),
    ("fees", "行政事业性收费", []),
    ("procurement", "政府集中采购", []),
    ("projects", "重大建设项目", []),
    ("services", "公共服务", [
        ("services-poverty", "扶贫"),
        ("services-education", "教育"),
        ("services-health", "医疗卫生"),
        ("services-social-security", "社会保障"),
        ("services-employment", "促进就业"),
    ]),
    ("emergencies", "突发公共事件", [
        ("emergencies-plans", "应急预案"),
        ("emergencies-warnings", "预警信息"),
        ("emergencies-response", "应对情况"),
    ]),
    ("supervision", "监督检查", [
        ("supervision-environment", "环境保护"),
        ("supervision-public-health", "公共卫生"),
        ("supervision-safety", "安全生产"),
        ("supervision-food-drug", "食品药品"),
        ("supervision-quality", "产品质量"),
    ]),
    ("personnel", "人事信息", [
        ("personnel-recruitment", "公务员招考"),
        ("personnel-appointments", "人事任免"),
    ]),
    ("inspection", "督查", []),
    ("other", "其他依法主动公开信息", []),
]  # fmt: skip


def ensure_categories(model=None) -> int:
    """Create the missing :data:`ART20_CATEGORIES` rows (idempotent); returns how many.

    ``model`` is the historical model inside a migration, the real one otherwise.
    """
    if model is None:
        from .models import DisclosureCategory as model
    existing = set(model.objects.values_list("code", flat=True))
    created = 0
    for position, (code, name, children) in enumerate(ART20_CATEGORIES, start=1):
        parent = model.objects.filter(code=code).first()
        if parent is None:
            parent = model.objects.create(code=code, name=name, sort_order=position * 10)
            created += 1
        for child_position, (child_code, child_name) in enumerate(children, start=1):
            if child_code not in existing:
                model.objects.create(
                    code=child_code,
                    name=child_name,
                    parent=parent,
                    sort_order=position * 10 + child_position,
                )
                created += 1
    return created


class Theme(models.TextChoices):
    """主题分类 (the State Council's topic classification of government information)."""

    GENERAL = "general", "综合政务"
    ECONOMY = "economy", "国民经济管理、国有资产监管"
    FINANCE = "finance", "财政、金融、审计"
    LAND = "land", "国土资源、能源"
    AGRICULTURE = "agriculture", "农业、林业、水利"
    INDUSTRY = "industry", "工业、交通"
    COMMERCE = "commerce", "商贸、海关、旅游"
    MARKET = "market", "市场监管、安全生产监管"
    URBAN = "urban", "城乡建设、环境保护"
    SCIENCE = "science", "科技、教育"
    CULTURE = "culture", "文化、广电、新闻出版"
    HEALTH = "health", "卫生、体育"
    POPULATION = "population", "人口与计划生育、妇女儿童工作"
    LABOUR = "labour", "劳动、人事、监察"
    JUSTICE = "justice", "公安、安全、司法"
    CIVIL = "civil", "民政、扶贫、救灾"
    ETHNIC = "ethnic", "民族、宗教"
    FOREIGN = "foreign", "对外事务"
    HKMT = "hkmt", "港澳台侨工作"
    DEFENCE = "defence", "国防"
    OTHER = "other", "其他"


class Genre(models.TextChoices):
    """体裁分类: the 15 kinds of official documents (党政机关公文处理工作条例) and others."""

    DECISION_RESOLUTION = "resolution", "决议"
    DECISION = "decision", "决定"
    ORDER = "order", "命令（令）"
    COMMUNIQUE = "communique", "公报"
    ANNOUNCEMENT = "announcement", "公告"
    PUBLIC_NOTICE = "public_notice", "通告"
    OPINION = "opinion", "意见"
    NOTICE = "notice", "通知"
    CIRCULAR = "circular", "通报"
    REPORT = "report", "报告"
    REQUEST = "request", "请示"
    REPLY = "reply", "批复"
    MOTION = "motion", "议案"
    LETTER = "letter", "函"
    MINUTES = "minutes", "纪要"
    OTHER = "other", "其他"


class Audience(models.TextChoices):
    """服务对象分类."""

    PUBLIC = "public", "社会公众"
    CITIZENS = "citizens", "公民"
    LEGAL_PERSONS = "legal_persons", "法人"
    ORGANISATIONS = "organisations", "其他组织"


class Openness(models.TextChoices):
    """公开属性. 不予公开 entries never appear in public."""

    PROACTIVE = "proactive", "主动公开"
    ON_REQUEST = "on_request", "依申请公开"
    NOT_DISCLOSED = "not_disclosed", "不予公开"


class Validity(models.TextChoices):
    """有效性 (revised/abolished documents are marked on the original page)."""

    VALID = "valid", "有效"
    EXPIRED = "expired", "失效"
    REPEALED = "repealed", "废止"
