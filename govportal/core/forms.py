"""Form helpers shared by the public case forms (依申请公开, 来信 …).

* :class:`ChineseFormMixin` — Chinese “请填写…/请选择…” messages and ``aria-invalid`` /
  ``aria-describedby`` on the widgets of fields with errors.
* :func:`validate_phone` — a mobile number or a landline with area code.
* Upload limits (:data:`ALLOWED_EXTENSIONS`, :data:`MAX_FILE_BYTES`, :data:`MAX_FILES`) and
  :func:`validate_upload`, which checks one uploaded file against them.
"""

from django import forms
from django.core.exceptions import ValidationError

from govportal.privacy.normalize import normalize_phone
from govportal.privacy.validators import MOBILE_PATTERN

MAX_FILES = 5
MAX_FILE_BYTES = 10 * 1024 * 1024
ALLOWED_EXTENSIONS = (".pdf", ".jpg", ".jpeg", ".png", ".doc", ".docx")


def validate_upload(upload) -> None:
    """One uploaded file: an allowed type and at most 10 MB."""
    if not upload.name.lower().endswith(ALLOWED_EXTENSIONS):
        raise ValidationError(
            f"“{upload.name}”的格式不支持，请上传 PDF、JPG、PNG、DOC 或 DOCX 文件。"
        )
    if upload.size > MAX_FILE_BYTES:
        raise ValidationError(f"“{upload.name}”超过 10 MB，请压缩或拆分后上传。")


def validate_phone(value: str) -> str:
    """A mobile (11 digits) or a landline with area code (0xx-xxxxxxx)."""
    digits = normalize_phone(value)
    if MOBILE_PATTERN.match(digits) or (digits.startswith("0") and 10 <= len(digits) <= 12):
        return digits if MOBILE_PATTERN.match(digits) else value.strip()
    raise ValidationError("请填写有效的手机号码或带区号的固定电话（如 0999-88886666）。")


class ChineseFormMixin:
    """Chinese “请填写…” messages; ``aria-invalid``/``aria-describedby`` on widgets."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            label = str(field.label or name)
            field.error_messages["required"] = (
                f"请选择{label}。"
                if isinstance(field.widget, forms.RadioSelect | forms.Select)
                else f"请填写{label}。"
            )
            if isinstance(field, forms.CharField) and field.max_length:
                field.error_messages["max_length"] = f"{label}最多 {field.max_length} 个字符。"

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["aria-invalid"] = "true"
                described = widget.attrs.get("aria-describedby", "")
                error_id = f"{self[name].auto_id}-error"
                if error_id not in described:
                    widget.attrs["aria-describedby"] = f"{described} {error_id}".strip()
