"""栏目授权 (logical sub-sites): a channel subtree handed to a sub-unit's people."""

from django.contrib.auth.models import Group
from django.urls import reverse

from wagtail.documents import get_document_model
from wagtail.models import GroupCollectionPermission, GroupPagePermission, ModelLogEntry, Page
from wagtail.permissions import policy_registry

import pytest
from bs4 import BeautifulSoup

from govportal.audit.models import AuditRecord
from govportal.conftest import add_article_url, article_form_data, edit_url, make_user
from govportal.content.models import ArticlePage
from govportal.organizations.models import Organization
from govportal.siteadmin import services
from govportal.siteadmin.models import ChannelDelegation

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit(extras):
    return Organization.objects.get(name="甲区教育局")


def delegate(client, site_group, unit, **extra):
    a = site_group.a
    client.force_login(a.admin)
    data = {"channel": a.notices.pk, "organization": unit.pk, "usernames": "edu_editor", **extra}
    return client.post(reverse("siteadmin:new_delegation", args=(a.site.pk,)), data)


def test_delegated_user_edits_inside_the_channel_only(client, site_group, unit):
    a, b = site_group.a, site_group.b
    make_user("edu_editor")
    response = delegate(client, site_group, unit)
    assert response.status_code == 302, response.content.decode()[:3000]
    delegation = ChannelDelegation.objects.get()
    assert (delegation.site, delegation.channel.pk, delegation.organization) == (
        a.site,
        a.notices.pk,
        unit,
    )
    assert delegation.created_by == a.admin
    assert list(delegation.group.user_set.values_list("username", flat=True)) == ["edu_editor"]
    entry = ModelLogEntry.objects.get(action=services.ACTION_DELEGATION_CREATED)
    assert "甲区教育局" in entry.message

    user = delegation.group.user_set.get()
    client.force_login(user)
    # The explorer opens on the delegated channel and shows nothing else.
    response = client.get(reverse("wagtailadmin_explore_root"))
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_explore", args=(a.notices.pk,))
    # Inside: edit the article, add one (it goes to review, not live).
    assert client.get(edit_url(a.notice_article)).status_code == 200
    url = add_article_url(a.notices)
    data = article_form_data(
        client, url, title="教育局报送的通知", slug="edu-notice", action="action-submit"
    )
    assert client.post(url, data).status_code == 302
    page = ArticlePage.objects.get(slug="edu-notice")
    assert not page.live and page.workflow_in_progress
    # Outside the channel, and on site B: refused.
    assert client.get(edit_url(a.news_article)).status_code == 302
    assert client.get(edit_url(b.notice_article)).status_code == 302
    assert client.get(add_article_url(a.news)).status_code == 302
    # Images and documents of the site collection can be chosen.
    chooser = client.get(reverse("wagtailimages_chooser:choose"))
    assert "站点A图片" in chooser.json()["html"]


def test_delegation_form_refuses_other_units_channels_and_unknown_users(client, site_group, unit):
    a, b = site_group.a, site_group.b
    other_unit = Organization.objects.get(name="乙区人民政府")
    response = delegate(client, site_group, other_unit, usernames="")
    assert response.status_code == 200 and "organization" in response.context["form"].errors
    response = delegate(client, site_group, unit, channel=b.notices.pk, usernames="")
    assert response.status_code == 200 and "channel" in response.context["form"].errors
    response = delegate(client, site_group, unit, usernames="nobody_here")
    assert response.status_code == 200
    assert "没有这些用户名的用户：nobody_here" in response.content.decode()
    response = delegate(client, site_group, unit, usernames="", members=[b.editor.pk])
    assert response.status_code == 200 and "members" in response.context["form"].errors
    assert not ChannelDelegation.objects.exists()
    # Site B's admin cannot delegate A's channel, even with a forged post.
    client.force_login(b.admin)
    url = reverse("siteadmin:new_delegation", args=(a.site.pk,))
    assert client.post(url, {"channel": a.notices.pk, "organization": unit.pk}).status_code == 403
    with pytest.raises(services.PermissionDenied):
        services.create_delegation(b.site, b.admin, a.notices, unit)
    assert not ChannelDelegation.objects.exists()


