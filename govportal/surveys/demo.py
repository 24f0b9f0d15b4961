"""Demo surveys (征集调查): ``build_demo_surveys()``.

On the city portal (示例市人民政府), under 互动交流 → 征集调查: a closed 问卷调查 with about
120 generated answer sheets and public results, an open 意见征集 on a draft regulation (a
generated PDF, login required) and a 问卷调查 not yet started. On 示例市发展和改革委员会 (a
department site without 互动交流) the channel pair is created and one open survey added.

Idempotent: a site that already has a survey page is left alone.
"""

import datetime
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from wagtail.documents import get_document_model
from wagtail.models import Site

from govportal.content.factories import ChannelPageFactory
from govportal.content.models import ChannelPage, ColumnType
from govportal.core import pdf

from .factories import DEFAULT_QUESTIONS, SurveyPageFactory
from .models import (
    AnswerRule,
    QuestionType,
    SurveyAnswer,
    SurveyKind,
    SurveyPage,
    SurveyQuestion,
    SurveyResponse,
)
from .services import _keyed_hash

PORTAL = "示例市人民政府"
DEPARTMENT = "示例市发展和改革委员会"
RESPONSES = 120
COMMENTS = [
    "希望政务服务APP能增加更多可以全程网办的事项。",
    "大厅窗口中午时段人较多，建议增加弹性窗口。",
    "网站搜索不太好用，建议优化。",
    "12345热线接通快，答复及时，点赞！",
    "老年人使用手机办事有困难，建议保留线下渠道并提供帮办服务。",
    "建议在社区增设自助服务终端。",
]

CONSULTATION_QUESTIONS = [
    (QuestionType.SINGLE, "您对征求意见稿的总体看法", ["赞成", "基本赞成", "不赞成", "不了解"], {}),
    (
        QuestionType.TEXT,
        "意见",
        [],
        {"max_length": 2000, "help_text": "请写明条款序号和修改建议。"},
    ),
]
UPCOMING_QUESTIONS = [
    (
        QuestionType.SINGLE,
        "您最关心的公共文化服务是",
        ["图书馆", "博物馆", "文化馆", "体育场馆"],
        {},
    ),
    (QuestionType.RATING, "您对现有公共文化设施的满意度", [], {}),
]
DEPARTMENT_QUESTIONS = [
    (QuestionType.MULTIPLE, "您希望优先推进的重点项目领域（可多选）",
     ["交通基础设施", "城市更新", "产业园区", "生态环保", "社会民生"], {"min_choices": 1}),
    (QuestionType.RATING, "您对本市重点项目信息公开情况的满意度", [], {}),
    (QuestionType.TEXT, "其他建议", [], {"required": False, "max_length": 500}),
]  # fmt: skip


def survey_channel(site: Site) -> ChannelPage:
    """The site's 征集调查 channel under 互动交流; both created (live, in the menu) if missing."""
    home = site.root_page
    channels = ChannelPage.objects.descendant_of(home).filter(column_type=ColumnType.INTERACTION)
    found = channels.filter(title="征集调查").order_by("depth", "path").first()
    if found is not None:
        return found
    interaction = channels.filter(depth=home.depth + 1).order_by("path").first()
    if interaction is None:
        interaction = ChannelPageFactory(
            parent=home,
            title="互动交流",
            slug="interaction",
            column_type=ColumnType.INTERACTION,
            show_on_home=False,
            show_in_menus=True,
            description="领导信箱、征集调查、在线访谈等政民互动栏目。",
            keywords="互动交流,征集调查",
        )
    return ChannelPageFactory(
        parent=interaction,
        title="征集调查",
        slug="surveys",
        column_type=ColumnType.INTERACTION,
        show_on_home=False,
        show_in_menus=True,
        description="问卷调查和公开征求意见。",
        keywords="征集调查,意见征集,问卷调查",
    )


def _draft_document(title: str):
    Document = get_document_model()
    story = [
        pdf.title(title),
        pdf.para("（征求意见稿）", "subtitle"),
        pdf.heading("第一章 总则"),
        pdf.para("第一条 为了规范城市公共停车设施的规划、建设和管理，缓解停车难问题，根据有关法律法规，结合本市实际，制定本办法。"),
        pdf.para("第二条 本市行政区域内公共停车设施的规划、建设、使用和管理，适用本办法。"),
        pdf.heading("第二章 规划与建设"),
        pdf.para("第三条 市自然资源和规划部门会同有关部门编制公共停车设施专项规划，报市人民政府批准后公布实施。"),
        pdf.para("第四条 新建居住区应当按照规定配建停车位，并预留充电设施安装条件。"),
        pdf.heading("第三章 附则"),
        pdf.para("第五条 本办法自2027年1月1日起施行。"),
    ]  # fmt: skip
    data = pdf.build(story, title=title, author="示例市人民政府")
    doc = Document(title=f"{title}（征求意见稿）")
    doc.file = SimpleUploadedFile("parking-regulation-draft.pdf", data, "application/pdf")
    doc.file_size = len(data)
    doc.save()
    return doc


