"""Site group (站群): the registry data every government site must display."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Site

site_id_code_validator = RegexValidator(
    r"^[0-9A-Za-z]{10}$",
    _("The site ID code is 10 letters or digits, for example 1304000009 or bm07000001."),
)


_HOST_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
HOSTNAME_RE = re.compile(rf"^{_HOST_LABEL}(?:\.{_HOST_LABEL})*$")


class SiteKind(models.TextChoices):
    PORTAL = "portal", _("Portal site")
    DEPARTMENT = "department", _("Department site")
    DISTRICT = "district", _("District site")
    TOWN = "town", _("Town or street site")
    SPECIAL = "special", _("Special-purpose site")


class SiteTheme(models.TextChoices):
    """配色主题: each is a set of CSS custom properties in portal.css (``.theme-<value>``)."""

    BLUE = "blue", _("Government blue")
    RED = "red", _("China red")
    GREEN = "green", _("Ecological green")
    GREY = "grey", _("Solemn grey")


@register_setting(icon="site")
class SiteProfile(BaseSiteSetting):
    """网站信息: 网站标识码, 主办/承办单位, 备案号 — shown in every page's footer and meta tags."""

    site_name = models.CharField(
        _("Site name"),
        max_length=100,
        help_text=_("For example: Example City People's Government portal"),
        blank=True,
    )
    short_name = models.CharField(_("Short name"), max_length=30, blank=True)
    kind = models.CharField(
        _("Site type"), max_length=20, choices=SiteKind, default=SiteKind.PORTAL
    )
    public_domain = models.CharField(
        _("Public domain"),
        max_length=255,
        blank=True,
        help_text=_(
            "The published domain (SiteDomain metadata), for example www.example.gov.cn. "
            "Leave empty to use the site's host name."
        ),
    )
    site_id_code = models.CharField(
        _("Site ID code"), max_length=10, validators=[site_id_code_validator], blank=True
    )
    sponsor = models.CharField(_("Sponsoring organization"), max_length=100, blank=True)
    organizer = models.CharField(_("Operating organization"), max_length=100, blank=True)
    contact_phone = models.CharField(_("Contact phone"), max_length=50, blank=True)
    contact_email = models.EmailField(_("Contact email"), blank=True)
    address = models.CharField(_("Contact address"), max_length=200, blank=True)
    icp_number = models.CharField(
        _("ICP filing number"),
        max_length=50,
        blank=True,
        help_text=_("For example: 京ICP备12345678号"),
    )
    police_number = models.CharField(
        _("Public security filing number"),
        max_length=50,
        blank=True,
        help_text=_("For example: 京公网安备 11010502000001号"),
    )
    error_report_url = models.URLField(
        _("Error report link"),
        blank=True,
        help_text=_(
            "Leave empty to use the national government website error report platform "
            "with this site's ID code."
        ),
    )
    conac_url = models.URLField(_("Party and government agency website badge link"), blank=True)
    sort_order = models.PositiveSmallIntegerField(
        _("Order in the site group navigation"), default=100
    )
    theme = models.CharField(
        _("Colour theme"), max_length=20, choices=SiteTheme, default=SiteTheme.BLUE
    )
    host_aliases = models.TextField(
        _("Other host names"),
        blank=True,
        help_text=_(
            "One per line, for example shili.gov.cn beside www.shili.gov.cn. Visitors who "
            "use one of them are redirected to the site's own host name."
        ),
    )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("site_name"),
                FieldPanel("short_name"),
                FieldPanel("kind"),
                FieldPanel("public_domain"),
                FieldPanel("site_id_code"),
                FieldPanel("theme"),
                FieldPanel("host_aliases"),
                FieldPanel("sort_order"),
            ],
            heading=_("Website"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("sponsor"),
                FieldPanel("organizer"),
                FieldPanel("contact_phone"),
                FieldPanel("contact_email"),
                FieldPanel("address"),
            ],
            heading=_("Sponsor and contact"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("icp_number"),
                FieldPanel("police_number"),
                FieldPanel("error_report_url"),
                FieldPanel("conac_url"),
            ],
            heading=_("Filings and badges"),
        ),
    ]

    class Meta:
        verbose_name = _("Site profile")
        verbose_name_plural = _("Site profiles")

    def __str__(self) -> str:
        return self.display_name

    def clean(self) -> None:
        """Other host names must be valid and belong to no other site (else a site
        admin could redirect another site's visitors to their own)."""
        super().clean()
        problems = []
        taken_hosts = set(Site.objects.exclude(pk=self.site_id).values_list("hostname", flat=True))
        other_aliases = set()
        for profile in SiteProfile.objects.exclude(pk=self.pk).exclude(host_aliases=""):
            other_aliases.update(profile.alias_list)
        own_host = self.site.hostname if self.site_id else ""
        for alias in self.alias_list:
            if len(alias) > 253 or not HOSTNAME_RE.match(alias):
                problems.append(_("%(host)s is not a valid host name.") % {"host": alias})
            elif alias == own_host or alias in taken_hosts or alias in other_aliases:
                problems.append(_("%(host)s is already used by a site.") % {"host": alias})
        if problems:
            raise ValidationError({"host_aliases": problems})

    @property
    def display_name(self) -> str:
        return self.site_name or self.site.site_name or self.site.hostname

    @property
    def alias_list(self) -> list[str]:
        """The other host names, normalised (lower case, one each)."""
        seen: list[str] = []
        for line in self.host_aliases.replace(",", "\n").splitlines():
            host = line.strip().lower()
            if host and host not in seen:
                seen.append(host)
        return seen

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
        required = ("site_id_code", "sponsor", "icp_number", "police_number")
        return [
            str(self._meta.get_field(name).verbose_name)
            for name in required
            if not getattr(self, name)
        ]