def test_members_are_edited_and_the_delegation_revoked(client, site_group, unit):
    a, b = site_group.a, site_group.b
    first, second = make_user("edu_editor"), make_user("edu_second")
    delegate(client, site_group, unit)
    delegation = ChannelDelegation.objects.get()
    listing = client.get(reverse("siteadmin:delegations", args=(a.site.pk,))).content.decode()
    assert "甲区教育局" in listing and "edu_editor" in listing
    # B's admin sees neither the list nor the delegation.
    client.force_login(b.admin)
    url = reverse("siteadmin:delegation", args=(a.site.pk, delegation.pk))
    assert client.get(url).status_code == 403
    assert (
        client.get(reverse("siteadmin:delegation", args=(b.site.pk, delegation.pk))).status_code
        == 404
    )

    client.force_login(a.admin)
    data = {"organization": unit.pk, "members": [first.pk], "usernames": "edu_second"}
    response = client.post(url, data)
    assert response.status_code == 302
    assert set(delegation.group.user_set.all()) == {first, second}
    response = client.post(url, {"organization": unit.pk, "members": [second.pk]})
    assert set(delegation.group.user_set.all()) == {second}
    assert ModelLogEntry.objects.filter(action=services.ACTION_DELEGATION_CHANGED).count() == 2
    record = (
        AuditRecord.objects.filter(action="siteadmin.delegation_changed").order_by("seq").last()
    )
    assert record.before["members"] == ["edu_editor", "edu_second"]
    assert record.after["members"] == ["edu_second"]

    group_pk = delegation.group.pk
    revoke = reverse("siteadmin:revoke_delegation", args=(a.site.pk, delegation.pk))
    # The list links to a confirmation; asking changes nothing.
    listing = client.get(reverse("siteadmin:delegations", args=(a.site.pk,))).content.decode()
    assert f'href="{revoke}"' in listing and f'action="{revoke}"' not in listing
    page = BeautifulSoup(client.get(revoke).content.decode(), "html.parser")
    text = page.select_one("#confirm").get_text()
    assert "确定要撤销栏目" in text and "甲区教育局" in text
    assert [li.get_text() for li in page.select("#confirm-losses li")] == [
        "edu_second（edu_second）"
    ]
    assert delegation.group.name in text
    assert ChannelDelegation.objects.filter(pk=delegation.pk).exists()
    assert client.post(revoke).status_code == 302
    assert not ChannelDelegation.objects.exists()
    assert not Group.objects.filter(pk=group_pk).exists()
    assert ModelLogEntry.objects.filter(action=services.ACTION_DELEGATION_REVOKED).count() == 1
    client.force_login(second)
    assert client.get(edit_url(a.notice_article)).status_code == 302


def test_delegation_group_is_a_role_site_admins_can_give(client, site_group, unit):
    a = site_group.a
    make_user("edu_editor")
    delegate(client, site_group, unit)
    delegation = ChannelDelegation.objects.get()
    labels = services.role_labels(a.site)
    assert labels[delegation.group.pk].startswith("栏目授权：")
    html = client.get(reverse("siteadmin:new_user", args=(a.site.pk,))).content.decode()
    assert "栏目授权：" in html


