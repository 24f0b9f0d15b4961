"""Factories for content pages, shared by the tests and ``load_demo_data``."""

from datetime import timedelta

from django.utils import timezone

from wagtail.models import Page, Site
from wagtail.rich_text import RichText

import factory

from govportal.sites.models import SiteProfile

from .demo_text import DemoText
from .models import (
    ArticlePage,
    ChannelPage,
    ColumnType,
    ExternalLinkChannel,
    PortalHomePage,
    TopicPage,
)

TEXT = DemoText(seed=7)


class PageFactory(factory.Factory):
    """Creates a page under ``parent`` (default: the tree root) with ``add_child``."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, parent=None, **kwargs):
        parent = parent or Page.get_first_root_node()
        page = model_class(**kwargs)
        parent.add_child(instance=page)
        return page


class PortalHomePageFactory(PageFactory):
    class Meta:
        model = PortalHomePage

    title = factory.Sequence(lambda n: f"示例网站{n}")
    slug = factory.Sequence(lambda n: f"site-{n}")


class ChannelPageFactory(PageFactory):
    class Meta:
        model = ChannelPage

    title = factory.Sequence(lambda n: f"栏目{n}")
    slug = factory.Sequence(lambda n: f"channel-{n}")
    column_type = ColumnType.NEWS
    show_in_menus = True
    show_on_home = True
    description = factory.LazyAttribute(lambda o: f"{o.title}栏目发布相关信息。")
    keywords = factory.LazyAttribute(lambda o: f"{o.title},示例市")


class TopicPageFactory(PageFactory):
    class Meta:
        model = TopicPage

    title = factory.Sequence(lambda n: f"专题{n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")
    show_in_menus = False
    description = factory.LazyAttribute(lambda o: f"{o.title}专题")


class ExternalLinkChannelFactory(PageFactory):
    class Meta:
        model = ExternalLinkChannel

    title = "办事服务"
    slug = factory.Sequence(lambda n: f"link-{n}")
    link_url = "https://zwfw.example.gov.cn/"
    show_in_menus = True


def article_body(paragraphs: list[str], extra_blocks=()):
    blocks = [("paragraph", RichText("".join(f"<p>{p}</p>" for p in paragraphs)))]
    blocks.extend(extra_blocks)
    return blocks


class ArticlePageFactory(PageFactory):
    class Meta:
        model = ArticlePage

    class Params:
        topic = factory.LazyFunction(TEXT.topic)

    title = factory.LazyAttribute(lambda o: TEXT.title("news", o.topic))
    slug = factory.Sequence(lambda n: f"article-{n}")
    source = factory.LazyFunction(TEXT.source)
    author = factory.LazyFunction(TEXT.author)
    publish_time = factory.Sequence(lambda n: timezone.now() - timedelta(hours=n + 1))
    summary = factory.LazyAttribute(lambda o: TEXT.summary(o.topic))
    keywords = factory.LazyAttribute(lambda o: f"{o.topic},示例市")
    body = factory.LazyAttribute(lambda o: article_body(TEXT.paragraphs(o.topic, 3)))


def make_site(
    hostname: str = "localhost",
    port: int = 80,
    *,
    title: str = "示例市人民政府",
    site_id_code: str = "1399000001",
    is_default: bool = False,
    **profile,
) -> tuple[Site, PortalHomePage, SiteProfile]:
    """A Wagtail Site with its home page and a complete SiteProfile (for tests)."""
    home = PortalHomePageFactory(title=title)
    site = Site.objects.create(
        hostname=hostname,
        port=port,
        root_page=home,
        site_name=title,
        is_default_site=is_default,
    )
    defaults = {
        "site_name": f"{title}网站",
        "short_name": title,
        "public_domain": f"{hostname}.example.gov.cn" if hostname != "localhost" else "",
        "site_id_code": site_id_code,
        "sponsor": f"{title}办公室",
        "organizer": f"{title}大数据中心",
        "contact_phone": "0999-12345678",
        "contact_email": "webmaster@example.gov.cn",
        "address": "示例市人民大道1号",
        "icp_number": "示ICP备12345678号",
        "police_number": "示公网安备 99010202000001号",
    }
    defaults.update(profile)
    site_profile = SiteProfile.objects.create(site=site, **defaults)
    return site, home, site_profile
