"""征集调查: surveys (问卷调查) and public consultations (意见征集).

* :class:`SurveyPage` — one survey or consultation under a 互动交流 channel: dates
  (``opens_at``/``closes_at``, Asia/Shanghai), the one-answer rule (:class:`AnswerRule`),
  whether results are published after closing, and its questions.
* :class:`SurveyQuestion` / :class:`SurveyOption` — the questions (single/multiple choice,
  text, 1–5 star rating) and their options, edited inline in the page editor.
* :class:`SurveyResponse` / :class:`SurveyAnswer` — one submitted answer sheet and its
  answers. Unique constraints enforce the rule on the database (survey + user; survey +
  device hash), so a double submit racing past the view's check still fails. Text answers
  may hold personal data and are encrypted; no raw IP address is stored, only a keyed hash.

The public behaviour (states, form, results) lives in :mod:`.services` and :mod:`.forms`.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from govportal.privacy.fields import EncryptedTextField


class SurveyKind(models.TextChoices):
    SURVEY = "survey", "问卷调查"
    CONSULTATION = "consultation", "意见征集"


class AnswerRule(models.TextChoices):
    ACCOUNT = "account", "每个账号一次（需登录）"
    DEVICE = "device", "每台设备一次"


class QuestionType(models.TextChoices):
    SINGLE = "single", "单选题"
    MULTIPLE = "multiple", "多选题"
    TEXT = "text", "文字题"
    RATING = "rating", "评分题（1–5星）"


class SurveyState(models.TextChoices):
    UPCOMING = "upcoming", "未开始"
    OPEN = "open", "进行中"
    CLOSED = "closed", "已结束"


CHOICE_TYPES = (QuestionType.SINGLE, QuestionType.MULTIPLE)
RATING_LABELS = {1: "很不满意", 2: "不满意", 3: "一般", 4: "满意", 5: "很满意"}
LOCKED_MESSAGE = (
    "本调查已收到答卷，题目和选项不能再修改（否则已收集的答卷将无法统计）。"
    "标题、说明、日期等其他内容仍可修改。"
)


def _formset_changed(formset) -> bool:
    for form in formset.forms:
        form.is_valid()  # cleans the form, so its DELETE flag can be read
        if formset.can_delete and formset._should_delete_form(form):
            if form.instance.pk:
                return True
            continue
        if form.has_changed():
            return True
        for child in getattr(form, "formsets", {}).values():
            if _formset_changed(child):
                return True
    return False


class SurveyPageForm(WagtailAdminPageForm):
    """Dates in order; choice questions with ≥ 2 options and sane min/max; questions
    frozen once answers exist."""

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", "截止时间必须晚于开始时间。")
        formset = self.formsets.get("questions")
        if formset is None:
            return cleaned
        if self.instance.pk and SurveyResponse.objects.filter(survey_id=self.instance.pk).exists():
            if _formset_changed(formset):
                self.add_error(None, LOCKED_MESSAGE)
            return cleaned
        kept = 0
        for form in formset.forms:
            if not form.is_valid() or (formset.can_delete and formset._should_delete_form(form)):
                continue
            data = form.cleaned_data
            if not data.get("text"):
                continue
            kept += 1
            qtype = data.get("question_type")
            options = form.formsets.get("options")
            count = 0
            if options is not None:
                for option_form in options.forms:
                    if not option_form.is_valid() or (
                        options.can_delete and options._should_delete_form(option_form)
                    ):
                        continue
                    if option_form.cleaned_data.get("label"):
                        count += 1
            if qtype in CHOICE_TYPES and count < 2:
                form.add_error("question_type", "选择题至少需要两个选项，请添加选项。")
            if qtype == QuestionType.MULTIPLE:
                low, high = data.get("min_choices"), data.get("max_choices")
                if low and high and low > high:
                    form.add_error("max_choices", "最多可选数不能少于最少应选数。")
                elif high and count >= 2 and high > count:
                    form.add_error("max_choices", f"最多可选数不能超过选项数（{count}个）。")
                elif low and count >= 2 and low > count:
                    form.add_error("min_choices", f"最少应选数不能超过选项数（{count}个）。")
        if not kept:
            self.add_error(None, "请至少添加一个题目。")
        return cleaned


class SurveyPage(RoutablePageMixin, Page):
    """征集调查: a survey (问卷调查) or a consultation on a draft (意见征集)."""

    intro = RichTextField("说明", blank=True, features=["bold", "italic", "link", "ol", "ul"])
    kind = models.CharField("类型", max_length=20, choices=SurveyKind, default=SurveyKind.SURVEY)
    draft_document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name="征求意见稿",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="意见征集：公众据以提出意见的草案文件。",
    )
    opens_at = models.DateTimeField("开始时间")
    closes_at = models.DateTimeField("截止时间")
    closed_early_at = models.DateTimeField("提前结束时间", null=True, blank=True, editable=False)
    answer_rule = models.CharField(
        "参与限制", max_length=20, choices=AnswerRule, default=AnswerRule.ACCOUNT
    )
    results_public = models.BooleanField(
        "结束后公开结果", default=True, help_text="选择题和评分题公开统计图表；文字意见只公开条数。"
    )
    contact = models.CharField("联系方式", max_length=255, blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("kind"),
        FieldPanel("intro"),
        FieldPanel("draft_document"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
                FieldPanel("answer_rule"),
                FieldPanel("results_public"),
                FieldPanel("contact"),
            ],
            heading="时间与规则",
        ),
        InlinePanel("questions", heading="题目", label="题目", min_num=1),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    parent_page_types = ["content.ChannelPage"]
    subpage_types: list[str] = []
    base_form_class = SurveyPageForm

    class Meta:
        verbose_name = "征集调查"
        verbose_name_plural = "征集调查"

    # -- state ----------------------------------------------------------------------------

    @property
    def effective_closes_at(self) -> datetime.datetime:
        if self.closed_early_at and self.closed_early_at < self.closes_at:
            return self.closed_early_at
        return self.closes_at

    def state(self, now: datetime.datetime | None = None) -> str:
        now = now or timezone.now()
        if now < self.opens_at:
            return SurveyState.UPCOMING
        if now >= self.effective_closes_at:
            return SurveyState.CLOSED
        return SurveyState.OPEN

    def with_content_json(self, content):
        """Publishing an older draft never reopens a survey closed early."""
        obj = super().with_content_json(content)
        obj.closed_early_at = self.closed_early_at
        return obj

    # -- public views ---------------------------------------------------------------------

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        add_never_cache_headers(response)
        return response

    @path("")
    def survey(self, request):
        from . import views

        return views.survey(request, self)

    @path("thanks/")
    def thanks(self, request):
        from . import views

        return views.thanks(request, self)

    def thanks_url(self, request=None) -> str:
        return self.get_url(request) + self.reverse_subpage("thanks")

    def go_thanks(self, request):
        return redirect(self.thanks_url(request))


class SurveyQuestion(Orderable, ClusterableModel):
    """题目."""

    page = ParentalKey(SurveyPage, on_delete=models.CASCADE, related_name="questions")
    question_type = models.CharField(
        "题型", max_length=20, choices=QuestionType, default=QuestionType.SINGLE
    )
    text = models.CharField("题目", max_length=500)
    help_text = models.CharField("提示", max_length=255, blank=True)
    required = models.BooleanField("必答", default=True)
    min_choices = models.PositiveSmallIntegerField(
        "最少应选", null=True, blank=True, help_text="仅多选题"
    )
    max_choices = models.PositiveSmallIntegerField(
        "最多可选", null=True, blank=True, help_text="仅多选题"
    )
    max_length = models.PositiveIntegerField("最多字数", default=500, help_text="仅文字题")

    panels = [
        FieldRowPanel([FieldPanel("question_type"), FieldPanel("required")]),
        FieldPanel("text"),
        FieldPanel("help_text"),
        FieldRowPanel(
            [FieldPanel("min_choices"), FieldPanel("max_choices"), FieldPanel("max_length")]
        ),
        InlinePanel("options", heading="选项", label="选项"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "题目"
        verbose_name_plural = "题目"

    def __str__(self) -> str:
        return self.text

    @property
    def field_name(self) -> str:
        return f"q{self.pk}"

    @property
    def chart_id(self) -> str:
        return f"chart-data-{self.pk}"


class SurveyOption(Orderable):
    """选项."""

    question = ParentalKey(SurveyQuestion, on_delete=models.CASCADE, related_name="options")
    label = models.CharField("选项", max_length=255)

    panels = [FieldPanel("label")]

    class Meta(Orderable.Meta):
        verbose_name = "选项"
        verbose_name_plural = "选项"

    def __str__(self) -> str:
        return self.label


class SurveyResponse(models.Model):
    """答卷: one person's (one account's or one device's) submission."""

    survey = models.ForeignKey(
        SurveyPage, on_delete=models.CASCADE, related_name="responses", verbose_name="调查"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="survey_responses",
        verbose_name="账号",
    )
    device_hash = models.CharField("设备标识（散列）", max_length=64, blank=True)
    ip_hash = models.CharField("来源地址（散列）", max_length=64, blank=True)
    submitted_at = models.DateTimeField("提交时间", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "答卷"
        verbose_name_plural = "答卷"
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "user"],
                condition=Q(user__isnull=False),
                name="surveys_one_response_per_account",
                violation_error_message="您已参与本次调查",
            ),
            models.UniqueConstraint(
                fields=["survey", "device_hash"],
                condition=~Q(device_hash=""),
                name="surveys_one_response_per_device",
                violation_error_message="您已参与本次调查",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.survey_id} #{self.pk}"


class SurveyAnswer(models.Model):
    """One answer: a chosen option (one row per option of a multiple choice), a rating or
    a text (encrypted: it may hold personal data)."""

    response = models.ForeignKey(
        SurveyResponse, on_delete=models.CASCADE, related_name="answers", verbose_name="答卷"
    )
    question = models.ForeignKey(
        SurveyQuestion, on_delete=models.RESTRICT, related_name="answers", verbose_name="题目"
    )
    option = models.ForeignKey(
        SurveyOption,
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="answers",
        verbose_name="选项",
    )
    rating = models.PositiveSmallIntegerField("评分", null=True, blank=True)
    text = EncryptedTextField("文字回答", blank=True, mask="text")

    class Meta:
        verbose_name = "回答"
        verbose_name_plural = "回答"
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="surveys_rating_1_to_5",
            )
        ]

    def __str__(self) -> str:
        return f"{self.response_id}/{self.question_id}"

    def clean(self):
        if self.option_id and self.option.question_id != self.question_id:
            raise ValidationError("选项不属于该题目。")
