"""Forms of 依申请公开: the public 申请表, staff 登记, and each workflow step.

The applicant fields switch by applicant type (自然人: 姓名 + 证件; 法人或其他组织: 名称 +
统一社会信用代码 + 法定代表人 + 联系人). The server validates by the chosen type, so the form
works without JavaScript; the script only hides the fields that do not apply.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from govportal.core.forms import (  # shared with 来信; MAX_FILE_BYTES re-exported for old imports
    ALLOWED_EXTENSIONS,
    MAX_FILE_BYTES,  # noqa: F401
    MAX_FILES,
    ChineseFormMixin,
    validate_phone,
    validate_upload,
)
from govportal.organizations.codes import normalize_code, validate_credit_code
from govportal.organizations.models import Organization
from govportal.privacy.normalize import normalize_id_card
from govportal.privacy.validators import validate_id_card

from .models import Consultation
from .taxonomy import (
    MAX_EXTENSION_WORKDAYS,
    OUTCOMES_FOR_ANSWER,
    AnswerType,
    ApplicantType,
    Delivery,
    IdType,
    Outcome,
    ReceivedVia,
)

PERSON_ID_TYPES = [c for c in IdType.choices if c[0] != IdType.CREDIT_CODE]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Up to ``MAX_FILES`` files of the allowed types, each at most 10 MB."""

    widget = MultipleFileInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)
        self.widget.attrs["accept"] = ",".join(ALLOWED_EXTENSIONS)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if len(files) > MAX_FILES:
            raise ValidationError(f"最多上传 {MAX_FILES} 个附件。")
        for upload in files:
            validate_upload(upload)
        return files


class ApplicantForm(ChineseFormMixin, forms.Form):
    """The applicant and what they ask for; shared by the public form and staff 登记."""

    applicant_type = forms.ChoiceField(
        label="申请人类型",
        choices=ApplicantType.choices,
        widget=forms.RadioSelect,
        initial=ApplicantType.NATURAL,
    )
    # 自然人
    person_name = forms.CharField(label="姓名", max_length=50, required=False)
    id_type = forms.ChoiceField(
        label="证件类型", choices=PERSON_ID_TYPES, initial=IdType.ID_CARD, required=False
    )
    id_number = forms.CharField(
        label="证件号码", max_length=40, required=False, help_text="居民身份证为 18 位。"
    )
    # 法人或其他组织
    org_name = forms.CharField(label="名称", max_length=100, required=False)
    credit_code = forms.CharField(
        label="统一社会信用代码", max_length=20, required=False, help_text="18 位数字或大写字母。"
    )
    legal_representative = forms.CharField(
        label="法定代表人或负责人", max_length=50, required=False
    )
    contact_name = forms.CharField(label="联系人姓名", max_length=50, required=False)
    # contact
    phone = forms.CharField(
        label="联系电话",
        max_length=30,
        help_text="手机号码或带区号的固定电话；凭查询码查询进度时需填写后 4 位。",
    )
    email = forms.EmailField(
        label="电子邮箱", required=False, help_text="选择以电子邮件获取信息时必填。"
    )
    address = forms.CharField(
        label="通信地址", max_length=200, required=False, help_text="选择邮寄时必填。"
    )
    postcode = forms.CharField(label="邮政编码", max_length=6, required=False)
    # what is asked
    subject = forms.CharField(label="所需政府信息的名称", max_length=200)
    description = forms.CharField(
        label="所需政府信息的内容描述",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        help_text="文件名称、文号或者便于行政机关查询的其他特征性描述。",
    )
    purpose = forms.CharField(label="用途（选填）", max_length=200, required=False)
    delivery = forms.ChoiceField(
        label="获取信息的方式",
        choices=Delivery.choices,
        widget=forms.RadioSelect,
        initial=Delivery.ONLINE,
    )

    PERSON_FIELDS = ("person_name", "id_type", "id_number")
    ORG_FIELDS = ("org_name", "credit_code", "legal_representative", "contact_name")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].error_messages["invalid"] = (
            "电子邮箱格式不正确（例如 name@example.com）。"
        )

    def clean_phone(self):
        return validate_phone(self.cleaned_data["phone"])

    def clean_postcode(self):
        value = self.cleaned_data["postcode"].strip()
        if value and not (value.isdigit() and len(value) == 6):
            raise ValidationError("邮政编码应为 6 位数字。")
        return value

    def clean(self):
        data = super().clean()
        kind = data.get("applicant_type")
        if kind == ApplicantType.NATURAL:
            if not data.get("person_name", "").strip():
                self.add_error("person_name", "请填写姓名。")
            id_type = data.get("id_type") or IdType.ID_CARD
            number = data.get("id_number", "").strip()
            if not number:
                self.add_error("id_number", "请填写证件号码。")
            elif id_type == IdType.ID_CARD:
                number = normalize_id_card(number)
                try:
                    validate_id_card(number)
                except ValidationError as exc:
                    self.add_error("id_number", exc)
            elif not 5 <= len(number) <= 30:
                self.add_error("id_number", "证件号码应为 5 至 30 个字符。")
            data["id_type"] = id_type
            data["id_number"] = number
        elif kind:
            if not data.get("org_name", "").strip():
                self.add_error("org_name", "请填写法人或其他组织的名称。")
            code = normalize_code(data.get("credit_code", ""))
            if not code:
                self.add_error("credit_code", "请填写统一社会信用代码。")
            else:
                try:
                    validate_credit_code(code)
                except ValidationError as exc:
                    self.add_error("credit_code", exc)
            data["credit_code"] = code
            if not data.get("legal_representative", "").strip():
                self.add_error("legal_representative", "请填写法定代表人或负责人。")
            if not data.get("contact_name", "").strip():
                self.add_error("contact_name", "请填写联系人姓名。")
        delivery = data.get("delivery")
        if delivery == Delivery.EMAIL and not data.get("email"):
            self.add_error("email", "选择以电子邮件获取信息时，请填写电子邮箱。")
        if delivery == Delivery.POST and not data.get("address", "").strip():
            self.add_error("address", "选择邮寄时，请填写通信地址。")
        return data

    def request_data(self) -> dict:
        """The model fields of :class:`~.models.DisclosureRequest` from the cleaned data."""
        d = self.cleaned_data
        natural = d["applicant_type"] == ApplicantType.NATURAL
        return {
            "applicant_type": d["applicant_type"],
            "name": (d["person_name"] if natural else d["org_name"]).strip(),
            "id_type": d["id_type"] if natural else IdType.CREDIT_CODE,
            "id_number": d["id_number"] if natural else d["credit_code"],
            "legal_representative": "" if natural else d["legal_representative"].strip(),
            "contact_name": "" if natural else d["contact_name"].strip(),
            "phone": d["phone"],
            "email": d.get("email") or "",
            "address": d.get("address", "").strip(),
            "postcode": d.get("postcode", ""),
            "subject": d["subject"].strip(),
            "description": d["description"].strip(),
            "purpose": d.get("purpose", "").strip(),
            "delivery": d["delivery"],
        }


