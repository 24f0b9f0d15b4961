"""Admin sign-in form: Wagtail's, with a translated password label."""

from django import forms
from django.utils.translation import gettext_lazy

from wagtail.admin.forms.account import NameEmailForm
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm


class LoginForm(WagtailLoginForm):
    """Wagtail's login form leaves the password label to the field name ("Password"),
    which no catalogue translates; Django's own label is translated in every language."""

    password = forms.CharField(
        label=gettext_lazy("Password"),
        widget=forms.PasswordInput(attrs={"placeholder": gettext_lazy("Enter password")}),
        strip=False,
    )


class CodeForm(forms.Form):
    """One code: 6 digits from the authenticator app, or (at login) a recovery code."""

    code = forms.CharField(
        label="验证码",
        max_length=20,
        strip=True,
        error_messages={"required": "请输入验证码。"},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autocapitalize": "off",
                "spellcheck": "false",
                "class": "twofactor-code",
            }
        ),
        help_text="打开手机上的身份验证器应用，输入当前显示的 6 位数字。",
    )

    def __init__(self, *args, verify: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if verify:
            field = self.fields["code"]
            field.widget.attrs["inputmode"] = "text"
            field.help_text = "输入身份验证器中当前显示的 6 位数字；手机不在身边时，可输入一个恢复码（如 abcd-efgh，每个只能用一次）。"


class ChineseNameEmailForm(NameEmailForm):
    """账号设置 → 姓名: a Chinese name is one string; 名 alone (or the full name) suffices.

    Wagtail requires both a first and a last name, so an account created with one full name
    (by a site admin, or the demo) could not save anything on its account page — including
    the password change the admin forces after a reset or expiry.
    """

    last_name = forms.CharField(required=False, label=NameEmailForm.base_fields["last_name"].label)
