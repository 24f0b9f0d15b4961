"""站内信: list (sort, filter, pagination), detail, bulk actions, attachments, ownership."""

from datetime import timedelta

from django.utils import timezone

import pytest

from govportal.audit.models import AuditRecord
from govportal.personal.models import Message
from govportal.personal.services import notify

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def make_messages(user, specs):
    """specs: (title, important, read, days_ago)."""
    made = []
    for title, important, read, days in specs:
        created = NOW - timedelta(days=days)
        made.append(
            Message.objects.create(
                recipient=user,
                title=title,
                body=f"{title}的内容\n第二行",
                important=important,
                read_at=created if read else None,
                created_at=created,
            )
        )
    return made


SPECS = [
    ("丙 通知", False, True, 3),
    ("甲 重要通知", True, False, 1),
    ("乙 来信答复", False, False, 2),
    ("丁 重要提醒", True, True, 4),
]


def listed(response):
    return [m.title for m in response.context["page_obj"].object_list]


def test_login_required(client):
    response = client.get("/my/messages/")
    assert response.status_code == 302
    assert response["Location"] == "/account/login/?next=/my/messages/"


@pytest.mark.parametrize(
    "sort,expected",
    [
        ("", ["甲 重要通知", "乙 来信答复", "丙 通知", "丁 重要提醒"]),
        ("-date", ["甲 重要通知", "乙 来信答复", "丙 通知", "丁 重要提醒"]),
        ("date", ["丁 重要提醒", "丙 通知", "乙 来信答复", "甲 重要通知"]),
        ("-important", ["甲 重要通知", "丁 重要提醒", "乙 来信答复", "丙 通知"]),
        ("important", ["乙 来信答复", "丙 通知", "甲 重要通知", "丁 重要提醒"]),
        ("title", sorted(t for t, *_ in SPECS)),
        ("-title", sorted((t for t, *_ in SPECS), reverse=True)),
        ("nonsense", ["甲 重要通知", "乙 来信答复", "丙 通知", "丁 重要提醒"]),
    ],
)
def test_sorting(client, citizen, sort, expected):
    make_messages(citizen, SPECS)
    client.force_login(citizen)
    assert listed(client.get(f"/my/messages/?sort={sort}")) == expected


@pytest.mark.parametrize(
    "status,expected",
    [
        ("", {"甲 重要通知", "乙 来信答复", "丙 通知", "丁 重要提醒"}),
        ("unread", {"甲 重要通知", "乙 来信答复"}),
        ("read", {"丙 通知", "丁 重要提醒"}),
    ],
)
def test_filter_by_read_state(client, citizen, status, expected):
    make_messages(citizen, SPECS)
    client.force_login(citizen)
    assert set(listed(client.get(f"/my/messages/?status={status}"))) == expected


def test_unread_is_bold_with_a_text_marker(client, citizen):
    make_messages(citizen, SPECS)
    client.force_login(citizen)
    page = client.get("/my/messages/").content.decode()
    assert page.count('class="mailbox__item is-unread"') == 2
    assert page.count('<span class="marker marker--unread">未读</span>') == 2
    assert page.count('<span class="marker marker--important">重要</span>') == 2
    assert "共 4 封，其中未读 2 封。" in page


def test_pagination_fifteen_per_page(client, citizen):
    make_messages(citizen, [(f"消息{n:02d}", False, False, n) for n in range(32)])
    client.force_login(citizen)
    assert len(listed(client.get("/my/messages/"))) == 15
    last = client.get("/my/messages/?page=3&sort=date")
    assert listed(last) == ["消息01", "消息00"]
    assert "第 3 / 3 页，共 32 条" in last.content.decode()


def test_empty_states(client, citizen):
    client.force_login(citizen)
    assert "您还没有站内信。" in client.get("/my/messages/").content.decode()
    make_messages(citizen, [("已读的", False, True, 1)])
    assert "没有未读的站内信。" in client.get("/my/messages/?status=unread").content.decode()


def test_detail_marks_read_and_keeps_line_breaks(client, citizen):
    message = make_messages(citizen, [("甲 重要通知", True, False, 1)])[0]
    client.force_login(citizen)
    page = client.get(f"/my/messages/{message.pk}/").content.decode()
    assert "甲 重要通知的内容<br>第二行" in page
    message.refresh_from_db()
    assert message.read_at is not None
    assert AuditRecord.objects.filter(action="personal.message_read").count() == 1
    client.get(f"/my/messages/{message.pk}/")  # already read: no second record
    assert AuditRecord.objects.filter(action="personal.message_read").count() == 1


