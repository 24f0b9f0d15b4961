"""Generated government text for the search benchmark (检索基准语料) — no Django needed.

A deterministic corpus: document ``i`` of a corpus built with seed ``s`` is always the same
text, and a corpus of N documents is the first N documents of any bigger one with the same
seed. Titles are 15–30 characters, bodies 300–800, assembled from code-written templates
and a vocabulary of government terms drawn with a Zipf-like distribution (the first
terms are in most documents, the last ones in a fraction of a percent, and a list of rare
"needle" terms in about one document in five thousand), so the fixed query set of the
benchmark has words that match half the corpus and words that match a handful.

Nothing is copied from a real site. ``govportal/search/tests`` or the benchmark may import
:func:`generate` and :func:`brute_force`; both work on plain :class:`Text` tuples.
"""

from __future__ import annotations

import bisect
import itertools
import math
import random
import string
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")

# Government terms, most frequent first (Zipf rank = position). 2–8 characters; some
# contain others (信息 in 信息公开 and 信息化, 养老 in 养老服务 and 养老院) on purpose.
TERMS = [
    "政务公开", "营商环境", "安全生产", "乡村振兴", "信息公开", "社会保险", "就业创业",
    "生态环境保护", "数字政府", "养老服务", "教育发展", "医疗卫生", "科技创新", "一网通办",
    "城市更新", "防汛抗旱", "依申请公开", "项目建设", "市场监管", "食品安全", "住房保障",
    "交通运输", "招商引资", "法治政府建设", "民营经济", "年度报告", "12345热线", "森林防火",
    "垃圾分类", "老旧小区改造", "粮食安全", "文明城市创建", "河湖长制", "消费帮扶",
    "职业技能培训", "放管服改革", "优化营商环境", "政府信息公开", "社保卡", "医疗保障",
    "最低生活保障", "退役军人服务", "双拥共建", "基层治理", "网格化管理", "信息化建设",
    "公共资源交易", "政府采购", "财政预算", "预算执行", "审计整改", "统计公报", "人口普查",
    "高标准农田", "农村人居环境", "耕地保护", "不动产登记", "工程建设项目审批", "施工许可",
    "营业执照", "企业开办", "减税降费", "稳岗返还", "创业担保贷款", "高校毕业生就业",
    "农民工工资", "欠薪治理", "劳动保障监察", "工伤保险", "失业保险", "养老保险",
    "城乡居民医保", "家庭医生签约", "疫苗接种", "传染病防控", "爱国卫生运动", "健康城市",
    "义务教育", "学前教育", "课后服务", "校园安全", "双减", "职业教育", "文化惠民",
    "全民健身", "体育设施", "旅游发展", "文物保护", "非物质文化遗产", "历史文化街区",
    "大气污染防治", "水污染防治", "土壤污染防治", "碳达峰", "碳中和", "节能降耗",
    "新能源汽车", "充电设施", "公共交通", "道路运输", "农村公路", "交通安全", "电动自行车",
    "燃气安全", "消防安全", "应急预案", "地质灾害", "防灾减灾", "气象预警", "自然灾害救助",
    "物价监测", "价格调控", "质量强市", "知识产权", "标准化建设", "计量检定", "特种设备",
    "药品安全", "网络安全", "数据共享", "政务服务", "好差评", "一件事一次办", "跨省通办",
    "帮办代办", "政务热线", "便民服务", "适老化改造", "无障碍环境", "残疾人保障",
    "儿童福利", "未成年人保护", "妇女权益", "婚姻登记", "殡葬改革", "慈善事业",
    "志愿服务", "社区治理", "物业管理", "城市管理", "市容环境", "园林绿化", "海绵城市",
    "地下管网", "供水保障", "污水处理", "生活垃圾", "厕所革命", "美丽乡村", "特色小镇",
    "农业产业化", "种业振兴", "畜牧兽医", "动物防疫", "渔业安全", "林长制", "水土保持",
    "水资源管理", "河道整治", "水库安全", "农田水利", "乡村旅游", "农村电商", "冷链物流",
    "外贸出口", "跨境电商", "开放型经济", "自由贸易试验区", "产业园区", "专精特新",
    "中小企业", "个体工商户", "金融服务", "普惠金融", "防范非法集资", "信用体系建设",
    "失信惩戒", "行政执法", "行政复议", "行政诉讼", "法律援助", "普法宣传", "人民调解",
    "信访工作", "扫黑除恶", "禁毒工作", "反诈宣传", "平安建设", "国防动员", "征兵工作",
    "民族团结", "宗教事务", "侨务工作", "对口支援", "东西部协作", "巩固脱贫成果",
    "人才引进", "科技成果转化", "高新技术企业", "研发投入", "数字经济", "智慧城市",
    "人工智能", "大数据中心", "5G基站", "工业互联网", "先进制造业", "制造业转型升级",
    "安全生产许可", "危险化学品", "矿山安全", "建筑施工安全", "校车安全", "食品抽检",
    "农产品质量安全", "住房公积金", "保障性租赁住房", "公租房", "棚户区改造",
    "房地产市场", "土地出让", "国土空间规划", "村庄规划", "城市体检", "历史建筑",
]  # fmt: skip

