"""Forms of the search page (搜索表单) and of the editors' tools (词典、同义词、置顶).

The public form is bound to ``request.GET`` and never loses what was typed: an invalid
field is reported in Chinese beside the kept value. ``SearchForm.to_request`` turns the
cleaned data into the engine's :class:`govportal.search.query.SearchRequest`.
"""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError

from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.models import Page, Site

from .models import DictionaryWord, HotSearchRule, Promotion, SynonymGroup
from .registry import kinds

MAX_QUERY_LENGTH = 100
SCOPE_SITE, SCOPE_GROUP = "site", "group"
SORT_RELEVANCE, SORT_TIME = "relevance", "time"
DATE_ERROR = "请输入正确的日期，格式如 2025-01-31。"


class SearchForm(forms.Form):
    """搜索表单: query, scope (本站/站群) and the filters."""

    q = forms.CharField(
        label="搜索关键词",
        required=False,
        max_length=MAX_QUERY_LENGTH,
        error_messages={
            "max_length": f"搜索词最多 {MAX_QUERY_LENGTH} 个字（现有 %(show_value)d 个），请缩短后再搜索。"
        },
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": "请输入要查找的内容", "autocomplete": "off"}
        ),
    )
    scope = forms.ChoiceField(
        label="搜索范围",
        required=False,
        choices=[(SCOPE_SITE, "本站"), (SCOPE_GROUP, "站群")],
        widget=forms.RadioSelect,
    )
    site = forms.TypedChoiceField(label="网站", required=False, coerce=int, empty_value=None)
    channel = forms.TypedChoiceField(label="栏目", required=False, coerce=int, empty_value=None)
    kind = forms.MultipleChoiceField(
        label="内容类型", required=False, widget=forms.CheckboxSelectMultiple
    )
    org = forms.TypedChoiceField(label="发布机构", required=False, coerce=int, empty_value=None)
    date_from = forms.DateField(
        label="发布日期从",
        required=False,
        error_messages={"invalid": DATE_ERROR},
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = forms.DateField(
        label="发布日期至",
        required=False,
        error_messages={"invalid": DATE_ERROR},
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    sort = forms.ChoiceField(
        label="排序",
        required=False,
        choices=[(SORT_RELEVANCE, "按相关度"), (SORT_TIME, "按时间")],
        widget=forms.RadioSelect,
    )

    #: The fields that narrow the results (shown in the collapsible 筛选 panel).
    FILTERS = ("site", "channel", "kind", "org", "date_from", "date_to")

    def __init__(self, data, *, current_site: Site | None, home: Page | None, **kwargs):
        data = data.copy() if data is not None else {}
        # Unchosen radios fall back to their defaults, so the page always shows one checked.
        if data.get("scope") not in (SCOPE_SITE, SCOPE_GROUP):
            data["scope"] = SCOPE_SITE
        if data.get("sort") not in (SORT_RELEVANCE, SORT_TIME):
            data["sort"] = SORT_RELEVANCE
        super().__init__(data, **kwargs)
        self.current_site = current_site
        self.home = home
        invalid = "所选%s不存在，请重新选择。"
        for name in ("site", "channel", "org", "kind"):
            field = self.fields[name]
            field.error_messages["invalid_choice"] = invalid % field.label
        self.fields["site"].choices = [("", "全部网站"), *site_choices()]
        self.fields["channel"].choices = [("", "全部栏目"), *channel_choices(home)]
        self.fields["kind"].choices = [(k.code, k.label) for k in kinds()]
        self.fields["org"].choices = [("", "全部机构"), *organization_choices()]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "结束日期不能早于开始日期。")
        return cleaned

    @property
    def query(self) -> str:
        """The query as typed (kept even when invalid), whitespace trimmed."""
        return (self.data.get("q") or "").strip()

    @property
    def group_scope(self) -> bool:
        return self.data.get("scope") == SCOPE_GROUP

    @property
    def filters_used(self) -> int:
        """How many filters are set (shown on the collapsed 筛选 panel)."""
        if not self.is_bound:
            return 0
        data = self.data
        ignored = "channel" if self.group_scope else "site"
        used = sum(1 for name in self.FILTERS if name not in ("kind", ignored) and data.get(name))
        chosen_kinds = data.getlist("kind") if hasattr(data, "getlist") else data.get("kind")
        return used + (1 if chosen_kinds else 0)

    def to_request(self, page: int = 1, per_page: int = 10):
        """The engine's SearchRequest for the cleaned data (call after ``is_valid()``)."""
        from .query import SearchRequest

        data = self.cleaned_data
        if data.get("scope") == SCOPE_GROUP:
            site_ids = [data["site"]] if data.get("site") else None
            channel_path = ""
        else:
            site_ids = [self.current_site.pk] if self.current_site else None
            channel_path = _channel_path(data.get("channel"), self.home)
        return SearchRequest(
            q=data.get("q") or "",
            site_ids=site_ids,
            kinds=list(data.get("kind") or []),
            channel_path=channel_path,
            organization_id=data.get("org"),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            sort=data.get("sort") or SORT_RELEVANCE,
            page=page,
            per_page=per_page,
        )


def site_choices() -> list[tuple[int, str]]:
    """Every site of the group, in the group navigation's order."""
    from govportal.sites.models import SiteProfile

    profiles = SiteProfile.objects.select_related("site").order_by("sort_order", "site_id")
    return [(p.site_id, p.display_name) for p in profiles]


def channel_choices(home: Page | None) -> list[tuple[int, str]]:
    """The site's top channels (一级栏目), live and public, in menu order."""
    if home is None:
        return []
    from govportal.content.models import ChannelPage

    channels = ChannelPage.objects.child_of(home).live().public().order_by("path")
    return list(channels.values_list("pk", "title"))


def organization_choices() -> list[tuple[int, str]]:
    from govportal.organizations.models import Organization

    orgs = Organization.objects.filter(is_active=True).order_by("path")
    return [(pk, short or name) for pk, name, short in orgs.values_list("pk", "name", "short_name")]


def _channel_path(channel_id: int | None, home: Page | None) -> str:
    if not channel_id or home is None:
        return ""
    path = Page.objects.filter(pk=channel_id).values_list("path", flat=True).first()
    return path if path and path.startswith(home.path) else ""


# -- the editors' tools ------------------------------------------------------------------------

WORD_SPLIT = re.compile(r"[\s,，、;；]+")


def split_words(text: str) -> list[str]:
    """A synonym group's words: split on spaces, commas (全角/半角), 顿号, semicolons."""
    seen: list[str] = []
    for word in WORD_SPLIT.split(text or ""):
        if word and word not in seen:
            seen.append(word)
    return seen


class DictionaryWordForm(WagtailAdminModelForm):
    class Meta:
        model = DictionaryWord
        fields = ["word", "weight", "enabled", "note"]
        error_messages = {
            "word": {"unique": "词典里已经有这个词语。", "max_length": "词语须为 2 到 30 个字。"}
        }

    def clean_word(self):
        word = (self.cleaned_data.get("word") or "").strip()
        if re.search(r"\s", word):
            raise ValidationError("词语中不能有空格。")
        if not 2 <= len(word) <= 30:
            raise ValidationError("词语须为 2 到 30 个字。")
        return word


class SynonymGroupForm(WagtailAdminModelForm):
    class Meta:
        model = SynonymGroup
        fields = ["words", "enabled"]

    def clean_words(self):
        words = split_words(self.cleaned_data.get("words", ""))
        if len(words) < 2:
            raise ValidationError(
                "同义词组至少要有两个不同的词语，用逗号分隔，如：社保，社会保险。"
            )
        too_long = [w for w in words if len(w) > 30]
        if too_long:
            raise ValidationError(f"词语不能超过 30 个字：{'、'.join(too_long)}。")
        return "，".join(words)


def _normalized(value: str | None, empty_message: str) -> str:
    """A query word as searches see it (:func:`promotions.normalize`); required."""
    from .promotions import normalize

    word = normalize(value or "")
    if not word:
        raise ValidationError(empty_message)
    return word


class PromotionForm(WagtailAdminModelForm):
    external_url = forms.URLField(
        label="外部链接", required=False, max_length=200, assume_scheme="https"
    )

    class Meta:
        model = Promotion
        fields = [
            "query",
            "site",
            "page",
            "external_url",
            "title",
            "description",
            "sort_order",
            "starts_at",
            "ends_at",
        ]

    def clean_query(self):
        return _normalized(self.cleaned_data.get("query"), "请填写搜索词。")

    def clean(self):
        cleaned = super().clean()
        page, url = cleaned.get("page"), cleaned.get("external_url")
        if not page and not url:
            self.add_error("page", "请选择一个页面或填写外部链接。")
        elif page and url:
            self.add_error("external_url", "页面和外部链接只能填一个。")
        if url and not cleaned.get("title"):
            self.add_error("title", "外部链接须填写标题。")
        start, end = cleaned.get("starts_at"), cleaned.get("ends_at")
        if start and end and end <= start:
            self.add_error("ends_at", "结束时间须晚于开始时间。")
        return cleaned


class HotSearchRuleForm(WagtailAdminModelForm):
    class Meta:
        model = HotSearchRule
        fields = ["word", "action", "site", "sort_order", "enabled", "note"]
        error_messages = {"word": {"required": "请填写词语。"}}

    def clean_word(self):
        return _normalized(self.cleaned_data.get("word"), "请填写词语。")

    def clean(self):
        cleaned = super().clean()
        word, action, site = cleaned.get("word"), cleaned.get("action"), cleaned.get("site")
        if word and action:
            same = HotSearchRule.objects.filter(word=word, action=action, site=site)
            if self.instance.pk:
                same = same.exclude(pk=self.instance.pk)
            if same.exists():
                self.add_error("word", "这个网站已经有同一词语的同类规则。")
        return cleaned
