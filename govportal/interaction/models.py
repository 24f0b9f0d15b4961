"""互动交流: mailboxes (信箱) and the letters (来信) written to them.

* :class:`MailboxPage` — one mailbox on a site (书记信箱, 市长信箱, 咨询, 投诉举报 …), a page
  under the site's 互动交流 channel so it has a URL, the site's permissions and review. It
  sets its categories (:class:`LetterCategory`, each with the units it is dispatched to: the
  dispatch catalogue), its answer period in working days, whether replies are public by
  default, whether a map location is asked for, and extra form fields defined in the admin
  (:class:`MailboxField`, Wagtail's form-builder field with our types, attachments included).
* :class:`Letter` — one letter: the writer's personal data encrypted at rest, a tracking code,
  a deadline clock from 受理, and its place in the closed loop (:class:`~.taxonomy.Status`).
* :class:`LetterAssignment` — 派单: a unit holding the letter as 主办 or 协办; returning it
  (退回) needs approval.
* :class:`LetterReply` — 答复: drafted by the unit, reviewed and approved before it is sent and,
  if public, published.
* :class:`Supervision` — 督办: an overdue letter escalated to the supervising unit.
* :class:`LetterEvent` — the history; ``public`` events are what the writer sees.
* :class:`LetterAttachment` — files from the writer or with the reply, in private storage.

The workflow (services), the public pages and the statistics build on these models.
"""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.forms.models import AbstractFormField
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page

from govportal.content.models import ColumnMixin, ColumnType
from govportal.personal.models import private_storage
from govportal.privacy.fields import (
    BlindIndexField,
    EncryptedCharField,
    EncryptedEmailField,
    EncryptedTextField,
)

from .taxonomy import (
    DEFAULT_WORKDAYS,
    AssignmentRole,
    AssignmentStatus,
    FieldType,
    MailboxKind,
    ReplyStatus,
    Satisfaction,
    Status,
)

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_PREFIX = "XJ"


def new_tracking_code() -> str:
    """``XJ`` + yymmdd + 6 random characters, e.g. ``XJ261121K7M2QX``."""
    day = timezone.localdate().strftime("%y%m%d")
    tail = "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))
    return f"{CODE_PREFIX}{day}{tail}"


# -- mailboxes ----------------------------------------------------------------------------------


class MailboxPage(ColumnMixin, Page):
    """信箱: a mailbox of one site, with its own form, categories and rules."""

    kind = models.CharField(
        "信箱类型", max_length=20, choices=MailboxKind, default=MailboxKind.OTHER
    )
    intro = RichTextField("信箱说明", blank=True, features=["bold", "italic", "link"])
    notice = RichTextField(
        "写信须知", blank=True, features=["bold", "italic", "link", "ol", "ul"],
        help_text="受理范围、不予受理的情形、办理时限等，显示在写信表单上方。",
    )  # fmt: skip
    handling_units = ParentalManyToManyField(
        "organizations.Organization",
        blank=True,
        related_name="mailboxes",
        verbose_name="受理单位",
        help_text="负责受理、派单的单位；未设置时为本网站的主办单位。",
    )
    answer_workdays = models.PositiveSmallIntegerField(
        "答复时限（工作日）",
        null=True,
        blank=True,
        help_text="自受理之日起计算；不填按信箱类型的默认值（咨询 3、投诉举报 15、领导信箱 10）。",
    )
    replies_public_default = models.BooleanField(
        "答复默认公开", default=True, help_text="写信人可以选择不公开自己的来信。"
    )
    allow_anonymous = models.BooleanField(
        "允许未登录写信", default=True, help_text="未登录写信须通过验证码，并受频率限制。"
    )
    ask_location = models.CharField(
        "地图位置",
        max_length=10,
        choices=[("none", "不需要"), ("optional", "可选"), ("required", "必填")],
        default="none",
    )
    is_open = models.BooleanField("正在受理来信", default=True)

    content_panels = Page.content_panels + [
        FieldPanel("kind"),
        FieldPanel("intro"),
        FieldPanel("notice"),
        MultiFieldPanel(
            [
                FieldPanel("handling_units"),
                FieldPanel("answer_workdays"),
                FieldPanel("replies_public_default"),
                FieldPanel("allow_anonymous"),
                FieldPanel("ask_location"),
                FieldPanel("is_open"),
            ],
            heading="受理规则",
        ),
        InlinePanel("categories", label="来信类别", heading="来信类别（派单目录）"),
        InlinePanel("form_fields", label="表单字段", heading="附加表单字段"),
    ]
    parent_page_types = ["content.ChannelPage"]
    subpage_types: list[str] = []
    # Listed by its channel (and the channel's sub-navigation) unless an editor unticks it.
    show_in_menus_default = True

    class Meta:
        verbose_name = "信箱"
        verbose_name_plural = "信箱"

    def save(self, *args, **kwargs):
        self.column_type = ColumnType.INTERACTION
        super().save(*args, **kwargs)

    def serve(self, request, *args, **kwargs):
        """The mailbox's page is its writing form (``interaction:write``)."""
        from django.shortcuts import redirect

        return redirect("interaction:write", pk=self.pk)

    @property
    def default_workdays(self) -> int:
        return self.answer_workdays or DEFAULT_WORKDAYS.get(self.kind, 10)


