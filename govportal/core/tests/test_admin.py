"""The admin speaks Chinese by default, English on request, and warns about incomplete sites."""

import pytest

from govportal.content.factories import make_site


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser(
        "platform", "platform@example.gov.cn", "Plat!form-2026"
    )


def test_admin_login_page_is_chinese_by_default(client, db):
    html = client.get("/admin/login/").content.decode()
    assert 'lang="zh-hans"' in html or 'lang="zh-Hans"' in html
    assert "登录" in html


def test_admin_user_can_choose_english(client, superuser):
    from wagtail.users.models import UserProfile

    client.force_login(superuser)
    assert "控制面板" in client.get("/admin/").content.decode()
    profile = UserProfile.get_for_user(superuser)
    profile.preferred_language = "en"
    profile.save()
    html = client.get("/admin/").content.decode()
    assert "Dashboard" in html
    assert "控制面板" not in html


def test_dashboard_warns_about_missing_footer_fields(client, superuser, db):
    make_site(hostname="a.example.test", title="甲站", site_id_code="1399000001")
    make_site(hostname="b.example.test", title="乙站", site_id_code="1399000002", icp_number="")
    client.force_login(superuser)
    html = client.get("/admin/").content.decode()
    assert "网站信息不完整" in html
    assert "乙站" in html and "ICP备案号" in html
    assert "甲站：缺少" not in html


def test_admin_login_form_is_fully_chinese_and_branded(client, db):
    html = client.get("/admin/login/").content.decode()
    assert "登录 govportal" in html
    assert ">Password" not in html and "密码" in html
