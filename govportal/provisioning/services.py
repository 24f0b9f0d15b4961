"""Site provisioning (开通网站): one call creates a whole new site of the group.

:func:`provision_site` validates everything first (:func:`validate_site`) and then, in
one transaction, creates the Wagtail ``Site``, its ``PortalHomePage``, the
``SiteProfile``, the channel tree of a template, the owning organisation's link, the
editorial roles, collection and review workflow, and appoints the site admins. If
anything fails half-way, nothing is left behind.

Other host names (别名, e.g. ``shili.gov.cn`` beside ``www.shili.gov.cn``) are kept in
``SiteProfile.host_aliases`` and redirected to the site's host name by
:class:`~govportal.provisioning.middleware.HostAliasRedirectMiddleware`, not stored as
extra Wagtail ``Site`` rows: see docs/architecture.md (站点开通).
"""

import re
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from wagtail.log_actions import log
from wagtail.models import Collection, Page, Site

from govportal.content.models import ChannelPage, ExternalLinkChannel, PortalHomePage
from govportal.organizations.models import Organization
from govportal.organizations.services import link_site
from govportal.sites.models import (
    HOSTNAME_RE,
    SiteKind,
    SiteProfile,
    SiteTheme,
    site_id_code_validator,
)
from govportal.sites.roles import SiteRoles, setup_site_roles

from .templates import ChannelNode, ChannelTemplate, get_template

ACTION_CREATE_SITE = "govportal.provisioning.create_site"

SHORT_NAME_RE = re.compile(r"^[^·/\\]+$")


@dataclass
class ProvisionedSite:
    site: Site
    home: PortalHomePage
    profile: SiteProfile
    roles: SiteRoles
    channels: list[Page]
    admins: list


def normalize_hostname(value: str) -> str:
    return (value or "").strip().lower().rstrip(".")


def hostname_error(hostname: str) -> str | None:
    """Why ``hostname`` (already normalised) is not a valid host name, or None."""
    if not hostname:
        return "请填写主机名"
    if "://" in hostname or "/" in hostname:
        return "只填写主机名，不要带 http:// 或路径，例如 www.shili.gov.cn"
    if ":" in hostname:
        return "端口请填写在“端口”一栏，主机名中不要带冒号"
    if len(hostname) > 253 or not HOSTNAME_RE.match(hostname):
        return (
            f"“{hostname}”不是有效的主机名：只能由字母、数字、连字符和点组成，如 www.shili.gov.cn"
        )
    return None


def split_aliases(text: str) -> list[str]:
    seen: list[str] = []
    for item in re.split(r"[\s,，;；]+", text or ""):
        host = normalize_hostname(item)
        if host and host not in seen:
            seen.append(host)
    return seen


def _aliases_in_use() -> dict[str, SiteProfile]:
    owners: dict[str, SiteProfile] = {}
    for profile in SiteProfile.objects.exclude(host_aliases="").select_related("site"):
        for alias in profile.alias_list:
            owners[alias] = profile
    return owners


def resolve_template(template: str | ChannelTemplate) -> ChannelTemplate | None:
    if isinstance(template, ChannelTemplate):
        return template
    return get_template(template)


def admin_candidates():
    """Staff who may be appointed site admin: active users who can reach the admin."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(is_superuser=True)
            | Q(is_staff=True)
            | Q(groups__permissions__codename="access_admin")
        )
        .distinct()
        .order_by("username")
    )


def validate_site(
    *,
    name: str,
    short_name: str,
    hostname: str,
    port: int | None,
    site_id_code: str,
    organization: Organization | None,
    template,
    kind: str = SiteKind.DEPARTMENT,
    theme: str = SiteTheme.BLUE,
    aliases=(),
    admins=(),
) -> dict[str, list[str]]:
    """Every problem with the request, by form field name (empty: all good)."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    name = (name or "").strip()
    short_name = (short_name or "").strip()
    if not name:
        add("name", "请填写网站名称")
    elif len(name) > 100:
        add("name", "网站名称不能超过 100 个字")

    if not short_name:
        add("short_name", "请填写简称")
    elif len(short_name) > 30:
        add("short_name", "简称不能超过 30 个字")
    elif not SHORT_NAME_RE.match(short_name):
        add("short_name", "简称中不能含有 · / \\ 字符")
    elif (
        SiteProfile.objects.filter(short_name=short_name).exists()
        or Group.objects.filter(name__startswith=f"{short_name}·").exists()
        or Collection.objects.filter(depth=2, name=short_name).exists()
    ):
        add("short_name", f"简称“{short_name}”已被其他网站使用（权限组、素材库按简称命名，须唯一）")

    if kind not in SiteKind.values:
        add("kind", "请选择网站类型")
    if theme not in SiteTheme.values:
        add("theme", "请选择配色主题")

    hostname = normalize_hostname(hostname)
    problem = hostname_error(hostname)
    if problem:
        add("hostname", problem)
    if port is None or not 1 <= int(port) <= 65535:
        add("port", "端口应为 1–65535 之间的整数（HTTP 默认为 80，HTTPS 为 443）")
    alias_owners = _aliases_in_use()
    if not problem and port is not None:
        taken = Site.objects.filter(hostname=hostname, port=port).select_related("root_page")
        if taken.exists():
            add("hostname", f"{hostname}:{port} 已被“{taken.first().site_name}”使用")
        elif hostname in alias_owners:
            add("hostname", f"{hostname} 已是“{alias_owners[hostname].display_name}”的其他主机名")

    site_hosts = set(Site.objects.values_list("hostname", flat=True))
    for alias in aliases:
        alias_problem = hostname_error(alias)
        if alias_problem:
            add("aliases", alias_problem)
        elif alias == hostname:
            add("aliases", f"{alias} 与主机名相同，不必再填")
        elif alias in site_hosts:
            add("aliases", f"{alias} 已是其他网站的主机名")
        elif alias in alias_owners:
            add("aliases", f"{alias} 已是“{alias_owners[alias].display_name}”的其他主机名")

    code = (site_id_code or "").strip()
    if not code:
        add("site_id_code", "请填写网站标识码")
    else:
        try:
            site_id_code_validator(code)
        except ValidationError:
            add("site_id_code", "网站标识码为 10 位字母或数字，例如 1304000009 或 bm07000001")
        else:
            owner = SiteProfile.objects.filter(site_id_code__iexact=code).first()
            if owner is not None:
                add("site_id_code", f"网站标识码 {code} 已被“{owner.display_name}”使用")

    if organization is None:
        add("organization", "请选择所属单位")
    elif not Organization.objects.filter(pk=organization.pk, is_active=True).exists():
        add("organization", "所属单位不存在或已停用")

    if resolve_template(template) is None:
        add("template", f"栏目模板“{template}”不存在")

    candidates = set(admin_candidates().values_list("pk", flat=True))
    for user in admins:
        if user.pk not in candidates:
            add("admins", f"{user} 不是可登录管理后台的在职工作人员，不能任命为站点管理员")
    return errors