# In about one document in five thousand each (a few per ten thousand documents, a few
# hundred per million): the rare end of the query set.
NEEDLES = [
    "古树名木普查", "萤火虫保护区", "非遗传承人认定", "候鸟迁徙通道", "地名文化遗产",
    "红色文物征集", "烈士纪念设施", "蚕桑产业", "茶园病虫害", "竹林碳汇",
]  # fmt: skip

ORGS = [
    "市人民政府办公室", "市发展和改革委员会", "市教育局", "市科学技术局", "市工业和信息化局",
    "市公安局", "市民政局", "市司法局", "市财政局", "市人力资源和社会保障局",
    "市自然资源和规划局", "市生态环境局", "市住房和城乡建设局", "市交通运输局", "市水利局",
    "市农业农村局", "市商务局", "市文化广电旅游局", "市卫生健康委员会", "市退役军人事务局",
    "市应急管理局", "市审计局", "市市场监督管理局", "市统计局", "市医疗保障局",
    "市政务服务数据管理局", "市城市管理局", "市信访局", "市林业局", "市体育局",
    "区人民政府", "县人民政府", "街道办事处", "镇人民政府", "市税务局",
]  # fmt: skip

PLACES = [
    "青山区", "东湖区", "临江县", "滨河街道", "云岭镇", "石桥镇", "高新区", "经开区",
    "北城街道", "南湖街道", "西津镇", "白沙乡", "凤凰山街道", "桃源县", "清溪镇", "金沙区",
    "龙泉镇", "松林乡", "望江县", "新港区", "梅岭街道", "长安镇", "柳河县", "鹤鸣乡",
]  # fmt: skip

NEWS_TITLES = [
    "{place}召开{t}工作推进会",
    "{org}部署{t}重点工作任务",
    "{place}扎实推进{t}取得阶段性成效",
    "{org}开展{t}专项督导检查",
    "{place}举办{t}专题培训班",
    "{year}年{place}{t}工作情况通报",
    "{org}主要负责同志调研{t}工作",
    "{place}多措并举推动{t}提质增效",
]
POLICY_TITLES = [
    "{org}关于做好{t}工作的通知",
    "关于印发《{place}{t}实施方案》的通知",
    "{org}关于进一步加强{t}的意见",
    "关于公布{year}年度{t}名单的公告",
    "{place}{t}管理办法（试行）",
    "{org}关于开展{t}工作的通知",
]
DISCLOSURE_TITLES = [
    "{org}{year}年政府信息公开工作年度报告",
    "{org}{year}年部门预算公开",
    "{place}{year}年{t}资金使用情况公示",
    "{org}{t}权责清单",
    "{org}{year}年{t}统计数据",
]
INTERPRETATION_TITLES = [
    "一图读懂《{place}{t}实施方案》",
    "《{org}关于{t}的通知》政策解读",
    "{t}相关政策问答",
    "{org}负责同志就{t}答记者问",
]
LETTER_TITLES = [
    "关于{place}{t}问题的咨询",
    "反映{place}{t}有关情况",
    "建议加快{place}{t}进度",
    "咨询{t}办理流程",
]
ATTACHMENT_TITLES = [
    "附件：{place}{t}情况统计表",
    "附件：{year}年{t}项目清单",
    "附件：{t}申报材料目录",
]
# kind, weight, title templates (kinds as the search app registers them).
KINDS = [
    ("news", 35, NEWS_TITLES),
    ("policy", 18, POLICY_TITLES),
    ("disclosure", 17, DISCLOSURE_TITLES),
    ("interpretation", 10, INTERPRETATION_TITLES),
    ("letter", 12, LETTER_TITLES),
    ("attachment", 8, ATTACHMENT_TITLES),
]

