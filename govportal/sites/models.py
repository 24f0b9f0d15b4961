"""Site group (站群): the registry data every government site must display."""

from django.core.validators import RegexValidator
from django.db import models

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

site_id_code_validator = RegexValidator(
    r"^[0-9A-Za-z]{10}$",
    "网站标识码为 10 位字母或数字，例如 1304000009 或 bm07000001。",
)


class SiteKind(models.TextChoices):
    PORTAL = "portal", "门户网站"
    DEPARTMENT = "department", "部门网站"
    DISTRICT = "district", "区县网站"
    SPECIAL = "special", "专项网站"


@register_setting(icon="site")
class SiteProfile(BaseSiteSetting):
    """网站信息: 网站标识码, 主办/承办单位, 备案号 — shown in every page's footer and meta tags."""

    site_name = models.CharField(
        "网站名称", max_length=100, help_text="如：示例市人民政府门户网站", blank=True
    )
    short_name = models.CharField("简称", max_length=30, blank=True)
    kind = models.CharField("网站类型", max_length=20, choices=SiteKind, default=SiteKind.PORTAL)
    public_domain = models.CharField(
        "正式域名",
        max_length=255,
        blank=True,
        help_text="对外公布的域名（SiteDomain 元数据），如 www.example.gov.cn；留空则用站点主机名。",
    )
    site_id_code = models.CharField(
        "网站标识码", max_length=10, validators=[site_id_code_validator], blank=True
    )
    sponsor = models.CharField("主办单位", max_length=100, blank=True)
    organizer = models.CharField("承办单位", max_length=100, blank=True)
    contact_phone = models.CharField("联系电话", max_length=50, blank=True)
    contact_email = models.EmailField("联系邮箱", blank=True)
    address = models.CharField("联系地址", max_length=200, blank=True)
    icp_number = models.CharField(
        "ICP备案号", max_length=50, blank=True, help_text="如：京ICP备12345678号"
    )
    police_number = models.CharField(
        "公安机关备案号", max_length=50, blank=True, help_text="如：京公网安备 11010502000001号"
    )
    error_report_url = models.URLField(
        "我为政府网站找错链接",
        blank=True,
        help_text="留空时使用全国政府网站找错平台地址并附带本站网站标识码。",
    )
    conac_url = models.URLField("党政机关网站标识链接", blank=True)
    sort_order = models.PositiveSmallIntegerField("站群导航排序", default=100)

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("site_name"),
                FieldPanel("short_name"),
                FieldPanel("kind"),
                FieldPanel("public_domain"),
                FieldPanel("site_id_code"),
                FieldPanel("sort_order"),
            ],
            heading="网站",
        ),
        MultiFieldPanel(
            [
                FieldPanel("sponsor"),
                FieldPanel("organizer"),
                FieldPanel("contact_phone"),
                FieldPanel("contact_email"),
                FieldPanel("address"),
            ],
            heading="主办与联系",
        ),
        MultiFieldPanel(
            [
                FieldPanel("icp_number"),
                FieldPanel("police_number"),
                FieldPanel("error_report_url"),
                FieldPanel("conac_url"),
            ],
            heading="备案与标识",
        ),
    ]

    class Meta:
        verbose_name = "网站信息"
        verbose_name_plural = "网站信息"

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.site_name or self.site.site_name or self.site.hostname

    @property
    def domain(self) -> str:
        return self.public_domain or self.site.hostname

    @property
    def police_record_digits(self) -> str:
        """The digits of 公安机关备案号, used by the record-lookup link."""
        return "".join(ch for ch in self.police_number if ch.isdigit())

    @property
    def police_record_url(self) -> str:
        digits = self.police_record_digits
        if not digits:
            return ""
        return f"https://beian.mps.gov.cn/#/query/webSearch?code={digits}"

    @property
    def icp_url(self) -> str:
        return "https://beian.miit.gov.cn/" if self.icp_number else ""

    @property
    def error_report_link(self) -> str:
        if self.error_report_url:
            return self.error_report_url
        return f"https://zfwzzc.www.gov.cn/check_web/errorInfo_querySiteIdCode.action?siteCode={self.site_id_code}"

    @property
    def missing_footer_fields(self) -> list[str]:
        """Names of the mandatory footer fields still empty (for the admin warning)."""
        required = {
            "网站标识码": self.site_id_code,
            "主办单位": self.sponsor,
            "ICP备案号": self.icp_number,
            "公安机关备案号": self.police_number,
        }
        return [label for label, value in required.items() if not value]