def _home_slug(hostname: str) -> str:
    base = slugify(hostname.replace(".", "-"))[:50] or "site"
    root = Page.get_first_root_node()
    taken = set(root.get_children().values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _build_channels(parent: Page, nodes: tuple[ChannelNode, ...], short_name: str, now, made):
    for node in nodes:
        common = {
            "title": node.title,
            "slug": node.slug,
            "column_type": node.column_type,
            "description": f"{short_name}{node.title}栏目",
            "keywords": f"{node.title},{short_name}",
            "show_in_menus": node.menu,
            "first_published_at": now,
            "last_published_at": now,
        }
        if node.link:
            page = ExternalLinkChannel(link_url=node.link, **common)
        else:
            page = ChannelPage(show_on_home=node.home, page_size=20, **common)
        parent.add_child(instance=page)
        made.append(page)
        if node.children:
            _build_channels(page, node.children, short_name, now, made)
    return made


def provision_site(
    *,
    name: str,
    short_name: str,
    hostname: str,
    site_id_code: str,
    organization: Organization,
    template: str | ChannelTemplate,
    kind: str = SiteKind.DEPARTMENT,
    port: int = 80,
    aliases=(),
    theme: str = SiteTheme.BLUE,
    two_level: bool = False,
    admins=(),
    user=None,
) -> ProvisionedSite:
    """Create a complete site in one transaction; ``ValidationError`` (by field) if invalid.

    ``user`` is the platform operator, recorded in the audit log.
    """
    hostname = normalize_hostname(hostname)
    aliases = [normalize_hostname(a) for a in aliases if normalize_hostname(a)]
    name, short_name, site_id_code = name.strip(), short_name.strip(), site_id_code.strip()
    admins = list(admins)
    with transaction.atomic():
        errors = validate_site(
            name=name, short_name=short_name, hostname=hostname, port=port,
            site_id_code=site_id_code, organization=organization, template=template,
            kind=kind, theme=theme, aliases=aliases, admins=admins,
        )  # fmt: skip
        if errors:
            raise ValidationError(errors)
        channel_template = resolve_template(template)
        now = timezone.now()

        home = PortalHomePage(
            title=name,
            slug=_home_slug(hostname),
            intro=f"{name}门户网站",
            first_published_at=now,
            last_published_at=now,
        )
        Page.get_first_root_node().add_child(instance=home)
        site = Site.objects.create(
            hostname=hostname,
            port=port,
            root_page=home,
            site_name=name,
            is_default_site=not Site.objects.filter(is_default_site=True).exists(),
        )
        profile = SiteProfile.objects.create(
            site=site,
            site_name=name,
            short_name=short_name,
            kind=kind,
            site_id_code=site_id_code,
            sponsor=organization.name,
            organizer=organization.name,
            contact_phone=organization.phone,
            contact_email=organization.email,
            address=organization.address,
            theme=theme,
            host_aliases="\n".join(aliases),
            sort_order=100,
        )
        channels = _build_channels(home, channel_template.channels, short_name, now, [])
        link_site(site, organization)
        roles = setup_site_roles(home, short_name, two_level=two_level)
        for admin in admins:
            admin.groups.add(roles.admins)
        log(
            instance=site,
            action=ACTION_CREATE_SITE,
            user=user,
            title=name,
            data={
                "site": name,
                "hostname": f"{hostname}:{port}",
                "aliases": aliases,
                "site_id_code": site_id_code,
                "organization": organization.name,
                "template": channel_template.label,
                "theme": theme,
                "two_level": two_level,
                "admins": [a.get_username() for a in admins],
            },
        )
    return ProvisionedSite(site, home, profile, roles, channels, admins)
