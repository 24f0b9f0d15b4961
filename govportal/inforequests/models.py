"""依申请公开 (requests for government information): the request and its history.

* :class:`DisclosureRequest` — one application (申请) to one agency (受理机关), with the
  applicant's personal data encrypted at rest, a tracking code (查询码), a deadline clock
  (:class:`~govportal.core.models.DeadlineClock`, 20 working days from 收到申请之日), and the
  answer (答复: one of the :class:`~.taxonomy.AnswerType` and one report row
  :class:`~.taxonomy.Outcome`).
* :class:`RequestEvent` — the case history; ``public`` events are what the applicant sees.
* :class:`Consultation` — 征求第三方/其他机关意见 (15 working days, not counted).
* :class:`ExtensionRequest` — 延期答复, asked by a handler, decided by a person in charge.
* :class:`RequestAttachment` — 申请材料 from the applicant and 答复附件 from the agency,
  in private storage.

The annual report (年度报告) reads ``organization``, ``applicant_type``, ``received_on``,
``closed_on`` and ``outcome`` only.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

from govportal.personal.models import private_storage
from govportal.privacy.fields import (
    BlindIndexField,
    EncryptedCharField,
    EncryptedEmailField,
    EncryptedTextField,
)

from .taxonomy import (
    AnswerType,
    ApplicantType,
    Delivery,
    IdType,
    Outcome,
    ReceivedVia,
    Status,
)

# No 0/O, 1/I/L: codes are read out over the phone and typed from paper receipts.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_PREFIX = "YS"


def new_tracking_code() -> str:
    """``YS`` + yymmdd + 6 random characters, e.g. ``YS261121K7M2QX``."""
    day = timezone.localdate().strftime("%y%m%d")
    tail = "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))
    return f"{CODE_PREFIX}{day}{tail}"


class DisclosureRequestQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=Status.open_values())

    def for_organizations(self, organizations):
        return self.filter(organization__in=organizations)


class DisclosureRequest(models.Model):
    """政府信息公开申请: one request to one agency."""

    # Full personal data only for assigned handlers (privacy_can_reveal) holding this.
    privacy_reveal_permission = "inforequests.handle_disclosurerequest"

    tracking_code = models.CharField(
        "查询码", max_length=20, unique=True, default=new_tracking_code, editable=False
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="disclosure_requests",
        verbose_name="受理机关",
    )
    site = models.ForeignKey(
        "wagtailcore.Site",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="提交网站",
    )
    received_via = models.CharField(
        "申请方式", max_length=20, choices=ReceivedVia, default=ReceivedVia.ONLINE
    )
    status = models.CharField(
        "状态", max_length=20, choices=Status, default=Status.SUBMITTED, db_index=True
    )

    # --- applicant (申请人) ------------------------------------------------------------
    applicant_type = models.CharField(
        "申请人类型", max_length=20, choices=ApplicantType, default=ApplicantType.NATURAL
    )
    applicant_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="disclosure_requests",
        verbose_name="申请人账号",
    )
    name = EncryptedCharField("姓名或名称", max_length=100, mask="name")
    id_type = models.CharField("证件类型", max_length=20, choices=IdType, default=IdType.ID_CARD)
    id_number = EncryptedCharField("证件号码", max_length=40, mask="id_card")
    legal_representative = EncryptedCharField(
        "法定代表人或负责人", max_length=50, blank=True, mask="name"
    )
    contact_name = EncryptedCharField("联系人姓名", max_length=50, blank=True, mask="name")
    phone = EncryptedCharField("联系电话", max_length=30, mask="phone")
    phone_index = BlindIndexField(source="phone", normalize="phone")
    email = EncryptedEmailField("电子邮箱", blank=True, mask="email")
    address = EncryptedCharField("通信地址", max_length=200, blank=True, mask="address")
    postcode = models.CharField("邮政编码", max_length=6, blank=True)

    # --- what is asked (所需信息) -------------------------------------------------------
    subject = models.CharField("所需政府信息的名称", max_length=200)
    description = EncryptedTextField(
        "所需政府信息的内容描述",
        mask="text",
        help_text="文件名称、文号或者便于行政机关查询的其他特征性描述。",
    )
    purpose = models.CharField("用途", max_length=200, blank=True)
    delivery = models.CharField(
        "获取信息的方式", max_length=20, choices=Delivery, default=Delivery.ONLINE
    )

    # --- dates and clock ---------------------------------------------------------------
    submitted_at = models.DateTimeField("提交时间", default=timezone.now)
    received_on = models.DateField(
        "收到申请日期",
        null=True,
        blank=True,
        db_index=True,
        help_text="网上申请为工作人员确认之日；当面申请为提交之日；信函为签收之日。",
    )
    clock = models.OneToOneField(
        "core.DeadlineClock",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="disclosure_request",
        verbose_name="答复期限",
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="登记人",
    )
    handlers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="assigned_disclosure_requests",
        verbose_name="承办人",
    )

    # --- 补正 (one clarification, 条例第三十条) -----------------------------------------
    clarification_sent_on = models.DateField("补正通知日期", null=True, blank=True)
    clarification_text = models.TextField("需要补正的事项", blank=True)
    clarification_reply = EncryptedTextField("申请人补正内容", blank=True, mask="text")
    clarified_on = models.DateField("收到补正日期", null=True, blank=True)

    # --- 答复 ------------------------------------------------------------------------------
    answer_type = models.CharField("答复类型", max_length=30, choices=AnswerType, blank=True)
    outcome = models.CharField(
        "办理结果（年报统计口径）", max_length=30, choices=Outcome, blank=True, db_index=True
    )
    answer_text = models.TextField("答复内容", blank=True)
    public_location = models.CharField(
        "已公开信息的获取途径", max_length=300, blank=True, help_text="如网址、公报期号。"
    )
    referral_agency = models.CharField(
        "负责公开的机关", max_length=200, blank=True, help_text="不属于本机关负责公开时填写。"
    )
    answered_on = models.DateField("答复日期", null=True, blank=True)
    letter_number = models.CharField("答复书文号", max_length=60, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="答复人",
    )
    answer_letter = models.FileField(
        "答复书（PDF）",
        upload_to="inforequests/letters/%Y/",
        storage=private_storage,
        blank=True,
    )
    withdrawn_on = models.DateField("撤回日期", null=True, blank=True)
    closed_on = models.DateField(
        "办结日期", null=True, blank=True, db_index=True, help_text="答复或撤回之日。"
    )

    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = DisclosureRequestQuerySet.as_manager()

    class Meta:
        verbose_name = "政府信息公开申请"
        verbose_name_plural = "政府信息公开申请"
        ordering = ["-submitted_at", "-pk"]
        permissions = [
            ("handle_disclosurerequest", "办理政府信息公开申请（本单位）"),
            ("approve_disclosurerequest_extension", "审批政府信息公开申请延期答复"),
        ]
        indexes = [
            models.Index(fields=["organization", "status"], name="inforeq_org_status"),
        ]

    def __str__(self) -> str:
        return f"{self.tracking_code} {self.subject}"

    @property
    def is_open(self) -> bool:
        return self.status in Status.open_values()

    @property
    def is_legal_person(self) -> bool:
        return self.applicant_type != ApplicantType.NATURAL

    def masked_name(self) -> str:
        """The applicant's name for lists and pages: a person's 姓名 masked (张**); an
        organisation's 名称 in full, since it is not personal data."""
        from govportal.privacy.access import masked

        return self.name if self.is_legal_person else masked(self, "name")

    def privacy_can_reveal(self, user, field_name: str) -> bool:
        """Only the assigned handlers see the applicant's full personal data."""
        return self.handlers.filter(pk=user.pk).exists()


