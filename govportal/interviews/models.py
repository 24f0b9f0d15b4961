"""在线访谈 (online interviews).

An :class:`InterviewPage` is one scheduled event under a channel: topic, times, place,
guests (嘉宾, :class:`InterviewGuest`), a cover image and, after the event, a summary,
photos (:class:`InterviewPhoto`) and a video with its 文字稿. Its :attr:`status`
(预告 / 直播中 / 已结束) follows the clock unless an editor overrides it.

While it is live the public asks questions (:class:`Question`, 网友提问); nothing is shown
before a moderator approves it; guests answer approved questions and hosts post messages
(:class:`HostMessage`). Each change that visitors see takes the next number of the
interview's :class:`LiveState` (``seq``), so the page polls ``stream/?since=<n>`` for what
is new; the moderation console polls the ``revision``, which every change raises.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone

from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

QUESTION_MAX_LENGTH = 500
GUEST_GROUP = "在线访谈嘉宾"  # staff accounts that may be named as guests
VIDEO_EXTENSIONS = (".mp4", ".webm")


class InterviewStatus(models.TextChoices):
    UPCOMING = "upcoming", "预告"
    LIVE = "live", "直播中"
    ENDED = "ended", "已结束"


class InterviewPage(RoutablePageMixin, Page):
    """在线访谈: one interview with its guests, live Q&A and, afterwards, 访谈实录."""

    topic = models.CharField("访谈主题", max_length=255)
    intro = RichTextField("访谈简介", blank=True, features=["bold", "italic", "link"])
    starts_at = models.DateTimeField("开始时间")
    ends_at = models.DateTimeField("结束时间")
    place = models.CharField("访谈地点", max_length=200, blank=True)
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name="封面图片",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status_override = models.CharField(
        "状态（手动）",
        max_length=10,
        choices=InterviewStatus,
        blank=True,
        help_text="留空时按开始、结束时间自动显示预告、直播中或已结束。",
    )
    summary = RichTextField("访谈摘要", blank=True, features=["bold", "italic", "link", "ol", "ul"])
    video = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name="视频文件",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="MP4 或 WebM 格式。",
    )
    video_url = models.URLField("外部视频地址", blank=True)
    transcript = models.TextField("视频文字稿", blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("topic"),
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
                FieldPanel("place"),
                FieldPanel("status_override"),
            ],
            heading="时间和地点",
        ),
        FieldPanel("cover_image"),
        InlinePanel("guests", heading="嘉宾", label="嘉宾", min_num=1),
        MultiFieldPanel(
            [
                FieldPanel("summary"),
                FieldPanel("video"),
                FieldPanel("video_url"),
                FieldPanel("transcript"),
            ],
            heading="访谈结束后",
        ),
        InlinePanel("photos", heading="图片直播", label="图片"),
    ]
    search_fields = Page.search_fields + [index.SearchField("topic")]
    parent_page_types = ["content.ChannelPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "在线访谈"
        verbose_name_plural = "在线访谈"

    def clean(self):
        super().clean()
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = "结束时间须晚于开始时间。"
        if self.video_id and not self.video.filename.lower().endswith(VIDEO_EXTENSIONS):
            errors["video"] = "视频文件须为 MP4 或 WebM 格式。"
        if errors:
            raise ValidationError(errors)

    # -- state -----------------------------------------------------------------------------
    def status_at(self, now=None) -> str:
        if self.status_override:
            return self.status_override
        now = now or timezone.now()
        if now < self.starts_at:
            return InterviewStatus.UPCOMING
        if now < self.ends_at:
            return InterviewStatus.LIVE
        return InterviewStatus.ENDED

    @property
    def status(self) -> str:
        return self.status_at()

    @property
    def status_label(self) -> str:
        return InterviewStatus(self.status).label

    @property
    def video_mime(self) -> str:
        name = (self.video.filename if self.video_id else "").lower()
        return "video/webm" if name.endswith(".webm") else "video/mp4"

    @property
    def column(self):
        return self.get_parent().specific

    # -- serving ---------------------------------------------------------------------------
    def get_context(self, request, *args, **kwargs):
        from . import services

        context = super().get_context(request, *args, **kwargs)
        status = self.status
        context.update(
            status=status,
            guests=list(self.guests.select_related("photo")),
            photos=list(self.photos.select_related("image")),
            stream=services.public_stream(self, newest_first=status != InterviewStatus.ENDED),
            cursor=services.public_cursor(self),
            max_length=QUESTION_MAX_LENGTH,
        )
        context.setdefault("form", None)
        if status == InterviewStatus.LIVE and context["form"] is None:
            from .forms import QuestionForm

            context["form"] = QuestionForm()
        return context

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        if self.status != InterviewStatus.ENDED:
            # 预告 turns live and live turns ended by the clock: never the whole-page cache.
            response["Cache-Control"] = "private, no-cache"
        return response

    @path("")
    def index_view(self, request):
        return self.render(request, context_overrides={"asked": request.GET.get("asked") == "1"})

    @path("ask/")
    def ask(self, request):
        from .views import ask

        return ask(request, self)

    @path("stream/")
    def stream(self, request):
        from .views import stream

        return stream(request, self)


class InterviewGuest(Orderable):
    """嘉宾 of one interview; ``user`` lets a staff account answer from the console."""

    interview = ParentalKey(InterviewPage, related_name="guests", on_delete=models.CASCADE)
    name = models.CharField("姓名", max_length=50)
    title = models.CharField("单位及职务", max_length=200, blank=True)
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name="照片",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    intro = models.TextField("简介", blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="嘉宾账号",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="interview_guest_roles",
        # Only accounts a platform operator put in the 在线访谈嘉宾 group: the chooser must
        # not list every account of the site group.
        limit_choices_to={"groups__name": GUEST_GROUP, "is_active": True},
        help_text="可选：“在线访谈嘉宾”组中的工作人员账号，可在访谈管理页面以嘉宾身份回答问题。",
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("title"),
        FieldPanel("photo"),
        FieldPanel("intro"),
        FieldPanel("user"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "嘉宾"
        verbose_name_plural = "嘉宾"

    def __str__(self) -> str:
        return self.name


class InterviewPhoto(Orderable):
    """图片直播/访谈图片: an image with its required 替代文字."""

    interview = ParentalKey(InterviewPage, related_name="photos", on_delete=models.CASCADE)
    image = models.ForeignKey(
        "wagtailimages.Image", verbose_name="图片", on_delete=models.CASCADE, related_name="+"
    )
    alt_text = models.CharField(
        "替代文字", max_length=200, help_text="描述图片内容，供读屏软件朗读。"
    )
    caption = models.CharField("图片说明", max_length=200, blank=True)

    panels = [FieldPanel("image"), FieldPanel("alt_text"), FieldPanel("caption")]

    class Meta(Orderable.Meta):
        verbose_name = "访谈图片"
        verbose_name_plural = "访谈图片"


class LiveState(models.Model):
    """Counters of one interview, kept off the page so that publishing never rewinds them."""

    interview = models.OneToOneField(
        InterviewPage, primary_key=True, on_delete=models.CASCADE, related_name="live_state"
    )
    seq = models.PositiveBigIntegerField("公开更新序号", default=0)
    revision = models.PositiveBigIntegerField("管理更新序号", default=0)

    class Meta:
        verbose_name = "访谈直播状态"
        verbose_name_plural = "访谈直播状态"

    def __str__(self) -> str:
        return f"访谈{self.interview_id}：公开{self.seq}，管理{self.revision}"


class QuestionStatus(models.TextChoices):
    PENDING = "pending", "待审核"
    APPROVED = "approved", "已通过"
    REJECTED = "rejected", "未通过"
    MERGED = "merged", "重复问题"


class Question(models.Model):
    """网友提问: shown only once approved, with the guest's answer when there is one."""

    interview = models.ForeignKey(
        InterviewPage, verbose_name="访谈", on_delete=models.CASCADE, related_name="questions"
    )
    nickname = models.CharField("网友昵称", max_length=30, blank=True)
    asker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="提问用户",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    text = models.TextField("问题", validators=[MaxLengthValidator(QUESTION_MAX_LENGTH)])
    status = models.CharField(
        "状态", max_length=10, choices=QuestionStatus, default=QuestionStatus.PENDING
    )
    reject_reason = models.CharField("不予采用原因", max_length=200, blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name="合并到",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duplicates",
    )
    created_at = models.DateTimeField("提问时间", default=timezone.now)
    moderated_at = models.DateTimeField("审核时间", null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answer = models.TextField("回答", blank=True)
    answered_by_guest = models.ForeignKey(
        InterviewGuest,
        verbose_name="回答嘉宾",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="answers",
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="录入人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answered_at = models.DateTimeField("回答时间", null=True, blank=True)
    shown_at = models.DateTimeField("公开时间", null=True, blank=True)
    seq = models.PositiveBigIntegerField("更新序号", default=0, db_index=True)

    class Meta:
        verbose_name = "网友提问"
        verbose_name_plural = "网友提问"
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["interview", "status", "seq"])]

    def __str__(self) -> str:
        return f"提问#{self.pk}"

    @property
    def asker_label(self) -> str:
        from govportal.privacy.masking import mask_text

        return mask_text(self.nickname) if self.nickname else "网友"

    @property
    def public_text(self) -> str:
        from govportal.privacy.masking import mask_text

        return mask_text(self.text)

    @property
    def public_answer(self) -> str:
        from govportal.privacy.masking import mask_text

        return mask_text(self.answer)

    @property
    def guest_name(self) -> str:
        return self.answered_by_guest.name if self.answered_by_guest_id else "嘉宾"


class SpeakerRole(models.TextChoices):
    HOST = "host", "主持人"
    GUEST = "guest", "嘉宾"


class HostMessage(models.Model):
    """主持人/嘉宾 messages in the live stream: text and an optional photo."""

    interview = models.ForeignKey(
        InterviewPage, verbose_name="访谈", on_delete=models.CASCADE, related_name="messages"
    )
    role = models.CharField("身份", max_length=10, choices=SpeakerRole, default=SpeakerRole.HOST)
    guest = models.ForeignKey(
        InterviewGuest,
        verbose_name="嘉宾",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="messages",
    )
    text = models.TextField("内容", max_length=2000)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name="图片",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    image_alt = models.CharField("图片替代文字", max_length=200, blank=True)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发布人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("发布时间", default=timezone.now)
    seq = models.PositiveBigIntegerField("更新序号", default=0, db_index=True)

    class Meta:
        verbose_name = "主持人消息"
        verbose_name_plural = "主持人消息"
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.speaker}：{self.text[:20]}"

    @property
    def speaker(self) -> str:
        if self.role == SpeakerRole.GUEST and self.guest_id:
            return f"嘉宾 {self.guest.name}"
        return SpeakerRole(self.role).label