class LetterCategory(ClusterableModel, Orderable):
    """来信类别 with its row of the dispatch catalogue (派单目录): category → units.

    A cluster itself, so the page editor saves its ``assist_units`` with the page.
    """

    page = ParentalKey(MailboxPage, on_delete=models.CASCADE, related_name="categories")
    name = models.CharField("类别名称", max_length=50)
    lead_unit = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="默认主办单位",
    )
    assist_units = ParentalManyToManyField(
        "organizations.Organization", blank=True, related_name="+", verbose_name="默认协办单位"
    )
    answer_workdays = models.PositiveSmallIntegerField(
        "答复时限（工作日）", null=True, blank=True, help_text="不填则用信箱的时限。"
    )
    location_based = models.BooleanField(
        "按位置受理",
        default=False,
        help_text="需要地图位置（如道路、环境类问题），开放 Open311 接口。",
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("lead_unit"),
        FieldPanel("assist_units"),
        FieldPanel("answer_workdays"),
        FieldPanel("location_based"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "来信类别"
        verbose_name_plural = "来信类别"

    def __str__(self) -> str:
        return self.name

    def workdays(self) -> int:
        return self.answer_workdays or self.page.default_workdays


class MailboxField(AbstractFormField):
    """附加表单字段 of a mailbox (Wagtail's form-builder field with our types)."""

    page = ParentalKey(MailboxPage, on_delete=models.CASCADE, related_name="form_fields")
    field_type = models.CharField("字段类型", max_length=16, choices=FieldType)

    class Meta(AbstractFormField.Meta):
        verbose_name = "表单字段"
        verbose_name_plural = "表单字段"


# -- letters ------------------------------------------------------------------------------------


class LetterQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=Status.open_values())

    def public(self):
        """Letters whose reply may be shown: answered or closed, writer and staff agreed."""
        return self.filter(
            status__in=[Status.ANSWERED, Status.CLOSED], wants_public=True, reply_public=True
        )


class Letter(models.Model):
    """来信: one letter to one mailbox."""

    # Admin access opens the gate; privacy_can_reveal decides by role (dispatcher or unit staff).
    privacy_reveal_permission = "wagtailadmin.access_admin"

    tracking_code = models.CharField(
        "查询码", max_length=20, unique=True, default=new_tracking_code, editable=False
    )
    mailbox = models.ForeignKey(
        MailboxPage, on_delete=models.PROTECT, related_name="letters", verbose_name="信箱"
    )
    category = models.ForeignKey(
        LetterCategory,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="letters",
        verbose_name="来信类别",
    )
    status = models.CharField(
        "状态", max_length=20, choices=Status, default=Status.SUBMITTED, db_index=True
    )

    # --- the letter ---------------------------------------------------------------------------
    title = models.CharField("标题", max_length=100)
    body = models.TextField("来信内容", help_text="公开时其中的个人信息自动脱敏。")
    extra_data = EncryptedTextField(
        "附加字段", blank=True, mask="all", help_text="信箱附加表单字段的内容（JSON）。"
    )
    location_text = models.CharField("位置描述", max_length=200, blank=True)
    latitude = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    wants_public = models.BooleanField("写信人同意公开", default=True)

    # --- the writer (写信人), encrypted ---------------------------------------------------------
    writer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="letters",
        verbose_name="写信人账号",
    )
    name = EncryptedCharField("姓名", max_length=50, mask="name")
    phone = EncryptedCharField("联系电话", max_length=30, mask="phone")
    phone_index = BlindIndexField(source="phone", normalize="phone")
    email = EncryptedEmailField("电子邮箱", blank=True, mask="email")
    address = EncryptedCharField("联系地址", max_length=200, blank=True, mask="address")

    # --- handling ------------------------------------------------------------------------------
    submitted_at = models.DateTimeField("来信时间", default=timezone.now, db_index=True)
    accepted_on = models.DateField("受理日期", null=True, blank=True, db_index=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="受理人",
    )
    reject_reason = models.CharField("不予受理理由", max_length=300, blank=True)
    clock = models.OneToOneField(
        "core.DeadlineClock",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="letter",
        verbose_name="答复期限",
    )
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name="合并到",
    )
    similar_letters = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="+", verbose_name="相似来信"
    )
    hard_alarm_at = models.DateTimeField("超长未答复告警时间", null=True, blank=True)

    # --- answer ----------------------------------------------------------------------------------
    answered_on = models.DateField("答复日期", null=True, blank=True, db_index=True)
    answer_unit = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="答复部门",
    )
    answer_text = models.TextField("答复内容", blank=True)
    reply_public = models.BooleanField("答复公开", default=False)
    closed_on = models.DateField("办结日期", null=True, blank=True)
    reopened = models.PositiveSmallIntegerField("重新办理次数", default=0)
    reopen_reason = models.TextField("重新办理理由", blank=True)
    satisfaction = models.CharField(
        "满意度", max_length=20, choices=Satisfaction, blank=True, db_index=True
    )
    rating_comment = models.CharField("评价意见", max_length=300, blank=True)
    rated_at = models.DateTimeField("评价时间", null=True, blank=True)

    site = models.ForeignKey(
        "wagtailcore.Site",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="提交网站",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = LetterQuerySet.as_manager()

    class Meta:
        verbose_name = "来信"
        verbose_name_plural = "来信"
        ordering = ["-submitted_at", "-pk"]
        permissions = [
            ("handle_letter", "办理来信（本单位）"),
            ("dispatch_letter", "受理和派单"),
            ("approve_letter_reply", "审核批准答复"),
            ("supervise_letter", "督办来信"),
        ]
        indexes = [models.Index(fields=["mailbox", "status"], name="interaction_mailbox_status")]

    def __str__(self) -> str:
        return f"{self.tracking_code} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status in Status.open_values()

    @property
    def is_public(self) -> bool:
        return (
            self.status in (Status.ANSWERED, Status.CLOSED)
            and self.wants_public
            and self.reply_public
        )

    def clean(self):
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError("地图位置须同时有经度和纬度。")
        if self.latitude is not None and not -90 <= self.latitude <= 90:
            raise ValidationError({"latitude": "纬度应在 -90 到 90 之间。"})
        if self.longitude is not None and not -180 <= self.longitude <= 180:
            raise ValidationError({"longitude": "经度应在 -180 到 180 之间。"})

    def privacy_can_reveal(self, user, field_name: str) -> bool:
        """The writer's data, in full: for the mailbox's dispatchers (``dispatch_letter`` in a
        handling unit, or in the site's owner when the mailbox names none), who accept and
        verify the letter, and for unit staff (``handle_letter``) of a unit holding it (not
        returned). The permission checks are here, not only in ``privacy_reveal_permission``,
        because the two roles hold different permissions."""
        from . import services

        if services.is_dispatcher(user, self):
            return True
        return any(services.is_unit_staff(user, a) for a in services.active_assignments(self))


class LetterAssignment(models.Model):
    """派单: one unit holding the letter, as 主办 (lead) or 协办 (assisting)."""

    letter = models.ForeignKey(
        Letter, on_delete=models.CASCADE, related_name="assignments", verbose_name="来信"
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="letter_assignments",
        verbose_name="承办单位",
    )
    role = models.CharField("角色", max_length=10, choices=AssignmentRole)
    status = models.CharField(
        "状态", max_length=20, choices=AssignmentStatus, default=AssignmentStatus.PENDING
    )
    assigned_at = models.DateTimeField("派单时间", default=timezone.now)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="派单人",
    )
    accepted_at = models.DateTimeField("签收时间", null=True, blank=True)
    return_reason = models.TextField("退回理由", blank=True)
    return_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="退回审批人",
    )
    return_decided_at = models.DateTimeField("退回审批时间", null=True, blank=True)
    opinion = models.TextField("协办意见", blank=True)

    class Meta:
        verbose_name = "派单"
        verbose_name_plural = "派单"
        ordering = ["assigned_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["letter"],
                condition=models.Q(role=AssignmentRole.LEAD)
                & ~models.Q(status=AssignmentStatus.RETURNED),
                name="interaction_one_active_lead_unit",
                violation_error_message="一件来信只能有一个主办单位。",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}：{self.organization}"


