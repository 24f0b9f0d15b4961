"""Public forms of 来信: the writing form of a mailbox, rating (评价) and reopening.

:class:`LetterForm` is built per mailbox: the fixed fields (标题, 内容, 类别, 姓名, 电话 …),
the mailbox's own :class:`~.models.MailboxField` rows (attachments included), the map
location when the mailbox asks for it and, for writers who are not signed in, a CAPTCHA
(图形验证码) or — the accessible alternative — a one-time code sent to their mobile.
"""

import json
import re

from django import forms

from captcha.fields import CaptchaField, CaptchaTextInput

from govportal.core.forms import (
    ALLOWED_EXTENSIONS,
    ChineseFormMixin,
    validate_phone,
    validate_upload,
)
from govportal.privacy.normalize import normalize_phone
from govportal.privacy.validators import MOBILE_PATTERN

from .taxonomy import FieldType, Satisfaction

EXTRA_PREFIX = "extra_"
PUBLIC_HELP = "选择不公开，您的来信和答复不会在网站上显示"


class VerifyMethod:
    IMAGE = "image"
    SMS = "sms"
    CHOICES = [(IMAGE, "图形验证码"), (SMS, "短信验证码（看不清图片时使用）")]


class LetterCaptchaInput(CaptchaTextInput):
    """The image with a 2× version, a “换一张” button and a labelled answer box."""

    template_name = "interaction/widgets/captcha.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["image_2x"] = context["image"].rstrip("/") + "@2/"
        context["refresh_url"] = self.refresh_url()
        return context


def _split(text: str) -> list[str]:
    text = (text or "").strip()
    if not text:
        return []
    parts = text.splitlines() if "\n" in text else text.split(",")
    return [p.strip() for p in parts if p.strip()]


def extra_form_field(field) -> forms.Field:
    """A Django form field for one admin-defined :class:`~.models.MailboxField`."""
    common = {"label": field.label, "required": field.required, "help_text": field.help_text}
    choices = [(c, c) for c in _split(field.choices)]
    kind = field.field_type
    if kind == FieldType.MULTILINE:
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), max_length=2000, **common)
    if kind == FieldType.NUMBER:
        return forms.DecimalField(**common)
    if kind == FieldType.DATE:
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    if kind == FieldType.DROPDOWN:
        return forms.ChoiceField(choices=[("", "请选择")] + choices, **common)
    if kind == FieldType.RADIO:
        return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
    if kind == FieldType.CHECKBOXES:
        return forms.MultipleChoiceField(
            choices=choices, widget=forms.CheckboxSelectMultiple, **common
        )
    if kind == FieldType.FILE:
        help_text = common.pop("help_text") or ""
        help_text = f"{help_text} 支持 PDF、JPG、PNG、DOC、DOCX，单个不超过 10 MB。".strip()
        upload = forms.FileField(validators=[validate_upload], help_text=help_text, **common)
        upload.widget.attrs["accept"] = ",".join(ALLOWED_EXTENSIONS)
        return upload
    return forms.CharField(max_length=255, **common)


