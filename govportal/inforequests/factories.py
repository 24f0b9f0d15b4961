"""Factories for 依申请公开 (tests and the demo): applicant data, staff, requests in a state.

``make_request(org, state, received_on=…, actor=…)`` runs the real service functions, so
clocks, events and audit records are what the workflow would have produced.
"""

from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

from govportal.core.workdays import add_workdays
from govportal.organizations.models import Membership

from . import services
from .models import Consultation
from .taxonomy import AnswerType, ApplicantType, Delivery, IdType, Outcome, ReceivedVia

HANDLER_GROUP = "依申请公开承办人"
LEAD_GROUP = "依申请公开负责人"

# Valid fictional identifiers (GB 11643 / GB 32100 check characters).
ID_CARD = "11010519491231002X"
CREDIT_CODE = "91350100M000100Y43"


def person_data(**overrides) -> dict:
    data = {
        "applicant_type": ApplicantType.NATURAL,
        "name": "李四光",
        "id_type": IdType.ID_CARD,
        "id_number": ID_CARD,
        "phone": "13912345678",
        "email": "lisi@example.com",
        "address": "示例市青山区文化路 8 号",
        "postcode": "990102",
        "subject": "2025年示例市老旧小区改造项目清单",
        "description": "请提供2025年度老旧小区改造项目清单及资金安排文件。",
        "purpose": "了解所在小区改造计划",
        "delivery": Delivery.ONLINE,
    }
    data.update(overrides)
    return data


def org_data(kind=ApplicantType.COMMERCIAL, **overrides) -> dict:
    data = person_data(
        applicant_type=kind,
        name="示例市青松科技有限公司",
        id_type=IdType.CREDIT_CODE,
        id_number=CREDIT_CODE,
        legal_representative="王青松",
        contact_name="赵联络",
        phone="0999-88886666",
        subject="2025年政府采购项目中标结果",
        description="请提供2025年市级政府采购软件类项目的中标结果公告。",
    )
    data.update(overrides)
    return data


def ensure_groups() -> tuple[Group, Group]:
    """承办人 (handle + admin access) and 负责人 (handle + approve + admin access)."""
    handle = Permission.objects.get(
        content_type__app_label="inforequests", codename="handle_disclosurerequest"
    )
    approve = Permission.objects.get(
        content_type__app_label="inforequests", codename="approve_disclosurerequest_extension"
    )
    admin = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    handlers, _ = Group.objects.get_or_create(name=HANDLER_GROUP)
    handlers.permissions.add(handle, admin)
    leads, _ = Group.objects.get_or_create(name=LEAD_GROUP)
    leads.permissions.add(handle, approve, admin)
    return handlers, leads


def make_staff(username, organization, *, lead=False, password="Gov!portal-2026x", **extra):  # noqa: S107
    handlers, leads = ensure_groups()
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(
            username=username,
            email=f"{username}@example.gov.cn",
            is_staff=True,
            display_name=extra.pop("display_name", username),
            last_name="演示",
            **extra,
        )
        user.set_password(password)
        user.save()
    user.groups.add(leads if lead else handlers)
    Membership.objects.get_or_create(
        user=user, organization=organization, defaults={"is_primary": True}
    )
    return get_user_model().objects.get(pk=user.pk)  # fresh permission cache


def make_request(
    organization,
    state: str = "processing",
    *,
    actor,
    received_on: date | None = None,
    data: dict | None = None,
    applicant=None,
    lead=None,
    answer_type: str = AnswerType.DISCLOSED,
    outcome: str = Outcome.PUBLIC,
    site=None,
):
    """A request in ``state`` (``submitted``, ``processing``, ``clarifying``, ``clarified``,
    ``consulting``, ``lapsed``, ``extension_pending``, ``extended``, ``answered``,
    ``withdrawn``), going through the services with dates from ``received_on``."""
    data = data or person_data()
    if state == "submitted":
        return services.submit_online(organization, data, user=applicant, site=site)
    received_on = received_on or date.today()
    if applicant is not None or site is not None:
        request_obj = services.submit_online(organization, data, user=applicant, site=site)
        request_obj.submitted_at = services._at(received_on)
        request_obj.save(update_fields=["submitted_at"])
        services.confirm(request_obj, on=received_on, actor=actor)
    else:
        request_obj = services.register(
            organization, data, received_via=ReceivedVia.LETTER, received_on=received_on,
            actor=actor,
        )  # fmt: skip
    day = lambda n: add_workdays(received_on, n)  # noqa: E731
    if state == "clarifying":
        services.clarify(request_obj, "请写明所需文件的年份和文号。", on=day(2), actor=actor)
    elif state == "clarified":
        services.clarify(request_obj, "请写明所需文件的年份和文号。", on=day(2), actor=actor)
        services.record_clarification(
            request_obj, "2025年，示政办发〔2025〕12号。", on=day(5), actor=actor
        )
    elif state in ("consulting", "lapsed"):
        services.consult(
            request_obj, party_kind=Consultation.PartyKind.THIRD_PARTY,
            party="示例市青松科技有限公司", on=day(3), actor=actor,
        )  # fmt: skip
    elif state in ("extension_pending", "extended"):
        extension = services.request_extension(
            request_obj, days=15, reason="申请内容涉及多个年度档案，需要调档查阅", actor=actor
        )
        if state == "extended":
            services.decide_extension(extension, approve=True, note="同意", actor=lead, on=day(15))
    elif state == "answered":
        kwargs = answer_kwargs(answer_type, outcome)
        services.answer(request_obj, on=day(10), actor=actor, **kwargs)
    elif state == "withdrawn":
        services.withdraw(request_obj, on=day(4), actor=actor, by_applicant=False)
    request_obj.refresh_from_db()
    return request_obj


def answer_kwargs(answer_type, outcome) -> dict:
    kwargs = {"answer_type": answer_type, "outcome": outcome, "text": ""}
    if answer_type == AnswerType.ALREADY_PUBLIC:
        kwargs["public_location"] = "示例市人民政府门户网站“政府信息公开”栏目（2025年第3期公报）"
    if answer_type == AnswerType.NOT_THIS_AGENCY:
        kwargs["referral_agency"] = "示例市住房和城乡建设局"
    if answer_type == AnswerType.DISCLOSED:
        kwargs["text"] = (
            "所需信息已随本答复书以电子邮件发送，亦可于工作日到政务服务中心3号窗口领取。"
        )
    return kwargs
