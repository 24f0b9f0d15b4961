"""三员分立: each of the three admins is refused the other two's work; no account holds two."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from wagtail.models import GroupPagePermission

import pytest

from govportal.accounts import roles
from govportal.accounts.models import TwoFactorPolicy
from govportal.accounts.tests.conftest import actions_since, audit_mark
from govportal.conftest import make_user
from govportal.core.models import PlatformSettings

pytestmark = pytest.mark.django_db

SYS, SEC, AUD = roles.SYSTEM_ADMINS, roles.SECURITY_ADMINS, roles.AUDIT_ADMINS


def refused(response) -> bool:
    """Wagtail answers a missing permission with 403 or a redirect to the dashboard."""
    if response.status_code == 403:
        return True
    return response.status_code == 302 and (
        response.url == "/admin/" or response.url.startswith("/admin/login/")
    )


def refusal(call) -> str:
    """The message of the ValidationError ``call()`` raises (rolled back like a request)."""
    with pytest.raises(ValidationError) as error, transaction.atomic():
        call()
    return error.value.messages[0]


def group(name) -> Group:
    return Group.objects.get(name=name)


# -- the roles as migrated -----------------------------------------------------------------


def test_migration_creates_the_system_and_security_roles():
    def perms(name):
        return set(group(name).permissions.values_list("content_type__app_label", "codename"))

    for name in (SYS, SEC):
        assert perms(name) == set(roles.ROLE_PERMISSIONS[name])
    assert ("siteadmin", "manage_site_group") in perms(SYS)
    assert not any(app in ("accounts", "auth", "audit") for app, _ in perms(SYS))
    assert not any(app in ("audit", "wagtailcore", "siteadmin") for app, _ in perms(SEC))
    assert Group.objects.filter(name=AUD).count() == 1  # audit 0003's, reused
    for name in roles.ROLE_GROUPS:
        assert not GroupPagePermission.objects.filter(group__name=name).exists()


# -- model layer ----------------------------------------------------------------------------


@pytest.mark.parametrize(("first", "second"), [(SYS, SEC), (SYS, AUD), (SEC, AUD), (AUD, SYS)])
def test_one_account_cannot_hold_two_roles(first, second):
    user = make_user("person", group(first), is_staff=True)
    message = refusal(lambda: user.groups.add(group(second)))
    assert "一个账号只能担任系统管理员、安全管理员、审计管理员中的一个角色" in message
    # From the group's side too (Wagtail's bulk "assign role").
    assert refusal(lambda: group(second).user_set.add(user)) == message
    assert list(user.groups.values_list("name", flat=True)) == [first]


@pytest.mark.parametrize(("role", "allowed"), [(SYS, True), (SEC, False), (AUD, False)])
def test_superusers_may_not_be_security_or_audit_admins(role, allowed):
    boss = make_user("boss", is_superuser=True, is_staff=True)
    if allowed:
        boss.groups.add(group(role))
    else:
        assert "超级管理员不能同时担任" in refusal(lambda: boss.groups.add(group(role)))

    person = make_user("person", group(role), is_staff=True)
    person.is_superuser = True
    if allowed:
        person.save()
    else:
        assert "超级管理员不能同时担任" in refusal(person.save)
        assert not get_user_model().objects.get(pk=person.pk).is_superuser


@pytest.mark.parametrize("role", roles.ROLE_GROUPS)
def test_the_three_hold_no_content_rights(site_group, role):
    a = site_group.a
    admin = make_user("person", group(role), is_staff=True)
    assert "不能拥有栏目/页面权限" in refusal(lambda: admin.groups.add(a.roles.admins))
    # Nor can a content group's member take the role …
    assert "不能拥有栏目/页面权限" in refusal(lambda: a.editor.groups.add(group(role)))
    # … nor the role's group (or a group with such a member) get page permissions.
    helpers = Group.objects.create(name="帮手")
    admin.groups.add(helpers)
    edit = Permission.objects.get(content_type__app_label="wagtailcore", codename="change_page")
    for target in (group(role), helpers):
        message = refusal(
            lambda target=target: GroupPagePermission.objects.create(
                group=target, page=a.home, permission=edit
            )
        )
        assert "不能授予栏目/页面权限" in message


# -- the Wagtail user and group editors --------------------------------------------------------


def user_form(user, *groups, **extra) -> dict:
    data = {
        "username": user.username,
        "email": user.email,
        "first_name": "名",
        "last_name": "姓",
        "is_active": "on",
        "groups": [g.pk for g in groups],
    }
    data.update(extra)
    return data


def test_user_form_refuses_two_roles_with_a_form_error(client):
    boss = make_user("boss", is_superuser=True, is_staff=True)
    person = make_user("person", group(SYS), is_staff=True)
    client.force_login(boss)
    url = reverse("wagtailusers_users:edit", args=(person.pk,))
    response = client.post(url, user_form(person, group(SYS), group(AUD)))
    assert response.status_code == 200
    assert (
        "一个账号只能担任系统管理员、安全管理员、审计管理员中的一个角色"
        in response.content.decode()
    )
    assert list(person.groups.values_list("name", flat=True)) == [SYS]

    response = client.post(url, user_form(person, group(AUD), is_superuser="on"))
    assert response.status_code == 200
    assert "超级管理员不能同时担任审计管理员" in response.content.decode()

    # A single role is fine, and the change is in the audit trail.
    mark = audit_mark()
    assert client.post(url, user_form(person, group(AUD))).status_code == 302
    changes = actions_since(mark, "perm.group_membership")
    assert changes[0].before == {"groups": [SYS]} and changes[-1].after == {"groups": [AUD]}


def test_new_user_form_refuses_two_roles(client):
    boss = make_user("boss", is_superuser=True, is_staff=True)
    client.force_login(boss)
    data = user_form(
        get_user_model()(username="newbie", email="newbie@example.gov.cn"),
        group(SEC),
        group(AUD),
        password1="Xin!zhiyuan2026",
        password2="Xin!zhiyuan2026",
    )
    response = client.post(reverse("wagtailusers_users:add"), data)
    assert response.status_code == 200
    assert "一个账号只能担任" in response.content.decode()
    assert not get_user_model().objects.filter(username="newbie").exists()


def test_security_admin_manages_others_but_not_themselves(client, secadmin, site_group):
    a = site_group.a
    client.force_login(secadmin)
    # Someone else's roles: yes.
    url = reverse("wagtailusers_users:edit", args=(a.editor.pk,))
    assert client.get(url).status_code == 200
    response = client.post(url, user_form(a.editor, a.roles.editors, a.roles.reviewers))
    assert response.status_code == 302
    assert a.editor.groups.filter(pk=a.roles.reviewers.pk).exists()
    # Not the superuser checkbox (only a superuser makes superusers).
    assert 'name="is_superuser"' not in client.get(url).content.decode()

    # Their own roles: the field is locked, and posting anyway changes nothing.
    own = reverse("wagtailusers_users:edit", args=(secadmin.pk,))
    page = client.get(own).content.decode()
    assert "安全管理员不能修改自己的角色或权限" in page
    client.post(own, user_form(secadmin, group(SEC), a.roles.admins))
    assert list(secadmin.groups.values_list("name", flat=True)) == [SEC]
    # Nor through the model layer (e.g. 站点人员与权限, bulk actions): refused with the reason.
    from govportal.audit.context import acting_as

    new_role = Group.objects.create(name="新角色")
    with acting_as(secadmin):
        assert refusal(lambda: secadmin.groups.add(new_role)) == roles.OWN_ROLES

    # Their own group cannot be edited or deleted.
    for name in ("edit", "delete"):
        response = client.get(reverse(f"wagtailusers_groups:{name}", args=(group(SEC).pk,)))
        assert response.status_code == 302, name
        assert response.url == reverse("wagtailusers_groups:index")
    # Other groups can.
    assert (
        client.get(reverse("wagtailusers_groups:edit", args=(a.roles.editors.pk,))).status_code
        == 200
    )


def test_group_editor_refuses_page_permissions_for_a_group_with_one_of_the_three(
    client, auditor, site_group
):
    boss = make_user("boss", is_superuser=True, is_staff=True)
    helpers = Group.objects.create(name="审计助理")
    auditor.groups.add(helpers)
    client.force_login(boss)
    url = reverse("wagtailusers_groups:edit", args=(helpers.pk,))
    data = {
        "name": "审计助理",
        "page_permissions-TOTAL_FORMS": "1",
        "page_permissions-INITIAL_FORMS": "0",
        "page_permissions-MIN_NUM_FORMS": "0",
        "page_permissions-MAX_NUM_FORMS": "1000",
        "page_permissions-0-page": str(site_group.a.home.pk),
        "page_permissions-0-permissions": ["change_page", "publish_page"],
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "不能授予栏目/页面权限" in response.content.decode()
    assert not GroupPagePermission.objects.filter(group=helpers).exists()


# -- each of the three, refused the others' work over HTTP -------------------------------------


def role_urls(site_group):
    a = site_group.a
    return {
        "audit list": reverse("audit:index"),
        "audit export": reverse("audit:export", args=("csv",)),
        "user edit": reverse("wagtailusers_users:edit", args=(a.editor.pk,)),
        "user add": reverse("wagtailusers_users:add"),
        "group edit": reverse("wagtailusers_groups:edit", args=(a.roles.editors.pk,)),
        "site settings": reverse(
            "wagtailsettings:edit", args=("govsites", "siteprofile", a.site.pk)
        ),
        "platform settings": reverse(
            "wagtailsettings:edit", args=("core", "platformsettings", PlatformSettings.load().pk)
        ),
        "sites": reverse("wagtailsites:index"),
        "page edit": reverse("wagtailadmin_pages:edit", args=(a.news_article.pk,)),
        "page unpublish": reverse("wagtailadmin_pages:unpublish", args=(a.news_article.pk,)),
        "2fa policy": reverse(
            "wagtailsettings:edit", args=("accounts", "twofactorpolicy", TwoFactorPolicy.load().pk)
        ),
    }


ALLOWED = {
    "sysadmin": {"site settings", "platform settings", "sites"},
    "secadmin": {"user edit", "user add", "group edit", "2fa policy"},
    "auditor": {"audit list", "audit export"},
}


@pytest.mark.parametrize("who", ["sysadmin", "secadmin", "auditor"])
def test_each_admin_is_refused_the_others_work(client, site_group, who, request):
    user = request.getfixturevalue(who)
    client.force_login(user)
    for name, url in role_urls(site_group).items():
        response = client.get(url)
        if name in ALLOWED[who]:
            assert response.status_code == 200, (who, name, response.status_code)
        else:
            assert refused(response), (who, name, response.status_code)


@pytest.mark.parametrize("who", ["sysadmin", "secadmin", "auditor"])
def test_none_of_the_three_can_publish(client, site_group, who, request):
    from wagtail.models import Page

    user = request.getfixturevalue(who)
    article = site_group.a.news_article
    client.force_login(user)
    response = client.post(reverse("wagtailadmin_pages:unpublish", args=(article.pk,)))
    assert refused(response)
    assert Page.objects.get(pk=article.pk).live
    assert not Page.objects.get(pk=article.pk).permissions_for_user(user).can_publish()


def test_system_admin_cannot_give_themselves_content_rights(client, sysadmin, site_group):
    """No user/group editing, and the model layer refuses a site role whatever the path."""
    client.force_login(sysadmin)
    own = reverse("wagtailusers_users:edit", args=(sysadmin.pk,))
    assert refused(client.post(own, user_form(sysadmin, group(SYS), site_group.a.roles.admins)))
    assert refused(client.get(reverse("wagtailusers_groups:edit", args=(group(SYS).pk,))))
    refusal(lambda: sysadmin.groups.add(site_group.a.roles.admins))
    assert list(sysadmin.groups.values_list("name", flat=True)) == [SYS]


def test_security_admin_sees_no_content_menus(client, site_group, secadmin):
    """The security admin holds no page rights: 信息报送 and the library are not offered."""
    client.force_login(secadmin)
    body = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "信息报送" not in body
    assert "统一信息资源库" not in body
