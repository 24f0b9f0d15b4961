"""Demo data of the personal centre: a mailbox and two subscriptions for each demo citizen."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from wagtail.models import Site

from .models import Message, MessageAttachment, Subscription

# (title, body, important, read, extra): extra may hold case_kind/case_ref/link/attachment.
DEMO_MESSAGES = [
    (
        "欢迎使用个人中心",
        "您好！在个人中心可以查看办件进度、站内信和订阅的栏目。\n如需修改通知方式，请前往“账号设置”。",
        False,
        True,
        {"link": "/my/settings/"},
    ),
    (
        "您的政府信息公开申请已受理",
        "您于近日提交的政府信息公开申请已受理。\n我们将在法定期限（20个工作日）内答复，请留意站内信。",
        True,
        True,
        {"case_kind": "政府信息公开申请", "case_ref": "YSQ2026000123"},
    ),
    (
        "政府信息公开申请答复书已出具",
        "您申请公开的信息已办结，答复书见附件。\n如对答复有异议，可依法申请行政复议或提起行政诉讼。",
        True,
        False,
        {"case_kind": "政府信息公开申请", "case_ref": "YSQ2026000123", "attachment": True},
    ),
    (
        "您的来信已转交承办单位",
        "您反映的小区周边道路照明问题已转交区城市管理局办理。\n承办单位将在15个工作日内答复。",
        False,
        True,
        {"case_kind": "市长信箱来信", "case_ref": "XX2026004512"},
    ),
    (
        "来信办理进度更新",
        "承办单位已联系现场核实，预计本周内完成路灯维修。",
        False,
        False,
        {"case_kind": "市长信箱来信", "case_ref": "XX2026004512"},
    ),
    (
        "请对来信办理情况进行评价",
        "您的来信已办结。请在7日内对办理结果进行满意度评价，帮助我们改进工作。",
        True,
        False,
        {"case_kind": "市长信箱来信", "case_ref": "XX2026004512"},
    ),
    (
        "订阅更新：通知公告有新信息",
        "您订阅的“通知公告”栏目发布了新信息：\n\n关于2026年春节期间政务服务安排的通知",
        False,
        True,
        {},
    ),
    (
        "订阅更新：政策文件有新信息",
        "您订阅的“政策文件”栏目发布了新信息：\n\n示例市促进中小企业发展的若干措施",
        False,
        False,
        {},
    ),
    (
        "网上办事申请材料需要补正",
        "您提交的“个体工商户名称变更”申请材料不完整，请在5个工作日内补充营业执照副本扫描件。",
        True,
        False,
        {"case_kind": "网上办事", "case_ref": "BS2026010876"},
    ),
    (
        "网上办事申请已办结",
        "您提交的“个体工商户名称变更”申请已办结，可前往政务服务中心领取证照，或选择邮寄送达。",
        False,
        True,
        {"case_kind": "网上办事", "case_ref": "BS2026010876"},
    ),
    (
        "系统维护通知",
        "为提升服务质量，网站将于本周六 00:00—06:00 进行系统维护，期间部分在线服务暂停使用。",
        False,
        True,
        {},
    ),
    (
        "订阅更新：通知公告有新信息",
        "您订阅的“通知公告”栏目发布了新信息：\n\n关于开展2026年度政府网站用户满意度调查的通知",
        False,
        False,
        {},
    ),
    (
        "您的咨询已答复",
        "您咨询的“新生儿医保参保办理流程”已由市医保局答复，请登录个人中心查看答复内容。",
        False,
        True,
        {"case_kind": "咨询", "case_ref": "ZX2026002231"},
    ),
    (
        "满意度调查邀请",
        "诚邀您参加政府网站用户满意度调查，问卷约需3分钟。",
        False,
        False,
        {"link": "/"},
    ),
    (
        "订阅更新：政策文件有新信息",
        "您订阅的“政策文件”栏目发布了新信息：\n\n示例市住房公积金管理办法（修订）",
        False,
        True,
        {},
    ),
    (
        "您的投诉已受理",
        "您反映的商户占道经营问题已受理，受理编号 TS2026000987。",
        False,
        True,
        {"case_kind": "投诉", "case_ref": "TS2026000987"},
    ),
    (
        "投诉处理结果告知",
        "经核查，相关商户已整改完毕。感谢您对城市管理工作的支持。",
        False,
        False,
        {"case_kind": "投诉", "case_ref": "TS2026000987"},
    ),
    (
        "账号安全提醒",
        "您的账号于近日在新设备上登录。如非本人操作，请立即修改密码。",
        True,
        True,
        {"link": "/my/settings/"},
    ),
]

ATTACHMENT_NAME = "政府信息公开申请答复书.txt"
ATTACHMENT_TEXT = (
    "政府信息公开申请答复书\n\n"
    "申请人：您好！\n"
    "本机关于收到您的政府信息公开申请后，经审查，您申请获取的信息属于主动公开范围，"
    "现予以提供，请查收。\n\n"
    "示例市人民政府办公厅\n"
)


def demo_recipients():
    """Demo citizens: generated citizen usernames ("c_…") and any account without staff rights."""
    User = get_user_model()
    return User.objects.filter(
        Q(username__startswith="c_") | Q(is_staff=False, is_superuser=False), is_active=True
    ).order_by("pk")


def demo_channels():
    """Two live channels of the default site (the portal), e.g. 通知公告 and 政策文件."""
    from govportal.content.models import ChannelPage

    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return []
    return list(
        ChannelPage.objects.live()
        .descendant_of(site.root_page)
        .filter(depth=site.root_page.depth + 1)
        .order_by("path")[1:3]
    )


def _mailbox(user) -> int:
    now = timezone.now()
    count = len(DEMO_MESSAGES)
    for index, (title, body, important, read, extra) in enumerate(DEMO_MESSAGES):
        created = now - timedelta(days=(count - index) * 2, hours=index % 5)
        message = Message.objects.create(
            recipient=user,
            title=title,
            body=body,
            important=important,
            read_at=created + timedelta(hours=3) if read else None,
            created_at=created,
            case_kind=extra.get("case_kind", ""),
            case_ref=extra.get("case_ref", ""),
            link=extra.get("link", ""),
        )
        if extra.get("attachment"):
            content = ATTACHMENT_TEXT.encode("utf-8")
            attachment = MessageAttachment(
                message=message, filename=ATTACHMENT_NAME, size=len(content)
            )
            attachment.file.save(ATTACHMENT_NAME, ContentFile(content), save=False)
            attachment.save()
    return count


def build_demo_personal(stdout=None) -> None:
    """Idempotent: a user who already has messages gets no more; subscriptions are get_or_create."""
    recipients = list(demo_recipients())
    if not recipients:
        return
    channels = demo_channels()
    made = 0
    with transaction.atomic():
        for user in recipients:
            if not Message.objects.filter(recipient=user).exists():
                made += _mailbox(user)
            for channel in channels:
                Subscription.objects.get_or_create(user=user, channel=channel)
    if stdout is not None:
        stdout.write(
            f"个人中心: {len(recipients)} 位公众用户, 新建站内信 {made} 封, 订阅栏目 {len(channels)} 个"
        )
