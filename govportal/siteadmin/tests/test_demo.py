"""The demo site group shows a channel delegation and site admins managing their staff."""

import io

from django.core.management import call_command
from django.urls import reverse

from wagtail.models import Site

import pytest

from govportal.siteadmin.demo import DEMO_PASSWORD, USERNAME
from govportal.siteadmin.models import ChannelDelegation


@pytest.fixture
def demo(db):
    out = io.StringIO()
    call_command("load_demo_data", articles=60, stdout=out)
    return out.getvalue()


def test_demo_delegates_the_department_news_channel(demo, client):
    delegation = ChannelDelegation.objects.select_related("channel", "organization").get()
    assert delegation.channel.title == "部门动态"
    assert delegation.organization.name == "示例市财政局"
    assert "栏目授权" in demo
    response = client.post("/admin/login/", {"username": USERNAME, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    response = client.get(reverse("wagtailadmin_explore_root"))
    assert response["Location"] == reverse("wagtailadmin_explore", args=(delegation.channel_id,))


def test_demo_site_admin_manages_own_staff(demo, client):
    city = Site.objects.get(is_default_site=True)
    client.post("/admin/login/", {"username": "city_admin", "password": DEMO_PASSWORD})
    response = client.get(reverse("siteadmin:staff", args=(city.pk,)))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-user="city_editor"' in html and 'data-user="city_dept_editor"' in html
    assert 'data-user="fgw_editor"' not in html
    other = Site.objects.exclude(pk=city.pk).first()
    assert client.get(reverse("siteadmin:staff", args=(other.pk,))).status_code == 403