class LetterReply(models.Model):
    """答复: drafted by the lead unit, reviewed and approved before it goes out."""

    letter = models.ForeignKey(
        Letter, on_delete=models.CASCADE, related_name="replies", verbose_name="来信"
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="答复单位",
    )
    body = models.TextField("答复内容")
    status = models.CharField("状态", max_length=20, choices=ReplyStatus, default=ReplyStatus.DRAFT)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="拟稿人",
    )
    created_at = models.DateTimeField("拟稿时间", default=timezone.now)
    submitted_at = models.DateTimeField("提交审核时间", null=True, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="审核人",
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    review_note = models.CharField("审核意见", max_length=300, blank=True)

    class Meta:
        verbose_name = "答复"
        verbose_name_plural = "答复"
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.organization} 的答复（{self.get_status_display()}）"


class Supervision(models.Model):
    """督办: a letter escalated to the supervising unit (overdue, or by hand)."""

    letter = models.ForeignKey(
        Letter, on_delete=models.CASCADE, related_name="supervisions", verbose_name="来信"
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="督办单位",
    )
    reason = models.CharField("督办事由", max_length=300)
    automatic = models.BooleanField("超期自动督办", default=False)
    created_at = models.DateTimeField("督办时间", default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="督办人",
    )
    resolved_at = models.DateTimeField("解除时间", null=True, blank=True)

    class Meta:
        verbose_name = "督办"
        verbose_name_plural = "督办"
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.organization} 督办：{self.reason}"


