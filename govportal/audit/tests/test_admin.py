"""The audit admin: only 审计管理员 get in (not superusers); search, detail, export, verify."""

import csv
import io
import re
from datetime import timedelta

from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone

import pytest
from openpyxl import load_workbook

from govportal import audit
from govportal.audit import chain
from govportal.audit.models import AuditRecord
from govportal.audit.services import AUDIT_GROUP
from govportal.conftest import make_user

from .conftest import NewRecords, tamper

INDEX = reverse("audit:index")
VERIFY = reverse("audit:verify")
HOME = reverse("wagtailadmin_home")


def refused(response) -> bool:
    return response.status_code == 302 and response.url == HOME


@pytest.fixture
def staff_editor(db):
    group = Group.objects.create(name="编辑部")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    return make_user("staffer", group, is_staff=True)


@pytest.mark.parametrize("who", ["superuser", "staff_editor"])
@pytest.mark.parametrize(
    "url",
    [
        INDEX,
        VERIFY,
        reverse("audit:detail", args=(1,)),
        reverse("audit:export", args=("csv",)),
        reverse("audit:export", args=("xlsx",)),
    ],
)
def test_everyone_but_the_audit_admin_is_refused(db, client, request, who, url):
    user = request.getfixturevalue(who)
    audit.record("test.event")
    client.force_login(user)
    new = NewRecords()
    response = client.get(url, REMOTE_ADDR="192.0.2.44")
    assert refused(response)
    # The attempt is itself recorded, and nothing was exported.
    entry = new.one("audit.access_denied")
    assert (entry.user, entry.outcome, entry.ip_address) == (user, "denied", "192.0.2.44")
    assert entry.extra == {"path": url}
    assert new.actions() == ["audit.access_denied"]


def test_menu_shows_only_for_the_audit_admin(client, superuser, auditor):
    client.force_login(superuser)
    assert INDEX not in client.get(HOME).content.decode()
    client.force_login(auditor)
    assert INDEX in client.get(HOME).content.decode()


def test_a_superuser_cannot_join_the_audit_group(superuser):
    """三员分立: the audit role is never combined with superuser powers."""
    from django.core.exceptions import ValidationError
    from django.db import transaction

    with pytest.raises(ValidationError), transaction.atomic():
        superuser.groups.add(Group.objects.get(name=AUDIT_GROUP))
    assert not superuser.groups.filter(name=AUDIT_GROUP).exists()


def test_inactive_auditor_is_refused(client, auditor):
    client.force_login(auditor)
    auditor.is_active = False
    auditor.save()
    assert client.get(INDEX).status_code == 302


def _seed():
    alice = make_user("alice")
    bob = make_user("bob")
    with audit.acting_as(alice, ip="192.0.2.1"):
        audit.record("test.alpha", obj=alice, after={"x": 1})
        audit.record("auth.login_failed", outcome="failure")
    with audit.acting_as(bob, ip="192.0.2.2"):
        audit.record("page.publish", obj=bob, before={"live": False}, after={"live": True})
    return alice, bob


def listed(response) -> list[int]:
    return [int(s) for s in re.findall(r'data-seq="(\d+)"', response.content.decode())]