def test_unit_and_people_of_a_delegation_are_changed_with_the_creation_checks(
    client, site_group, unit
):
    a, b = site_group.a, site_group.b
    make_user("edu_editor")
    delegate(client, site_group, unit)
    delegation = ChannelDelegation.objects.get()
    url = reverse("siteadmin:delegation", args=(a.site.pk, delegation.pk))
    form = client.get(url).context["form"]
    assert form.initial["organization"] == unit.pk
    district = Organization.objects.get(name="甲区人民政府")
    other = Organization.objects.get(name="乙区人民政府")

    # Refused: a unit outside the site's, a person of another site, unknown usernames.
    for data, field, message in [
        ({"organization": other.pk}, "organization", "只能选择本站点所属单位及其下级单位"),
        ({"organization": ""}, "organization", "请选择授权单位"),
        ({"organization": district.pk, "members": [b.editor.pk]}, "members", ""),
        ({"organization": district.pk, "usernames": "nobody_here"}, None, "nobody_here"),
    ]:
        response = client.post(url, {"usernames": "", **data})
        assert response.status_code == 200
        if field:
            assert message in " ".join(response.context["form"].errors[field])
        else:
            assert message in response.content.decode()
        delegation.refresh_from_db()
        assert delegation.organization == unit
        assert list(delegation.group.user_set.values_list("username", flat=True)) == ["edu_editor"]
    # B's admin cannot change A's delegation, even with a forged post.
    client.force_login(b.admin)
    assert client.post(url, {"organization": district.pk}).status_code == 403
    with pytest.raises(services.PermissionDenied):
        services.update_delegation(delegation, b.admin, organization=district)

    client.force_login(a.admin)
    response = client.post(url, {"organization": district.pk, "usernames": "edu_editor"})
    assert response.status_code == 302
    delegation.refresh_from_db()
    assert delegation.organization == district
    assert "甲区人民政府" in delegation.group.name
    record = AuditRecord.objects.get(action="siteadmin.delegation_changed")
    assert record.before["organization"] == "甲区教育局"
    assert record.after["organization"] == "甲区人民政府"
    entry = ModelLogEntry.objects.get(action=services.ACTION_DELEGATION_CHANGED)
    assert "授权单位由甲区教育局改为甲区人民政府" in entry.message
    labels = services.role_labels(a.site)
    assert labels[delegation.group.pk].endswith("（甲区人民政府）")


def test_deleting_the_delegated_channel_deletes_its_group(client, site_group, unit, superuser):
    a = site_group.a
    member = make_user("edu_editor")
    delegate(client, site_group, unit)
    delegation = ChannelDelegation.objects.get()
    group_pk, group_name = delegation.group.pk, delegation.group.name
    assert GroupCollectionPermission.objects.filter(group_id=group_pk).exists()

    client.force_login(superuser)
    channel = Page.objects.get(pk=a.notices.pk)
    response = client.post(reverse("wagtailadmin_pages:delete", args=(channel.pk,)))
    assert response.status_code == 302
    assert not Page.objects.filter(pk=channel.pk).exists()

    assert not ChannelDelegation.objects.exists()
    assert not Group.objects.filter(pk=group_pk).exists()
    assert not GroupCollectionPermission.objects.filter(group_id=group_pk).exists()
    assert not GroupPagePermission.objects.filter(group_id=group_pk).exists()
    assert not member.groups.exists()
    # The former member no longer adds documents to the site's collection.
    policy = policy_registry.get_by_type(get_document_model())
    assert not policy.user_has_permission(member, "add")
    # Audited: the delegation's removal (who, which group, which people) and the group.
    record = AuditRecord.objects.get(action="siteadmin.delegation_removed")
    assert record.user_id == superuser.pk
    assert record.extra["group"] == group_name and record.extra["members"] == ["edu_editor"]
    assert AuditRecord.objects.filter(action="perm.group_delete", object_id=str(group_pk)).exists()
    assert ModelLogEntry.objects.filter(action=services.ACTION_DELEGATION_REMOVED).exists()
    # The staff page shows it in its history.
    client.force_login(a.admin)
    html = client.get(reverse("siteadmin:staff", args=(a.site.pk,))).content.decode()
    assert "随之删除" in html


def test_revoking_is_recorded_once(client, site_group, unit):
    make_user("edu_editor")
    delegate(client, site_group, unit)
    delegation = ChannelDelegation.objects.get()
    services.revoke_delegation(delegation, site_group.a.admin)
    assert AuditRecord.objects.filter(action="siteadmin.delegation_revoked").count() == 1
    assert not AuditRecord.objects.filter(action="siteadmin.delegation_removed").exists()
    assert AuditRecord.objects.filter(action="perm.group_delete").count() == 1
