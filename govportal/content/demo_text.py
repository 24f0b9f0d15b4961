"""Code-generated Chinese government text for the demo site group and benchmarks.

Nothing here is copied from a real site: titles and paragraphs are assembled from
short phrase lists with a seeded random generator, so the same seed always gives
the same demo.
"""

import random

TOPICS = [
    "优化营商环境", "政务公开", "信息公开", "依申请公开", "乡村振兴", "城市更新", "安全生产",
    "生态环境保护", "就业创业", "社会保险", "养老服务", "教育发展", "医疗卫生", "科技创新",
    "数字政府建设", "一网通办", "河湖长制", "防汛抗旱", "森林防火", "疫情防控常态化",
    "粮食安全", "文明城市创建", "老旧小区改造", "垃圾分类", "住房保障", "交通运输",
    "招商引资", "重点项目建设", "民营经济发展", "法治政府建设", "年度报告", "12345热线",
    "消费帮扶", "双拥共建", "市场监管", "食品安全", "中小学课后服务", "职业技能培训",
]  # fmt: skip
ORGS = [
    "市政府", "市发展改革委", "市教育局", "市科技局", "市财政局", "市人力资源社会保障局",
    "市自然资源和规划局", "市生态环境局", "市住房城乡建设局", "市交通运输局", "市农业农村局",
    "市商务局", "市卫生健康委", "市应急管理局", "市市场监管局", "市数据局", "青山区政府",
    "东湖区政府", "临江县政府",
]  # fmt: skip
PLACES = [
    "青山区",
    "东湖区",
    "临江县",
    "滨河街道",
    "云岭镇",
    "石桥镇",
    "高新区",
    "经开区",
    "北城街道",
]
ACTIONS = ["召开", "部署", "推进", "开展", "启动", "举行", "印发", "召开专题会议研究"]
EVENT_NOUNS = [
    "工作推进会",
    "专题培训",
    "现场观摩会",
    "调度会",
    "座谈会",
    "督导检查",
    "集中宣传活动",
]
DOC_VERBS = ["关于做好", "关于进一步加强", "关于印发", "关于开展", "关于公布", "关于调整"]
DOC_TAILS = ["工作的通知", "实施方案的通知", "工作方案", "若干措施", "管理办法", "的公告", "的通告"]
INTERPRET_TAILS = ["政策解读", "一图读懂", "问答", "答记者问"]

SENTENCES = [
    "会议强调，要坚持以人民为中心的发展思想，把{topic}作为当前的重要任务抓紧抓实。",
    "{org}有关负责同志介绍了前一阶段{topic}工作进展情况，并对下一步工作作出安排。",
    "今年以来，{place}围绕{topic}，细化工作措施，明确责任分工，各项工作有序推进。",
    "各相关单位要压实主体责任，建立工作台账，确保{topic}各项任务按期完成。",
    "据统计，全市已累计完成{topic}相关项目{n}个，惠及群众{m}万人次。",
    "下一步，{org}将持续深化{topic}，进一步提升服务效能和群众满意度。",
    "会议要求，要加强统筹协调，强化督促检查，及时研究解决{topic}中遇到的困难和问题。",
    "{place}通过线上线下相结合的方式，广泛宣传{topic}相关政策，营造良好社会氛围。",
    "与会人员围绕{topic}进行了深入交流，提出了具有针对性的意见建议。",
    "本次活动共设置咨询点{n}个，发放宣传资料{m}千余份，现场解答群众咨询{n}人次。",
    "为进一步规范{topic}工作，经研究决定，现就有关事项通知如下。",
    "各单位要高度重视，认真组织实施，并于规定时间内将落实情况报送{org}。",
    "本方案自发布之日起施行，由{org}负责解释。",
]  # fmt: skip


class DemoText:
    """A seeded generator of fictional government titles, summaries and bodies."""

    def __init__(self, seed: int = 2026):
        self.rng = random.Random(seed)

    def _fill(self, template: str, topic: str | None = None) -> str:
        rng = self.rng
        return template.format(
            topic=topic or rng.choice(TOPICS),
            org=rng.choice(ORGS),
            place=rng.choice(PLACES),
            n=rng.randint(3, 260),
            m=rng.randint(2, 90),
        )

    def topic(self) -> str:
        return self.rng.choice(TOPICS)

    def title(self, kind: str, topic: str | None = None) -> str:
        rng = self.rng
        topic = topic or self.topic()
        if kind in {"notice", "policy", "disclosure"}:
            year = rng.choice([2025, 2026])
            return (
                f"{rng.choice(ORGS)}{rng.choice(DOC_VERBS)}{year}年{topic}{rng.choice(DOC_TAILS)}"
            )
        if kind == "interpretation":
            return f"《{topic}若干措施》{rng.choice(INTERPRET_TAILS)}"
        if kind == "overview":
            return f"{rng.choice(PLACES)}{topic}基本情况"
        subject = rng.choice(ORGS + PLACES)
        return f"{subject}{rng.choice(ACTIONS)}{topic}{rng.choice(EVENT_NOUNS)}"

    def paragraphs(self, topic: str, count: int | None = None) -> list[str]:
        count = count or self.rng.randint(3, 6)
        paras = []
        for _ in range(count):
            sentences = self.rng.sample(SENTENCES, k=self.rng.randint(2, 4))
            paras.append("".join(self._fill(s, topic) for s in sentences))
        return paras

    def summary(self, topic: str) -> str:
        return self._fill(self.rng.choice(SENTENCES), topic)

    def source(self) -> str:
        return self.rng.choice(ORGS + ["示例日报", "示例市融媒体中心", "本网"])

    def author(self) -> str:
        surname = self.rng.choice("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗")
        given = self.rng.choice(
            ["明", "华", "静", "伟", "芳", "磊", "洋", "婷", "军", "敏", "晨曦", "志强"]
        )
        return surname + given
