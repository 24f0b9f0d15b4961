"""Each audited source writes exactly the expected record: user, IP, action, outcome, before/after."""

from django.contrib.auth.models import Group, Permission
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page
from wagtail.test.utils.form_data import querydict_from_html

import pytest

from govportal import audit
from govportal.audit import chain
from govportal.audit.context import client_ip
from govportal.audit.models import AuditRecord
from govportal.conftest import PASSWORD, article_form_data, edit_url, make_user
from govportal.content.models import ArticlePage
from govportal.submissions import services as submissions
from govportal.submissions.tests.conftest import build_world

from .conftest import NewRecords

LOGIN_URL = "/admin/login/"
CLIENT_IP = "203.0.113.7"


def login(client, username, password, ip=CLIENT_IP, **extra):
    return client.post(
        LOGIN_URL,
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=ip,
        **extra,
    )


@pytest.fixture
def clerk(db):
    office = Group.objects.create(name="办公室")
    office.permissions.add(Permission.objects.get(codename="access_admin"))
    return make_user("clerk", office, is_staff=True)


# -- the record API --------------------------------------------------------------------------


def test_record_keeps_user_role_ip_object_and_snapshots(site_group):
    admin = site_group.a.admin
    article = site_group.a.news_article
    with audit.acting_as(admin, ip="::ffff:10.1.2.3"):
        entry = audit.record(
            "test.edit",
            obj=article,
            before={"title": "旧", "when": timezone.datetime(2026, 1, 2)},
            after={"title": "新"},
            note="说明",
        )
    entry = AuditRecord.objects.get(seq=entry.seq)
    assert entry.user == admin and entry.username == admin.username
    assert entry.roles == "站点ALPHA·站点管理员"
    assert entry.ip_address == "10.1.2.3"  # IPv4-mapped IPv6 stored as IPv4
    assert (entry.object_type, entry.object_id) == ("wagtailcore.page", str(article.pk))
    assert entry.object_repr == article.title
    assert entry.before == {"title": "旧", "when": "2026-01-02T00:00:00"}
    assert entry.after == {"title": "新"} and entry.extra == {"note": "说明"}
    assert chain.compute_hash(entry) == entry.hash


# -- logins ----------------------------------------------------------------------------------


def test_successful_login(client, clerk):
    new = NewRecords()
    assert login(client, "clerk", PASSWORD).status_code == 302
    assert new.actions() == ["auth.login"]
    entry = new.one("auth.login")
    assert (entry.user, entry.username, entry.roles) == (clerk, "clerk", "办公室")
    assert (entry.ip_address, entry.outcome) == (CLIENT_IP, "success")
    assert (entry.object_type, entry.object_id) == ("accounts.user", str(clerk.pk))


def test_failed_login_with_a_known_and_an_unknown_username(client, clerk):
    new = NewRecords()
    login(client, "clerk", "wrong-password")
    login(client, "nobody-here", "whatever", ip="198.51.100.20")
    known, unknown = new.all()
    assert (known.action, known.outcome, known.username) == (
        "auth.login_failed",
        "failure",
        "clerk",
    )
    assert known.user is None and known.ip_address == CLIENT_IP
    assert (known.object_type, known.object_id) == ("accounts.user", str(clerk.pk))
    assert known.extra == {"account_exists": True, "locked_out": False}
    assert (unknown.action, unknown.username, unknown.object_id) == (
        "auth.login_failed",
        "nobody-here",
        "",
    )
    assert unknown.ip_address == "198.51.100.20" and unknown.extra["account_exists"] is False