def act(client, action, ids, state="", **extra):
    data = {"action": action, "ids": [str(i) for i in ids], "state": state, **extra}
    return client.post("/my/messages/action/", data)


def test_mark_read_and_unread_keep_the_list_state(client, citizen):
    a, b, *_ = make_messages(citizen, SPECS)
    client.force_login(citizen)
    response = act(client, "read", [b.pk], state="sort=title&status=unread&page=1&evil=x")
    assert response["Location"] == "/my/messages/?sort=title&status=unread"
    assert Message.objects.get(pk=b.pk).read_at is not None
    act(client, "unread", [a.pk, b.pk])
    assert Message.objects.filter(pk__in=[a.pk, b.pk], read_at__isnull=True).count() == 2
    follow = client.get("/my/messages/")
    assert "已将 2 封站内信标为未读。" in follow.content.decode()


def test_delete_asks_for_confirmation_first(client, citizen):
    doomed, kept = make_messages(citizen, SPECS[:2])
    client.force_login(citizen)
    confirm = act(client, "delete", [doomed.pk])
    assert confirm.status_code == 200
    page = confirm.content.decode()
    assert "确认删除站内信" in page and doomed.title in page and kept.title not in page
    assert Message.objects.filter(pk=doomed.pk).exists()
    act(client, "delete", [doomed.pk], confirm="1")
    assert not Message.objects.filter(pk=doomed.pk).exists()
    assert Message.objects.filter(pk=kept.pk).exists()
    record = AuditRecord.objects.get(action="personal.message_delete")
    assert record.before == [{"id": doomed.pk, "title": doomed.title}]


def test_nothing_selected_gets_a_clear_message(client, citizen):
    make_messages(citizen, SPECS)
    client.force_login(citizen)
    response = act(client, "read", [])
    assert response.status_code == 302
    assert "请先勾选要操作的站内信。" in client.get(response["Location"]).content.decode()


def test_only_the_recipient_sees_or_acts_on_a_message(client, citizen, other):
    mine = notify(citizen, "给张的信", "内容", attachments=[("回执.txt", b"receipt")])
    attachment = mine.attachments.get()
    client.force_login(other)
    assert client.get(f"/my/messages/{mine.pk}/").status_code == 404
    assert client.get(f"/my/messages/{mine.pk}/attachments/{attachment.pk}/").status_code == 404
    for action in ("read", "unread"):
        act(client, action, [mine.pk])
    act(client, "delete", [mine.pk], confirm="1")
    mine.refresh_from_db()  # still there, still unread
    assert mine.read_at is None
    assert not AuditRecord.objects.filter(
        action__in=["personal.message_read", "personal.message_unread", "personal.message_delete"]
    ).exists()
    assert "给张的信" not in client.get("/my/messages/").content.decode()


def test_attachment_is_served_privately_to_the_recipient(client, citizen, settings):
    message = notify(citizen, "答复书", "见附件", attachments=[("答复书 2026.txt", "答复内容")])
    attachment = message.attachments.get()
    # Stored outside MEDIA_ROOT, without the user's file name.
    path = attachment.file.path
    assert path.startswith(str(settings.GOVPORTAL_PRIVATE_MEDIA_ROOT))
    assert "答复书" not in path
    with pytest.raises(ValueError):
        attachment.file.url  # noqa: B018 — never a public URL
    client.force_login(citizen)
    page = client.get(f"/my/messages/{message.pk}/").content.decode()
    url = f"/my/messages/{message.pk}/attachments/{attachment.pk}/"
    assert url in page
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == "答复内容".encode()
    assert "attachment;" in response["Content-Disposition"]
    assert "filename*=utf-8''" in response["Content-Disposition"]
    assert "private" in response["Cache-Control"]


def test_deleting_a_message_removes_its_file(client, citizen, django_capture_on_commit_callbacks):
    from pathlib import Path

    message = notify(citizen, "答复书", "见附件", attachments=[("a.txt", b"x")])
    path = Path(message.attachments.get().file.path)
    client.force_login(citizen)
    with django_capture_on_commit_callbacks(execute=True):
        act(client, "delete", [message.pk], confirm="1")
    assert not path.exists()
