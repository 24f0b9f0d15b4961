"""Demo sites opened through :func:`provision_site`, as a platform operator would.

Three units of the demo organisation tree that have no site yet get one each, with a
different channel template and colour theme, a site admin (``<key>_admin``) and a few
articles in every article channel, so that no column is empty. They answer on
``<key>.localhost`` at the portal's port (browsers and curl resolve ``*.localhost`` to
the loopback address); 东湖区 also has the alias ``dh.localhost`` (redirected).
"""

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from govportal.content.demo_text import DemoText
from govportal.content.factories import ArticlePageFactory, article_body
from govportal.content.models import ChannelPage, ColumnType
from govportal.organizations.models import Membership, Organization
from govportal.sites.models import SiteKind, SiteProfile, SiteTheme

from .services import provision_site
from .templates import TEMPLATES


@dataclass(frozen=True)
class DemoSite:
    key: str
    organization: str  # full name in the demo organisation tree
    name: str
    short_name: str
    kind: str
    template: str
    theme: str
    site_id_code: str
    domain: str
    aliases: tuple[str, ...] = ()
    two_level: bool = False


DEMO_SITES = (
    DemoSite("donghu", "示例市东湖区人民政府", "示例市东湖区人民政府", "东湖区政府",
             SiteKind.DISTRICT, "district", SiteTheme.RED, "1399020001", "dh.shili.gov.cn",
             aliases=("dh",), two_level=True),
    DemoSite("czj", "示例市财政局", "示例市财政局", "市财政局", SiteKind.DEPARTMENT,
             "department", SiteTheme.GREY, "1399000034", "czj.shili.gov.cn"),
    DemoSite("binhe", "滨河街道办事处", "青山区滨河街道办事处", "滨河街道", SiteKind.TOWN,
             "town", SiteTheme.GREEN, "1399010011", "binhe.qs.shili.gov.cn"),
)  # fmt: skip
ARTICLES_PER_HOME_CHANNEL = 2  # one in every other channel: none is empty, the load stays quick


def demo_hostname(key: str, hostname: str) -> str:
    """``<key>.localhost`` for the embedded run, else ``<key>.<hostname>``."""
    if hostname in {"127.0.0.1", "localhost", "::1", "[::1]"}:
        return f"{key}.localhost"
    return f"{key}.{hostname}"


def build_demo_provisioned_sites(hostname: str, base_port: int, stdout=None) -> list:
    """Open the demo sites (idempotent: a site whose 网站标识码 exists is skipped)."""
    from govportal.content.demo import DEMO_PASSWORD  # content.demo calls this module

    User = get_user_model()
    operator = User.objects.filter(is_superuser=True).order_by("pk").first()
    text = DemoText(seed=3)
    now = timezone.now().replace(second=0, microsecond=0)
    built = []
    for index, spec in enumerate(DEMO_SITES):
        if SiteProfile.objects.filter(site_id_code=spec.site_id_code).exists():
            continue
        organization = Organization.objects.filter(name=spec.organization).first()
        if organization is None:
            continue
        admin = User.objects.filter(username=f"{spec.key}_admin").first()
        if admin is None:
            admin = User(
                username=f"{spec.key}_admin",
                display_name=f"{spec.short_name}站点管理员",
                first_name=f"{spec.short_name}站点管理员",
                email=f"{spec.key}_admin@example.gov.cn",
                is_staff=True,
            )
            admin.set_password(DEMO_PASSWORD)
            admin.save()
        Membership.objects.get_or_create(
            user=admin, organization=organization, defaults={"is_primary": True}
        )
        result = provision_site(
            name=spec.name,
            short_name=spec.short_name,
            kind=spec.kind,
            hostname=demo_hostname(spec.key, hostname),
            port=base_port,
            aliases=[demo_hostname(alias, hostname) for alias in spec.aliases],
            site_id_code=spec.site_id_code,
            organization=organization,
            template=spec.template,
            theme=spec.theme,
            two_level=spec.two_level,
            admins=[admin],
            user=operator,
        )
        profile = result.profile
        profile.public_domain = spec.domain
        profile.icp_number = "示ICP备20260001号"
        profile.police_number = f"示公网安备 990102020001{index + 11}号"
        profile.sort_order = 10 + index
        profile.save()

        made = 0
        leaves = (
            ChannelPage.objects.descendant_of(result.home)
            .filter(numchild=0)
            .exclude(column_type=ColumnType.TOPIC)
            .order_by("path")
        )
        for channel in leaves:
            for _ in range(ARTICLES_PER_HOME_CHANNEL if channel.show_on_home else 1):
                made += 1
                topic = text.topic()
                when = now - timedelta(hours=made * 7 + index, minutes=made * 13 % 60)
                page = ArticlePageFactory.build(
                    title=text.title(channel.column_type, topic),
                    slug=f"p{made:04d}",
                    source=spec.short_name,
                    author=text.author(),
                    publish_time=when,
                    summary=text.summary(topic),
                    keywords=f"{topic},{spec.short_name}",
                    body=article_body(text.paragraphs(topic, 3)),
                    first_published_at=when,
                    last_published_at=when,
                    is_headline=made <= 2,
                )
                channel.add_child(instance=page)
        built.append(result)
        if stdout is not None:
            url = f"http://{result.site.hostname}:{result.site.port}/"
            stdout.write(
                f"  {spec.name}: {url}  ({TEMPLATES[spec.template].label}, "
                f"{SiteTheme(spec.theme).label}, {made} articles; login {spec.key}_admin)"
            )
    return built