SENTENCES = [
    "会议强调，要坚持以人民为中心的发展思想，把{t}作为当前的重要任务抓紧抓实。",
    "{org}有关负责同志介绍了前一阶段{t}工作进展情况，并对下一步工作作出安排。",
    "今年以来，{place}围绕{t}，细化工作措施，明确责任分工，各项工作有序推进。",
    "各相关单位要压实主体责任，建立工作台账，确保{t}各项任务按期完成。",
    "据统计，全市已累计完成{t}相关项目{n}个，惠及群众{m}万人次。",
    "下一步，{org}将持续深化{t}，进一步提升服务效能和群众满意度。",
    "会议要求，要加强统筹协调，强化督促检查，及时研究解决{t}中遇到的困难和问题。",
    "{place}通过线上线下相结合的方式，广泛宣传{t}相关政策，营造良好社会氛围。",
    "与会人员围绕{t}进行了深入交流，提出了具有针对性的意见建议。",
    "为进一步规范{t}工作，经研究决定，现就有关事项通知如下。",
    "{date}，{org}召开专题会议，研究部署{t}和{t2}等工作。",
    "截至{date}，{place}{t}资金到位{m}万元，完成年度计划的{p}%。",
    "群众可通过12345政务服务便民热线或{org}门户网站咨询{t}有关事项。",
    "本通知自{date}起施行，有效期5年，由{org}负责解释。",
    "{place}将{t}与{t2}统筹推进，形成了可复制可推广的经验做法。",
    "根据《中华人民共和国政府信息公开条例》规定，现将{t}有关信息予以公开。",
    "请各地于{date}前将{t}工作总结报送{org}，联系电话：{phone}。",
    "文号：{code}〔{year}〕{n}号，发布机构：{org}，主题分类：{t}。",
    "经核查，来信反映的{t}问题已转交{org}办理，办理结果将及时答复。",
    "{org}牵头，{place}配合，共同做好{t}的组织实施和监督检查。",
    "全年共受理{t}相关申请{n}件，办结率{p}%，群众满意率{p2}%。",
    "下阶段将重点抓好{t}、{t2}和{t3}三项工作。",
]
CODES = ["青政办发", "青政发", "东政办", "临政发", "青发改", "青财预", "青人社发", "青卫健"]


class Text(NamedTuple):
    """One generated document: index, kind, site number (0 = the biggest), title, body,
    publication time."""

    index: int
    kind: str
    site: int
    title: str
    body: str
    published_at: datetime


def zipf_cumulative(count: int, exponent: float = 1.0) -> list[float]:
    """Cumulative weights of ranks 1..count for ``random.choices``/bisect."""
    return list(itertools.accumulate(1.0 / (rank**exponent) for rank in range(1, count + 1)))


def site_cumulative(sites: int, seed: int = 7) -> list[float]:
    """Uneven site sizes as in a real group: five big sites (10, 8, 7, 6 and 5 % of the
    documents), a long log-normal tail of small ones."""
    if sites <= 0:
        raise ValueError("at least one site")
    rng = random.Random(seed)
    big = [0.10, 0.08, 0.07, 0.06, 0.05][: max(0, sites - 1)] if sites > 1 else [1.0]
    rest = sites - len(big)
    tail = [rng.lognormvariate(0, 0.8) for _ in range(rest)]
    share = 1.0 - sum(big)
    scale = sum(tail) or 1.0
    weights = big + [share * w / scale for w in tail]
    return list(itertools.accumulate(weights))


