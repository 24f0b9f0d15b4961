"""provision_site: what one call creates, what it refuses, and that a failure leaves nothing."""

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from wagtail.models import Collection, ModelLogEntry, Page, Site, Workflow, WorkflowPage

import pytest

from govportal.conftest import make_user
from govportal.content.factories import make_site
from govportal.content.models import (
    ChannelPage,
    ColumnType,
    ExternalLinkChannel,
    PortalHomePage,
)
from govportal.organizations.models import SiteOrganization
from govportal.provisioning.services import ACTION_CREATE_SITE, provision_site
from govportal.provisioning.templates import TEMPLATES, ChannelNode, ChannelTemplate
from govportal.sites.models import SiteKind, SiteProfile, SiteTheme

pytestmark = pytest.mark.django_db


def arguments(orgs, **overrides):
    values = {
        "name": "示例市甲区人民政府",
        "short_name": "甲区政府",
        "kind": SiteKind.DISTRICT,
        "hostname": "jiaqu.example.test",
        "port": 80,
        "aliases": [],
        "site_id_code": "1399030001",
        "organization": orgs.district,
        "template": "district",
        "theme": SiteTheme.RED,
        "two_level": False,
        "admins": [],
    }
    values.update(overrides)
    return values


def test_provision_site_creates_a_complete_site(orgs, operator, staff):
    result = provision_site(**arguments(orgs, two_level=True, admins=[staff]), user=operator)

    site = Site.objects.get(hostname="jiaqu.example.test", port=80)
    assert site.root_page.specific_class is PortalHomePage and site.root_page.live
    assert site.root_page.get_parent().is_root()
    profile = SiteProfile.objects.get(site=site)
    assert (profile.site_name, profile.short_name, profile.kind, profile.site_id_code) == (
        "示例市甲区人民政府", "甲区政府", SiteKind.DISTRICT, "1399030001",
    )  # fmt: skip
    assert profile.theme == SiteTheme.RED
    assert profile.sponsor == orgs.district.name and profile.contact_phone == "0999-22223333"
    assert SiteOrganization.objects.get(site=site).organization == orgs.district

    # The channel tree is the template's, published, with its column types.
    template = TEMPLATES["district"]
    pages = Page.objects.descendant_of(site.root_page).specific().order_by("path")
    expected = [
        (depth, node.title, ColumnType.LINK if node.link else node.column_type)
        for depth, node in template.walk()
    ]
    home_depth = site.root_page.depth
    assert [(p.depth - home_depth, p.title, p.column_type) for p in pages] == expected
    assert all(p.live and p.first_published_at for p in pages)
    assert ExternalLinkChannel.objects.descendant_of(site.root_page).get().title == "办事服务"
    disclosure = ChannelPage.objects.descendant_of(site.root_page).get(slug="disclosure")
    assert disclosure.get_children().count() >= 4

    # Roles, collection, a two-level workflow, the appointed admin.
    names = set(Group.objects.filter(name__startswith="甲区政府·").values_list("name", flat=True))
    assert names == {"甲区政府·站点管理员", "甲区政府·审核员", "甲区政府·编辑", "甲区政府·终审"}
    assert Collection.objects.filter(name="甲区政府").exists()
    workflow = WorkflowPage.objects.get(page=site.root_page).workflow
    assert [t.name for t in workflow.tasks] == ["甲区政府·初审", "甲区政府·终审"]
    assert staff.groups.filter(name="甲区政府·站点管理员").exists()
    assert result.admins == [staff]

    entry = ModelLogEntry.objects.get(action=ACTION_CREATE_SITE)
    assert entry.user_id == operator.pk and entry.object_id == str(site.pk)
    assert entry.data["site_id_code"] == "1399030001"
    assert entry.data["admins"] == ["zhangsan"]
    assert "开通网站“示例市甲区人民政府”" in entry.message


@pytest.mark.parametrize("key", sorted(TEMPLATES))
def test_every_template_builds(orgs, key):
    result = provision_site(**arguments(orgs, template=key, hostname=f"{key}.example.test"))
    assert len(result.channels) == TEMPLATES[key].channel_count
    menu = [p.title for p in result.home.get_children().live().in_menu()]
    assert "通知公告" in menu and "政务公开" in menu
    types = {p.specific.column_type for p in result.channels}
    assert {ColumnType.NEWS, ColumnType.NOTICE, ColumnType.POLICY} <= types


