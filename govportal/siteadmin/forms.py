"""Forms of 站点人员与权限. Choices are always limited to the one site being managed;
the services check everything again when acting."""

import re

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from . import access, services


def check_password_pair(form: forms.Form, user) -> None:
    """``password1`` and ``password2`` match, and the password passes the password rules
    (``AUTH_PASSWORD_VALIDATORS``, judged against ``user``); errors go on the fields."""
    p1, p2 = form.cleaned_data.get("password1"), form.cleaned_data.get("password2")
    if p1 and p2 and p1 != p2:
        form.add_error("password2", "两次输入的密码不一致。")
    elif p1:
        try:
            password_validation.validate_password(p1, user)
        except ValidationError as exc:
            form.add_error("password1", exc)


class RolesField(forms.TypedMultipleChoiceField):
    """The site's groups as check boxes, labelled by what they mean on this site
    (site roles first, then channels in tree order); cleans to a list of groups."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, site, **kwargs):
        kwargs.setdefault("label", "角色")
        choices = [(pk, label) for pk, label in services.role_labels(site).items()]
        super().__init__(choices=choices, coerce=int, **kwargs)
        self.error_messages = {
            **self.error_messages,
            "required": "请至少选择一个角色。",
            "invalid_choice": "只能选择本站点的角色。",
        }

    def clean(self, value):
        ids = super().clean(value)
        return list(Group.objects.filter(pk__in=ids).order_by("pk"))


class NewStaffForm(forms.Form):
    username = forms.CharField(
        label="用户名", max_length=150, help_text="登录用，字母、数字和 @/./+/-/_。"
    )
    display_name = forms.CharField(label="姓名", max_length=64)
    email = forms.EmailField(label="电子邮箱", required=False)
    mobile = forms.CharField(label="手机号码", max_length=20, required=False)
    password1 = forms.CharField(
        label="初始密码",
        strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text="至少 10 位，须包含大小写字母、数字和符号中的至少三类；请告知本人登录后修改。",
    )
    password2 = forms.CharField(
        label="再次输入初始密码",
        strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
    )
    organization = forms.ModelChoiceField(
        label="所属单位", queryset=None, required=False, empty_label="（不指定）"
    )

    def __init__(self, *args, site, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["roles"] = RolesField(site)
        self.fields["organization"].queryset = services.organizations_for(site)
        self.fields["organization"].label_from_instance = lambda o: o.tree_label()

    def clean_username(self):
        username = self.cleaned_data["username"]
        User = get_user_model()
        User.username_validator(username)
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError(
                "该用户名已被使用，请换一个；如要添加已有用户，请用“添加已有用户”。"
            )
        return username

    def clean_mobile(self):
        mobile = self.cleaned_data["mobile"].strip()
        if mobile and not re.fullmatch(r"1\d{10}", mobile):
            raise ValidationError("手机号码应为 11 位数字，以 1 开头。")
        return mobile

    def clean(self):
        cleaned = super().clean()
        probe = get_user_model()(
            username=cleaned.get("username", ""),
            display_name=cleaned.get("display_name", ""),
            email=cleaned.get("email", ""),
        )
        check_password_pair(self, probe)
        return cleaned


class ExistingUserForm(forms.Form):
    username = forms.CharField(
        label="用户名", max_length=150, help_text="须与对方的用户名完全一致。"
    )

    def __init__(self, *args, site, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["roles"] = RolesField(site)


class RolesForm(forms.Form):
    def __init__(self, *args, site, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["roles"] = RolesField(
            site, help_text="只影响本站点的角色，此人在其他站点的角色不变。"
        )


def split_usernames(text: str) -> list[str]:
    return [name for name in re.split(r"[\s,，、;；]+", text or "") if name]


class MembersMixin(forms.Form):
    usernames = forms.CharField(
        label="按用户名添加",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="可选。不在本站点人员名单中的用户，填写其完整用户名，多个用逗号或空格分隔。",
    )

    def add_members_field(self, site):
        self.fields["members"] = forms.ModelMultipleChoiceField(
            label="授权人员（本站点人员）",
            queryset=access.site_people(site).order_by("username"),
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )
        self.fields["members"].label_from_instance = lambda u: (
            f"{u.display_name or u.get_full_name() or u.username}（{u.username}）"
        )
        # Members first, the free-text field after them.
        self.order_fields([name for name in self.fields if name != "usernames"] + ["usernames"])

    def clean_usernames(self):
        return split_usernames(self.cleaned_data.get("usernames", ""))


class DelegationEditForm(MembersMixin):
    """The unit and the people of a delegation (its channel stays)."""

    organization = forms.ModelChoiceField(
        label="授权单位",
        queryset=None,
        empty_label="请选择单位",
        help_text="本站点所属单位及其下级单位（如部门、乡镇街道）。",
        error_messages={
            "required": "请选择授权单位。",
            "invalid_choice": "只能选择本站点所属单位及其下级单位。",
        },
    )

    def __init__(self, *args, site, **kwargs):
        super().__init__(*args, **kwargs)
        organization = self.fields["organization"]
        organization.queryset = services.organizations_for(site)
        organization.label_from_instance = lambda o: o.tree_label()
        self.add_members_field(site)


class DelegationForm(DelegationEditForm):
    channel = forms.ModelChoiceField(
        label="栏目",
        queryset=None,
        empty_label="请选择栏目",
        error_messages={"required": "请选择栏目。", "invalid_choice": "只能选择本站点的栏目。"},
    )

    def __init__(self, *args, site, **kwargs):
        super().__init__(*args, site=site, **kwargs)
        root_depth = site.root_page.depth
        channel = self.fields["channel"]
        channel.queryset = services.delegable_channels(site)
        channel.label_from_instance = lambda p: "\u3000" * (p.depth - root_depth - 1) + p.title
        self.order_fields(["channel", "organization", "members", "usernames"])


class PasswordResetForm(forms.Form):
    """重置密码: a new password typed twice, checked against the password rules."""

    password1 = forms.CharField(
        label="新密码",
        strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text="至少 10 位，须包含大小写字母、数字和符号中的至少三类；请当面或电话告知本人，"
        "并提醒其登录后自行修改。",
        error_messages={"required": "请输入新密码。"},
    )
    password2 = forms.CharField(
        label="再次输入新密码",
        strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        error_messages={"required": "请再次输入新密码。"},
    )

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person

    def clean(self):
        cleaned = super().clean()
        check_password_pair(self, self.person)
        return cleaned


class SearchForm(forms.Form):
    q = forms.CharField(label="搜索", required=False, max_length=100)
