"""站点人员与权限: confirmation before taking something away, and 重置密码 for one-site staff."""

import json

from django.contrib.auth import get_user_model
from django.urls import reverse

from wagtail.models import ModelLogEntry
from wagtail.test.utils.form_data import querydict_from_html

import pytest
from bs4 import BeautifulSoup

from govportal.audit.models import AuditRecord
from govportal.conftest import PASSWORD, make_user
from govportal.siteadmin import services

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Chong-zhi#2026ab"  # noqa: S105 — test only


def fresh(user):
    return get_user_model().objects.get(pk=user.pk)


def action_url(site, person, action):
    return reverse("siteadmin:person_action", args=(site.pk, person.pk, action))


# -- confirmation pages ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "says", "button"),
    [
        ("remove", ["确定要将", "移出", "编辑", "其他站点的角色不受影响"], "确认移出"),
        ("deactivate", ["确定要停用", "不能再登录"], "确认停用"),
    ],
)
def test_taking_away_asks_first_and_changes_nothing_until_confirmed(
    client, site_group, action, says, button
):
    a = site_group.a
    client.force_login(a.admin)
    url = action_url(a.site, a.editor, action)
    # The person page links to the confirmation; it holds no one-click form for it.
    person_page = client.get(reverse("siteadmin:person", args=(a.site.pk, a.editor.pk)))
    doc = BeautifulSoup(person_page.content.decode(), "html.parser")
    assert doc.select_one(f'a[href="{url}"]') is not None
    assert doc.select_one(f'form[action="{url}"]') is None

    response = client.get(url)
    assert response.status_code == 200
    doc = BeautifulSoup(response.content.decode(), "html.parser")
    text = doc.select_one("#confirm").get_text()
    for words in [a.editor.username, *says]:
        assert words in text
    form = doc.select_one("#confirm form")
    assert form["method"] == "post" and form.select_one("[name=csrfmiddlewaretoken]")
    assert form.select_one("button").get_text() == button
    editor = fresh(a.editor)
    assert editor.is_active and list(editor.groups.all()) == [a.roles.editors]

    assert client.post(url).status_code == 302
    editor = fresh(a.editor)
    if action == "remove":
        assert list(editor.groups.all()) == []
    else:
        assert not editor.is_active


def test_remove_confirmation_names_only_this_sites_roles(client, site_group):
    a, b = site_group.a, site_group.b
    both = make_user("two_sites", a.roles.editors, a.roles.reviewers, b.roles.reviewers)
    client.force_login(a.admin)
    html = client.get(action_url(a.site, both, "remove")).content.decode()
    losses = BeautifulSoup(html, "html.parser").select("#confirm-losses li")
    assert sorted(li.get_text() for li in losses) == ["审核员", "编辑"]
    assert "BETA" not in html and b.site.site_name not in html


@pytest.mark.parametrize(
    ("who", "action", "message"),
    [
        ("self", "remove", "不能把自己移出本站点"),
        ("self", "deactivate", "不能停用或启用自己的账号"),
        ("two_sites", "deactivate", "只能由平台管理员停用或启用"),
    ],
)
def test_a_confirmation_that_cannot_be_done_says_why_instead(
    client, site_group, who, action, message
):
    a, b = site_group.a, site_group.b
    person = a.admin if who == "self" else make_user("two_sites", a.roles.editors, b.roles.editors)
    client.force_login(a.admin)
    response = client.get(action_url(a.site, person, action), follow=True)
    html = response.content.decode()
    assert message in html
    assert 'id="confirm"' not in html  # back on the person page, nothing to confirm
    person = fresh(person)
    assert person.is_active and person.groups.exists()


def test_unknown_person_action_is_404(client, site_group):
    a = site_group.a
    client.force_login(a.admin)
    assert client.get(action_url(a.site, a.editor, "delete")).status_code == 404
    assert client.post(action_url(a.site, a.editor, "delete")).status_code == 404


# -- 重置密码 ---------------------------------------------------------------------------------


def reset_url(site, person):
    return reverse("siteadmin:reset_password", args=(site.pk, person.pk))