def test_list_and_search(client, auditor):
    alice, bob = _seed()
    client.force_login(auditor)
    seqs = {r.action: r.seq for r in AuditRecord.objects.all()}
    response = client.get(INDEX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "审计日志" in html and "发布页面" in html and "192.0.2.2" in html
    assert listed(response)[:3] == sorted(listed(response), reverse=True)[:3]  # newest first

    def search(**params):
        return listed(client.get(INDEX, params))

    assert set(search(user="ali")) == {seqs["test.alpha"], seqs["auth.login_failed"]}
    assert search(action="page.publish") == [seqs["page.publish"]]
    assert search(ip="192.0.2.2") == [seqs["page.publish"]]
    assert search(outcome="failure") == [seqs["auth.login_failed"]]
    bob_created = AuditRecord.objects.get(action="account.create", object_repr="bob").seq
    assert search(object="bob") == [seqs["page.publish"], bob_created]
    alice_created = AuditRecord.objects.get(action="account.create", object_repr="alice").seq
    # One object's whole history by type and id.
    assert search(object=f"accounts.user:{alice.pk}") == [seqs["test.alpha"], alice_created]
    today = timezone.localdate()
    assert seqs["page.publish"] in search(date_from=today, date_to=today)
    assert search(date_to=today - timedelta(days=1)) == []
    # Bad input: a clear message, no results, what was typed kept.
    response = client.get(INDEX, {"ip": "not-an-ip", "user": "bob"})
    html = response.content.decode()
    assert "请输入完整的 IPv4 或 IPv6 地址" in html and 'value="bob"' in html
    assert listed(response) == []


def test_pagination(client, auditor):
    for i in range(55):
        audit.record("test.bulk", i=i)
    client.force_login(auditor)
    first = listed(client.get(INDEX, {"action": "test.bulk"}))
    second_response = client.get(INDEX, {"action": "test.bulk", "p": 2})
    second = listed(second_response)
    assert len(first) == 50 and len(second) == 5
    assert not set(first) & set(second)
    assert "action=test.bulk&amp;p=1" in second_response.content.decode()


def test_detail_shows_before_and_after(client, auditor):
    group = Group.objects.create(name="甲组")
    user = make_user("carol", group)
    new = NewRecords()
    user.groups.add(Group.objects.create(name="乙组"))
    entry = new.one("perm.group_membership")
    client.force_login(auditor)
    html = client.get(reverse("audit:detail", args=(entry.seq,))).content.decode()
    assert "用户所属角色（组）变更" in html and "perm.group_membership" in html
    assert "<td>甲组</td>" in html and "乙组、甲组" in html and "新增：乙组" in html
    assert "已变更" in html and "通过：内容与哈希一致" in html
    assert entry.hash in html and entry.prev_hash in html


def test_detail_flags_a_tampered_record(client, auditor):
    entry = audit.record("test.event")
    tamper(
        f"UPDATE {AuditRecord._meta.db_table} SET object_repr = 'x' WHERE seq = %s",  # noqa: S608
        [entry.seq],
    )
    client.force_login(auditor)
    html = client.get(reverse("audit:detail", args=(entry.seq,))).content.decode()
    assert "不通过" in html


def test_csv_export_follows_the_filters_and_is_audited(client, auditor):
    _seed()
    client.force_login(auditor)
    new = NewRecords()
    response = client.get(
        reverse("audit:export", args=("csv",)), {"user": "bob"}, REMOTE_ADDR="192.0.2.9"
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="audit-')
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:6] == ["序号", "时间", "用户", "角色", "来源IP", "操作代码"]
    assert [(r[2], r[5]) for r in rows[1:]] == [("bob", "page.publish")]
    exported = AuditRecord.objects.get(seq=int(rows[1][0]))
    assert rows[1][-1] == exported.hash
    entry = new.one("audit.export")
    assert (entry.user, entry.ip_address) == (auditor, "192.0.2.9")
    assert entry.extra["format"] == "csv" and entry.extra["rows"] == 1
    assert entry.extra["filters"] == {"user": "bob"}


def test_xlsx_export_and_formula_injection(client, auditor):
    audit.record("auth.login_failed", username='=HYPERLINK("http://x")', outcome="failure")
    client.force_login(auditor)
    new = NewRecords()
    response = client.get(reverse("audit:export", args=("xlsx",)))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "序号"
    usernames = [r[2] for r in rows[1:]]
    assert '\'=HYPERLINK("http://x")' in usernames  # text, not a formula
    # The export's own record is not in the file it describes, but it is in the trail.
    entry = new.one("audit.export")
    assert entry.extra["format"] == "xlsx" and entry.extra["rows"] == len(rows) - 1
    assert entry.seq not in [r[0] for r in rows[1:]]


def test_verify_page_reports_intact_and_broken_chain(client, auditor):
    for i in range(4):
        audit.record("test.event", i=i)
    client.force_login(auditor)
    new = NewRecords()
    html = client.get(VERIFY).content.decode()
    assert 'id="verify-ok"' in html and "审计链完整" in html
    assert new.one("audit.verify").outcome == "success"

    target = AuditRecord.objects.filter(action="test.event").order_by("seq")[1]
    tamper(
        f"UPDATE {AuditRecord._meta.db_table} SET action = 'test.hidden' WHERE seq = %s",  # noqa: S608
        [target.seq],
    )
    html = client.get(VERIFY).content.decode()
    assert 'id="verify-broken"' in html
    assert f"审计链在序号 {target.seq} 处断裂" in html and "记录被修改" in html
    assert reverse("audit:detail", args=(target.seq,)) in html
    failed = AuditRecord.objects.filter(action="audit.verify").order_by("-seq").first()
    assert failed.outcome == "failure" and failed.extra["broken_seq"] == target.seq
    assert not chain.verify_chain().ok
