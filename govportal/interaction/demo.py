"""Demo 来信办理 (called by ``load_demo_data`` after the sites, organisations and citizens).

Idempotent: does nothing when the demo mailboxes already hold letters. On the portal's
互动交流 channel it builds 领导信箱 → 市长信箱 (10 working days; categories 城市管理, 交通出行,
教育, 社会保障 with the dispatch catalogue's units) and 咨询投诉 → 咨询 (3) and 投诉举报 (15);
on the 示例市教育局 site a 互动交流 channel with a 局长信箱. Letters in every state go through
the real services with dates relative to today, so 超期/临近到期 stay true whenever it is
loaded; the daily job then adds the automatic 督办 and the hard alarm.

Staff (password ``Demo@2026gov``): ``letter_dispatcher`` (受理派单, 示例市人民政府),
``letter_handler`` (承办, 示例市教育局), ``letter_approver`` (审核答复, 示例市教育局),
``letter_supervisor`` (督办, 示例市人民政府); helpers ``letter_handler_qs`` /
``letter_approver_qs`` of 示例市青山区人民政府 move the 城市管理 letters.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from wagtail.models import Site

from govportal.citizens.models import Channel
from govportal.citizens.services import find_citizen
from govportal.content.factories import ChannelPageFactory
from govportal.content.models import ChannelPage, ColumnType
from govportal.core.workdays import add_workdays
from govportal.organizations.models import Organization, SiteOrganization

from . import reminders
from .factories import Staff, make_letter, make_mailbox, make_staff
from .models import Letter
from .taxonomy import MailboxKind, Satisfaction

DEMO_PASSWORD = "Demo@2026gov"  # noqa: S105 — the documented demo password


def _org(name):
    return Organization.objects.filter(name=name).first()


def _site_home(org_name):
    link = (
        SiteOrganization.objects.filter(organization__name=org_name)
        .select_related("site__root_page")
        .first()
    )
    if link is not None:
        return link.site.root_page
    site = Site.objects.filter(site_name=org_name).first()
    return site.root_page if site else None


def _channel(parent, title, slug):
    page = ChannelPage.objects.child_of(parent).filter(slug=slug).first()
    if page is not None:
        return page
    return ChannelPageFactory(parent=parent, title=title, slug=slug,
                              column_type=ColumnType.INTERACTION, show_on_home=False,
                              description=f"{title}：写信反映问题、咨询和投诉举报。")  # fmt: skip


def build_mailboxes():
    city, edu = _org("示例市人民政府"), _org("示例市教育局")
    home = _site_home("示例市人民政府")
    if city is None or home is None:
        return None
    interaction = ChannelPage.objects.descendant_of(home).filter(slug="interaction").first()
    if interaction is None:
        interaction = _channel(home, "互动交流", "interaction")
    leaders = _channel(interaction, "领导信箱", "leaders")
    consult = _channel(interaction, "咨询投诉", "consult")
    qingshan = _org("示例市青山区人民政府") or city
    units = {
        "城市管理": (qingshan, [u for u in [_org("滨河街道办事处")] if u]),
        "交通出行": (_org("示例市发展和改革委员会") or city, []),
        "教育": (edu or city, [u for u in [_org("青山区教育局")] if u]),
        "社会保障": (_org("示例市人力资源和社会保障局") or city,
                     [u for u in [_org("青山区民政局")] if u]),
    }  # fmt: skip
    intro = (
        "<p>市长信箱受理群众对本市经济社会发展的意见建议和反映的问题，答复时限为 10 个工作日。</p>"
    )
    mayor = make_mailbox(leaders, "市长信箱", MailboxKind.MAYOR, slug="mayor", units=[city],
                         categories=[(n, lead, assists) for n, (lead, assists) in units.items()],
                         intro=intro)  # fmt: skip
    consultation = make_mailbox(consult, "咨询", MailboxKind.CONSULTATION, slug="consultation",
                                units=[city], categories=[("政策咨询", edu or city, [])])  # fmt: skip
    complaint = make_mailbox(consult, "投诉举报", MailboxKind.COMPLAINT, slug="complaint",
                             units=[city], categories=[("投诉", qingshan, [])])  # fmt: skip
    head = None
    edu_home = _site_home("示例市教育局")
    if edu_home is not None and edu is not None:
        edu_channel = ChannelPage.objects.descendant_of(edu_home).filter(slug="interaction").first()
        edu_channel = edu_channel or _channel(edu_home, "互动交流", "interaction")
        head = make_mailbox(edu_channel, "局长信箱", MailboxKind.HEAD, slug="head", units=[edu],
                            categories=[("招生入学", edu, []), ("校园安全", edu, [])])  # fmt: skip
    # 按位置受理: street and traffic problems come with a map location and through Open311.
    mayor.categories.filter(name__in=["城市管理", "交通出行"]).update(location_based=True)
    return {"mayor": mayor, "consultation": consultation, "complaint": complaint, "head": head,
            "city": city, "edu": edu or city, "qingshan": qingshan}  # fmt: skip


@transaction.atomic
def build_demo_letters(stdout=None) -> list[Letter]:
    built = build_mailboxes()
    if built is None:
        return []
    boxes = [
        b for b in (built["mayor"], built["consultation"], built["complaint"], built["head"]) if b
    ]
    existing = Letter.objects.filter(mailbox__in=boxes)
    if existing.exists():
        return list(existing)
    city, edu, qingshan = built["city"], built["edu"], built["qingshan"]
    mk = lambda name, org, *roles, **kw: make_staff(name, org, *roles, password=DEMO_PASSWORD, **kw)  # noqa: E731
    dispatcher = mk("letter_dispatcher", city, "dispatch", display_name="来信受理员")
    handler = mk("letter_handler", edu, "handle", display_name="教育局来信承办人")
    approver = mk("letter_approver", edu, "approve", display_name="教育局答复审核人")
    mk("letter_supervisor", city, "supervise", display_name="市政府督办员")
    qs_handler = mk("letter_handler_qs", qingshan, "handle", display_name="青山区来信承办人")
    qs_approver = mk("letter_approver_qs", qingshan, "approve", display_name="青山区答复审核人")
    edu_head = mk("letter_dispatcher_edu", edu, "dispatch", display_name="教育局来信受理员")
    assist_unit = _org("青山区教育局")
    assist = (
        mk("letter_handler_qsedu", assist_unit, "handle", display_name="青山区教育局承办人")
        if assist_unit
        else None
    )
    edu_staff = Staff(dispatcher, handler, approver, assist)
    qs_staff = Staff(dispatcher, qs_handler, qs_approver)
    citizen = find_citizen(Channel.SMS, "13800138000")
    mayor = built["mayor"]
    cats = {c.name: c for c in mayor.categories.all()}
    today = timezone.localdate()
    back = lambda n: add_workdays(today, -n)  # noqa: E731
    # Accepted so that a period of ``days`` ends ``n`` working days from today.
    due_in = lambda n, days=10: add_workdays(add_workdays(today, n), -days)  # noqa: E731
    letters = []

    def add(state, box=mayor, staff=edu_staff, cat="教育", **kw):
        category = cats.get(cat) if box == mayor else box.categories.first()
        letter = make_letter(box, state, staff=staff, category=category, **kw)
        letters.append(letter)
        return letter

    light = {
        "title": "幸福小区东门口路灯不亮",
        "body": "幸福小区东门口的路灯已经坏了一个多月，晚上出行很不方便，请尽快维修。",
    }
    first = add("submitted", cat="城市管理", staff=qs_staff, data=light)
    add("submitted", cat="城市管理", staff=qs_staff, data={
        "title": "幸福小区门口路灯坏了", "name": "李四", "phone": "13700001111",
        "body": "幸福小区东门口路灯坏了一个多月了，晚上出行不方便，请尽快维修。"})  # fmt: skip
    add("merged", cat="城市管理", staff=qs_staff, into=first, data={
        "title": "反映幸福小区路灯不亮", "name": "王五", "phone": "13600002222",
        "body": "幸福小区东门口的路灯坏了一个多月，晚上出行很不方便，希望尽快维修。"})  # fmt: skip
    add(
        "rejected",
        cat="交通出行",
        data={"title": "咨询某商场促销活动", "body": "请问某商场本周末促销活动几点开始？"},
    )
    add("accepted", cat="交通出行", on=back(1), data={
        "title": "建议增加301路公交车早高峰班次", "body": "301路公交车早高峰非常拥挤，建议增加班次。"})  # fmt: skip
    add("dispatched", on=back(1), data={
        "title": "咨询小学课后服务收费标准", "body": "请问今年小学课后服务怎么收费？是否可以自愿参加？"})  # fmt: skip
    add("return_requested", cat="城市管理", staff=qs_staff, on=back(2), data={
        "title": "滨河路占道经营问题", "body": "滨河路菜市场门口长期占道经营，影响通行。"})  # fmt: skip
    add("reviewing", on=due_in(1), writer=citizen, data={
        "title": "学区划分何时公布", "body": "请问2026年小学学区划分什么时候公布？", "name": "张三", "phone": "13800138000"})  # fmt: skip
    add("answered", on=back(9), writer=citizen, public=True, data={
        "title": "新生入学需要准备哪些材料", "body": "孩子今年上小学，需要准备哪些入学材料？", "name": "张三", "phone": "13800138000"})  # fmt: skip
    add("answered", on=back(8), public=False, data={
        "title": "反映某校食堂卫生问题", "body": "孩子所在学校食堂卫生较差，希望有关部门检查。", "wants_public": False})  # fmt: skip
    add("closed", on=back(12), writer=citizen, satisfaction=Satisfaction.SATISFIED, data={
        "title": "建议延长图书馆开放时间", "body": "建议市图书馆周末延长开放时间到晚上九点。", "name": "张三", "phone": "13800138000"})  # fmt: skip
    add("closed", on=back(12), writer=citizen, satisfaction=Satisfaction.DISSATISFIED, data={
        "title": "校门口交通拥堵问题", "body": "第一实验小学校门口上下学时段交通拥堵严重。", "name": "张三", "phone": "13800138000"})  # fmt: skip
    add("reopened", on=back(9), writer=citizen, data={
        "title": "小区旁学校施工噪音扰民", "body": "学校扩建工地夜间施工，噪音很大。", "name": "张三", "phone": "13800138000"})  # fmt: skip
    add("signed", on=back(15), data={
        "title": "幼儿园收费是否合理", "body": "某民办幼儿园今年大幅提高收费，是否经过审批？"})  # fmt: skip
    add("signed", on=today - timedelta(days=62), data={
        "title": "多次反映学校周边黑车问题仍未解决", "body": "学校周边长期有黑车拉客，存在安全隐患。"})  # fmt: skip
    add("dispatched", box=built["consultation"], on=back(1), data={
        "title": "咨询教师资格证认定时间", "body": "今年教师资格证认定什么时候开始？"})  # fmt: skip
    add("submitted", box=built["complaint"], data={
        "title": "投诉某培训机构退费难", "body": "某培训机构停业后一直不退学费。", "phone": "13500003333"})  # fmt: skip
    if built["head"] is not None:
        head_staff = Staff(edu_head, handler, approver)
        add("submitted", box=built["head"], staff=head_staff, writer=citizen, data={
            "title": "建议增加课后托管名额", "body": "学校课后托管名额不够，建议增加。", "name": "张三", "phone": "13800138000"})  # fmt: skip
        add("answered", box=built["head"], staff=head_staff, on=back(6), public=True, data={
            "title": "中考体育考试项目咨询", "body": "请问今年中考体育考哪些项目？"})  # fmt: skip
    build_demo_open311_client()
    # The daily job: automatic 督办 of overdue letters and the hard alarm.
    result = reminders.send_reminders(today)
    if stdout is not None:
        stdout.write(
            f"  来信办理: {len(letters)} letters in 4 mailboxes (自动督办 {result['supervised']}, "
            f"告警 {result['hard_alarm']}); staff letter_dispatcher, letter_handler, "
            f"letter_approver, letter_supervisor (password {DEMO_PASSWORD}) at /admin/letters/"
        )
    return [Letter.objects.get(pk=x.pk) for x in letters]


#: The demo's Open311 key (embedded demo only, like the demo passwords; real keys are issued
#: under 设置 → Open311 接入 and shown once).
DEMO_OPEN311_KEY = "o311_demo-suishoupai-2026"


def build_demo_open311_client():
    from .models import Open311Client

    if not Open311Client.objects.filter(name="演示：城市随手拍").exists():
        Open311Client.objects.create(
            name="演示：城市随手拍",
            key_prefix=DEMO_OPEN311_KEY[:12],
            key_hash=Open311Client.digest(DEMO_OPEN311_KEY),
        )
