"""Demo interviews (在线访谈): ``build_demo_interviews()``.

On the city portal (示例市人民政府), under 互动交流 → 在线访谈 (created if missing):

* a past interview with two guests, 15 answered questions, host messages, three photos,
  a summary and a 文字稿 — its page is the 访谈实录;
* an upcoming one (预告) a week from now;
* a live one, set around the time the demo is loaded (20 minutes ago → in 100 minutes),
  with answered questions, one approved question awaiting an answer and four pending ones,
  so that the 访谈管理 console has work. Its first guest is the staff account
  ``interview_guest`` (password as the other demo logins), who answers from the console;
  the site's editors and admins (``city_admin``, ``city_editor`` …) moderate.

Pictures are generated with Pillow at load time. Idempotent: a second run creates nothing
and only moves the live interview's times around "now" again.
"""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from wagtail.models import Site

from govportal.content.factories import ChannelPageFactory
from govportal.content.models import ChannelPage, ColumnType
from govportal.sites.roles import site_collection_of

from . import services
from .factories import (
    InterviewPageFactory,
    add_guest,
    add_photo,
    guest_group,
    make_picture,
)
from .models import HostMessage, InterviewPage, Question, QuestionStatus, SpeakerRole

PORTAL = "示例市人民政府"
GUEST_USERNAME = "interview_guest"
DEMO_PASSWORD = "Demo@2026gov"  # noqa: S105 — the documented demo login, embedded run only

PAST_QA = [
    ("市民小王", "今年我市在优化营商环境方面有哪些新举措？", "今年我们重点推进“一网通办”“一件事一次办”改革，企业开办时间压缩到1个工作日以内，并在全市推行惠企政策“免申即享”。"),
    ("", "个体工商户办理营业执照需要准备哪些材料？", "只需提供经营者身份证明和经营场所信息，通过政务服务网全程网办，材料齐全的当场办结。"),
    ("创业青年", "对初创企业有没有租金补贴？", "对入驻市级创业孵化基地的初创企业，按规定给予最长3年的场地租金补贴，具体标准见市人力资源社会保障局发布的政策文件。"),
    ("老张", "企业反映的问题多长时间能得到答复？", "通过12345热线和“营商环境”专窗反映的问题，一般在5个工作日内答复，复杂问题也会及时告知办理进度。"),
    ("", "工程建设项目审批时间还能再缩短吗？", "我们正在推行“拿地即开工”，社会投资简易低风险项目审批时间控制在15个工作日以内。"),
    ("网友李女士", "小微企业贷款难的问题怎么解决？", "市里设立了小微企业应急转贷资金，并推动银行开展“首贷”“信用贷”，符合条件的企业可向合作银行申请。"),
    ("", "政务服务中心周末能办事吗？", "市政务服务中心实行“周末不打烊”，周六上午提供企业开办、社保医保等高频事项办理服务。"),
    ("外地投资者", "外地企业来我市投资有哪些优惠政策？", "外地企业在我市投资兴业，享受与本地企业同等待遇，重大项目可实行“一企一策”和专人服务。"),
    ("", "涉企检查太多怎么办？", "我们推行“综合查一次”，同一部门对同一企业的检查原则上每年不超过一次，并公开检查事项清单。"),
    ("个体户陈先生", "电子营业执照在哪里可以用？", "电子营业执照与纸质执照具有同等法律效力，可在政务服务网、银行开户等场景使用。"),
    ("", "企业注销流程复杂吗？", "我们推行简易注销，未开业或无债权债务的企业，公示期满20天后即可申请注销。"),
    ("市民", "惠企政策太多看不懂，有没有地方集中查询？", "政务服务网开设了“惠企政策”专区，按行业和企业规模分类汇总，并提供政策解读和在线咨询。"),
    ("", "今年营商环境评价结果怎么样？", "在全省营商环境评价中，我市总体排名较上年提升3位，其中政务服务、市场监管等指标进入全省前列。"),
    ("网友", "对营商环境有意见可以向哪里反映？", "可以拨打12345政务服务便民热线，或在本网站“互动交流”栏目留言，我们会认真研究办理。"),
    ("青年企业家", "下一步优化营商环境还有什么打算？", "下一步，我们将对标先进地区，持续推进审批服务便利化、监管执法规范化，让企业办事更省心。"),
]  # fmt: skip
LIVE_QA = [
    ("市民小刘", "今年夏季全市有哪些公共游泳场馆开放？", "今年全市共有12家公共游泳场馆向社会开放，名单已在市体育局网站公布。"),
    ("", "学校体育场地什么时候向社会开放？", "已有40所中小学在课余时间和节假日向周边居民开放体育场地，市民可通过“示例体育”平台预约。"),
    ("跑步爱好者", "马拉松比赛报名有什么条件？", "报名条件和时间将于下月在赛事官网发布，请关注市体育局网站通知。"),
]  # fmt: skip
LIVE_WAITING = "健身步道晚上的照明什么时候能改善？"
LIVE_PENDING = [
    ("热心市民", "社区健身器材坏了向哪里报修？我的电话13812345678。"),
    ("", "老年人健身有没有专门的指导？"),
    ("", "学校体育场地什么时候向社会开放？"),
    ("小区业主", "能不能在我们小区附近新建一个篮球场？"),
]  # fmt: skip


