"""Demo annual reports: ``build_demo_annual_reports()``.

For 2025: the reports of 示例市人民政府 and 示例市教育局, published (back-dated to January
2026, before the 31 January deadline) with realistic entered numbers and texts; 示例市财政局
as a draft; and 示例市's 政府汇总 roll-up, published in March 2026. The request table counts
whatever requests exist (the requests demo, if it ran; zeros otherwise). Also a demo login
``xxgk_officer`` (市政府办公室 信息公开专员) who manages every report of the city.
Idempotent: existing reports are left alone.
"""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.utils import timezone

from govportal.organizations.models import Membership, Organization

from . import services
from .models import AnnualReport, ReportKind

YEAR = 2025
GROUP_NAME = "政府信息公开年报管理员"
OFFICER = "xxgk_officer"


def _texts(name: str, short: str, *, rollup: bool = False) -> dict:
    scope = "全市各级行政机关" if rollup else short
    return {
        "overview_intro": (
            f"{YEAR}年，{scope}深入贯彻落实《中华人民共和国政府信息公开条例》，围绕中心工作"
            "推进决策、执行、管理、服务、结果公开，政府信息公开工作取得新进展。"
            f"本报告由{name}编制，所列数据统计期限自{YEAR}年1月1日起至{YEAR}年12月31日止。"
        ),
        "overview_proactive": (
            "坚持“以公开为常态、不公开为例外”，及时公开规章、行政规范性文件、财政预决算、"
            "重大建设项目和公共服务等法定主动公开内容；政策文件同步发布解读材料。\n"
            "通过政府网站公开目录统一发布，每条信息均编制索引号，做到可查询、可下载。"
        ),
        "overview_requests": (
            "依法依规办理政府信息公开申请，畅通网上申请、信函申请和当面申请渠道，"
            "全部在法定期限内答复，答复书载明救济途径。对申请内容不明确的，一次性告知补正事项。"
        ),
        "overview_management": (
            "落实公开属性源头认定，文件起草时同步明确公开方式；开展规章和行政规范性文件清理，"
            "对失效、废止文件在原文页面作出标注并链接现行文件。"
        ),
        "overview_platform": (
            "政府网站集约化平台稳定运行，公开目录支持按分类、发布机构和年份浏览及导出；"
            "政务新媒体与网站同步发布重要信息。"
        ),
        "overview_supervision": (
            "将政府信息公开工作纳入年度绩效考核，开展业务培训2次；"
            "全年未发生因政府信息公开工作被追责的情况。"
        ),
        "problems": (
            "一是部分栏目信息更新不够及时；二是政策解读形式较为单一。\n"
            f"{YEAR + 1}年将建立栏目更新提醒机制，增加图解、视频等解读形式，进一步提升公开质量。"
        ),
        "other": (
            "本年度未收取信息处理费。\n"
            "落实《政府信息公开信息处理费管理办法》情况：无应收取信息处理费的情形。"
        ),
        "note_proactive": "",
        "note_requests": "",
        "note_review": "",
    }


ENTERED = {
    "示例市人民政府": {
        "licensing": 1286,
        "penalty": 342,
        "coercion": 17,
        "fees": "356.7240",
        "review_upheld": 2,
        "review_corrected": 0,
        "review_other": 1,
        "review_pending": 0,
        "direct_upheld": 1,
        "direct_corrected": 0,
        "direct_other": 0,
        "direct_pending": 1,
    },
    "示例市教育局": {
        "licensing": 214,
        "penalty": 6,
        "coercion": 0,
        "fees": "12.3456",
        "review_upheld": 1,
        "review_other": 0,
    },
    "示例市财政局": {"licensing": 0, "penalty": 0, "fees": "0.0000"},
}


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


def _officer(city: Organization):
    group, _ = Group.objects.get_or_create(name=GROUP_NAME)
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label__in=["annualreports", "wagtailadmin"],
            codename__in=["change_annualreport", "view_annualreport", "access_admin"],
        )
    )
    User = get_user_model()
    user = User.objects.filter(username=OFFICER).first()
    if user is None:
        from govportal.content.demo import DEMO_PASSWORD

        user = User(
            username=OFFICER,
            display_name="信息公开专员",
            first_name="信息公开专员",
            email=f"{OFFICER}@example.gov.cn",
            is_staff=True,
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
    user.groups.add(group)
    if not Membership.objects.filter(user=user).exists():
        Membership.objects.create(
            user=user, organization=city, is_primary=True, position="信息公开专员"
        )
    return user


def _report(organization, kind, user, texts, entered, publish_on, stdout):
    report = AnnualReport.objects.filter(organization=organization, year=YEAR, kind=kind).first()
    if report is not None:
        return None
    report = services.generate(organization, YEAR, kind, user)
    services.save_entries(report, entered=entered, texts=texts, user=user)
    if publish_on is None:
        return report
    try:
        services.publish(report, user, when=_at(publish_on))
    except ValidationError as exc:
        if stdout is not None:
            stdout.write(f"  年报未发布（{report.title}）：{'；'.join(exc.messages)}")
    return report


def build_demo_annual_reports(stdout=None) -> list[AnnualReport]:
    """Create (once) the 2025 demo reports; returns the reports made this time."""
    city = Organization.objects.filter(name="示例市人民政府", depth=1).first()
    if city is None:
        return []
    user = _officer(city)
    made = []
    units = {org.name: org for org in Organization.get_tree(city)}
    plan = [
        ("示例市人民政府", datetime.date(2026, 1, 23)),
        ("示例市教育局", datetime.date(2026, 1, 20)),
        ("示例市财政局", None),
    ]
    for name, publish_on in plan:
        org = units.get(name)
        if org is None:
            continue
        short = org.short_name or org.name
        report = _report(
            org, ReportKind.ORGANIZATION, user, _texts(org.name, short), ENTERED.get(name, {}),
            publish_on, stdout,
        )  # fmt: skip
        if report is not None:
            made.append(report)
    rollup = _report(
        city, ReportKind.ROLLUP, user, _texts(city.name, "示例市", rollup=True), {},
        datetime.date(2026, 3, 25), stdout,
    )  # fmt: skip
    if rollup is not None:
        made.append(rollup)
    if stdout is not None and made:
        stdout.write(
            f"  政府信息公开年报: {len(made)} 份（"
            + "、".join(f"{r.title}（{r.get_status_display()}）" for r in made)
            + f"）；登录 {OFFICER} 管理"
        )
    return made
