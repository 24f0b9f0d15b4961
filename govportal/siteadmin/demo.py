"""Demo channel delegation (栏目授权): the city portal's 部门动态 maintained by 市财政局.

``city_dept_editor`` (password: the demo password) may add and edit articles only under
示例市人民政府 › 要闻动态 › 部门动态; what they submit goes through the city portal's
two-level review. Called at the end of ``load_demo_data``.
"""

from django.contrib.auth import get_user_model

from wagtail.models import Page

from govportal.organizations.models import Membership, Organization
from govportal.sites.models import SiteProfile

from . import services
from .models import ChannelDelegation

DEMO_PASSWORD = "Demo@2026gov"  # noqa: S105 — the documented demo password (content/demo.py)
CITY_SHORT_NAME = "示例市政府"
UNIT_NAME = "示例市财政局"
USERNAME = "city_dept_editor"


def build_demo_delegations(stdout=None) -> ChannelDelegation | None:
    profile = SiteProfile.objects.filter(short_name=CITY_SHORT_NAME).select_related("site").first()
    if profile is None:
        return None
    site = profile.site
    channel = Page.objects.descendant_of(site.root_page).filter(slug="dept-news").first()
    unit = Organization.objects.filter(name=UNIT_NAME).first()
    actor = get_user_model().objects.filter(username="city_admin").first()
    if channel is None or unit is None or actor is None:
        return None
    existing = ChannelDelegation.objects.filter(site=site, channel=channel).first()
    if existing is not None:
        return existing
    User = get_user_model()
    user = User.objects.filter(username=USERNAME).first()
    if user is None:
        user = User(
            username=USERNAME,
            display_name="市财政局信息员",
            first_name="市财政局信息员",
            email=f"{USERNAME}@example.gov.cn",
            is_staff=True,
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
    Membership.objects.get_or_create(
        user=user, organization=unit, defaults={"is_primary": True, "position": "信息员"}
    )
    delegation = services.create_delegation(site, actor, channel, unit, usernames=[USERNAME])
    if stdout is not None:
        stdout.write(f"  栏目授权: {site.site_name} › {channel.title} → {unit.name} ({USERNAME})")
    return delegation
