"""The one form in which a platform operator opens a new site (新建网站)."""

from django import forms

from govportal.organizations.models import Organization
from govportal.sites.models import SiteKind, SiteTheme

from . import services
from .templates import TEMPLATES


class OrganizationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.tree_label()


class AdminChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        name = getattr(obj, "display_name", "") or obj.get_full_name()
        return f"{obj.get_username()}（{name}）" if name else obj.get_username()


class ProvisionSiteForm(forms.Form):
    name = forms.CharField(
        label="网站名称",
        max_length=100,
        help_text="显示在页头和页脚，例如：示例市东湖区人民政府",
    )
    short_name = forms.CharField(
        label="简称",
        max_length=30,
        help_text="全平台唯一，用于权限组、素材库和审核流程的名称，例如：东湖区政府",
    )
    kind = forms.ChoiceField(
        label="网站类型", choices=SiteKind.choices, initial=SiteKind.DEPARTMENT
    )
    hostname = forms.CharField(
        label="主机名",
        max_length=255,
        help_text="访问本网站的域名，例如 www.donghu.gov.cn（不带 http:// 和路径）",
    )
    port = forms.IntegerField(
        label="端口", initial=80, min_value=1, max_value=65535, help_text="HTTP 为 80，HTTPS 为 443"
    )
    aliases = forms.CharField(
        label="其他主机名",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="可选，每行一个，例如 donghu.gov.cn。访问这些主机名时自动跳转到上面的主机名。",
    )
    site_id_code = forms.CharField(
        label="网站标识码",
        max_length=10,
        help_text="10 位，由全国政府网站信息报送系统分配，例如 1304000009 或 bm07000001",
    )
    organization = OrganizationChoiceField(
        label="所属单位",
        queryset=Organization.objects.filter(is_active=True).order_by("path"),
        help_text="网站的主办单位；其名称、电话、地址、邮箱填入网站信息（页脚）",
    )
    theme = forms.ChoiceField(
        label="配色主题",
        choices=SiteTheme.choices,
        initial=SiteTheme.BLUE,
        widget=forms.RadioSelect,
    )
    template = forms.ChoiceField(
        label="栏目模板",
        choices=[(t.key, t.label) for t in TEMPLATES.values()],
        initial="department",
        widget=forms.RadioSelect,
    )
    two_level = forms.BooleanField(
        label="两级审核（初审 → 终审）",
        required=False,
        help_text="不勾选为一级审核",
    )
    admins = AdminChoiceField(
        label="站点管理员",
        queryset=services.admin_candidates(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="从已有工作人员中选择，可多选；也可以开通后在“用户”中加入本站点管理员组",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["admins"].queryset = services.admin_candidates()

    def clean_hostname(self):
        hostname = services.normalize_hostname(self.cleaned_data["hostname"])
        problem = services.hostname_error(hostname)
        if problem:
            raise forms.ValidationError(problem)
        return hostname

    def clean_aliases(self):
        return services.split_aliases(self.cleaned_data.get("aliases", ""))

    def clean_site_id_code(self):
        return self.cleaned_data["site_id_code"].strip()

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "name": data.get("name", ""),
            "short_name": data.get("short_name", ""),
            "kind": data.get("kind", ""),
            "hostname": data.get("hostname", ""),
            "port": data.get("port"),
            "aliases": data.get("aliases", []),
            "site_id_code": data.get("site_id_code", ""),
            "organization": data.get("organization"),
            "theme": data.get("theme", ""),
            "template": data.get("template", ""),
            "two_level": data.get("two_level", False),
            "admins": list(data.get("admins", [])),
        }

    def clean(self):
        """The service's checks (uniqueness, aliases …) for every field not already wrong."""
        cleaned = super().clean()
        arguments = self.service_arguments()
        arguments.pop("two_level")
        checks = services.validate_site(**arguments)
        for field, messages in checks.items():
            if field in self.errors:
                continue
            for message in messages:
                self.add_error(field if field in self.fields else None, message)
        return cleaned