def interview_channel(site: Site) -> ChannelPage:
    """互动交流 → 在线访谈 of a site; created (live, in the menu) where missing."""
    home = site.root_page
    interaction = (
        ChannelPage.objects.descendant_of(home)
        .filter(column_type=ColumnType.INTERACTION, depth=home.depth + 1)
        .order_by("path")
        .first()
    )
    if interaction is None:
        interaction = ChannelPageFactory(
            parent=home,
            title="互动交流",
            slug="interaction",
            column_type=ColumnType.INTERACTION,
            show_on_home=False,
        )
    channel = ChannelPage.objects.child_of(interaction).filter(title="在线访谈").first()
    if channel is None:
        channel = ChannelPageFactory(
            parent=interaction,
            title="在线访谈",
            slug="interviews",
            column_type=ColumnType.INTERACTION,
            show_on_home=False,
            description="领导干部、部门负责同志做客在线访谈，解读政策、回应关切。",
            keywords="在线访谈",
        )
    return channel


def _guest_account():
    User = get_user_model()
    user = User.objects.filter(username=GUEST_USERNAME).first()
    if user is None:
        user = User(
            username=GUEST_USERNAME,
            display_name="访谈嘉宾（演示）",
            first_name="访谈嘉宾",
            last_name="演示",
            email=f"{GUEST_USERNAME}@example.gov.cn",
            is_staff=True,
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
    user.groups.add(guest_group())
    return user


def _published(page: InterviewPage) -> InterviewPage:
    page.save_revision().publish()
    return InterviewPage.objects.get(pk=page.pk)


def _question(interview, nickname, text, *, at, status=QuestionStatus.PENDING, **extra):
    return Question.objects.create(
        interview=interview, nickname=nickname, text=text, created_at=at, status=status, **extra
    )


def _answered(interview, guests, moderator, rows, start, step_minutes):
    """Approved and answered questions, in order, each taking the next public number."""
    for n, (nickname, text, answer) in enumerate(rows):
        asked = start + datetime.timedelta(minutes=n * step_minutes)
        question = _question(
            interview,
            nickname,
            text,
            at=asked,
            status=QuestionStatus.APPROVED,
            moderated_by=moderator,
            moderated_at=asked + datetime.timedelta(minutes=1),
            shown_at=asked + datetime.timedelta(minutes=1),
            answer=answer,
            answered_by_guest=guests[n % len(guests)],
            answered_by=moderator,
            answered_at=asked + datetime.timedelta(minutes=3),
        )
        question.seq = services._bump(interview.pk, public=True)
        question.save(update_fields=["seq"])


def _message(interview, text, at, *, role=SpeakerRole.HOST, guest=None, image=None, alt=""):
    message = HostMessage.objects.create(
        interview=interview,
        role=role,
        guest=guest,
        text=text,
        created_at=at,
        image=image,
        image_alt=alt,
    )
    message.seq = services._bump(interview.pk, public=True)
    message.save(update_fields=["seq"])


def _build(channel, collection, moderator, guest_user, now) -> None:
    pic = 0

    def picture(size=(480, 320)):
        nonlocal pic
        pic += 1
        return make_picture(9400 + pic, size=size, collection=collection)

    # 1. The past interview (访谈实录).
    start = (now - datetime.timedelta(days=12)).replace(hour=9, minute=30, second=0, microsecond=0)
    past = InterviewPageFactory(
        parent=channel,
        title="优化营商环境 助力企业发展",
        slug="yingshang-huanjing",
        topic="优化营商环境 助力企业发展",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        place="示例市人民政府网站访谈室",
        cover_image=picture((960, 400)),
        intro="<p>市发展改革委、市市场监管局负责同志做客在线访谈，介绍我市优化营商环境的举措，回答网友提问。</p>",
        summary=(
            "<p>本期访谈介绍了我市推进“一网通办”、压缩企业开办时间、推行惠企政策“免申即享”"
            "等举措，嘉宾就企业开办、融资、审批和涉企检查等网友关心的15个问题作了解答。</p>"
        ),
        transcript=(
            "主持人：各位网友大家好，欢迎收看本期在线访谈。\n\n"
            "嘉宾：大家好。今年我市把优化营商环境作为“一号改革工程”，取得了积极成效。\n\n"
            "主持人：感谢两位嘉宾，本期访谈到此结束。"
        ),
    )
    g1 = add_guest(past, "王建国", "示例市发展和改革委员会主任", photo=picture((240, 300)),
                   intro="长期从事经济管理工作。")  # fmt: skip
    g2 = add_guest(past, "李华", "示例市市场监督管理局副局长", photo=picture((240, 300)))
    for n, alt in enumerate(
        ["访谈现场，两位嘉宾在访谈室回答网友提问", "主持人与嘉宾交流", "嘉宾介绍企业开办改革成效"]
    ):
        add_photo(past, picture(), alt, caption=alt if n == 0 else "")
    past = _published(past)
    _message(past, "各位网友大家好，本期访谈现在开始，欢迎踊跃提问。", start)
    _answered(past, [g1, g2], moderator, PAST_QA, start + datetime.timedelta(minutes=5), 7)
    _message(past, "感谢两位嘉宾，感谢网友的参与，本期访谈到此结束。", past.ends_at)

    # 2. Upcoming (预告).
    soon = (now + datetime.timedelta(days=7)).replace(hour=15, minute=0, second=0, microsecond=0)
    upcoming = InterviewPageFactory(
        parent=channel,
        title="义务教育招生入学政策解读",
        slug="yiwu-jiaoyu-zhaosheng",
        topic="义务教育招生入学政策解读",
        starts_at=soon,
        ends_at=soon + datetime.timedelta(hours=1, minutes=30),
        intro="<p>市教育局负责同志将解读今年义务教育招生入学政策，欢迎届时在线提问。</p>",
    )
    add_guest(upcoming, "赵敏", "示例市教育局副局长")
    add_guest(upcoming, "孙强", "示例市教育局基础教育处处长")
    _published(upcoming)

    # 3. Live (直播中) around now.
    live = InterviewPageFactory(
        parent=channel,
        title="全民健身设施建设与开放",
        slug="quanmin-jianshen",
        topic="全民健身设施建设与开放",
        starts_at=now - datetime.timedelta(minutes=20),
        ends_at=now + datetime.timedelta(minutes=100),
        intro="<p>市体育局负责同志正在做客在线访谈，欢迎网友提问。</p>",
        cover_image=picture((960, 400)),
    )
    lg1 = add_guest(live, "周涛", "示例市体育局局长", user=guest_user, photo=picture((240, 300)))
    lg2 = add_guest(live, "吴芳", "示例市体育局群众体育处处长")
    live = _published(live)
    _message(live, "各位网友大家好，本期访谈现在开始。", live.starts_at)
    _answered(
        live, [lg1, lg2], moderator, LIVE_QA, live.starts_at + datetime.timedelta(minutes=2), 4
    )
    _message(live, "访谈现场图片", live.starts_at + datetime.timedelta(minutes=15),
             image=picture(), alt="嘉宾在访谈室回答问题")  # fmt: skip
    waiting = _question(live, "晚练市民", LIVE_WAITING, at=now - datetime.timedelta(minutes=4),
                        status=QuestionStatus.APPROVED, moderated_by=moderator,
                        moderated_at=now - datetime.timedelta(minutes=3),
                        shown_at=now - datetime.timedelta(minutes=3))  # fmt: skip
    waiting.seq = services._bump(live.pk, public=True)
    waiting.save(update_fields=["seq"])
    for n, (nickname, text) in enumerate(LIVE_PENDING):
        _question(live, nickname, text, at=now - datetime.timedelta(minutes=3 - n * 0.5))
    services._bump(live.pk, public=False)


@transaction.atomic
def build_demo_interviews(stdout=None) -> int:
    """Build the portal's demo interviews once; returns how many interviews were created."""
    site = Site.objects.filter(site_name=PORTAL).select_related("root_page").first()
    if site is None:
        return 0
    guest_user = _guest_account()
    now = timezone.now()
    existing = InterviewPage.objects.descendant_of(site.root_page)
    if existing.exists():
        live = existing.filter(slug="quanmin-jianshen").first()
        if live is not None:  # keep the live one live whenever the demo is (re)loaded
            live.starts_at = now - datetime.timedelta(minutes=20)
            live.ends_at = now + datetime.timedelta(minutes=100)
            _published(live)
        return 0
    User = get_user_model()
    moderator = (
        User.objects.filter(username="city_admin").first()
        or User.objects.filter(is_superuser=True).first()
    )
    channel = interview_channel(site)
    collection = site_collection_of(site.root_page)
    _build(channel, collection, moderator, guest_user, now)
    created = InterviewPage.objects.descendant_of(site.root_page).count()
    if stdout is not None:
        stdout.write(
            f"  在线访谈: {created} 期（往期实录、预告、直播中），嘉宾账号 {GUEST_USERNAME}"
        )
    return created
