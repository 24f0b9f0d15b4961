"""站点人员与权限: site admins manage their own site's people, and nothing beyond it."""

from django.contrib.auth import get_user_model
from django.urls import reverse

from wagtail.models import ModelLogEntry, Site

import pytest

from govportal.conftest import make_user
from govportal.siteadmin import access, services

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "Xin-zhanghao#2026"  # noqa: S105 — test only


def new_user_data(site_group, **extra):
    return {
        "username": "alpha_newcomer",
        "display_name": "新同事",
        "email": "newcomer@example.gov.cn",
        "mobile": "13800138000",
        "password1": GOOD_PASSWORD,
        "password2": GOOD_PASSWORD,
        "roles": [site_group.a.roles.editors.pk],
        **extra,
    }


def test_access_helpers(site_group, superuser):
    a, b = site_group.a, site_group.b
    assert [s.pk for s in access.sites_for_user(a.channel_editor)] == [a.site.pk]
    assert [s.pk for s in access.sites_for_user(a.editor)] == [a.site.pk]
    assert access.can_manage_site(a.admin, a.site)
    assert not access.can_manage_site(a.admin, b.site)
    assert not access.can_manage_site(a.editor, a.site)
    assert access.can_manage_site(superuser, b.site)
    assert access.is_platform_operator(superuser)
    assert {s.pk for s in access.sites_for_user(superuser)} == set(
        Site.objects.values_list("pk", flat=True)
    )
    groups = set(access.site_groups(a.site))
    assert a.roles.admins in groups and a.roles.editors in groups
    assert not groups & set(access.site_groups(b.site))


def test_platform_operator_permission_without_superuser(site_group):
    from django.contrib.auth.models import Permission

    operator = make_user("operator")
    operator.user_permissions.add(
        Permission.objects.get(content_type__app_label="siteadmin", codename="manage_site_group")
    )
    operator = get_user_model().objects.get(pk=operator.pk)
    assert access.is_platform_operator(operator)
    assert access.can_manage_site(operator, site_group.b.site)


def test_site_admin_edits_own_site_profile_only(client, site_group):
    a, b = site_group.a, site_group.b
    client.force_login(a.admin)
    own = client.get(f"/admin/settings/govsites/siteprofile/{a.site.pk}/")
    assert own.status_code == 200
    assert b.site.site_name not in own.content.decode()
    assert client.get(f"/admin/settings/govsites/siteprofile/{b.site.pk}/").status_code == 302
    # Editors do not edit the profile at all.
    client.force_login(a.editor)
    assert client.get(f"/admin/settings/govsites/siteprofile/{a.site.pk}/").status_code == 302


def test_staff_list_shows_own_people_with_roles_and_search(client, site_group):
    a = site_group.a
    client.force_login(a.admin)
    response = client.get(reverse("siteadmin:staff", args=(a.site.pk,)))
    html = response.content.decode()
    assert response.status_code == 200
    for user in (a.editor, a.reviewer, a.admin, a.channel_editor):
        assert f'data-user="{user.username}"' in html
    assert "beta_" not in html
    assert "栏目编辑：" in html
    response = client.get(reverse("siteadmin:staff", args=(a.site.pk,)) + "?q=reviewer")
    html = response.content.decode()
    assert 'data-user="alpha_reviewer"' in html and 'data-user="alpha_editor"' not in html


def test_index_redirects_a_one_site_admin_and_refuses_editors(client, site_group):
    client.force_login(site_group.a.admin)
    response = client.get(reverse("siteadmin:index"))
    assert response.status_code == 302
    assert response["Location"] == reverse("siteadmin:staff", args=(site_group.a.site.pk,))
    client.force_login(site_group.a.editor)
    assert client.get(reverse("siteadmin:index")).status_code == 403
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "站点人员与权限" not in home


