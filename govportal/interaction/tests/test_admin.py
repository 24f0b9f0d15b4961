"""Over HTTP in the admin, as each kind of person: the queues, the letter page (writer
masked or revealed), each step's page and POST, refusals that keep what was typed."""

from django.urls import reverse

import pytest

from govportal.interaction import services
from govportal.interaction.factories import make_letter
from govportal.interaction.models import Letter
from govportal.interaction.taxonomy import AssignmentRole, Status

LIST = "interaction_admin:list"


def _letter(world, state, **kw):
    return make_letter(world.mailbox, state, staff=world.staff, writer=world.citizen, **kw)


def _get(client, user, url):
    if user is not None:
        client.force_login(user)
    return client.get(url)


@pytest.mark.parametrize(
    ("who", "list_status", "detail_status"),
    [
        ("dispatcher", 200, 200),
        ("handler", 200, 200),
        ("approver", 200, 200),
        ("assist", 200, 200),
        ("supervisor", 200, 404),  # not supervised yet
        ("outsider", 200, 404),  # every role, but in another unit
        ("citizen", 302, 302),  # no admin access: Wagtail sends to login
        (None, 302, 302),
    ],
)
def test_who_sees_the_list_and_a_dispatched_letter(world, client, who, list_status, detail_status):
    letter = _letter(world, "dispatched")
    user = getattr(world, who) if who else None
    assert _get(client, user, reverse(LIST)).status_code == list_status
    assert (
        client.get(reverse("interaction_admin:detail", args=(letter.pk,))).status_code
        == detail_status
    )


def test_three_admin_roles_get_nothing(world, client):
    from django.contrib.auth.models import Group

    from govportal.conftest import make_user

    letter = _letter(world, "dispatched")
    for name in ("系统管理员", "安全管理员"):
        group = Group.objects.filter(name=name).first()
        if group is None:
            continue
        user = make_user(f"sanyuan_{len(name)}{name[:1]}", group, is_staff=True)
        client.force_login(user)
        assert client.get(reverse(LIST)).status_code in (302, 403)
        assert client.get(reverse("interaction_admin:detail", args=(letter.pk,))).status_code in (
            302,
            403,
            404,
        )


def test_list_masks_the_writer_and_shows_deadline_text(world, client):
    letter = _letter(world, "submitted")
    client.force_login(world.dispatcher)
    page = client.get(reverse(LIST)).content.decode()
    assert letter.tracking_code in page and "张*" in page and "张三" not in page
    assert "待受理（1）" in page and "未受理" in page
    # Filters: status and tracking code; another mailbox's code finds nothing.
    page = client.get(reverse(LIST), {"queue": "all", "status": "rejected"}).content.decode()
    assert letter.tracking_code not in page and "没有符合条件的来信" in page
    page = client.get(
        reverse(LIST), {"queue": "all", "q": letter.tracking_code[-6:]}
    ).content.decode()
    assert letter.tracking_code in page


def test_overdue_filter_and_menu_count(world, client):
    from datetime import timedelta

    from django.utils import timezone

    late = _letter(world, "signed", on=timezone.localdate() - timedelta(days=30))
    fresh = _letter(world, "signed")
    client.force_login(world.handler)
    page = client.get(reverse(LIST), {"queue": "all", "flag": "overdue"}).content.decode()
    assert late.tracking_code in page and fresh.tracking_code not in page
    assert "超期" in page
    assert services.attention_count(world.handler) == 2
    admin_home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert (
        "来信办理（2）" in admin_home
        or "来信办理（2）".encode("unicode_escape").decode() in admin_home
    )


def test_detail_reveals_the_writer_only_to_staff_holding_it(world, client):
    letter = _letter(world, "dispatched")
    client.force_login(world.handler)
    page = client.get(reverse("interaction_admin:detail", args=(letter.pk,))).content.decode()
    assert "13812345678" in page and "张三" in page
    client.force_login(world.approver)  # no handle permission: masked
    page = client.get(reverse("interaction_admin:detail", args=(letter.pk,))).content.decode()
    assert "13812345678" not in page and "138****5678" in page