class LetterEvent(models.Model):
    """办理过程: one step of a letter's history."""

    letter = models.ForeignKey(
        Letter, on_delete=models.CASCADE, related_name="events", verbose_name="来信"
    )
    at = models.DateTimeField("时间", default=timezone.now)
    kind = models.CharField("环节", max_length=30)
    text = models.CharField("说明（写信人可见）", max_length=300, blank=True)
    note = models.TextField("内部备注", blank=True)
    public = models.BooleanField("写信人可见", default=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="操作人",
    )

    class Meta:
        verbose_name = "办理过程"
        verbose_name_plural = "办理过程"
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind}"


def attachment_path(instance, filename: str) -> str:
    return f"interaction/{instance.letter_id}/{secrets.token_hex(8)}/{filename}"


class LetterAttachment(models.Model):
    """来信附件 or 答复附件, in private storage."""

    class Kind(models.TextChoices):
        WRITER = "writer", "来信附件"
        REPLY = "reply", "答复附件"

    letter = models.ForeignKey(
        Letter, on_delete=models.CASCADE, related_name="attachments", verbose_name="来信"
    )
    kind = models.CharField("类别", max_length=20, choices=Kind, default=Kind.WRITER)
    file = models.FileField("文件", upload_to=attachment_path, storage=private_storage)
    filename = models.CharField("文件名", max_length=200)
    size = models.PositiveBigIntegerField("大小（字节）", default=0)
    created_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "来信附件"
        verbose_name_plural = "来信附件"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.filename