def test_aliases_are_kept_on_the_profile(orgs):
    result = provision_site(**arguments(orgs, aliases=["jiaqu.gov.test", "www.jiaqu.gov.test"]))
    assert result.profile.alias_list == ["jiaqu.gov.test", "www.jiaqu.gov.test"]
    # One Wagtail Site per site: aliases are not extra Site rows.
    assert Site.objects.filter(root_page=result.home).count() == 1


@pytest.fixture
def existing(db):
    site, home, profile = make_site(
        hostname="taken.example.test", title="已有网站", site_id_code="1399000077"
    )
    profile.short_name = "已有网站"
    profile.host_aliases = "alias.example.test"
    profile.save()
    return site


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"name": ""}, "name", "请填写网站名称"),
        ({"short_name": ""}, "short_name", "请填写简称"),
        ({"short_name": "已有网站"}, "short_name", "已被其他网站使用"),
        ({"short_name": "甲·乙"}, "short_name", "不能含有"),
        ({"hostname": ""}, "hostname", "请填写主机名"),
        ({"hostname": "http://jiaqu.example.test/"}, "hostname", "不要带 http://"),
        ({"hostname": "jiaqu.example.test:8080"}, "hostname", "端口请填写"),
        ({"hostname": "jia_qu.example.test"}, "hostname", "不是有效的主机名"),
        ({"hostname": "-jiaqu.example.test"}, "hostname", "不是有效的主机名"),
        ({"hostname": "taken.example.test"}, "hostname", "已被“已有网站”使用"),
        ({"hostname": "alias.example.test"}, "hostname", "其他主机名"),
        ({"port": 0}, "port", "1–65535"),
        ({"aliases": ["taken.example.test"]}, "aliases", "已是其他网站的主机名"),
        ({"aliases": ["alias.example.test"]}, "aliases", "已是“"),
        ({"aliases": ["jiaqu.example.test"]}, "aliases", "与主机名相同"),
        ({"aliases": ["bad host"]}, "aliases", "不是有效的主机名"),
        ({"site_id_code": ""}, "site_id_code", "请填写网站标识码"),
        ({"site_id_code": "13990"}, "site_id_code", "10 位字母或数字"),
        ({"site_id_code": "1399-00001"}, "site_id_code", "10 位字母或数字"),
        ({"site_id_code": "1399000077"}, "site_id_code", "已被“"),
        ({"organization": None}, "organization", "请选择所属单位"),
        ({"template": "nonexistent"}, "template", "不存在"),
        ({"theme": "purple"}, "theme", "请选择配色主题"),
        ({"kind": "ministry"}, "kind", "请选择网站类型"),
    ],
)
def test_invalid_requests_are_refused_with_a_message(orgs, existing, overrides, field, message):
    sites, pages = Site.objects.count(), Page.objects.count()
    with pytest.raises(ValidationError) as error:
        provision_site(**arguments(orgs, **overrides))
    messages = error.value.message_dict[field]
    assert any(message in m for m in messages), messages
    assert (Site.objects.count(), Page.objects.count()) == (sites, pages)


def test_only_staff_can_be_appointed(orgs):
    citizen = make_user("citizen")
    with pytest.raises(ValidationError) as error:
        provision_site(**arguments(orgs, admins=[citizen]))
    assert "不能任命为站点管理员" in error.value.message_dict["admins"][0]


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            Site, Page, SiteProfile, SiteOrganization, Group, Collection, Workflow,
            WorkflowPage, ModelLogEntry,
        )
    }  # fmt: skip


def test_a_failure_half_way_leaves_nothing_behind(orgs, staff):
    """The second channel clashes with the first (same slug) after the site, home and
    profile were written: everything is rolled back, the operator can try again."""
    broken = ChannelTemplate(
        key="broken",
        label="有误的模板",
        description="",
        kind=SiteKind.SPECIAL,
        channels=(ChannelNode("工作动态", "news"), ChannelNode("新闻", "news")),
    )
    before = counts()
    with pytest.raises(ValidationError):
        provision_site(**arguments(orgs, template=broken, admins=[staff]))
    assert counts() == before
    assert not staff.groups.exists()

    # Nothing was left to collide with: the same request with a good template works.
    provision_site(**arguments(orgs, template="minimal", admins=[staff]))
    assert SiteProfile.objects.filter(short_name="甲区政府").count() == 1