def test_dispatcher_accepts_and_dispatches_over_http(world, client):
    letter = _letter(world, "submitted")
    client.force_login(world.dispatcher)
    detail = reverse("interaction_admin:detail", args=(letter.pk,))
    page = client.get(detail).content.decode()
    assert "受理" in page and "签收" not in page
    url = reverse("interaction_admin:accept", args=(letter.pk,))
    cat = world.mailbox.categories.get(name="教育")
    response = client.post(url, {"on": "2000-01-01", "category": cat.pk})
    assert response.status_code == 200 and "不能早于来信日期" in response.content.decode()
    from django.utils import timezone

    response = client.post(url, {"on": timezone.localdate().isoformat(), "category": cat.pk})
    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.status == Status.ACCEPTED
    page = client.get(reverse("interaction_admin:dispatch", args=(letter.pk,))).content.decode()
    assert f'value="{world.edu.pk}" selected' in page  # default from the catalogue
    response = client.post(reverse("interaction_admin:dispatch", args=(letter.pk,)),
                           {"lead": world.edu.pk, "assists": [world.roads.pk], "note": ""})  # fmt: skip
    assert response.status_code == 302
    assert Letter.objects.get(pk=letter.pk).status == Status.DISPATCHED


def test_handler_cannot_accept_and_outsider_cannot_post(world, client):
    letter = _letter(world, "submitted")
    client.force_login(world.handler)
    response = client.post(reverse("interaction_admin:accept", args=(letter.pk,)), {"on": ""})
    assert response.status_code == 404  # not visible to the unit before dispatch
    client.force_login(world.outsider)
    response = client.post(reverse("interaction_admin:reject", args=(letter.pk,)), {"reason": "x"})
    assert response.status_code == 404
    assert Letter.objects.get(pk=letter.pk).status == Status.SUBMITTED


def test_reply_draft_submit_and_review_by_another_person(world, client):
    letter = _letter(world, "signed")
    client.force_login(world.handler)
    url = reverse("interaction_admin:reply", args=(letter.pk,))
    response = client.post(url, {"body": "  ", "submit": "1"})
    assert response.status_code == 200  # required field, nothing saved
    response = client.post(url, {"body": "您好，路灯已修复。", "save": "1"})
    assert response.status_code == 302
    assert "您好，路灯已修复。" in client.get(url).content.decode()  # draft kept
    client.post(url, {"body": "您好，路灯已于3月5日修复。", "submit": "1"})
    letter.refresh_from_db()
    assert letter.status == Status.REVIEWING
    reply = letter.replies.get()
    review = reverse("interaction_admin:review", args=(reply.pk,))
    response = client.post(review, {"decision": "approve", "public": "on"})
    assert response.status_code == 200 and "审核权限" in response.content.decode()
    client.force_login(world.approver)
    detail = client.get(reverse("interaction_admin:detail", args=(letter.pk,))).content.decode()
    assert "审核答复" in detail
    response = client.post(review, {"decision": "send_back", "note": ""})
    assert "退回修改的意见" in response.content.decode()
    response = client.post(review, {"decision": "approve", "public": "on", "note": ""})
    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.status == Status.ANSWERED and letter.reply_public


def test_return_request_and_decision_over_http(world, client):
    letter = _letter(world, "dispatched")
    lead = services.lead_assignment(letter)
    client.force_login(world.handler)
    response = client.post(
        reverse("interaction_admin:return", args=(lead.pk,)), {"reason": "非我局职责"}
    )
    assert response.status_code == 302
    client.force_login(world.handler2)  # same unit: may not decide
    response = client.post(reverse("interaction_admin:decide_return", args=(lead.pk,)),
                           {"decision": "approve", "note": ""})  # fmt: skip
    assert response.status_code == 200 and "受理派单权限" in response.content.decode()
    client.force_login(world.dispatcher)
    page = client.get(reverse("interaction_admin:detail", args=(letter.pk,))).content.decode()
    assert "审批退回申请" in page
    response = client.post(reverse("interaction_admin:decide_return", args=(lead.pk,)),
                           {"decision": "approve", "note": ""})  # fmt: skip
    assert response.status_code == 302
    assert Letter.objects.get(pk=letter.pk).status == Status.ACCEPTED


