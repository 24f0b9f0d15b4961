"""Factories for 来信办理 (tests and the demo): groups and staff, a mailbox, letters in a state.

``make_letter(mailbox, state, staff=…, on=…)`` runs the real service functions, so clocks,
events and audit records are what the workflow would have produced.
"""

from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

from govportal.core.workdays import add_workdays
from govportal.organizations.models import Membership

from . import services
from .models import LetterCategory, MailboxPage
from .taxonomy import Satisfaction

DISPATCH_GROUP = "来信受理派单员"
HANDLE_GROUP = "来信承办人"
APPROVE_GROUP = "来信答复审核人"
SUPERVISE_GROUP = "来信督办员"

ROLE_GROUPS = {
    "dispatch": (DISPATCH_GROUP, ["dispatch_letter"]),
    "handle": (HANDLE_GROUP, ["handle_letter"]),
    "approve": (APPROVE_GROUP, ["approve_letter_reply"]),
    "supervise": (SUPERVISE_GROUP, ["supervise_letter"]),
}


def ensure_groups() -> dict[str, Group]:
    admin = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    groups = {}
    for role, (name, codenames) in ROLE_GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        perms = Permission.objects.filter(
            content_type__app_label="interaction", codename__in=codenames
        )
        group.permissions.add(admin, *perms)
        groups[role] = group
    return groups


def make_staff(username, organization, *roles, password="Gov!portal-2026x", **extra):  # noqa: S107
    """A staff account in ``organization`` holding the letter ``roles``."""
    groups = ensure_groups()
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
    user.groups.add(*(groups[r] for r in roles))
    Membership.objects.get_or_create(
        user=user, organization=organization, defaults={"is_primary": True}
    )
    return User.objects.get(pk=user.pk)  # fresh permission cache


def make_mailbox(channel, title, kind, *, slug, units=(), categories=(), **fields) -> MailboxPage:
    """A mailbox under ``channel``; ``categories`` are (name, lead, assists[, workdays])."""
    page = MailboxPage.objects.filter(path__startswith=channel.path, slug=slug).first()
    if page is not None:
        return page
    fields.setdefault("show_in_menus", True)
    page = MailboxPage(title=title, slug=slug, kind=kind, **fields)
    channel.add_child(instance=page)
    page.save_revision().publish()
    page = MailboxPage.objects.get(pk=page.pk)
    page.handling_units.set(units)
    page.save()
    for i, spec in enumerate(categories):
        name, lead, assists, *rest = (*spec, None) if len(spec) == 3 else spec
        category = LetterCategory.objects.create(page=page, name=name, lead_unit=lead,
                                                 answer_workdays=rest[0] if rest else None,
                                                 sort_order=i)  # fmt: skip
        category.assist_units.set(assists)
        category.assist_units.commit()  # a ParentalManyToManyField outside a cluster save
    return page


def letter_data(**overrides) -> dict:
    data = {
        "title": "幸福小区门口路灯不亮",
        "body": "幸福小区东门口的路灯已经坏了一个多月，晚上出行很不方便，请尽快维修。",
        "name": "张三",
        "phone": "13812345678",
        "email": "zhangsan@example.com",
        "address": "示例市青山区幸福路 1 号",
        "wants_public": True,
    }
    data.update(overrides)
    return data


@dataclass
class Staff:
    dispatcher: object
    handler: object
    approver: object
    assist_handler: object | None = None


STATES = (
    "submitted", "rejected", "accepted", "dispatched", "signed", "return_requested",
    "returned", "reviewing", "sent_back", "answered", "closed", "reopened", "merged",
)  # fmt: skip