class LetterForm(ChineseFormMixin, forms.Form):
    """写信: one mailbox's form. ``anonymous`` adds the human check (CAPTCHA or SMS code)."""

    title = forms.CharField(label="标题", max_length=100)
    body = forms.CharField(
        label="来信内容",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="请写清事情的时间、地点、经过和您的诉求。公开时其中的手机号码、身份证号等自动隐去。",
    )
    category = forms.ModelChoiceField(label="来信类别", queryset=None, empty_label="请选择")
    name = forms.CharField(label="姓名", max_length=50)
    phone = forms.CharField(
        label="联系电话",
        max_length=30,
        help_text="手机号码或带区号的固定电话；凭查询码查询进度时需填写后 4 位。",
    )
    email = forms.EmailField(label="电子邮箱（选填）", required=False)
    address = forms.CharField(label="联系地址（选填）", max_length=200, required=False)
    wants_public = forms.BooleanField(label="同意公开我的来信和答复", required=False)

    location_text = forms.CharField(
        label="问题发生的位置", max_length=200, required=False,
        help_text="如街道、小区、路口名称；可点击“使用我的位置”自动填写经纬度。",
    )  # fmt: skip
    latitude = forms.DecimalField(
        label="纬度", required=False, max_digits=9, decimal_places=6,
        min_value=-90, max_value=90,
    )  # fmt: skip
    longitude = forms.DecimalField(
        label="经度", required=False, max_digits=9, decimal_places=6,
        min_value=-180, max_value=180,
    )  # fmt: skip

    verify_method = forms.ChoiceField(
        label="验证方式",
        choices=VerifyMethod.CHOICES,
        initial=VerifyMethod.IMAGE,
        widget=forms.RadioSelect,
        required=False,
    )
    captcha = CaptchaField(
        label="图形验证码",
        required=False,
        widget=LetterCaptchaInput(),
        error_messages={"invalid": "图形验证码不正确，请看新图片重新填写。"},
        help_text="请输入图片中的字符，不区分大小写。",
    )
    sms_code = forms.CharField(
        label="短信验证码", max_length=10, required=False,
        help_text="先填写手机号码，再点击“获取短信验证码”。",
    )  # fmt: skip
    confirm_duplicate = forms.BooleanField(label="我已查看，仍要提交", required=False)

    FIXED_FIELDS = ("title", "body", "category", "name", "phone", "email", "address")
    LOCATION_FIELDS = ("location_text", "latitude", "longitude")
    HUMAN_FIELDS = ("verify_method", "captcha", "sms_code")

    def __init__(self, *args, mailbox, anonymous: bool, sms_available: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.mailbox = mailbox
        self.anonymous = anonymous
        self.sms_available = sms_available
        categories = mailbox.categories.all()
        self.fields["category"].queryset = categories
        if not categories.exists():
            del self.fields["category"]
        self.fields["wants_public"].help_text = PUBLIC_HELP
        if not self.is_bound:
            self.initial.setdefault("wants_public", mailbox.replies_public_default)
        if mailbox.ask_location == "none":
            for name in self.LOCATION_FIELDS:
                del self.fields[name]
        elif mailbox.ask_location == "required":
            self.fields["location_text"].required = True
        if not anonymous:
            for name in self.HUMAN_FIELDS:
                del self.fields[name]
        elif not sms_available:
            del self.fields["verify_method"], self.fields["sms_code"]
        self.extra_names: list[str] = []
        for field in mailbox.form_fields.all():
            name = f"{EXTRA_PREFIX}{field.clean_name or field.pk}"
            self.fields[name] = extra_form_field(field)
            if field.default_value and not self.is_bound:
                self.initial.setdefault(name, field.default_value)
            self.extra_names.append(name)
        # ChineseFormMixin ran before the extra fields existed: give them Chinese messages too.
        for name in self.extra_names:
            field = self.fields[name]
            verb = (
                "请选择"
                if isinstance(
                    field.widget,
                    forms.Select
                    | forms.RadioSelect
                    | forms.CheckboxSelectMultiple
                    | forms.FileInput,
                )
                else "请填写"
            )  # noqa: E501
            field.error_messages["required"] = f"{verb}{field.label}。"
            if isinstance(field, forms.ChoiceField):
                field.error_messages["invalid_choice"] = f"请从列表中选择{field.label}。"
        if "captcha" in self.fields:
            self.fields["captcha"].error_messages["incomplete"] = "请填写图形验证码。"

    # -- groups for the template ---------------------------------------------------------------
    def fixed(self):
        return [self[n] for n in self.FIXED_FIELDS if n in self.fields]

    def extras(self):
        return [self[n] for n in self.extra_names]

    def location(self):
        return [self[n] for n in self.LOCATION_FIELDS if n in self.fields]

    @property
    def has_files(self) -> bool:
        return any(isinstance(self.fields[n], forms.FileField) for n in self.extra_names)

    @property
    def method(self) -> str:
        if not self.anonymous:
            return ""
        value = self.data.get(self.add_prefix("verify_method")) if self.is_bound else ""
        if value == VerifyMethod.SMS and self.sms_available:
            return VerifyMethod.SMS
        return VerifyMethod.IMAGE

    # -- validation ----------------------------------------------------------------------------
    def clean_phone(self):
        return validate_phone(self.cleaned_data.get("phone", ""))

    def clean_title(self):
        return " ".join(self.cleaned_data["title"].split())

    def clean(self):
        data = super().clean()
        if "latitude" in self.fields:
            lat, lon = data.get("latitude"), data.get("longitude")
            if (lat is None) != (lon is None) and not self.has_error("latitude"):
                self.add_error("latitude", "经度和纬度须同时填写，或都不填。")
        if self.anonymous and self.method == VerifyMethod.IMAGE:
            answer = self.data.get(self.add_prefix("captcha") + "_1", "")
            if not answer.strip() and not self.has_error("captcha"):
                self.add_error("captcha", "请填写图形验证码。")
        if self.anonymous and self.method == VerifyMethod.SMS:
            phone = normalize_phone(data.get("phone") or "")
            if not self.has_error("phone") and not MOBILE_PATTERN.match(phone):
                self.add_error("phone", "使用短信验证码时，联系电话须为手机号码。")
            if not (data.get("sms_code") or "").strip():
                self.add_error("sms_code", "请填写短信验证码。")
        return data

    # -- what services.submit takes ------------------------------------------------------------
    def letter_data(self) -> dict:
        data = self.cleaned_data
        values = {n: data[n] for n in ("title", "body", "name", "phone", "email", "address")}
        values["wants_public"] = bool(data.get("wants_public"))
        for name in self.LOCATION_FIELDS:
            if name in self.fields:
                values[name] = data.get(name) if name != "location_text" else data.get(name, "")
        extra = {}
        for name in self.extra_names:
            field = self.fields[name]
            if isinstance(field, forms.FileField):
                continue
            value = data.get(name)
            if value is None or value == "" or value == []:
                continue
            extra[str(field.label)] = value if isinstance(value, str | list) else str(value)
        if extra:
            values["extra_data"] = json.dumps(extra, ensure_ascii=False)
        return values

    def attachments(self) -> list:
        return [
            self.cleaned_data[n]
            for n in self.extra_names
            if isinstance(self.fields[n], forms.FileField) and self.cleaned_data.get(n)
        ]


def extra_items(letter) -> list[tuple[str, str]]:
    """The letter's 附加字段 as (label, text) pairs for the writer's own page."""
    try:
        data = json.loads(letter.extra_data or "{}")
    except ValueError:
        return []
    return [(k, "、".join(v) if isinstance(v, list) else str(v)) for k, v in data.items()]


class RateForm(ChineseFormMixin, forms.Form):
    satisfaction = forms.ChoiceField(
        label="您对答复的评价", choices=Satisfaction.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label="评价意见（选填）", max_length=300, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip


class ReopenForm(ChineseFormMixin, forms.Form):
    reason = forms.CharField(
        label="申请重新办理的理由", max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="请说明对答复不满意的地方和您的诉求。每件来信只能申请一次。",
    )  # fmt: skip


CODE_RE = re.compile(r"^[A-Za-z0-9]{6,20}$")


class LetterFilterForm(forms.Form):
    """来信选登 filters: mailbox, answering unit, status, date range (受理日期)."""

    mailbox = forms.TypedChoiceField(label="信箱", required=False, coerce=int, empty_value=None)
    unit = forms.TypedChoiceField(label="答复部门", required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(label="状态", required=False)
    start = forms.DateField(
        label="受理日期从", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label="至", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    q = forms.CharField(label="标题关键词", required=False, max_length=50)

    def __init__(self, *args, mailboxes=(), units=(), statuses=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mailbox"].choices = [("", "全部信箱")] + [(m.pk, m.title) for m in mailboxes]
        self.fields["unit"].choices = [("", "全部部门")] + [(u.pk, u.name) for u in units]
        self.fields["status"].choices = [("", "全部状态")] + list(statuses)
        for name in ("start", "end"):
            self.fields[name].error_messages["invalid"] = "请按 年-月-日 填写日期。"

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", "结束日期不能早于开始日期。")
        return data