def test_assisting_unit_gives_an_opinion(world, client):
    letter = _letter(world, "dispatched")
    assist = letter.assignments.get(role=AssignmentRole.ASSIST)
    client.force_login(world.assist)
    page = client.get(reverse("interaction_admin:detail", args=(letter.pk,))).content.decode()
    assert "签收（" in page and "拟写答复" not in page
    client.post(reverse("interaction_admin:sign", args=(assist.pk,)), {})
    response = client.post(
        reverse("interaction_admin:opinion", args=(assist.pk,)), {"text": "同意"}
    )
    assert response.status_code == 302
    assist.refresh_from_db()
    assert assist.opinion == "同意"


def test_merge_from_the_similar_letters(world, client):
    first = _letter(world, "accepted")
    dup = _letter(world, "submitted")
    client.force_login(world.dispatcher)
    page = client.get(reverse("interaction_admin:detail", args=(dup.pk,))).content.decode()
    assert "相似的未办结来信" in page and first.tracking_code in page
    url = reverse("interaction_admin:merge", args=(dup.pk,))
    assert first.tracking_code in client.get(url, {"into": first.tracking_code}).content.decode()
    response = client.post(url, {"into": "XJ000000NOPE", "note": "重复"})
    assert "没有查询码" in response.content.decode() and "重复" in response.content.decode()
    response = client.post(url, {"into": first.tracking_code, "note": "重复"})
    assert response.status_code == 302
    assert Letter.objects.get(pk=dup.pk).status == Status.MERGED


def test_supervisor_supervises_and_gives_an_opinion(world, client):
    letter = _letter(world, "signed")
    client.force_login(world.supervisor)
    url = reverse("interaction_admin:supervise", args=(letter.pk,))
    assert client.get(url).status_code == 404  # not supervised, so not visible yet
    services.supervise(letter, "群众反映强烈", actor=world.supervisor)
    assert client.get(reverse("interaction_admin:detail", args=(letter.pk,))).status_code == 200
    response = client.post(reverse("interaction_admin:supervise_opinion", args=(letter.pk,)),
                           {"text": "请三日内办结"})  # fmt: skip
    assert response.status_code == 302
    assert letter.events.filter(kind="supervise_opinion").exists()


# -- in a browser: the list and the letter page are accessible at 1366 and 375 px ----------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize(
    "viewport", [{"width": 1366, "height": 900}, {"width": 375, "height": 812}]
)
def test_admin_list_and_letter_in_a_browser(browser, live_server, world, viewport):
    from govportal.core.tests.browser import (
        assert_accessible,
        console_errors,
        require_chromium,
        screenshot,
    )

    require_chromium()
    first = _letter(world, "accepted")
    dup = _letter(world, "submitted")
    size = "phone" if viewport["width"] < 500 else "desktop"
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    page = context.new_page()
    errors = console_errors(page)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("input[name=username]", "xj_dispatcher")
    page.fill("input[name=password]", "Gov!portal-2026x")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    page.goto(f"{live_server.url}/admin/letters/")
    assert dup.tracking_code in page.inner_text("#letters")
    assert_accessible(page, "letters list")
    screenshot(page, f"interaction-admin-list-{size}")
    page.click(f"text={dup.tracking_code}")
    page.wait_for_selector("#similar")
    assert first.tracking_code in page.inner_text("#similar")
    assert_accessible(page, "letter page")
    screenshot(page, f"interaction-admin-detail-{size}")
    page.click("#actions >> text=受理")
    page.click("#action-submit")
    page.wait_for_selector("#clock")
    assert "受理日期" in page.inner_text("#clock")
    assert errors == []
    context.close()