def test_lockout_and_attempts_while_locked(client, clerk, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    new = NewRecords()
    for attempt in range(5):
        login(client, "clerk", f"wrong-{attempt}")
    failures = new.all("auth.login_failed")
    assert [r.outcome for r in failures] == ["failure"] * 5
    lockout = new.one("auth.lockout")
    assert (lockout.username, lockout.ip_address, lockout.outcome) == ("clerk", CLIENT_IP, "denied")
    assert lockout.extra == {"failures": 5}

    after = NewRecords()
    assert login(client, "clerk", PASSWORD).status_code == 429  # even the right password
    refused = after.one("auth.login_failed")
    assert refused.outcome == "denied" and refused.extra["locked_out"] is True
    assert after.actions() == ["auth.login_failed"]  # no second lockout record


def test_logout(client, clerk):
    login(client, "clerk", PASSWORD)
    new = NewRecords()
    client.post(reverse("wagtailadmin_logout"), REMOTE_ADDR=CLIENT_IP)
    entry = new.one("auth.logout")
    assert (entry.user, entry.ip_address) == (clerk, CLIENT_IP)


def test_client_ip_trusts_forwarded_for_only_from_configured_proxies(settings):
    rf = RequestFactory()
    forwarded = {"HTTP_X_FORWARDED_FOR": "198.51.100.9, 10.0.0.1"}
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", **forwarded)
    settings.GOVPORTAL_AUDIT_TRUSTED_PROXIES = []
    assert client_ip(request) == "10.0.0.2"  # default: the header is ignored
    settings.GOVPORTAL_AUDIT_TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_ip(request) == "198.51.100.9"
    # A client that is not our proxy cannot claim another address.
    assert client_ip(rf.get("/", REMOTE_ADDR="192.0.2.5", **forwarded)) == "192.0.2.5"
    # Spoofed hops left of the real client are not believed.
    spoofed = {"HTTP_X_FORWARDED_FOR": "1.2.3.4, 198.51.100.9, 10.0.0.1"}
    assert client_ip(rf.get("/", REMOTE_ADDR="10.0.0.2", **spoofed)) == "198.51.100.9"


def test_login_behind_a_trusted_proxy(client, clerk, settings):
    settings.GOVPORTAL_AUDIT_TRUSTED_PROXIES = ["127.0.0.1"]
    new = NewRecords()
    login(client, "clerk", PASSWORD, ip="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.30")
    assert new.one("auth.login").ip_address == "198.51.100.30"


# -- accounts and permissions ----------------------------------------------------------------


def test_group_membership_changes(clerk):
    editors = Group.objects.create(name="编辑")
    reviewers = Group.objects.create(name="审核员")
    new = NewRecords()
    clerk.groups.add(editors)
    clerk.groups.set([reviewers])  # Django removes 办公室 and 编辑, then adds 审核员
    other = make_user("other")
    reviewers.user_set.add(other)  # from the group's side
    clerk.groups.clear()
    records = new.all("perm.group_membership")
    summary = [(r.object_repr, r.before["groups"], r.after["groups"]) for r in records]
    assert summary == [
        ("clerk", ["办公室"], ["办公室", "编辑"]),
        ("clerk", ["办公室", "编辑"], []),
        ("clerk", [], ["审核员"]),
        ("other", [], ["审核员"]),
        ("clerk", ["审核员"], []),
    ]
    assert records[0].extra == {"added": ["编辑"], "removed": []}


def test_group_permission_changes(db):
    group = Group.objects.create(name="角色")
    access = Permission.objects.get(codename="access_admin")
    view = Permission.objects.get(codename="view_auditrecord")
    new = NewRecords()
    group.permissions.add(access)
    group.permissions.set([view])
    records = new.all("perm.group_permissions")
    assert [(r.before["permissions"], r.after["permissions"]) for r in records] == [
        ([], ["wagtailadmin.access_admin"]),
        (["wagtailadmin.access_admin"], []),
        ([], ["audit.view_auditrecord"]),
    ]
    assert {(r.object_type, r.object_id) for r in records} == {("auth.group", str(group.pk))}


def test_deleting_a_group_records_its_members_and_permissions(clerk):
    office = Group.objects.get(name="办公室")
    new = NewRecords()
    office.delete()
    entry = new.one("perm.group_delete")
    assert entry.before == {
        "name": "办公室",
        "members": ["clerk"],
        "permissions": ["wagtailadmin.access_admin"],
    }
    assert entry.after is None and new.actions() == ["perm.group_delete"]


def test_page_and_collection_permissions_created_and_deleted(site_group):
    group = Group.objects.create(name="临时角色")
    news = site_group.a.news
    new = NewRecords()
    page_perm = GroupPagePermission.objects.create(
        group=group, page=news, permission_type="publish"
    )
    collection = Collection.get_first_root_node()
    choose = Permission.objects.get(codename="choose_image")
    collection_perm = GroupCollectionPermission.objects.create(
        group=group, collection=collection, permission=choose
    )
    page_perm.delete()
    collection_perm.delete()
    grant, cgrant, revoke, crevoke = new.all()
    assert (grant.action, grant.object_repr, grant.before) == ("perm.page_grant", "临时角色", None)
    assert grant.after == {
        "group": "临时角色",
        "page": news.title,
        "page_id": news.pk,
        "permission": "wagtailcore.publish_page",
    }
    assert (revoke.action, revoke.before, revoke.after) == ("perm.page_revoke", grant.after, None)
    assert cgrant.action == "perm.collection_grant"
    assert cgrant.after["permission"] == "wagtailimages.choose_image"
    assert crevoke.action == "perm.collection_revoke" and crevoke.before == cgrant.after


def test_group_editor_changes_are_audited(client, site_group, superuser):
    """Wagtail's group editor writes page permissions with bulk_create: still recorded."""
    group = site_group.a.roles.editors
    client.force_login(superuser)
    url = reverse("wagtailusers_groups:edit", args=(group.pk,))
    form = querydict_from_html(client.get(url).content.decode(), form_id="w-editor-form")
    data = dict(form.lists())  # every value of the checkboxes (a QueryDict posts only the last)
    assert data["page_permissions-0-permissions"] == [
        "add_page",
        "change_page",
        "lock_page",
        "unlock_page",
    ]
    # Saved unchanged: nothing to record.
    new = NewRecords()
    assert client.post(url, data, REMOTE_ADDR=CLIENT_IP).status_code == 302
    assert new.all() == []

    data["page_permissions-0-permissions"] = ["add_page", "change_page", "publish_page"]
    new = NewRecords()
    assert client.post(url, data, REMOTE_ADDR=CLIENT_IP).status_code == 302
    records = new.all()
    assert sorted((r.action, (r.after or r.before)["permission"]) for r in records) == [
        ("perm.page_grant", "wagtailcore.publish_page"),
        ("perm.page_revoke", "wagtailcore.lock_page"),
        ("perm.page_revoke", "wagtailcore.unlock_page"),
    ]
    for entry in records:
        assert (entry.user, entry.ip_address, entry.roles) == (superuser, CLIENT_IP, "超级管理员")
        assert (entry.object_type, entry.object_id) == ("auth.group", str(group.pk))


def test_account_created_flags_changed_and_deleted(superuser):
    new = NewRecords()
    with audit.acting_as(superuser, ip="192.0.2.1"):
        user = make_user("newbie")
        user.is_staff = True
        user.save()
        user.last_login = timezone.now()
        user.save(update_fields=["last_login"])  # every sign-in does this: not audited
        user.is_superuser = True
        user.is_active = False
        user.save(update_fields=["is_superuser", "is_active"])
        pk = user.pk
        user.delete()
    created, staff, elevated, deleted = new.all()
    assert created.action == "account.create" and created.object_id == str(pk)
    assert created.after == {"is_superuser": False, "is_staff": False, "is_active": True}
    assert (staff.action, staff.before, staff.after) == (
        "account.flags",
        {"is_staff": False},
        {"is_staff": True},
    )
    assert (elevated.before, elevated.after) == (
        {"is_superuser": False, "is_active": True},
        {"is_superuser": True, "is_active": False},
    )
    assert deleted.action == "account.delete" and deleted.before["username"] == "newbie"
    assert deleted.before["groups"] == []
    assert {(r.username, r.ip_address) for r in new.all()} == {("root", "192.0.2.1")}


# -- publication -----------------------------------------------------------------------------


def test_publishing_in_the_editor(client, site_group):
    a = site_group.a
    article = ArticlePage.objects.get(pk=a.news_article.pk)
    old_revision = article.live_revision_id
    client.force_login(a.admin)
    url = edit_url(article)
    data = article_form_data(
        client, url, title="修订后的标题", slug=article.slug, action="action-publish"
    )
    new = NewRecords()
    assert client.post(url, data, REMOTE_ADDR=CLIENT_IP).status_code == 302
    article.refresh_from_db()
    entry = new.one("page.publish")
    assert (entry.user, entry.ip_address, entry.outcome) == (a.admin, CLIENT_IP, "success")
    assert (entry.object_type, entry.object_id) == ("wagtailcore.page", str(article.pk))
    assert entry.object_repr == "修订后的标题"
    assert entry.before == {"live": True, "live_revision_id": old_revision}
    assert entry.after == {"live": True, "live_revision_id": article.live_revision_id}
    assert article.live_revision_id != old_revision


def test_first_publication_unpublish_and_delete(site_group):
    a = site_group.a
    news = Page.objects.get(pk=a.news.pk)
    draft = ArticlePage(title="新文章", slug="new-article", live=False)
    news.add_child(instance=draft)
    with audit.acting_as(a.admin, ip="192.0.2.8"):
        revision = draft.save_revision(user=a.admin)
        new = NewRecords()
        revision.publish(user=a.admin)
        published = new.one("page.publish")
        draft = ArticlePage.objects.get(pk=draft.pk)
        draft.unpublish(user=a.admin)
        unpublished = new.one("page.unpublish")
        Page.objects.get(pk=draft.pk).delete(user=a.admin)
        deleted = new.one("page.delete")
    assert published.before == {"live": False, "live_revision_id": None}
    assert published.after == {"live": True, "live_revision_id": revision.pk}
    assert unpublished.before == {"live": True, "live_revision_id": revision.pk}
    assert unpublished.after == {"live": False, "live_revision_id": None}
    assert deleted.object_id == str(draft.pk) and deleted.after is None
    assert deleted.before["live"] is False and deleted.before["url_path"].endswith("/new-article/")
    assert {(r.username, r.ip_address) for r in new.all()} == {(a.admin.username, "192.0.2.8")}


def test_deleting_a_channel_records_every_page_in_it(client, site_group):
    a = site_group.a
    client.force_login(a.admin)
    channel = a.notices
    new = NewRecords()
    response = client.post(reverse("wagtailadmin_pages:delete", args=(channel.pk,)))
    assert response.status_code == 302
    deleted = new.all("page.delete")
    assert sorted(int(r.object_id) for r in deleted) == sorted([channel.pk, a.notice_article.pk])
    assert all(r.user == a.admin for r in deleted)


def test_scheduled_expiry_is_recorded_as_the_system(site_group):
    from govportal.core.scheduler import run_due_publications

    article = ArticlePage.objects.get(pk=site_group.a.notice_article.pk)
    ArticlePage.objects.filter(pk=article.pk).update(
        expire_at=timezone.now() - timezone.timedelta(minutes=1)
    )
    new = NewRecords()
    run_due_publications()
    entry = new.one("page.unpublish")
    assert entry.object_id == str(article.pk) and entry.username == ""
    assert entry.extra["expired"] is True


# -- 信息报送 and exports ----------------------------------------------------------------------


@pytest.fixture
def world(site_group):
    return build_world(site_group)


def test_submission_transitions(world):
    a, b = world.a, world.b
    new = NewRecords()
    first = submissions.submit(a.news_article, a.admin, b.site, note="请采用")
    submissions.decline(first, b.admin, "不符合要求")
    second = submissions.submit(a.news_article, a.admin, b.site)
    submissions.withdraw(second, a.admin)
    third = submissions.submit(a.news_article, a.admin, b.site)
    submissions.adopt(third, b.admin, b.news)
    records = [r for r in new.all() if r.action.startswith("submission.")]
    assert [(r.action, r.username, r.before, r.after) for r in records] == [
        ("submission.submit", a.admin.username, None, {"status": "submitted"}),
        ("submission.decline", b.admin.username, {"status": "submitted"}, {"status": "declined"}),
        ("submission.submit", a.admin.username, None, {"status": "submitted"}),
        ("submission.withdraw", a.admin.username, {"status": "submitted"}, {"status": "withdrawn"}),
        ("submission.submit", a.admin.username, None, {"status": "submitted"}),
        ("submission.adopt", b.admin.username, {"status": "submitted"}, {"status": "adopted"}),
    ]
    assert records[0].object_type == "submissions.submission"
    assert records[0].object_id == str(first.pk) and records[0].extra["note"] == "请采用"
    assert records[1].extra["reason"] == "不符合要求"
    # Adopting published the copy on the receiving site: that is a publication too.
    assert new.one("page.publish").object_id == str(records[-1].extra["adopted_page_id"])


def test_organisation_export_is_recorded(client, superuser):
    client.force_login(superuser)
    new = NewRecords()
    response = client.get(reverse("organizations:export", args=("csv",)), REMOTE_ADDR=CLIENT_IP)
    assert response.status_code == 200
    entry = new.one("export.organizations")
    assert (entry.user, entry.ip_address, entry.object_type) == (
        superuser,
        CLIENT_IP,
        "organizations.organization",
    )
    assert entry.extra["file"].endswith(".csv")


def test_submission_stats_export_is_recorded(client, world):
    client.force_login(world.b.admin)
    new = NewRecords()
    response = client.get(reverse("submissions:stats"), {"month": "2026-03", "format": "xlsx"})
    assert response.status_code == 200
    entry = new.one("export.submission_stats")
    assert entry.user == world.b.admin
    assert entry.extra == {"file": "submission-stats-2026-03.xlsx"}
    # Looking at the statistics is not an export.
    client.get(reverse("submissions:stats"), {"month": "2026-03"})
    assert len(new.all("export.submission_stats")) == 1
