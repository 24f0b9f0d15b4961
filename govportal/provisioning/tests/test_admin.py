"""新建网站 through the admin form, end to end, as a platform operator and as others."""

from django.contrib.auth.models import Permission
from django.urls import reverse

from wagtail.models import Page, Site

import pytest

from govportal.conftest import PASSWORD, make_user
from govportal.content.factories import make_site
from govportal.content.models import ChannelPage
from govportal.sites.models import SiteProfile

pytestmark = pytest.mark.django_db

NEW = reverse("provisioning:new")
INDEX = reverse("provisioning:index")
HOST = "jiedao.example.test"


def form_data(orgs, **overrides):
    data = {
        "name": "甲区某街道办事处",
        "short_name": "某街道",
        "kind": "town",
        "hostname": HOST,
        "port": "80",
        "aliases": "",
        "site_id_code": "1399030011",
        "organization": str(orgs.town.pk),
        "theme": "green",
        "template": "town",
        "admins": [],
    }
    data.update(overrides)
    return data


def test_operator_creates_a_site_that_answers_on_its_host_name(client, orgs, operator, staff):
    client.force_login(operator)
    assert NEW in client.get(reverse("wagtailadmin_home")).content.decode()  # 站群管理 menu
    form = client.get(NEW)
    assert form.status_code == 200
    html = form.content.decode()
    for text in ["乡镇街道网站", "区县网站", "部门网站", "村（居）务公开", "生态绿", "中国红"]:
        assert text in html, text
    # The organisation tree is indented in the select.
    assert "\u3000└ 甲区某街道办事处" in html or "└ 甲区某街道办事处" in html

    response = client.post(NEW, form_data(orgs, admins=[str(staff.pk)], two_level="on"))
    site = Site.objects.get(hostname=HOST)
    assert response.status_code == 302
    assert response.url == reverse("provisioning:created", args=(site.pk,))

    done = client.get(response.url).content.decode()
    assert "网站“甲区某街道办事处”已开通" in done
    assert 'href="http://jiedao.example.test/"' in done
    assert reverse("wagtailadmin_explore", args=(site.root_page_id,)) in done
    assert f"/admin/settings/govsites/siteprofile/{site.pk}/" in done
    assert "村（居）务公开" in done and "zhangsan" in done
    assert "ICP备案号" in done  # the footer still lacks its filings: say so

    # The public site: its channels, its 网站标识码 in the footer, its theme.
    client.logout()
    home = client.get("/", HTTP_HOST=HOST)
    assert home.status_code == 200
    page = home.content.decode()
    assert '<body class="theme-green page-home">' in page
    assert "网站标识码：1399030011" in page
    assert "主办单位：甲区某街道办事处" in page
    for channel in ["工作动态", "通知公告", "政策文件", "政务公开", "便民服务"]:
        assert f">{channel}<" in page, channel
    assert client.get("/notices/", HTTP_HOST=HOST).status_code == 200

    # The appointed admin logs in and works in the new site's explorer, only there.
    login = client.post(
        reverse("wagtailadmin_login"), {"username": "zhangsan", "password": PASSWORD}
    )
    assert login.status_code == 302, login.content.decode()[:500]
    assert client.get(reverse("wagtailadmin_home")).status_code == 200
    explorer = client.get(reverse("wagtailadmin_explore", args=(site.root_page_id,)))
    assert explorer.status_code == 200
    assert "工作动态" in explorer.content.decode()
    news = ChannelPage.objects.descendant_of(site.root_page).get(slug="news")
    add_url = reverse("wagtailadmin_pages:add", args=("content", "articlepage", news.pk))
    assert client.get(add_url).status_code == 200
    other = Site.objects.exclude(pk=site.pk).exclude(root_page__depth=1).first()
    if other is not None and other.root_page.depth == 2:
        other_add = reverse("wagtailadmin_pages:add_subpage", args=(other.root_page_id,))
        assert client.get(other_add).status_code != 200

    # The list of all sites shows it.
    client.force_login(operator)
    listing = client.get(INDEX).content.decode()
    for text in ["甲区某街道办事处", HOST, "1399030011", "生态绿", "zhangsan"]:
        assert text in listing, text


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": ""}, "必需字段"),
        ({"hostname": "http://jiedao.example.test"}, "不要带 http://"),
        ({"hostname": "jie dao.test"}, "不是有效的主机名"),
        ({"hostname": "taken.example.test"}, "已被“已有网站”使用"),
        ({"port": "70000"}, "65535"),
        ({"aliases": "taken.example.test"}, "已是其他网站的主机名"),
        ({"site_id_code": "12345"}, "10 位字母或数字"),
        ({"site_id_code": "1399000077"}, "已被“已有网站"),
        ({"short_name": "已有网站"}, "已被其他网站使用"),
        ({"template": "nonexistent"}, "nonexistent"),
        ({"organization": "999999"}, "选择一个有效的选项"),
    ],
)
def test_each_invalid_field_gets_a_message_and_nothing_is_created(
    client, orgs, operator, overrides, message
):
    _site, _home, profile = make_site(
        hostname="taken.example.test", title="已有网站", site_id_code="1399000077"
    )
    profile.short_name = "已有网站"
    profile.save()
    client.force_login(operator)
    pages = Page.objects.count()
    response = client.post(NEW, form_data(orgs, **overrides))
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html, message
    assert 'id="provision-errors"' in html
    assert Page.objects.count() == pages
    assert not SiteProfile.objects.filter(site_id_code="1399030011").exists()


def test_a_form_with_several_errors_reports_each(client, orgs, operator):
    client.force_login(operator)
    response = client.post(
        NEW, form_data(orgs, hostname="bad host", site_id_code="x", short_name="甲·乙")
    )
    html = response.content.decode()
    for message in ["不是有效的主机名", "10 位字母或数字", "不能含有"]:
        assert message in html, message


def admin_user(username):
    """Someone who may use the admin (``access_admin``) but is no platform operator."""
    user = make_user(username, is_staff=True)
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    return user


def test_non_operators_are_refused(client, orgs, site_group):
    for user in (admin_user("clerk"), site_group.a.admin, site_group.b.editor):
        client.force_login(user)
        for url in (INDEX, NEW):
            response = client.get(url)
            assert response.status_code == 403, url
            assert "仅限平台管理员" in response.content.decode()
        response = client.post(NEW, form_data(orgs))
        assert response.status_code == 403
    assert not Site.objects.filter(hostname=HOST).exists()
    # And the menu (JSON for the sidebar) does not offer it.
    assert INDEX not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(NEW)
    assert response.status_code == 302 and "/admin/login/" in response.url


def test_holders_of_the_site_group_permission_are_operators(client, orgs):
    permission = Permission.objects.get(
        content_type__app_label="siteadmin", codename="manage_site_group"
    )
    user = admin_user("ops")
    user.user_permissions.add(permission)
    client.force_login(user)
    assert client.get(NEW).status_code == 200
    assert INDEX in client.get(reverse("wagtailadmin_home")).content.decode()