def test_site_admin_creates_a_staff_user(client, site_group):
    a = site_group.a
    client.force_login(a.admin)
    response = client.post(
        reverse("siteadmin:new_user", args=(a.site.pk,)), new_user_data(site_group)
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    user = get_user_model().objects.get(username="alpha_newcomer")
    assert user.check_password(GOOD_PASSWORD)
    assert user.display_name == "新同事" and user.mobile == "13800138000"
    assert list(user.groups.all()) == [a.roles.editors]
    entry = ModelLogEntry.objects.get(action=services.ACTION_USER_CREATED)
    assert entry.user_id == a.admin.pk and entry.data["site_id"] == a.site.pk
    assert "alpha_newcomer" in entry.message
    # The new editor logs in, must first replace the password the admin chose, then edits.
    client.force_login(user)
    edit = reverse("wagtailadmin_pages:edit", args=(a.news_article.pk,))
    assert client.get(edit)["Location"] == reverse("wagtailadmin_account")
    user.set_password("Zi-ji#de-mima2026")  # what the account page does
    user.save()
    client.force_login(user)
    assert client.get(edit).status_code == 200


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"password2": "something-else-9X"}, "password2", "两次输入的密码不一致"),
        ({"password1": "short", "password2": "short"}, "password1", "10"),
        ({"username": "alpha_editor"}, "username", "已被使用"),
        ({"username": "bad name!"}, "username", ""),
        ({"mobile": "12345"}, "mobile", "11 位"),
        ({"roles": []}, "roles", "请至少选择一个角色"),
    ],
)
def test_bad_new_user_input_is_refused_with_a_clear_message_and_kept(
    client, site_group, change, field, message
):
    a = site_group.a
    client.force_login(a.admin)
    data = new_user_data(site_group, **change)
    response = client.post(reverse("siteadmin:new_user", args=(a.site.pk,)), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors
    assert message in " ".join(form.errors[field])
    html = response.content.decode()
    assert "新同事" in html  # what was typed is still there
    assert not get_user_model().objects.filter(username="alpha_newcomer").exists()


def test_site_admin_cannot_grant_another_sites_group(client, site_group):
    a, b = site_group.a, site_group.b
    client.force_login(a.admin)
    data = new_user_data(site_group, roles=[b.roles.admins.pk])
    response = client.post(reverse("siteadmin:new_user", args=(a.site.pk,)), data)
    assert response.status_code == 200
    assert "只能选择本站点的角色" in " ".join(response.context["form"].errors["roles"])
    assert not get_user_model().objects.filter(username="alpha_newcomer").exists()
    # And the services refuse it even without the form.
    with pytest.raises(services.PermissionDenied):
        services.set_roles(a.site, a.admin, a.editor, [b.roles.editors])


@pytest.mark.parametrize(
    "url_name",
    ["staff", "new_user", "add_existing", "delegations", "new_delegation"],
)
def test_site_admin_of_a_is_refused_on_site_b(client, site_group, url_name):
    a, b = site_group.a, site_group.b
    client.force_login(a.admin)
    url = reverse(f"siteadmin:{url_name}", args=(b.site.pk,))
    assert client.get(url).status_code == 403
    response = client.post(url, new_user_data(site_group, roles=[b.roles.editors.pk]))
    assert response.status_code == 403
    assert "站点B" not in response.content.decode() and "BETA" not in response.content.decode()
    assert not get_user_model().objects.filter(username="alpha_newcomer").exists()


def test_site_admin_of_a_cannot_change_b_people(client, site_group):
    a, b = site_group.a, site_group.b
    client.force_login(a.admin)
    # B's people through A's site: not people of A.
    url = reverse("siteadmin:person", args=(a.site.pk, b.editor.pk))
    assert client.get(url).status_code == 404
    assert client.post(url, {"roles": [a.roles.editors.pk]}).status_code == 404
    # Through B's site: refused.
    url = reverse("siteadmin:person", args=(b.site.pk, b.editor.pk))
    assert client.post(url, {"roles": [b.roles.admins.pk]}).status_code == 403
    action = reverse("siteadmin:person_action", args=(b.site.pk, b.editor.pk, "deactivate"))
    assert client.post(action).status_code == 403
    b_editor = get_user_model().objects.get(pk=b.editor.pk)
    assert b_editor.is_active and list(b_editor.groups.all()) == [b.roles.editors]


def test_existing_user_is_added_by_exact_username_only(client, site_group):
    a, b = site_group.a, site_group.b
    client.force_login(a.admin)
    url = reverse("siteadmin:add_existing", args=(a.site.pk,))
    response = client.post(url, {"username": "beta_edit", "roles": [a.roles.reviewers.pk]})
    assert response.status_code == 200
    assert "没有用户名为“beta_edit”的用户" in response.content.decode()
    response = client.post(url, {"username": "beta_editor", "roles": [a.roles.reviewers.pk]})
    assert response.status_code == 302
    user = get_user_model().objects.get(pk=b.editor.pk)
    assert set(user.groups.all()) == {b.roles.editors, a.roles.reviewers}
    assert ModelLogEntry.objects.filter(action=services.ACTION_USER_ADDED).count() == 1
    # A sees only the role on A, not the one on B.
    html = client.get(reverse("siteadmin:staff", args=(a.site.pk,))).content.decode()
    assert 'data-user="beta_editor"' in html
    assert "站点BETA" not in html


def test_changing_roles_and_removing_touch_only_this_site(client, site_group):
    a, b = site_group.a, site_group.b
    both = make_user("two_sites", a.roles.editors, b.roles.reviewers)
    client.force_login(a.admin)
    url = reverse("siteadmin:person", args=(a.site.pk, both.pk))
    page = client.get(url).content.decode()
    assert "站点BETA" not in page
    response = client.post(url, {"roles": [a.roles.reviewers.pk, a.roles.editors.pk]})
    assert response.status_code == 302
    assert set(both.groups.all()) == {a.roles.editors, a.roles.reviewers, b.roles.reviewers}
    entry = ModelLogEntry.objects.get(action=services.ACTION_ROLES_CHANGED)
    assert entry.data["before"] == ["编辑"] and entry.data["after"] == ["审核员", "编辑"]
    # Deactivating someone who also works for B is not A's call.
    deactivate = reverse("siteadmin:person_action", args=(a.site.pk, both.pk, "deactivate"))
    client.post(deactivate)
    assert get_user_model().objects.get(pk=both.pk).is_active
    remove = reverse("siteadmin:person_action", args=(a.site.pk, both.pk, "remove"))
    assert client.post(remove).status_code == 302
    assert list(both.groups.all()) == [b.roles.reviewers]
    assert ModelLogEntry.objects.filter(action=services.ACTION_USER_REMOVED).count() == 1


def test_deactivate_and_activate_a_one_site_user(client, site_group):
    a = site_group.a
    client.force_login(a.admin)
    url = reverse("siteadmin:person_action", args=(a.site.pk, a.editor.pk, "deactivate"))
    assert client.post(url).status_code == 302
    assert not get_user_model().objects.get(pk=a.editor.pk).is_active
    url = reverse("siteadmin:person_action", args=(a.site.pk, a.editor.pk, "activate"))
    client.post(url)
    assert get_user_model().objects.get(pk=a.editor.pk).is_active
    actions = set(ModelLogEntry.objects.values_list("action", flat=True))
    assert {services.ACTION_USER_DEACTIVATED, services.ACTION_USER_ACTIVATED} <= actions


def test_site_admin_cannot_lock_themselves_out(client, site_group):
    a = site_group.a
    client.force_login(a.admin)
    url = reverse("siteadmin:person", args=(a.site.pk, a.admin.pk))
    response = client.post(url, {"roles": [a.roles.editors.pk]})
    assert response.status_code == 200
    assert "不能取消自己在本站点的站点管理员角色" in response.content.decode()
    assert a.roles.admins in get_user_model().objects.get(pk=a.admin.pk).groups.all()
    remove = reverse("siteadmin:person_action", args=(a.site.pk, a.admin.pk, "remove"))
    client.post(remove)
    assert a.roles.admins in get_user_model().objects.get(pk=a.admin.pk).groups.all()


def test_requests_without_csrf_token_are_refused(site_group):
    from django.test import Client

    a = site_group.a
    client = Client(enforce_csrf_checks=True)
    client.force_login(a.admin)
    url = reverse("siteadmin:person_action", args=(a.site.pk, a.editor.pk, "deactivate"))
    assert client.post(url).status_code == 403
    assert get_user_model().objects.get(pk=a.editor.pk).is_active


def test_site_admins_get_no_global_user_or_group_powers(client, site_group):
    a = site_group.a
    admin = get_user_model().objects.get(pk=a.admin.pk)
    for perm in ("auth.change_user", "auth.add_user", "auth.change_group", "auth.add_group"):
        assert not admin.has_perm(perm)
    client.force_login(admin)
    assert client.get(reverse("wagtailusers_users:index")).status_code == 302
    assert client.get(reverse("wagtailusers_groups:index")).status_code == 302
