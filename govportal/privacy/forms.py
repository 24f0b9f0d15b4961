"""Form fields for ID-card and mobile numbers: normalised, validated, Chinese messages."""

from django import forms

from .normalize import normalize_id_card, normalize_phone
from .validators import validate_id_card, validate_mobile


class IdCardNumberField(forms.CharField):
    """居民身份证号码: spaces removed, ``x`` upper-cased, GB 11643 checked."""

    default_validators = [validate_id_card]
    default_error_messages = {"required": "请填写身份证号码。"}

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 24)  # 18 characters, with room for typed spaces
        kwargs.setdefault("label", "身份证号码")
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update({"autocomplete": "off", "spellcheck": "false", "inputmode": "text"})
        return attrs

    def to_python(self, value):
        return normalize_id_card(super().to_python(value))


class MobilePhoneField(forms.CharField):
    """手机号码: ``+86``, spaces and dashes accepted, stored as 11 digits."""

    default_validators = [validate_mobile]
    default_error_messages = {"required": "请填写手机号码。"}

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("label", "手机号码")
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update({"autocomplete": "tel", "inputmode": "tel"})
        return attrs

    def to_python(self, value):
        return normalize_phone(super().to_python(value))