def test_site_admin_resets_a_one_site_staff_password(client, site_group):
    a = site_group.a
    client.force_login(a.admin)
    person_page = client.get(reverse("siteadmin:person", args=(a.site.pk, a.editor.pk)))
    assert reset_url(a.site, a.editor) in person_page.content.decode()

    form = client.get(reset_url(a.site, a.editor))
    assert form.status_code == 200
    doc = BeautifulSoup(form.content.decode(), "html.parser")
    for name in ("password1", "password2"):
        field = doc.select_one(f"input[name={name}]")
        assert field["type"] == "password" and field["autocomplete"] == "new-password"
        assert doc.select_one(f'label[for="{field["id"]}"]') is not None

    response = client.post(
        reset_url(a.site, a.editor), {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert fresh(a.editor).check_password(NEW_PASSWORD)
    page = client.get(response["Location"]).content.decode()
    assert "已重置" in page and NEW_PASSWORD not in page

    record = AuditRecord.objects.get(action="siteadmin.password_reset")
    assert record.user_id == a.admin.pk and record.object_id == str(a.editor.pk)
    assert record.extra["account"] == a.editor.username
    stored = json.dumps([record.before, record.after, record.extra], ensure_ascii=False)
    assert NEW_PASSWORD not in stored
    entry = ModelLogEntry.objects.get(action=services.ACTION_PASSWORD_RESET)
    assert a.editor.username in entry.message and NEW_PASSWORD not in json.dumps(entry.data)
    # The old sessions of the person end: their next request is logged out.
    client.force_login(a.editor)
    services.reset_password(a.site, a.admin, fresh(a.editor), "Zai-ci#2026cd")
    assert client.get(reverse("wagtailadmin_home")).status_code == 302


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD + "x"},
            "password2",
            "两次输入的密码不一致",
        ),
        ({"password1": "Ab1!short", "password2": "Ab1!short"}, "password1", "10"),
        ({"password1": "abcdefghijkl", "password2": "abcdefghijkl"}, "password1", "至少"),
        ({"password1": "", "password2": ""}, "password1", "请输入新密码"),
    ],
)
def test_bad_new_password_is_refused_in_chinese_and_not_shown_again(
    client, site_group, data, field, message
):
    a = site_group.a
    client.force_login(a.admin)
    response = client.post(reset_url(a.site, a.editor), data)
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors[field])
    assert message in errors
    html = response.content.decode()
    for typed in {data["password1"], data["password2"]} - {""}:
        assert f'value="{typed}"' not in html
    assert fresh(a.editor).check_password(PASSWORD)
    assert not AuditRecord.objects.filter(action="siteadmin.password_reset").exists()


@pytest.mark.parametrize(
    ("actor", "site", "target", "status"),
    [
        ("a_admin", "a", "two_sites", 403),  # also works on site B
        ("a_admin", "a", "a_admin", 403),  # oneself: the account settings page
        ("a_admin", "a", "superuser", 404),  # not a person of the site
        ("a_admin", "a", "b_editor", 404),  # B's people through A's site
        ("a_admin", "b", "b_editor", 403),  # B's site
        ("a_editor", "a", "a_reviewer", 403),  # not a site admin
    ],
)
def test_password_reset_outside_the_admins_scope_is_refused(
    client, site_group, superuser, actor, site, target, status
):
    a, b = site_group.a, site_group.b
    people = {
        "a_admin": a.admin,
        "a_editor": a.editor,
        "a_reviewer": a.reviewer,
        "b_editor": b.editor,
        "superuser": superuser,
        "two_sites": make_user("two_sites", a.roles.editors, b.roles.editors),
    }
    person = people[target]
    client.force_login(people[actor])
    url = reset_url({"a": a, "b": b}[site].site, person)
    assert client.get(url).status_code == status
    response = client.post(url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == status
    assert not fresh(person).check_password(NEW_PASSWORD)
    assert not AuditRecord.objects.filter(action="siteadmin.password_reset").exists()


def test_person_page_offers_password_reset_only_within_scope(client, site_group):
    a, b = site_group.a, site_group.b
    both = make_user("two_sites", a.roles.editors, b.roles.editors)
    client.force_login(a.admin)
    html = client.get(reverse("siteadmin:person", args=(a.site.pk, both.pk))).content.decode()
    assert reset_url(a.site, both) not in html
    assert "重置密码须由平台管理员操作" in html
    html = client.get(reverse("siteadmin:person", args=(a.site.pk, a.admin.pk))).content.decode()
    assert reset_url(a.site, a.admin) not in html


def test_person_must_replace_a_password_the_site_admin_set(client, site_group):
    """After a reset the owner can do nothing in the admin until they choose their own
    password on Wagtail's account page (one full name is enough there)."""
    a = site_group.a
    client.force_login(a.admin)
    client.post(reset_url(a.site, a.editor), {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    editor = fresh(a.editor)
    # A name given as one string, as 站点人员与权限 creates accounts (no separate 姓).
    editor.first_name, editor.last_name = "张伟", ""
    editor.save()
    client.force_login(editor)
    account = reverse("wagtailadmin_account")
    response = client.get(reverse("wagtailadmin_explore_root"))
    assert response.status_code == 302 and response["Location"] == account
    assert "您的密码由管理员设置" in client.get(account).content.decode()

    own = "Wo-de#mima2026x"
    soup = BeautifulSoup(client.get(account).content.decode(), "html.parser")
    form = querydict_from_html(
        str(soup.find("input", attrs={"name": "password-old_password"}).find_parent("form"))
    )
    assert form.get("name_email-last_name", "") == ""  # Wagtail would refuse the whole page
    form["password-old_password"] = NEW_PASSWORD
    form["password-new_password1"] = form["password-new_password2"] = own
    changed = client.post(account, form)
    errors = BeautifulSoup(changed.content.decode(), "html.parser").select(".error-message")
    assert changed.status_code == 302, [e.get_text(strip=True) for e in errors]
    editor = fresh(editor)
    assert editor.check_password(own) and not editor.must_change_password
    assert client.get(reverse("wagtailadmin_home")).status_code == 200  # session kept