def organisation_choices():
    """Active organisations that own a site, in tree order (indented by depth)."""
    return Organization.objects.filter(is_active=True, site_links__isnull=False).distinct()


class OrganizationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.tree_label()


class ApplyForm(ApplicantForm):
    """网上申请表 (public)."""

    organization = OrganizationChoiceField(
        label="受理机关",
        queryset=Organization.objects.none(),
        empty_label=None,
        help_text="默认为本网站的主办机关，可改为其他机关。",
    )
    attachments = MultipleFileField(
        label="附件（选填）",
        help_text="最多 5 个，每个不超过 10 MB，支持 PDF、JPG、PNG、DOC、DOCX。表单有误时需重新选择附件。",
    )
    declaration = forms.BooleanField(
        label="本人承诺所填信息真实有效，并知悉提供虚假信息应承担相应法律责任。",
        error_messages={"required": "请阅读并勾选申请声明。"},
    )

    field_order = ["organization", "applicant_type"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organisation_choices()
        self.fields["declaration"].error_messages["required"] = "请阅读并勾选申请声明。"


class RegisterForm(ApplicantForm):
    """登记 by staff: a letter, in-person, fax or e-mail request."""

    organization = OrganizationChoiceField(
        label="受理机关", queryset=Organization.objects.none(), empty_label=None
    )
    received_via = forms.ChoiceField(
        label="申请方式", choices=[c for c in ReceivedVia.choices if c[0] != ReceivedVia.ONLINE]
    )
    received_on = forms.DateField(
        label="收到申请日期",
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        help_text="当面申请为提交之日；信函为签收之日。不能晚于今天。",
    )
    attachments = MultipleFileField(label="申请材料扫描件（选填）")

    field_order = ["organization", "received_via", "received_on", "applicant_type"]

    def __init__(self, *args, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        self.fields["received_on"].initial = timezone.localdate()
        self.fields["received_on"].error_messages["invalid"] = "请填写有效的日期。"

    def clean_received_on(self):
        value = self.cleaned_data["received_on"]
        if value > timezone.localdate():
            raise ValidationError("收到申请日期不能晚于今天。")
        return value


def _date_field(label, help_text=""):
    field = forms.DateField(
        label=label,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        help_text=help_text,
    )
    field.error_messages["invalid"] = "请填写有效的日期。"
    return field


class DatedForm(ChineseFormMixin, forms.Form):
    on = _date_field("日期")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()


class HandlersField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return getattr(obj, "display_name", "") or obj.get_username()


class ConfirmForm(DatedForm):
    on = _date_field("收到申请日期", "确认收到之日起算 20 个工作日；不能早于提交日期。")
    handlers = HandlersField(label="承办人", queryset=None, required=False,
                             help_text="不选则由您本人承办。")  # fmt: skip

    def __init__(self, *args, handlers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handlers"].queryset = handlers


class AssignForm(ChineseFormMixin, forms.Form):
    handlers = HandlersField(label="承办人", queryset=None)

    def __init__(self, *args, handlers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handlers"].queryset = handlers


class ClarifyForm(DatedForm):
    on = _date_field("补正通知日期")
    text = forms.CharField(
        label="需要补正的事项",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="一次性写明需要补正的全部事项和合理的补正期限（条例第三十条）。",
    )


class ClarificationReplyForm(DatedForm):
    on = _date_field("收到补正日期")
    reply = forms.CharField(label="补正内容", widget=forms.Textarea(attrs={"rows": 5}))


class ApplicantReplyForm(ChineseFormMixin, forms.Form):
    reply = forms.CharField(
        label="补正内容", widget=forms.Textarea(attrs={"rows": 6}), max_length=5000
    )


class ConsultForm(DatedForm):
    on = _date_field("发出日期", "征求意见期限为发出之日起 15 个工作日，期间不计入答复期限。")
    party_kind = forms.ChoiceField(label="征求对象类型", choices=Consultation.PartyKind.choices)
    party = forms.CharField(label="征求对象", max_length=200)


class ConsultationReplyForm(DatedForm):
    on = _date_field("收到意见日期")
    opinion = forms.CharField(label="意见摘要", widget=forms.Textarea(attrs={"rows": 4}))


class ExtensionForm(ChineseFormMixin, forms.Form):
    days = forms.IntegerField(
        label="延长工作日数",
        min_value=1,
        max_value=MAX_EXTENSION_WORKDAYS,
        help_text=f"最多 {MAX_EXTENSION_WORKDAYS} 个工作日，只能延长一次，须经负责人批准。",
    )
    reason = forms.CharField(label="延期理由", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["days"].error_messages.update(
            {
                "min_value": "延长工作日数至少为 1。",
                "max_value": f"延长工作日数不能超过 {MAX_EXTENSION_WORKDAYS}。",
                "invalid": "请填写整数。",
            }
        )


class DecisionForm(ChineseFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label="审批结果",
        choices=[("approve", "批准延期"), ("reject", "不批准")],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label="审批意见（选填）", max_length=300, required=False)


class WithdrawForm(DatedForm):
    on = _date_field("撤回日期")
    note = forms.CharField(label="说明（选填）", max_length=300, required=False)


def outcome_choices_by_type() -> dict[str, list[tuple[str, str]]]:
    return {
        kind: [(o, Outcome(o).label) for o in outcomes]
        for kind, outcomes in OUTCOMES_FOR_ANSWER.items()
    }


class AnswerForm(DatedForm):
    on = _date_field("答复日期")
    answer_type = forms.ChoiceField(
        label="答复类型", choices=AnswerType.choices, widget=forms.RadioSelect
    )
    outcome = forms.ChoiceField(
        label="办理结果（年报统计口径）",
        choices=Outcome.choices,
        help_text="只能选择与答复类型相符的办理结果。",
    )
    text = forms.CharField(
        label="答复内容（选填）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="写入答复书。予以公开而不上传附件时，请写明获取信息的方式、途径和时间。",
    )
    public_location = forms.CharField(
        label="已公开信息的获取途径", max_length=300, required=False,
        help_text="答复类型为“已主动公开”时必填，如网址、公报期号。",
    )  # fmt: skip
    referral_agency = forms.CharField(
        label="负责公开的机关", max_length=200, required=False,
        help_text="答复类型为“不属于本机关负责公开”时必填。",
    )  # fmt: skip
    attachments = MultipleFileField(label="答复附件（选填）")

    def __init__(self, *args, request_obj=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request_obj = request_obj

    def clean(self):
        from . import services

        data = super().clean()
        kind, outcome = data.get("answer_type"), data.get("outcome")
        if kind and outcome and self.request_obj is not None:
            try:
                services.validate_answer(
                    self.request_obj,
                    answer_type=kind,
                    outcome=outcome,
                    text=data.get("text", ""),
                    public_location=data.get("public_location", ""),
                    referral_agency=data.get("referral_agency", ""),
                    has_attachments=bool(data.get("attachments")),
                )
            except ValidationError as exc:
                self.add_error(None, exc)
        return data