EPOCH = datetime(2015, 1, 1, 8, 0, tzinfo=SHANGHAI)
SPAN_SECONDS = int((datetime(2026, 6, 30, tzinfo=SHANGHAI) - EPOCH).total_seconds())


def generate(docs: int, sites: int = 300, seed: int = 20261121) -> Iterator[Text]:
    """The first ``docs`` documents of the corpus for ``seed`` (deterministic)."""
    rng = random.Random(seed)
    term_cum = zipf_cumulative(len(TERMS), 1.0)
    term_total = term_cum[-1]
    site_cum = site_cumulative(sites, seed)
    site_total = site_cum[-1]
    kind_cum = list(itertools.accumulate(weight for _, weight, _ in KINDS))
    kind_total = kind_cum[-1]
    random_ = rng.random
    randint = rng.randint
    choice = rng.choice

    def term() -> str:
        return TERMS[bisect.bisect(term_cum, random_() * term_total)]

    def date() -> str:
        return f"{randint(2015, 2026)}年{randint(1, 12)}月{randint(1, 28)}日"

    slots = {
        "t": term,
        "t2": term,
        "t3": term,
        "org": lambda: choice(ORGS),
        "place": lambda: choice(PLACES),
        "n": lambda: randint(2, 480),
        "m": lambda: randint(1, 9800),
        "p": lambda: randint(60, 100),
        "p2": lambda: randint(90, 100),
        "date": date,
        "code": lambda: choice(CODES),
        "phone": lambda: f"0{randint(500, 999)}-{randint(2000000, 8999999)}",
    }
    # Each template's slots, so only the values it uses are drawn.
    fields = {
        template: [name for _, name, _, _ in string.Formatter().parse(template) if name]
        for template in itertools.chain(SENTENCES, *(titles for _, _, titles in KINDS))
    }

    def fill(template: str, year: int) -> str:
        values = {"year": year}
        for name in fields[template]:
            if name not in values:
                values[name] = slots[name]()
        return template.format_map(values)

    for index in range(docs):
        kind_at = bisect.bisect(kind_cum, random_() * kind_total)
        kind, _, titles = KINDS[min(kind_at, len(KINDS) - 1)]
        site = min(bisect.bisect(site_cum, random_() * site_total), sites - 1)
        published_at = EPOCH + timedelta(seconds=int(random_() * SPAN_SECONDS))
        year = published_at.year
        title = fill(choice(titles), year)
        while len(title) < 15:
            title = f"{choice(PLACES)}{title}"
        if len(title) > 30:
            title = title[:30]
        target = randint(300, 800)
        parts: list[str] = []
        length = 0
        if random_() < 0.0002 * len(NEEDLES):
            needle = choice(NEEDLES)
            parts.append(f"{choice(PLACES)}启动{needle}工作，{choice(ORGS)}负责具体实施。")
            length += len(parts[-1])
        while length < target:
            sentence = fill(choice(SENTENCES), year)
            parts.append(sentence)
            length += len(sentence)
            if random_() < 0.2:
                parts.append("\n")
        body = "".join(parts)[:target]
        yield Text(index, kind, site, title, body, published_at)


class Query(NamedTuple):
    """One query of the fixed set: its class, the text typed, and the words a matching
    document must contain (all of them, as substrings) — the brute-force definition."""

    klass: str
    q: str
    must: tuple[str, ...]