def make_letter(mailbox, state="submitted", *, staff: Staff, on: date | None = None,
                data=None, writer=None, category=None, lead=None, assists=(),
                public=None, satisfaction=Satisfaction.SATISFIED, into=None):  # fmt: skip
    """A letter in ``state`` (see :data:`STATES`), accepted on ``on`` (default today);
    later steps happen on following working days, never after today."""
    from django.utils import timezone

    today = timezone.localdate()
    on = on or today
    category = category or mailbox.categories.first()
    letter = services.submit(mailbox, letter_data(**(data or {})), user=writer, category=category)
    if on != today:
        letter.submitted_at = services._at(on)
        letter.save(update_fields=["submitted_at"])
        letter.events.update(at=letter.submitted_at)
    if state == "submitted":
        return letter
    if state == "rejected":
        services.reject(letter, "来信内容不属于本信箱受理范围，请向有关部门反映。",
                        actor=staff.dispatcher, on=on)  # fmt: skip
        return _fresh(letter)
    if state == "merged":
        if into is None:
            into = services.submit(
                mailbox, letter_data(title="另一件同样的来信"), category=category
            )
        services.merge(letter, into, actor=staff.dispatcher, note="同一事项")
        return _fresh(letter)
    services.accept(letter, actor=staff.dispatcher, on=on)
    if state == "accepted":
        return _fresh(letter)

    def day(n):
        return min(add_workdays(on, n), today)

    default_lead, default_assists = services.default_units(letter)
    services.dispatch(letter, lead=lead or default_lead, assists=assists or default_assists,
                      actor=staff.dispatcher, on=day(1))  # fmt: skip
    if state == "dispatched":
        return _fresh(letter)
    lead_assignment = services.lead_assignment(letter)
    if state in ("return_requested", "returned"):
        services.request_return(lead_assignment, "该事项不属于本单位职责，建议转交属地街道办理。",
                                actor=staff.handler)  # fmt: skip
        if state == "returned":
            services.decide_return(lead_assignment, approve=True, actor=staff.dispatcher)
        return _fresh(letter)
    services.sign(lead_assignment, actor=staff.handler, on=day(1))
    if staff.assist_handler is not None:
        for assignment in services.active_assignments(letter).filter(role="assist"):
            if services.is_unit_staff(staff.assist_handler, assignment):
                services.sign(assignment, actor=staff.assist_handler, on=day(1))
                services.give_opinion(assignment, "已核实现场情况，同意主办单位处理意见。",
                                      actor=staff.assist_handler)  # fmt: skip
    if state == "signed":
        return _fresh(letter)
    reply = services.draft_reply(
        letter,
        "您反映的问题已转交相关部门处理，已于近日完成维修，感谢您的监督。",
        actor=staff.handler,
    )
    services.submit_reply(reply, actor=staff.handler, on=day(3))
    if state == "reviewing":
        return _fresh(letter)
    if state == "sent_back":
        services.send_back_reply(reply, "请补充维修完成的具体时间。", actor=staff.approver)
        return _fresh(letter)
    services.approve_reply(reply, actor=staff.approver, public=public, on=day(4))
    letter = _fresh(letter)
    if state == "answered":
        return letter
    if state == "closed":
        services.rate(letter, satisfaction, "处理及时。" if satisfaction != "dissatisfied" else
                      "问题没有解决。", user=writer, on=day(5))  # fmt: skip
        return _fresh(letter)
    if state == "reopened":
        services.reopen(letter, "路灯修好两天后又不亮了。", user=writer, on=day(5))
        return _fresh(letter)
    raise ValueError(state)


def _fresh(letter):
    return type(letter).objects.select_related("clock").get(pk=letter.pk)


def make_dated_letter(mailbox, *, staff: Staff, submitted_at, accepted_on: date | None = None,
                      dispatched: bool = True, answered_on: date | None = None,
                      rated_on: date | None = None, satisfaction=Satisfaction.SATISFIED,
                      rejected: bool = False, merged_into=None, writer=None, category=None,
                      lead=None, data=None):  # fmt: skip
    """A letter with an explicit history (for statistics): submitted at ``submitted_at`` (an
    aware datetime), then rejected, merged, or accepted on ``accepted_on`` and dispatched
    (the same day), answered on ``answered_on`` and rated on ``rated_on`` (by ``writer``),
    each through the real services."""
    category = category or mailbox.categories.first()
    letter = services.submit(mailbox, letter_data(**(data or {})), user=writer, category=category)
    letter.submitted_at = submitted_at
    letter.save(update_fields=["submitted_at"])
    letter.events.update(at=submitted_at)
    if rejected:
        services.reject(letter, "不属于本信箱受理范围。", actor=staff.dispatcher)
        return _fresh(letter)
    if merged_into is not None:
        if accepted_on is not None:
            services.accept(letter, actor=staff.dispatcher, on=accepted_on)
        services.merge(letter, merged_into, actor=staff.dispatcher)
        return _fresh(letter)
    if accepted_on is None:
        return letter
    services.accept(letter, actor=staff.dispatcher, on=accepted_on)
    if not dispatched:
        return _fresh(letter)
    default_lead, _assists = services.default_units(letter)
    services.dispatch(letter, lead=lead or default_lead, actor=staff.dispatcher, on=accepted_on)
    if answered_on is None:
        return _fresh(letter)
    assignment = services.lead_assignment(letter)
    services.sign(assignment, actor=staff.handler, on=accepted_on)
    reply = services.draft_reply(
        letter, "您反映的问题已办理完毕，感谢您的监督。", actor=staff.handler
    )
    services.submit_reply(reply, actor=staff.handler, on=answered_on)
    services.approve_reply(reply, actor=staff.approver, on=answered_on)
    if rated_on is not None:
        services.rate(_fresh(letter), satisfaction, user=writer, on=rated_on)
    return _fresh(letter)