class LetterMonthlyReport(models.Model):
    """来信统计月报: one site's letter statistics of one month, frozen when published.

    ``data`` holds the per-mailbox and per-unit tables as computed on publication
    (:func:`govportal.interaction.stats.publish_month`); later changes to the letters do not
    alter it.
    """

    site = models.ForeignKey(
        "wagtailcore.Site",
        on_delete=models.CASCADE,
        related_name="letter_monthly_reports",
        verbose_name="网站",
    )
    year = models.PositiveSmallIntegerField("年")
    month = models.PositiveSmallIntegerField("月")
    data = models.JSONField("统计数据", default=dict)
    published_at = models.DateTimeField("公开时间", default=timezone.now)

    class Meta:
        verbose_name = "来信统计月报"
        verbose_name_plural = "来信统计月报"
        ordering = ["-year", "-month"]
        constraints = [
            models.UniqueConstraint(
                fields=["site", "year", "month"], name="interaction_one_report_per_site_month"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year}年{self.month}月来信统计"

    @property
    def slug(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


# -- Open311 ------------------------------------------------------------------------------------


class Open311Client(models.Model):
    """Open311 接入客户端: an application allowed to create service requests (来信) through the
    GeoReport v2 API (:mod:`govportal.interaction.open311`). Its API key is shown once when it
    is created; only a SHA-256 digest is kept (the key is 256 random bits, so no salt or slow
    hash is needed, and the digest can be looked up directly)."""

    name = models.CharField(
        "名称", max_length=100, help_text="接入的应用或单位，如“城市随手拍 App”。"
    )
    key_prefix = models.CharField("密钥前缀", max_length=12, editable=False)
    key_hash = models.CharField("密钥摘要", max_length=64, unique=True, editable=False)
    site = models.ForeignKey(
        "wagtailcore.Site",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="限定网站",
        help_text="只能向该网站的信箱提交；留空表示站群内所有网站。",
    )
    active = models.BooleanField("启用", default=True, help_text="取消勾选即吊销该密钥。")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="创建人",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    last_used_at = models.DateTimeField("最近使用时间", null=True, blank=True)

    KEY_PREFIX = "o311_"

    class Meta:
        verbose_name = "Open311 接入客户端"
        verbose_name_plural = "Open311 接入客户端"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name}（{self.key_prefix}…）"

    @staticmethod
    def digest(key: str) -> str:
        import hashlib

        return hashlib.sha256(key.encode()).hexdigest()

    def new_key(self) -> str:
        """Give the client a fresh key; returns it (the only time it is readable)."""
        key = self.KEY_PREFIX + secrets.token_urlsafe(32)
        self.key_prefix = key[:12]
        self.key_hash = self.digest(key)
        return key

    @classmethod
    def for_key(cls, key: str):
        """The active client holding ``key``, or ``None``."""
        if not key:
            return None
        return cls.objects.filter(key_hash=cls.digest(key.strip()), active=True).first()
