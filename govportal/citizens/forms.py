"""Forms of the citizen account pages: Chinese labels and messages, nothing typed is lost.

Forms with a "获取验证码" button validate in two modes: ``sending=True`` checks only what is
needed to send the code (the contact), the full mode everything. The view re-renders the
same bound form either way, so every typed value comes back.
"""

from django import forms
from django.contrib.auth import authenticate, get_user_model, password_validation
from django.core.exceptions import ValidationError

from govportal.privacy.forms import MobilePhoneField
from govportal.privacy.normalize import normalize_email

from . import codes, services
from .models import Channel

CODE_WIDGET_ATTRS = {
    "autocomplete": "one-time-code",
    "inputmode": "numeric",
    "pattern": "[0-9０-９ ]*",
    "maxlength": "8",
    "spellcheck": "false",
}


def code_field(**kwargs) -> forms.CharField:
    kwargs.setdefault("label", "验证码")
    kwargs.setdefault(
        "help_text", f"{codes.CODE_DIGITS} 位数字，{codes.ttl_seconds() // 60} 分钟内有效。"
    )
    return forms.CharField(
        max_length=12,
        required=False,
        widget=forms.TextInput(attrs=CODE_WIDGET_ATTRS),
        **kwargs,
    )


class NewPasswordField(forms.CharField):
    """A new password; the template lists the rules of ``AUTH_PASSWORD_VALIDATORS`` under it."""

    @property
    def help_items(self) -> list[str]:
        return password_validation.password_validators_help_texts()


def new_password_fields(label: str = "设置密码"):
    first = NewPasswordField(
        label=label,
        strip=False,
        required=False,
        # Kept when the page comes back (after "获取验证码" or an error elsewhere); the
        # page is never cached (views use never_cache).
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}, render_value=True),
    )
    second = forms.CharField(
        label="确认密码",
        strip=False,
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}, render_value=True),
    )
    return first, second


class ChineseErrorsMixin:
    """Chinese messages naming the field; ``aria-describedby``/``aria-invalid`` on widgets.

    ``code_sent`` holds the "验证码已发送至 …" line a view sets after sending a code;
    ``staff_refused`` marks a refused staff sign-in (the template links to the admin login).
    """

    code_sent = ""
    staff_refused = False
    summary_title = "请修正以下问题后再提交："

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            label = str(field.label).replace("（选填）", "")
            field.error_messages["required"] = f"请填写{label}。"
            if isinstance(field, forms.CharField) and field.max_length:
                field.error_messages["max_length"] = f"{label}最多 {field.max_length} 个字符。"
        for name in self.fields:
            self._describe(name)

    def _describe(self, name: str, invalid: bool = False) -> None:
        field = self.fields[name]
        auto_id = self[name].auto_id
        ids = []
        if field.help_text or getattr(field, "help_items", None):
            ids.append(f"{auto_id}-help")
        if invalid:
            ids.append(f"{auto_id}-error")
            field.widget.attrs["aria-invalid"] = "true"
        if ids:
            field.widget.attrs["aria-describedby"] = " ".join(ids)

    def add_error(self, field, error):
        super().add_error(field, error)
        names = [field] if field else []
        if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
            names = list(error.error_dict)
        for name in names:
            if name in self.fields:
                self._describe(name, invalid=True)

    def require(self, name: str) -> None:
        if not self.cleaned_data.get(name) and name not in self.errors:
            self.add_error(name, self.fields[name].error_messages["required"])

    def check_new_password(self, user=None, first="password1", second="password2") -> None:
        self.require(first)
        self.require(second)
        password = self.cleaned_data.get(first)
        confirm = self.cleaned_data.get(second)
        if not password or first in self.errors:
            return
        if confirm and password != confirm:
            self.add_error(second, "两次输入的密码不一致。")
        try:
            password_validation.validate_password(password, user)
        except ValidationError as exc:
            self.add_error(first, exc)


def password_is_right(request, user, password: str) -> bool:
    """Check a signed-in user's password through ``authenticate`` (django-axes counts misses)."""
    found = authenticate(request, username=user.get_username(), password=password)
    return found is not None and found.pk == user.pk


