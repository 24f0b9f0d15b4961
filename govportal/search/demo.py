"""Demo data of 站内搜索: the government-terms dictionary, synonyms, a promoted result, a
week of searches (热门搜索, 无结果搜索), 热词管理 rules, and the index itself, built before
serving."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from wagtail.models import Site

from govportal.content.models import TopicPage

from . import indexing, queue
from .analysis import GOV_TERMS
from .models import DictionaryWord, HotSearchRule, Promotion, QueryStat, SynonymGroup

SYNONYMS = (
    "社保，社会保险",
    "医保，医疗保险，基本医疗保险",
    "公积金，住房公积金",
    "低保，最低生活保障",
    "12345，12345热线，市长热线",
    "一网通办，网上办事",
)
#: (query, searches per day, results): a week of what the portal's visitors typed.
SEARCHES = (
    ("社保", 40, 1), ("营商环境", 31, 1), ("公积金", 22, 1), ("依申请公开", 15, 1),
    ("招生入学", 12, 1), ("垃圾分类", 9, 1), ("人才公寓申请条件", 6, 0),
    ("电动自行车上牌", 4, 0), ("新生儿医保办理", 3, 0),
    # Never shown as hot: a 屏蔽 word (an advert for fake certificates) and a phone number.
    ("代办证件加微信", 8, 1), ("13912345678", 5, 1),
)  # fmt: skip
#: 热词管理: (word, action, sort order, note).
HOT_RULES = (
    ("一网通办", "pin", 1, "推荐：引导群众到网上办事大厅"),
    ("代办", "block", 0, "屏蔽广告：代办证件类搜索不上热门"),
)


@transaction.atomic
def _tools(portal_site: Site | None) -> None:
    existing = set(DictionaryWord.objects.values_list("word", flat=True))
    DictionaryWord.objects.bulk_create(
        DictionaryWord(word=word, note="政务术语（内置词表）")
        for word in dict.fromkeys(GOV_TERMS)
        if word not in existing and 2 <= len(word) <= 30
    )
    for words in SYNONYMS:
        SynonymGroup.objects.get_or_create(words=words)
    topic = (
        TopicPage.objects.live()
        .filter(title__contains="营商环境")
        .descendant_of(portal_site.root_page)
        .first()
        if portal_site
        else None
    )
    if topic is not None and not Promotion.objects.filter(query="营商环境").exists():
        Promotion.objects.create(
            query="营商环境",
            site=portal_site,
            page=topic,
            description="优化营商环境专题：政策文件、办事指南和惠企政策汇总。",
        )
    if not HotSearchRule.objects.exists():
        for word, action, order, note in HOT_RULES:
            HotSearchRule.objects.create(word=word, action=action, sort_order=order, note=note)
    if portal_site is not None and not QueryStat.objects.filter(site=portal_site).exists():
        today = timezone.localdate()
        QueryStat.objects.bulk_create(
            QueryStat(
                site=portal_site,
                day=today - timedelta(days=back),
                query=query,
                searches=per_day + back % 3,
                empty_searches=0 if results else per_day + back % 3,
                last_result_count=results * (10 + per_day),
            )
            for back in range(1, 8)
            for query, per_day, results in SEARCHES
        )


def build_demo_search(stdout=None) -> None:
    portal_site = Site.objects.filter(is_default_site=True).first()
    _tools(portal_site)
    # Everything the demo loader published waits in the queue: index it now rather than
    # in the scheduler's first minutes, then the words (pinyin input, 您是不是要找).
    indexed = queue.process_all()
    terms = indexing.rebuild_terms()
    if stdout is not None:
        stdout.write(
            f"  站内搜索: {indexed} queued items indexed, {terms} terms; "
            f"{DictionaryWord.objects.count()} dictionary words, "
            f"{SynonymGroup.objects.count()} synonym groups (admin: 站内搜索)"
        )
