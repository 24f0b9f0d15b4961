"""Demo 信息报送: the lower sites' submissions to the city portal, in every state.

Called at the end of ``load_demo_data`` (after the sites, users and memberships exist)::

    from govportal.submissions.demo import build_demo_submissions
    build_demo_submissions()

Idempotent: does nothing once the city portal has received submissions.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from wagtail.models import Site

from govportal.content.models import ArticlePage, ChannelPage
from govportal.sites.models import SiteProfile

from . import services
from .models import Submission, SubmissionStatus

S = SubmissionStatus

# (source site code, submitting user, city channel slug, [(final state, month offset)…])
# Month offset 0 = current month, 1 = previous month.
PLAN = [
    (
        "1399000012",
        "fgw_editor",
        "dept-news",
        [
            (S.ADOPTED, 0),
            (S.ADOPTED, 0),
            (S.DECLINED, 0),
            (S.SUBMITTED, 0),
            (S.ADOPTED, 1),
            (S.DECLINED, 1),
        ],
    ),
    (
        "1399000023",
        "edu_editor",
        "dept-news",
        [
            (S.ADOPTED, 0),
            (S.SUBMITTED, 0),
            (S.SUBMITTED, 0),
            (S.ADOPTED, 1),
            (S.ADOPTED, 1),
        ],
    ),
    (
        "1399010001",
        "qingshan_editor",
        "district-news",
        [
            (S.ADOPTED, 0),
            (S.DECLINED, 0),
            (S.WITHDRAWN, 0),
            (S.SUBMITTED, 0),
            (S.DECLINED, 1),
        ],
    ),
]

DECLINE_REASONS = [
    "内容属于部门日常事务性工作，不符合市政府门户网站的采用要求。",
    "稿件缺少具体数据和成效，请补充后重新报送。",
    "同类信息本周已采用，不再重复发布。",
]
NOTES = ["请市政府门户网站审核采用。", "此为本单位重点工作进展，建议在首页展示。", ""]


def _month_start(now, offset: int):
    local = timezone.localtime(now)
    start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    for _ in range(offset):
        start = (start - timedelta(days=1)).replace(day=1)
    return start


def _created_at(now, offset: int, index: int, total: int):
    """Spread the items over the month; the current month's stay before ``now``."""
    start = _month_start(now, offset)
    if offset == 0:
        span = now - start
        return start + span * (index + 1) / (total + 2)
    return start + timedelta(days=2 + index * 4, hours=9 + index)


@transaction.atomic
def build_demo_submissions(now=None) -> dict[str, int]:
    """Create the demo submissions (idempotent); returns the count per status."""
    now = now or timezone.now()
    city = Site.objects.select_related("root_page").get(is_default_site=True)
    if Submission.objects.filter(target_site=city).exists():
        return _counts(city)
    User = get_user_model()
    decider = User.objects.get(username="city_admin")
    channels = {
        slug: ChannelPage.objects.descendant_of(city.root_page).get(slug=slug)
        for slug in ("dept-news", "district-news")
    }
    serial = 0
    for code, username, slug, plan in PLAN:
        site = SiteProfile.objects.select_related("site__root_page").get(site_id_code=code).site
        user = User.objects.get(username=username)
        articles = list(
            ArticlePage.objects.live()
            .descendant_of(site.root_page)
            .order_by("-publish_time", "-pk")[: len(plan)]
        )
        per_month = {offset: [p for p in plan if p[1] == offset] for offset in (0, 1)}
        seen = {0: 0, 1: 0}
        for article, (state, offset) in zip(articles, plan, strict=False):
            serial += 1
            submission = services.submit(
                article, user, city, channel=channels[slug], note=NOTES[serial % len(NOTES)]
            )
            if state == S.ADOPTED:
                submission = services.adopt(submission, decider, channels[slug])
            elif state == S.DECLINED:
                reason = DECLINE_REASONS[serial % len(DECLINE_REASONS)]
                submission = services.decline(submission, decider, reason)
            elif state == S.WITHDRAWN:
                submission = services.withdraw(submission, user)
            created = _created_at(now, offset, seen[offset], len(per_month[offset]))
            seen[offset] += 1
            decided = min(created + timedelta(hours=20), now) if state != S.SUBMITTED else None
            Submission.objects.filter(pk=submission.pk).update(
                created_at=created, decided_at=decided
            )
            if submission.adopted_page_id:
                ArticlePage.objects.filter(pk=submission.adopted_page_id).update(
                    publish_time=decided
                )
    return _counts(city)


def _counts(city) -> dict[str, int]:
    return {
        status: Submission.objects.filter(target_site=city, status=status).count()
        for status in S.values
    }
