from django import forms

from .models import NotificationPreference


class TrackingForm(forms.Form):
    """办件查询: the tracking code and what the case type asks to verify."""

    tracking_code = forms.CharField(
        label="查询码",
        max_length=40,
        error_messages={
            "required": "请输入查询码。",
            "max_length": "查询码最多 %(limit_value)d 个字符，请核对后重新输入。",
        },
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    verification = forms.CharField(
        label="验证信息",
        max_length=40,
        error_messages={
            "required": "请输入验证信息。",
            "max_length": "验证信息最多 %(limit_value)d 个字符，请核对后重新输入。",
        },
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = NotificationPreference
        fields = ["case_email", "case_sms", "subscription_email", "subscription_sms"]
        labels = {
            "case_email": "电子邮件",
            "case_sms": "手机短信",
            "subscription_email": "电子邮件",
            "subscription_sms": "手机短信",
        }
