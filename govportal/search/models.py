"""站内搜索/站群检索: the search index of the whole site group and what editors tune.

``SearchDocument`` is one findable thing (an article, a catalogue entry, a public letter
reply, an attachment's text …), written by the sources registered in ``sources.py`` and
analysed by ``analysis.py``; the backend (``backends/``) keeps the database's own
full-text index (SQLite FTS5 / PostgreSQL tsvector) beside it, fed with segmented text.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class SearchDocument(models.Model):
    """One entry of the search index (检索文档)."""

    key = models.CharField(
        "键", max_length=100, unique=True, help_text="来源类型:编号，如 page:12、document:5。"
    )
    kind = models.CharField("内容类型", max_length=30, db_index=True)
    site = models.ForeignKey(
        "wagtailcore.Site",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="网站",
    )
    channel = models.ForeignKey(
        "wagtailcore.Page",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="栏目",
    )
    #: Treebeard path of the channel, so a channel filter takes its sub-channels too.
    channel_path = models.CharField("栏目路径", max_length=255, blank=True, db_index=True)
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="发布机构",
    )
    title = models.CharField("标题", max_length=500)
    url = models.CharField("地址", max_length=500)
    #: Plain text as shown (simplified Chinese), for snippets and the exact-substring check.
    body = models.TextField("正文", blank=True)
    summary = models.TextField("摘要", blank=True)
    published_at = models.DateTimeField("发布时间", db_index=True)
    #: The page an attachment belongs to (its key), so unpublishing the page drops it too.
    parent_key = models.CharField("所属", max_length=100, blank=True, db_index=True)
    boost = models.FloatField("权重", default=1.0)
    indexed_at = models.DateTimeField("索引时间", default=timezone.now)

    class Meta:
        verbose_name = "检索文档"
        verbose_name_plural = "检索文档"
        indexes = [
            models.Index(fields=["site", "published_at"], name="govsearch_site_time"),
            models.Index(fields=["kind", "published_at"], name="govsearch_kind_time"),
        ]

    def __str__(self) -> str:
        return self.title


class IndexQueueItem(models.Model):
    """A key waiting for the background indexer (publish, edit, unpublish, delete)."""

    class Action(models.TextChoices):
        INDEX = "index", "索引"
        DELETE = "delete", "删除"

    key = models.CharField("键", max_length=100, unique=True)
    action = models.CharField("操作", max_length=10, choices=Action, default=Action.INDEX)
    queued_at = models.DateTimeField("加入时间", default=timezone.now, db_index=True)
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    last_error = models.TextField("最近错误", blank=True)

    class Meta:
        verbose_name = "待索引"
        verbose_name_plural = "待索引"
        ordering = ["queued_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.key}"


class DictionaryWord(models.Model):
    """自定义词典: government terms jieba should keep whole (and pinyin can reach)."""

    word = models.CharField("词语", max_length=30, unique=True)
    weight = models.PositiveIntegerField(
        "词频", default=10000, help_text="越大越倾向于切成一个词；一般无需修改。"
    )
    enabled = models.BooleanField("启用", default=True)
    note = models.CharField("说明", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="添加人",
    )
    created_at = models.DateTimeField("添加时间", auto_now_add=True)

    class Meta:
        verbose_name = "词典词语"
        verbose_name_plural = "自定义词典"
        ordering = ["word"]

    def __str__(self) -> str:
        return self.word


class SynonymGroup(models.Model):
    """同义词: words that find each other (社保 ↔ 社会保险)."""

    words = models.CharField(
        "同义词", max_length=500, help_text="用逗号或空格分隔，如：社保，社会保险。"
    )
    enabled = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField("添加时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "同义词组"
        verbose_name_plural = "同义词"
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.words


class Promotion(models.Model):
    """置顶结果: for a query, this result comes first."""

    query = models.CharField("搜索词", max_length=100, db_index=True)
    site = models.ForeignKey(
        "wagtailcore.Site",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="网站",
        help_text="不选则对站群所有网站生效。",
    )
    page = models.ForeignKey(
        "wagtailcore.Page",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="页面",
    )
    external_url = models.URLField("外部链接", blank=True)
    title = models.CharField("标题", max_length=200, blank=True, help_text="不填用页面标题。")
    description = models.CharField("说明", max_length=300, blank=True)
    sort_order = models.SmallIntegerField("顺序", default=0)
    starts_at = models.DateTimeField("开始时间", null=True, blank=True)
    ends_at = models.DateTimeField("结束时间", null=True, blank=True)

    class Meta:
        verbose_name = "置顶结果"
        verbose_name_plural = "置顶结果"
        ordering = ["query", "sort_order", "pk"]

    def __str__(self) -> str:
        return f"{self.query} → {self.title or self.page or self.external_url}"


class QueryStat(models.Model):
    """Searches of one query on one site and day: hot searches and 无结果 queries."""

    site = models.ForeignKey(
        "wagtailcore.Site",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="网站",
    )
    day = models.DateField("日期", db_index=True)
    query = models.CharField("搜索词", max_length=100)
    searches = models.PositiveIntegerField("搜索次数", default=0)
    empty_searches = models.PositiveIntegerField("无结果次数", default=0)
    last_result_count = models.PositiveIntegerField("最近结果数", default=0)

    class Meta:
        verbose_name = "搜索词统计"
        verbose_name_plural = "搜索词统计"
        constraints = [
            models.UniqueConstraint(
                fields=["site", "day", "query"], name="govsearch_querystat_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.query}"


class HotSearchRule(models.Model):
    """热词管理: the editors' say over the public 热门搜索 list — words always shown first
    (推荐) and words whose searches are never shown (屏蔽)."""

    class Action(models.TextChoices):
        PIN = "pin", "推荐：固定显示在热门搜索前列"
        BLOCK = "block", "屏蔽：含有此词的搜索不显示为热门搜索"

    word = models.CharField("词语", max_length=100)
    action = models.CharField("处理方式", max_length=10, choices=Action.choices, default=Action.PIN)
    site = models.ForeignKey(
        "wagtailcore.Site",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="网站",
        help_text="不选则对站群所有网站生效。",
    )
    sort_order = models.SmallIntegerField("顺序", default=0, help_text="推荐词按此从小到大排列。")
    enabled = models.BooleanField("启用", default=True)
    note = models.CharField("说明", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="添加人",
    )
    created_at = models.DateTimeField("添加时间", auto_now_add=True)

    class Meta:
        verbose_name = "热词规则"
        verbose_name_plural = "热词管理"
        ordering = ["action", "sort_order", "pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display().split('：')[0]}：{self.word}"


class SearchTerm(models.Model):
    """检索词表: the words of the index, with pinyin, for pinyin input and 您是不是要找."""

    word = models.CharField("词语", max_length=30, unique=True)
    pinyin = models.CharField("拼音", max_length=150, db_index=True)
    initials = models.CharField("首字母", max_length=30, db_index=True)
    doc_count = models.PositiveIntegerField("文档数", default=0)

    class Meta:
        verbose_name = "检索词"
        verbose_name_plural = "检索词表"

    def __str__(self) -> str:
        return self.word