class IdentifierField(forms.CharField):
    """手机号码或电子邮箱 → ``(channel, normalised value)``."""

    default_error_messages = {"required": "请填写手机号码或电子邮箱。"}

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "手机号码或电子邮箱")
        kwargs.setdefault("max_length", 254)
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update({"autocomplete": "username", "spellcheck": "false", "autocapitalize": "none"})
        return attrs

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        return services.classify_identifier(text)


# -- sign in ---------------------------------------------------------------------------------


class PasswordLoginForm(ChineseErrorsMixin, forms.Form):
    summary_title = "登录未成功："
    identifier = IdentifierField()
    password = forms.CharField(
        label="密码",
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class CodeLoginForm(ChineseErrorsMixin, forms.Form):
    summary_title = "登录未成功："
    identifier = IdentifierField()
    code = code_field()

    def __init__(self, *args, sending: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.sending = sending

    def clean(self):
        data = super().clean()
        if not self.sending:
            self.require("code")
        return data


# -- register --------------------------------------------------------------------------------


class RegisterForm(ChineseErrorsMixin, forms.Form):
    """注册: by e-mail or by mobile (``channel`` from the chosen tab), code, password, consent."""

    email = forms.EmailField(
        label="电子邮箱",
        required=False,
        max_length=254,
        error_messages={"invalid": "电子邮箱格式不正确，请检查（例如 name@example.com）。"},
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    mobile = MobilePhoneField(required=False)
    code = code_field()
    display_name = forms.CharField(
        label="昵称（选填）",
        required=False,
        max_length=32,
        help_text="显示在个人中心，不要求真实姓名。",
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )
    password1, password2 = new_password_fields()
    agree = forms.BooleanField(
        label="我已阅读并同意《用户协议与隐私政策》",
        required=False,
    )

    def __init__(self, *args, channel: str = Channel.SMS, sending: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.channel = channel
        self.sending = sending
        contact = "email" if channel == Channel.EMAIL else "mobile"
        self.fields.pop("mobile" if contact == "email" else "email")
        self.contact_field = contact

    def clean(self):
        data = super().clean()
        self.require(self.contact_field)
        contact = data.get(self.contact_field)
        if contact and services.contact_taken(self.channel, contact):
            what = "该电子邮箱" if self.channel == Channel.EMAIL else "该手机号码"
            self.add_error(
                self.contact_field, f"{what}已注册，请直接登录；忘记密码可通过“找回密码”重置。"
            )
        if self.sending:
            return data
        self.require("code")
        User = get_user_model()
        candidate = User(
            username="c_new",
            email=normalize_email(contact) if self.channel == Channel.EMAIL else "",
            display_name=data.get("display_name") or "",
        )
        self.check_new_password(candidate)
        if not data.get("agree"):
            self.add_error("agree", "请阅读并同意《用户协议与隐私政策》后再注册。")
        return data

    @property
    def contact(self) -> str:
        return self.cleaned_data.get(self.contact_field) or ""


# -- password reset and change ---------------------------------------------------------------


class PasswordResetForm(ChineseErrorsMixin, forms.Form):
    identifier = IdentifierField(help_text="注册时使用的手机号码或电子邮箱。")
    code = code_field()
    password1, password2 = new_password_fields("新密码")

    def __init__(self, *args, sending: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.sending = sending

    def clean(self):
        data = super().clean()
        if self.sending:
            return data
        self.require("code")
        # Checked against what was typed, not the account: the same answer whether or not
        # an account exists (no enumeration).
        User = get_user_model()
        channel, value = data.get("identifier") or ("", "")
        self.check_new_password(
            User(username="c_new", email=value if channel == Channel.EMAIL else "")
        )
        return data


class PasswordChangeForm(ChineseErrorsMixin, forms.Form):
    old_password = forms.CharField(
        label="当前密码",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    password1, password2 = new_password_fields("新密码")

    def __init__(self, *args, user, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.request = request
        if not user.has_usable_password():
            # Accounts made through 统一身份认证 have no password yet: they set one.
            del self.fields["old_password"]

    def clean_old_password(self):
        old = self.cleaned_data["old_password"]
        if not password_is_right(self.request, self.user, old):
            raise ValidationError("当前密码不正确。")
        return old

    def clean(self):
        data = super().clean()
        self.check_new_password(self.user)
        if data.get("old_password") and data.get("password1") == data.get("old_password"):
            self.add_error("password1", "新密码不能与当前密码相同。")
        return data


# -- profile and contacts --------------------------------------------------------------------


class ProfileForm(ChineseErrorsMixin, forms.Form):
    display_name = forms.CharField(
        label="昵称（选填）",
        required=False,
        max_length=32,
        help_text="显示在个人中心，不要求真实姓名。",
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )
    real_name = forms.CharField(
        label="真实姓名（选填）",
        required=False,
        max_length=50,
        help_text="加密保存，仅在您办理需要实名的事项时使用，公开页面只显示姓氏。",
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )

    def clean_display_name(self):
        return " ".join(self.cleaned_data["display_name"].split())

    def clean_real_name(self):
        return " ".join(self.cleaned_data["real_name"].split())


class ContactChangeForm(ChineseErrorsMixin, forms.Form):
    """更换手机号码/电子邮箱: the new contact and the code sent to it."""

    code = code_field()

    def __init__(self, *args, channel: str, user, sending: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.channel = channel
        self.user = user
        self.sending = sending
        if channel == Channel.EMAIL:
            field = forms.EmailField(
                label="新的电子邮箱",
                max_length=254,
                required=False,
                error_messages={"invalid": "电子邮箱格式不正确，请检查（例如 name@example.com）。"},
                widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
            )
        else:
            field = MobilePhoneField(label="新的手机号码", required=False)
        self.fields = {"contact": field, "code": self.fields["code"]}
        field.error_messages["required"] = f"请填写{field.label}。"

    def clean(self):
        data = super().clean()
        self.require("contact")
        value = data.get("contact")
        if value:
            current = (
                services.contact_email(self.user)
                if self.channel == Channel.EMAIL
                else services.contact_mobile(self.user)
            )
            same = normalize_email(value) == normalize_email(current) if current else False
            what = "电子邮箱" if self.channel == Channel.EMAIL else "手机号码"
            if same:
                self.add_error("contact", f"这就是您当前的{what}，无需更换。")
            elif services.contact_taken(self.channel, value, exclude_user=self.user):
                self.add_error("contact", f"该{what}已被其他账号使用。")
        if not self.sending:
            self.require("code")
        return data


# -- delete ----------------------------------------------------------------------------------


class DeleteAccountForm(ChineseErrorsMixin, forms.Form):
    """注销账号: prove it is you (password or a code), then confirm having read the rules."""

    method = forms.ChoiceField(label="身份验证方式", required=False, widget=forms.RadioSelect)
    password = forms.CharField(
        label="登录密码",
        strip=False,
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    code = code_field()
    confirm = forms.BooleanField(
        label="我已阅读上述说明，确认注销账号，并知晓注销后不可恢复",
        required=False,
    )

    def __init__(
        self, *args, user, request=None, code_target: str = "", sending: bool = False, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.user = user
        self.request = request
        self.sending = sending
        choices = []
        if user.has_usable_password():
            choices.append(("password", "输入登录密码"))
        if code_target:
            choices.append(("code", f"接收验证码（发送至 {code_target}）"))
        self.fields["method"].choices = choices
        self.fields["method"].initial = choices[0][0] if choices else ""
        if not user.has_usable_password():
            del self.fields["password"]
        if not code_target:
            del self.fields["code"]

    def clean(self):
        data = super().clean()
        method = data.get("method") or (self.fields["method"].choices or [("", "")])[0][0]
        data["method"] = method
        if self.sending:
            return data
        if method == "password":
            self.require("password")
            if data.get("password") and not password_is_right(
                self.request, self.user, data["password"]
            ):
                self.add_error("password", "登录密码不正确。")
        elif method == "code":
            self.require("code")
        if not data.get("confirm"):
            self.add_error("confirm", "请确认已阅读注销说明。")
        return data
