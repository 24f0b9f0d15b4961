"""Demo 依申请公开 (called by ``load_demo_data`` after the organisations and citizens).

Idempotent: does nothing when the demo requests exist. Builds the groups 依申请公开承办人 and
依申请公开负责人, the staff ``foi_handler`` (承办人) and ``foi_lead`` (负责人) — both members of
示例市人民政府, so they see its departments' and districts' requests too — and about 25
requests in every state through the real services, with dates relative to today for open
ones (so 超期/临近到期 stay true whenever the demo is loaded). Some belong to the demo
citizen 13800138000, so 我的办件 lists them.
"""

from datetime import date

from django.db import transaction
from django.utils import timezone

from govportal.citizens.models import Channel
from govportal.citizens.services import find_citizen
from govportal.core.workdays import add_workdays
from govportal.organizations.models import Organization

from .factories import make_request, make_staff, org_data, person_data
from .models import DisclosureRequest
from .services import resume_lapsed_consultations
from .taxonomy import AnswerType, ApplicantType, Outcome

DEMO_PASSWORD = "Demo@2026gov"  # noqa: S105 — the documented demo password
MARKER = "【演示】"

PEOPLE = [
    ("王建国", "110101199003071234"), ("刘芳", "11010519491231002X"),
    ("陈晓东", "110101198001010053"), ("杨丽", "110101199001011237"),
]  # fmt: skip


def _valid_id(index: int) -> str:
    from govportal.privacy.validators import validate_id_card

    number = PEOPLE[index % len(PEOPLE)][1]
    try:
        validate_id_card(number)
    except Exception:  # noqa: BLE001 — fall back to a known valid number
        return "11010519491231002X"
    return number


def _person(i: int, subject: str, description: str, **extra) -> dict:
    name = PEOPLE[i % len(PEOPLE)][0]
    return person_data(
        name=name, id_number=_valid_id(i), phone=f"1391234{5600 + i:04d}",
        email=f"applicant{i}@example.com", subject=MARKER + subject, description=description,
        **extra,
    )  # fmt: skip


def _org(i: int, kind, subject: str, description: str) -> dict:
    return org_data(kind=kind, subject=MARKER + subject, description=description,
                    phone=f"0999-8777{6600 + i:04d}")  # fmt: skip