def _fill(survey: SurveyPage, count: int, seed: int) -> int:
    """Generated answer sheets (device rule), spread over the survey's open days."""
    rng = random.Random(seed)  # noqa: S311 — demo data
    questions = list(SurveyQuestion.objects.filter(page=survey).prefetch_related("options"))
    span = (survey.closes_at - survey.opens_at).total_seconds()
    answers = []
    for n in range(count):
        response = SurveyResponse.objects.create(
            survey=survey,
            device_hash=_keyed_hash(f"demo:{survey.pk}", str(n)),
            ip_hash=_keyed_hash("ip", f"198.51.100.{n % 250}"),
            submitted_at=survey.opens_at + datetime.timedelta(seconds=rng.uniform(0, span)),
        )
        for q in questions:
            options = list(q.options.all())
            if q.question_type == QuestionType.SINGLE:
                weights = [1 + (len(options) - i) * (i + 1) for i in range(len(options))]
                answers.append(
                    SurveyAnswer(
                        response=response, question=q, option=rng.choices(options, weights)[0]
                    )
                )
            elif q.question_type == QuestionType.MULTIPLE:
                k = rng.randint(
                    q.min_choices or 1, min(q.max_choices or len(options), len(options))
                )
                answers += [
                    SurveyAnswer(response=response, question=q, option=o)
                    for o in rng.sample(options, k)
                ]
            elif q.question_type == QuestionType.RATING:
                answers.append(
                    SurveyAnswer(
                        response=response,
                        question=q,
                        rating=rng.choices([1, 2, 3, 4, 5], [1, 2, 5, 9, 7])[0],
                    )
                )
            elif rng.random() < 0.3:
                answers.append(
                    SurveyAnswer(response=response, question=q, text=rng.choice(COMMENTS))
                )
    SurveyAnswer.objects.bulk_create(answers)
    return count


@transaction.atomic
def build_demo_surveys(stdout=None) -> dict[str, int]:
    """Build the demo surveys of each demo site that has none yet; returns surveys per site."""
    built: dict[str, int] = {}
    now = timezone.now()
    day = datetime.timedelta(days=1)
    sites = {
        s.site_name: s
        for s in Site.objects.filter(site_name__in=[PORTAL, DEPARTMENT]).select_related("root_page")
    }
    portal = sites.get(PORTAL)
    if portal is not None and not SurveyPage.objects.descendant_of(portal.root_page).exists():
        channel = survey_channel(portal)
        closed = SurveyPageFactory(
            parent=channel,
            title="2026年示例市政务服务满意度问卷调查",
            slug="satisfaction-2026",
            intro="<p>为进一步提升政务服务水平，现开展政务服务满意度问卷调查。问卷匿名填写，约需3分钟。</p>",
            opens_at=now - 40 * day,
            closes_at=now - 10 * day,
            answer_rule=AnswerRule.DEVICE,
            questions=DEFAULT_QUESTIONS,
            contact="示例市人民政府办公室 0999-12345678",
        )
        _fill(closed, RESPONSES, seed=4200)
        title = "示例市公共停车设施管理办法"
        SurveyPageFactory(
            parent=channel,
            title=f"关于《{title}（征求意见稿）》公开征求意见的公告",
            slug="parking-regulation-consultation",
            kind=SurveyKind.CONSULTATION,
            intro=(
                "<p>为提高立法质量，现将《示例市公共停车设施管理办法（征求意见稿）》全文公布，"
                "征求社会各界意见。请登录后在本页提交意见，也可发送电子邮件至 fzb@shili.gov.cn。</p>"
            ),
            draft_document=_draft_document(title),
            opens_at=now - 5 * day,
            closes_at=now + 25 * day,
            answer_rule=AnswerRule.ACCOUNT,
            questions=CONSULTATION_QUESTIONS,
            contact="示例市司法局 0999-12345001",
        )
        SurveyPageFactory(
            parent=channel,
            title="示例市公共文化服务需求调查",
            slug="culture-2027",
            intro="<p>为更好满足群众公共文化需求，拟开展本次调查，欢迎届时参与。</p>",
            opens_at=now + 10 * day,
            closes_at=now + 40 * day,
            answer_rule=AnswerRule.DEVICE,
            questions=UPCOMING_QUESTIONS,
        )
        built[PORTAL] = 3
    department = sites.get(DEPARTMENT)
    if (
        department is not None
        and not SurveyPage.objects.descendant_of(department.root_page).exists()
    ):
        SurveyPageFactory(
            parent=survey_channel(department),
            title="2027年重点项目建设公众意见调查",
            slug="key-projects-2027",
            intro="<p>为科学编制2027年重点项目计划，现征求公众意见。登录后参与，每个账号限提交一次。</p>",
            opens_at=now - 2 * day,
            closes_at=now + 20 * day,
            answer_rule=AnswerRule.ACCOUNT,
            questions=DEPARTMENT_QUESTIONS,
        )
        built[DEPARTMENT] = 1
    if stdout is not None and built:
        stdout.write(f"  征集调查: {'、'.join(f'{k} {v} 项' for k, v in built.items())}")
    return built