# The fixed query set. ``must`` is what "contains the query word" means for recall.
QUERIES = [
    # 2-character words: very common, common, inside longer words, rare.
    Query("2字词", "政务", ("政务",)),
    Query("2字词", "信息", ("信息",)),
    Query("2字词", "养老", ("养老",)),
    Query("2字词", "公开", ("公开",)),
    Query("2字词", "防汛", ("防汛",)),
    Query("2字词", "双减", ("双减",)),
    Query("2字词", "林长", ("林长",)),
    Query("2字词", "蚕桑", ("蚕桑",)),
    # 3-character words.
    Query("3字词", "社保卡", ("社保卡",)),
    Query("3字词", "信息化", ("信息化",)),
    Query("3字词", "适老化", ("适老化",)),
    Query("3字词", "林长制", ("林长制",)),
    Query("3字词", "公租房", ("公租房",)),
    Query("3字词", "萤火虫", ("萤火虫",)),
    # 4-character words.
    Query("4字词", "政务公开", ("政务公开",)),
    Query("4字词", "营商环境", ("营商环境",)),
    Query("4字词", "乡村振兴", ("乡村振兴",)),
    Query("4字词", "信息公开", ("信息公开",)),
    Query("4字词", "年度报告", ("年度报告",)),
    Query("4字词", "垃圾分类", ("垃圾分类",)),
    Query("4字词", "殡葬改革", ("殡葬改革",)),
    Query("4字词", "古树名木", ("古树名木",)),
    # Phrases (5+ characters) and several words (AND).
    Query("短语", "依申请公开", ("依申请公开",)),
    Query("短语", "优化营商环境", ("优化营商环境",)),
    Query("短语", "政府信息公开工作年度报告", ("政府信息公开工作年度报告",)),
    Query("短语", "12345热线", ("12345热线",)),
    Query("多词", "社会保险 年度报告", ("社会保险", "年度报告")),
    Query("多词", "乡村振兴 青山区", ("乡村振兴", "青山区")),
    Query("多词", "垃圾分类 督导检查 临江县", ("垃圾分类", "督导检查", "临江县")),
    # Pinyin and initials: the documents containing the word they convert to.
    Query("拼音", "zwgk", ("政务公开",)),
    Query("拼音", "yingshanghuanjing", ("营商环境",)),
    Query("拼音", "xiangcunzhenxing", ("乡村振兴",)),
    Query("拼音", "ljfl", ("垃圾分类",)),
    # Traditional characters: the simplified word's documents.
    Query("繁体", "營商環境", ("营商环境",)),
    # Absent: nothing contains it.
    Query("无结果", "量子通信", ("量子通信",)),
]


def brute_force(texts: Iterable[Text], queries: list[Query] = QUERIES) -> dict[str, list[int]]:
    """For each query text, the indexes of the documents containing all its words (title or
    body, plain substring scan) — what 100 % recall means."""
    found: dict[str, list[int]] = {query.q: [] for query in queries}
    checks = [(found[query.q], query.must) for query in queries]
    for text in texts:
        haystack = f"{text.title}\n{text.body}"
        for hits, must in checks:
            for word in must:
                if word not in haystack:
                    break
            else:
                hits.append(text.index)
    return found


def describe(docs: int, sites: int = 300, seed: int = 20261121) -> dict[str, float]:
    """Average title/body lengths of the first ``docs`` documents (for the report)."""
    titles = bodies = 0
    for text in generate(docs, sites, seed):
        titles += len(text.title)
        bodies += len(text.body)
    return {
        "title chars": round(titles / max(docs, 1), 1),
        "body chars": round(bodies / max(docs, 1), 1),
    }


if __name__ == "__main__":  # a quick look: python benchmarks/search_corpus.py [N]
    import sys
    import time

    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    started = time.perf_counter()
    texts = list(generate(n))
    generated = time.perf_counter() - started
    for text in texts[:3]:
        print(text.kind, text.site, text.published_at, text.title, len(text.body))
        print(text.body[:200])
    started = time.perf_counter()
    counts = brute_force(texts)
    scanned = time.perf_counter() - started
    print(f"{n:,} docs generated in {generated:.1f} s, scanned in {scanned:.1f} s")
    for query in QUERIES:
        share = len(counts[query.q]) / n
        print(f"{query.klass}\t{query.q}\t{len(counts[query.q]):,}\t{share:.2%}")
    print(
        f"sites: biggest {sum(1 for t in texts if t.site == 0):,}, "
        f"smallest {min(sum(1 for t in texts if t.site == s) for s in range(300)):,}"
    )
    print({k: math.nan for k in ()} or describe(min(n, 2000)))
