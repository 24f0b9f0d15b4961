"""Which 公开目录条目 count as policy documents (政策文件) that should be interpreted, and which
of them have no interpretation yet (报告 → 政策文件未解读).

A *policy document* is a live :class:`~govportal.disclosure.models.DisclosureEntryPage` that is
主动公开 and 有效 (a repealed or expired document needs no interpretation any more), published
on or after :func:`since` (setting ``GOVPORTAL_INTERPRETATION_SINCE``, an ISO date, default
2024-01-01: the day the 解读 requirement started to be tracked), and

* filed under 法规文件 (Art. 20 category ``regulations`` or one of its sub-categories:
  行政法规, 规章, 规范性文件), or
* of a policy-making genre — 决议, 决定, 命令（令）, 意见, 通知 — *and* carrying a 文号.
  These are the kinds of 公文 that set policy (党政机关公文处理工作条例); the 文号 tells a
  numbered official document from a routine notice (通知 is also the catalogue's default
  genre). 公告/通告/通报/报告/批复/函/纪要 and 其他 (statistics, budgets, lists) are not.

A document *is interpreted* when at least one live interpretation outside a view restriction
links it — a 文字, 图解 or 视频 解读; a 回应关切 answers a concern and does not count.
"""

import datetime

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from govportal.core.visibility import public
from govportal.disclosure.models import DisclosureEntryPage
from govportal.disclosure.taxonomy import Genre, Openness, Validity

from .models import INTERPRETING_KINDS, PolicyLink

POLICY_CATEGORY = "regulations"
POLICY_GENRES = (
    Genre.DECISION_RESOLUTION,
    Genre.DECISION,
    Genre.ORDER,
    Genre.OPINION,
    Genre.NOTICE,
)
DEFAULT_SINCE = datetime.date(2024, 1, 1)


def since() -> datetime.date:
    """The first publication date the report looks at (``GOVPORTAL_INTERPRETATION_SINCE``)."""
    value = getattr(settings, "GOVPORTAL_INTERPRETATION_SINCE", None)
    if not value:
        return DEFAULT_SINCE
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value))


def start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def policy_condition() -> Q:
    by_category = Q(category__code=POLICY_CATEGORY) | Q(category__parent__code=POLICY_CATEGORY)
    by_genre = Q(genre__in=[g.value for g in POLICY_GENRES]) & ~Q(doc_number="")
    return by_category | by_genre


def policy_documents(first_day: datetime.date | None = None):
    """Live, proactive, valid policy documents published on or after ``first_day``."""
    first_day = since() if first_day is None else first_day
    return DisclosureEntryPage.objects.live().filter(
        policy_condition(),
        openness=Openness.PROACTIVE,
        validity=Validity.VALID,
        publish_time__gte=start_of(first_day),
    )


def interpreted_ids():
    """Subquery: ids of pages linked by a live, public 文字/图解/视频 interpretation."""
    from .models import InterpretationPage

    live = public(InterpretationPage.objects.live()).filter(
        kind__in=[k.value for k in INTERPRETING_KINDS]
    )
    return PolicyLink.objects.filter(interpretation__in=live.values("pk")).values("policy_id")


def uninterpreted(queryset=None):
    """Policy documents (of ``queryset``, default all) without a live interpretation."""
    queryset = policy_documents() if queryset is None else queryset
    return queryset.exclude(pk__in=interpreted_ids())