class RequestEvent(models.Model):
    """办理过程: one step of a request's history."""

    request = models.ForeignKey(
        DisclosureRequest, on_delete=models.CASCADE, related_name="events", verbose_name="申请"
    )
    at = models.DateTimeField("时间", default=timezone.now)
    kind = models.CharField("环节", max_length=30)
    text = models.CharField("说明（申请人可见）", max_length=300, blank=True)
    note = models.TextField("内部备注", blank=True)
    public = models.BooleanField("申请人可见", default=True)
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


class Consultation(models.Model):
    """征求意见: asking a third party or another agency (15 working days, not counted)."""

    class PartyKind(models.TextChoices):
        THIRD_PARTY = "third_party", "第三方"
        OTHER_AGENCY = "other_agency", "其他机关"

    request = models.ForeignKey(
        DisclosureRequest,
        on_delete=models.CASCADE,
        related_name="consultations",
        verbose_name="申请",
    )
    party_kind = models.CharField(
        "征求对象类型", max_length=20, choices=PartyKind, default=PartyKind.THIRD_PARTY
    )
    party = models.CharField("征求对象", max_length=200)
    sent_on = models.DateField("发出日期")
    due_on = models.DateField("答复截止日期")
    replied_on = models.DateField("收到意见日期", null=True, blank=True)
    opinion = models.TextField("意见摘要", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="发起人",
    )

    class Meta:
        verbose_name = "征求意见"
        verbose_name_plural = "征求意见"
        ordering = ["sent_on", "pk"]

    def __str__(self) -> str:
        return f"{self.party}（{self.sent_on:%Y-%m-%d}）"


class ExtensionRequest(models.Model):
    """延期答复申请: a handler asks, a person in charge approves or rejects."""

    class Decision(models.TextChoices):
        PENDING = "pending", "待审批"
        APPROVED = "approved", "已批准"
        REJECTED = "rejected", "不批准"

    request = models.ForeignKey(
        DisclosureRequest,
        on_delete=models.CASCADE,
        related_name="extension_requests",
        verbose_name="申请",
    )
    days = models.PositiveSmallIntegerField("延长工作日数")
    reason = models.TextField("延期理由")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="申请人（承办人）",
    )
    requested_at = models.DateTimeField("提出时间", default=timezone.now)
    decision = models.CharField(
        "审批结果", max_length=20, choices=Decision, default=Decision.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="审批人",
    )
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decision_note = models.CharField("审批意见", max_length=300, blank=True)

    class Meta:
        verbose_name = "延期答复审批"
        verbose_name_plural = "延期答复审批"
        ordering = ["requested_at", "pk"]

    def __str__(self) -> str:
        return f"延期 {self.days} 个工作日（{self.get_decision_display()}）"


def attachment_path(instance, filename: str) -> str:
    return f"inforequests/{instance.request_id}/{secrets.token_hex(8)}/{filename}"


class RequestAttachment(models.Model):
    """申请材料 or 答复附件, in private storage."""

    class Kind(models.TextChoices):
        APPLICANT = "applicant", "申请材料"
        ANSWER = "answer", "答复附件"

    request = models.ForeignKey(
        DisclosureRequest,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name="申请",
    )
    kind = models.CharField("类别", max_length=20, choices=Kind, default=Kind.APPLICANT)
    file = models.FileField("文件", upload_to=attachment_path, storage=private_storage)
    filename = models.CharField("文件名", max_length=200)
    size = models.PositiveBigIntegerField("大小（字节）", default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="上传人",
    )
    created_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "申请附件"
        verbose_name_plural = "申请附件"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.filename
