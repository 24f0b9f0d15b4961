"""访谈管理: who may open the console and act, over HTTP; every action audited; polling."""

from django.urls import reverse

import pytest

from govportal.audit.models import AuditRecord
from govportal.interviews import services
from govportal.interviews.models import HostMessage, Question, QuestionStatus

from .conftest import get_page

pytestmark = pytest.mark.django_db


def console_url(page):
    return reverse("interviews_admin:console", args=(page.pk,))


def who(site_group, citizen, guest_user, role):
    return {
        "anonymous": None,
        "citizen": citizen,
        "a_editor": site_group.a.editor,
        "a_admin": site_group.a.admin,
        "a_news_channel_editor": site_group.a.channel_editor,
        "b_editor": site_group.b.editor,
        "b_admin": site_group.b.admin,
        "guest": guest_user,
    }[role]


@pytest.mark.parametrize(
    ("role", "opens", "approves"),
    [
        ("anonymous", False, False),
        ("citizen", False, False),
        ("b_editor", False, False),
        ("b_admin", False, False),
        ("a_news_channel_editor", False, False),
        ("guest", True, False),  # a guest answers, but does not moderate
        ("a_editor", True, True),
        ("a_admin", True, True),
    ],
)
def test_console_and_approval_permissions(
    client, site_group, citizen, guest_user, interview, role, opens, approves
):
    user = who(site_group, citizen, guest_user, role)
    if user is not None:
        client.force_login(user)
    question = services.submit_question(interview, "需要审核的问题")

    page = client.get(console_url(interview))
    assert (page.status_code == 200) is opens
    if opens:
        assert "需要审核的问题" in page.content.decode() or role == "guest"

    response = client.post(console_url(interview), {"action": "approve", "question": question.pk})
    assert response.status_code in (302, 403)
    question.refresh_from_db()
    assert (question.status == QuestionStatus.APPROVED) is approves
    public = get_page(client, interview).content.decode()
    assert ("需要审核的问题" in public) is approves


@pytest.mark.parametrize(
    ("role", "answers"),
    [
        ("anonymous", False),
        ("citizen", False),
        ("b_editor", False),
        ("b_admin", False),
        ("guest", True),
        ("a_editor", True),
    ],
)
def test_answer_permissions(client, site_group, citizen, guest_user, interview, role, answers):
    user = who(site_group, citizen, guest_user, role)
    if user is not None:
        client.force_login(user)
    question = services.approve(
        services.submit_question(interview, "想问的问题"), site_group.a.editor
    )
    guest = interview.guests.get(name="周涛")
    client.post(
        console_url(interview),
        {"action": "answer", "question": question.pk, "guest": guest.pk, "answer": "嘉宾的回答"},
    )
    question.refresh_from_db()
    assert (question.answer == "嘉宾的回答") is answers
    if answers:
        assert question.answered_by_guest == guest


def test_guest_answers_only_as_themselves(client, site_group, guest_user, interview):
    question = services.approve(services.submit_question(interview, "问题"), site_group.a.editor)
    other = interview.guests.get(name="吴芳")
    client.force_login(guest_user)
    response = client.post(
        console_url(interview),
        {"action": "answer", "question": question.pk, "guest": other.pk, "answer": "冒名回答"},
    )
    assert response.status_code in (302, 403)
    question.refresh_from_db()
    assert question.answer == ""
    # Without choosing, the answer is the guest's own.
    client.post(
        console_url(interview), {"action": "answer", "question": question.pk, "answer": "本人回答"}
    )
    question.refresh_from_db()
    assert question.answer == "本人回答" and question.answered_by_guest.name == "周涛"


def test_moderator_workflow_is_audited_and_shown_live(client, site_group, interview):
    editor = site_group.a.editor
    client.force_login(editor)
    url = console_url(interview)
    q1 = services.submit_question(interview, "第一个问题")
    q2 = services.submit_question(interview, "重复的第一个问题")
    q3 = services.submit_question(interview, "无关的问题")
    guest = interview.guests.first()

    client.post(url, {"action": "approve", "question": q1.pk})
    client.post(url, {"action": "merge", "question": q2.pk, "target": q1.pk})
    # Rejecting needs a reason: a clear message, nothing changes.
    response = client.post(url, {"action": "reject", "question": q3.pk, "reason": ""}, follow=True)
    assert "请填写不予采用的原因" in response.content.decode()
    assert Question.objects.get(pk=q3.pk).status == QuestionStatus.PENDING
    client.post(url, {"action": "reject", "question": q3.pk, "reason": "与主题无关"})
    client.post(
        url,
        {"action": "answer", "question": q1.pk, "guest": guest.pk, "answer": "代嘉宾录入的回答"},
    )
    client.post(url, {"action": "post", "speaker": "host", "text": "欢迎各位网友"})

    statuses = dict(Question.objects.values_list("pk", "status"))
    assert statuses == {
        q1.pk: QuestionStatus.APPROVED,
        q2.pk: QuestionStatus.MERGED,
        q3.pk: QuestionStatus.REJECTED,
    }
    assert HostMessage.objects.get().text == "欢迎各位网友"
    actions = list(
        AuditRecord.objects.filter(action__startswith="interviews.").values_list(
            "action", flat=True
        )
    )
    for code in (
        "interviews.approve",
        "interviews.merge",
        "interviews.reject",
        "interviews.answer",
        "interviews.post",
    ):
        assert code in actions
    answer = AuditRecord.objects.get(action="interviews.answer")
    assert answer.username == editor.username

    public = get_page(client, interview).content.decode()
    assert "代嘉宾录入的回答" in public and "欢迎各位网友" in public
    assert "无关的问题" not in public and "重复的第一个问题" not in public


def test_console_panel_polls_with_etag(client, site_group, interview):
    client.force_login(site_group.a.editor)
    panel_url = reverse("interviews_admin:panel", args=(interview.pk,))
    first = client.get(panel_url)
    assert first.status_code == 200
    assert client.get(panel_url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    services.submit_question(interview, "新来的问题")
    fresh = client.get(panel_url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert fresh.status_code == 200
    assert "新来的问题" in fresh.content.decode()
    client.force_login(site_group.b.editor)
    assert client.get(panel_url).status_code != 200


def test_admin_index_lists_only_own_interviews(client, site_group, interview):
    client.force_login(site_group.a.editor)
    assert interview.title in client.get(reverse("interviews_admin:index")).content.decode()
    client.force_login(site_group.b.editor)
    assert interview.title not in client.get(reverse("interviews_admin:index")).content.decode()


def test_page_editor_offers_only_guest_accounts(client, site_group, guest_user, interview):
    client.force_login(site_group.a.admin)
    response = client.get(reverse("wagtailadmin_pages:edit", args=(interview.pk,)))
    assert response.status_code == 200
    html = response.content.decode()
    assert "访谈管理" in html  # the header button to the console
    assert guest_user.username in html or guest_user.get_full_name() in html
    # Accounts of other sites are not offered as guest accounts.
    assert site_group.b.admin.username not in html


def test_add_interview_form_opens_under_a_channel(client, site_group, interview):
    client.force_login(site_group.a.admin)
    channel = interview.get_parent()
    url = reverse("wagtailadmin_pages:add", args=("interviews", "interviewpage", channel.pk))
    response = client.get(url)
    assert response.status_code == 200
    assert "访谈主题" in response.content.decode()