@transaction.atomic
def build_demo_inforequests(stdout=None) -> list[DisclosureRequest]:
    if DisclosureRequest.objects.filter(subject__startswith=MARKER).exists():
        return list(DisclosureRequest.objects.filter(subject__startswith=MARKER))
    city = Organization.objects.filter(name="示例市人民政府").first()
    if city is None:
        return []
    orgs = {
        name: Organization.objects.get(name=name)
        for name in (
            "示例市人民政府",
            "示例市教育局",
            "示例市发展和改革委员会",
            "示例市青山区人民政府",
        )
        if Organization.objects.filter(name=name).exists()
    }
    edu = orgs.get("示例市教育局", city)
    ndrc = orgs.get("示例市发展和改革委员会", city)
    district = orgs.get("示例市青山区人民政府", city)
    handler = make_staff("foi_handler", city, password=DEMO_PASSWORD, display_name="信息公开承办人")
    lead = make_staff("foi_lead", city, lead=True, password=DEMO_PASSWORD,
                      display_name="信息公开负责人")  # fmt: skip
    for user in (handler, lead):
        user.first_name = user.display_name
        user.save(update_fields=["first_name"])
    citizen = find_citizen(Channel.SMS, "13800138000")
    today = timezone.localdate()
    ago = lambda n: add_workdays(today, -n)  # noqa: E731 — n working days before today
    built: list[tuple[str, DisclosureRequest]] = []

    def add(label, org, state, received_on, data, **kw):
        request_obj = make_request(org, state, actor=handler, lead=lead, received_on=received_on,
                                   data=data, **kw)  # fmt: skip
        built.append((label, request_obj))
        return request_obj

    add(
        "待登记（网上提交）",
        city,
        "submitted",
        None,
        _person(
            0, "2026年示例市民生实事项目完成情况", "请提供2026年民生实事项目的年度完成情况报告。"
        ),
        applicant=citizen,
    )
    add(
        "待登记（企业）",
        edu,
        "submitted",
        None,
        _org(
            1,
            ApplicantType.COMMERCIAL,
            "校园食堂配送招标文件",
            "请提供2026年中小学食堂食材配送服务招标文件。",
        ),
    )
    add(
        "办理中（按期）",
        city,
        "processing",
        ago(3),
        _person(2, "示例市2026年城市更新计划", "请提供2026年城市更新计划文件全文。"),
        applicant=citizen,
    )
    add(
        "办理中（按期，科研机构）",
        ndrc,
        "processing",
        ago(6),
        _org(
            3,
            ApplicantType.RESEARCH,
            "2025年重点项目投资统计",
            "请提供2025年市级重点项目投资完成情况统计表。",
        ),
    )
    add(
        "临近到期",
        edu,
        "processing",
        ago(18),
        _person(4, "示例一中扩建工程批复", "请提供示例一中扩建工程的立项批复及可研报告批复。"),
    )
    add(
        "临近到期（今日到期）",
        district,
        "processing",
        ago(20),
        _person(5, "青山区道路改造计划", "请提供青山区2026年道路改造计划。"),
    )
    add(
        "已超期",
        city,
        "processing",
        ago(24),
        _person(6, "2025年政府常务会议纪要目录", "请提供2025年市政府常务会议纪要的目录。"),
        applicant=citizen,
    )
    add(
        "已超期（法律服务机构）",
        district,
        "processing",
        ago(27),
        _org(7, ApplicantType.LEGAL_SERVICE, "征收补偿方案", "请提供青山区滨河片区征收补偿方案。"),
    )
    add(
        "待补正",
        edu,
        "clarifying",
        ago(4),
        _person(8, "学校有关文件", "请提供学校的有关文件。"),
        applicant=citizen,
    )
    add(
        "已补正并重新计时",
        city,
        "clarified",
        ago(12),
        _person(9, "会议纪要", "请提供有关会议纪要。"),
    )
    add(
        "征求第三方意见中",
        ndrc,
        "consulting",
        ago(6),
        _org(
            10,
            ApplicantType.COMMERCIAL,
            "某企业项目核准文件",
            "请提供示例市青松科技有限公司项目核准文件。",
        ),
    )
    add(
        "征求意见逾期（已恢复计时）",
        city,
        "lapsed",
        ago(26),
        _person(11, "某企业用地审批材料", "请提供某企业用地审批材料。"),
    )
    add(
        "延期待审批",
        edu,
        "extension_pending",
        ago(15),
        _org(
            12,
            ApplicantType.PUBLIC_INTEREST,
            "2025年教育经费使用情况",
            "请提供2025年各区教育经费使用情况。",
        ),
    )
    add(
        "已延期",
        district,
        "extended",
        ago(22),
        _person(13, "2020—2025年低保发放情况", "请提供2020年至2025年低保资金发放情况。"),
        applicant=citizen,
    )

    answered = [
        (AnswerType.ALREADY_PUBLIC, Outcome.PUBLIC, city, "2025年财政预算报告"),
        (AnswerType.DISCLOSED, Outcome.PUBLIC, edu, "2025年义务教育招生计划"),
        (AnswerType.DISCLOSED, Outcome.PARTIAL, ndrc, "2025年价格监测报告"),
        (AnswerType.WITHHELD, Outcome.WITHHELD_THIRD_PARTY, ndrc, "某企业投标文件"),
        (AnswerType.WITHHELD, Outcome.WITHHELD_PROCESS, city, "常务会议讨论稿"),
        (AnswerType.NOT_EXIST, Outcome.UNABLE_NOT_HELD, district, "2015年村级财务账目"),
        (AnswerType.NOT_THIS_AGENCY, Outcome.UNABLE_NOT_HELD, edu, "商品房预售许可资料"),
        (AnswerType.REPEAT, Outcome.NOT_PROCESSED_REPEAT, city, "2025年财政预算报告（重复）"),
        (AnswerType.SPECIAL_REGISTER, Outcome.OTHER, district, "不动产登记簿信息"),
        (AnswerType.OTHER, Outcome.NOT_PROCESSED_PETITION, city, "投诉某小区物业问题"),
    ]
    kinds = [ApplicantType.NATURAL, ApplicantType.COMMERCIAL, ApplicantType.OTHER_ORG]
    for index, (answer_type, outcome, org, subject) in enumerate(answered):
        received = (
            date(2025, 3 + index % 9, 3 + index) if index % 2 else add_workdays(today, -40 - index)
        )
        kind = kinds[index % 3]
        data = (
            _person(20 + index, subject, f"请提供{subject}。")
            if kind == ApplicantType.NATURAL
            else _org(20 + index, kind, subject, f"请提供{subject}。")
        )
        add(f"已答复：{AnswerType(answer_type).label.split('（')[0]}", org, "answered", received, data,
            answer_type=answer_type, outcome=outcome,
            applicant=citizen if index in (0, 2) else None)  # fmt: skip
    add(
        "已撤回",
        edu,
        "withdrawn",
        date(2025, 11, 3),
        _person(31, "2025年校外培训机构名单", "请提供2025年校外培训机构名单。"),
    )

    resume_lapsed_consultations(today)
    if stdout is not None:
        stdout.write(
            f"  依申请公开: {len(built)} requests; staff foi_handler (承办人), foi_lead (负责人)"
        )
        for label, request_obj in built:
            stdout.write(
                f"    {request_obj.tracking_code} {label}（{request_obj.organization.name}）"
            )
    return [r for _, r in built]
