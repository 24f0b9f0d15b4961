"""政策解读与回应关切 (policy interpretation and responses to public concerns).

* :class:`InterpretationPage` — 政策解读/回应关切: an :class:`~govportal.content.models.ArticlePage`
  (so review workflow, permissions, search, channel lists and the article layout apply) with
  its form (:class:`InterpretationKind`: 文字解读, 图文解读（图解）, 视频解读, 回应关切), the
  解读人/解读机构, and for 视频 a video file and its 文字稿 (required: the transcript is the
  accessible alternative to the video). A 图解's images are image blocks of its body.
* :class:`PolicyLink` — the policy documents (any live article: a 公开目录条目 or a plain
  policy article) an interpretation explains or a response answers, in the editor's order.

Rules (checked by :class:`InterpretationForm`, the admin form): 文字/图解/视频 interpret at
least one policy document; a page never links itself nor another interpretation; each
document once. A 回应关切 may stand alone (a concern need not be about one document).
"""

from django.core.exceptions import ValidationError
from django.db import models

from modelcluster.fields import ParentalKey
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable, Page
from wagtail.search import index

from govportal.content.models import ArticlePage

VIDEO_EXTENSIONS = ("mp4", "webm")


class InterpretationKind(models.TextChoices):
    """解读形式."""

    TEXT = "text", "文字解读"
    GRAPHIC = "graphic", "图文解读（图解）"
    VIDEO = "video", "视频解读"
    RESPONSE = "response", "回应关切"


# Forms that interpret a document (as opposed to responding to a concern).
INTERPRETING_KINDS = (InterpretationKind.TEXT, InterpretationKind.GRAPHIC, InterpretationKind.VIDEO)
SHORT_LABELS = {
    InterpretationKind.TEXT: "文字",
    InterpretationKind.GRAPHIC: "图解",
    InterpretationKind.VIDEO: "视频",
    InterpretationKind.RESPONSE: "回应",
}


class InterpretationForm(WagtailAdminPageForm):
    """Checks the policy links (at least one for 文字/图解/视频, not itself, not another
    interpretation, no duplicates) and what each form needs (图解: an image; 视频: 文字稿)."""

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        formset = self.formsets.get("policy_links")
        chosen = []
        if formset is not None:
            seen: set[int] = set()
            for form in formset.forms:
                if not form.is_valid() or (
                    formset.can_delete and formset._should_delete_form(form)
                ):
                    continue
                policy = form.cleaned_data.get("policy")
                if policy is None:
                    continue
                if self.instance.pk and policy.pk == self.instance.pk:
                    form.add_error("policy", "不能关联本页自己，请选择被解读的政策文件。")
                elif issubclass(policy.specific_class or Page, InterpretationPage):
                    form.add_error("policy", "这是一篇解读或回应，请选择政策文件本身。")
                elif policy.pk in seen:
                    form.add_error("policy", "这份政策文件已经关联过了，请勿重复添加。")
                else:
                    seen.add(policy.pk)
                    chosen.append(policy)
        if kind in INTERPRETING_KINDS and not chosen:
            self.add_error(
                "kind",
                f"{InterpretationKind(kind).label}至少要关联一份被解读的政策文件，"
                "请在下方“解读的政策文件”中添加。",
            )
        if kind == InterpretationKind.GRAPHIC:
            body = cleaned.get("body")
            if body is not None and not any(block.block_type == "image" for block in body):
                self.add_error("body", "图文解读（图解）的正文中至少要有一张图片。")
        return cleaned


class InterpretationPage(ArticlePage):
    """政策解读/回应关切: explains one or more policy documents, or answers a public concern."""

    kind = models.CharField(
        "解读形式",
        max_length=20,
        choices=InterpretationKind,
        default=InterpretationKind.TEXT,
        db_index=True,
    )
    interpreter = models.CharField(
        "解读人/解读机构",
        max_length=100,
        blank=True,
        help_text="如：示例市司法局、市发展改革委主要负责同志。",
    )
    video = models.ForeignKey(
        "wagtaildocs.Document",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="视频文件",
        help_text="MP4 或 WebM 格式，上传到文档库后在此选择。",
    )
    transcript = models.TextField(
        "视频文字稿",
        blank=True,
        help_text="视频解读必须提供文字稿，供听障人士和不便播放视频的读者阅读。",
    )

    base_form_class = InterpretationForm
    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("kind"), FieldPanel("interpreter")])],
            heading="解读形式",
        ),
        InlinePanel(
            "policy_links",
            heading="解读的政策文件",
            label="政策文件",
            help_text="文字、图解和视频解读至少关联一份；回应关切可不关联。",
        ),
        MultiFieldPanel(
            [FieldPanel("video"), FieldPanel("transcript")],
            heading="视频（仅视频解读）",
        ),
        FieldPanel("subtitle"),
        MultiFieldPanel(
            [FieldPanel("source"), FieldPanel("author"), FieldPanel("publish_time")],
            heading="来源和时间",
        ),
        FieldPanel("summary"),
        FieldPanel("keywords"),
        MultiFieldPanel([FieldPanel("cover_image"), FieldPanel("is_headline")], heading="封面图片"),
        FieldPanel("body"),
    ]
    search_fields = ArticlePage.search_fields + [
        index.SearchField("interpreter"),
        index.SearchField("transcript"),
        index.FilterField("kind"),
    ]
    parent_page_types = ["content.ChannelPage"]
    subpage_types: list[str] = []
    template = "interpretation/interpretation_page.html"

    class Meta:
        verbose_name = "政策解读/回应关切"
        verbose_name_plural = "政策解读/回应关切"

    @property
    def kind_short(self) -> str:
        return SHORT_LABELS.get(self.kind, "")

    @property
    def is_response(self) -> bool:
        return self.kind == InterpretationKind.RESPONSE

    @property
    def video_mime(self) -> str:
        name = (self.video.filename if self.video_id else "").lower()
        return "video/webm" if name.endswith(".webm") else "video/mp4"

    def clean(self):
        super().clean()
        errors = {}
        if self.kind == InterpretationKind.VIDEO and not (self.transcript or "").strip():
            errors["transcript"] = "视频解读必须提供文字稿（无障碍要求）。"
        if self.video_id:
            if self.kind != InterpretationKind.VIDEO:
                errors["video"] = "只有视频解读才能选择视频文件；请改为“视频解读”或移除视频。"
            elif not self.video.filename.lower().endswith(VIDEO_EXTENSIONS):
                errors["video"] = "视频文件须为 MP4 或 WebM 格式。"
        if errors:
            raise ValidationError(errors)

    def get_context(self, request, *args, **kwargs):
        from .relations import related_for_interpretation

        context = super().get_context(request, *args, **kwargs)
        context.update(related_for_interpretation(self, request))
        return context


class PolicyLink(Orderable):
    """One policy document an interpretation explains (or a response answers)."""

    interpretation = ParentalKey(
        InterpretationPage, on_delete=models.CASCADE, related_name="policy_links"
    )
    policy = models.ForeignKey(
        "content.ArticlePage",
        on_delete=models.CASCADE,
        related_name="interpretation_links",
        verbose_name="政策文件",
        help_text="公开目录中的政策文件，或政策文件栏目中的文章。",
    )

    panels = [FieldPanel("policy")]

    class Meta(Orderable.Meta):
        verbose_name = "解读的政策文件"
        verbose_name_plural = "解读的政策文件"

    def __str__(self) -> str:
        return f"{self.interpretation_id} → {self.policy_id}"
