"""Factories for catalogue pages, shared by the tests and the demo data."""

import datetime

from django.utils import timezone

import factory

from govportal.content.demo_text import DemoText
from govportal.content.factories import PageFactory, article_body

from .models import DisclosureCategory, DisclosureEntryPage, DisclosureIndexPage
from .taxonomy import Genre, Theme

TEXT = DemoText(seed=11)


class DisclosureIndexPageFactory(PageFactory):
    class Meta:
        model = DisclosureIndexPage

    title = "政府信息公开目录"
    slug = factory.Sequence(lambda n: f"catalogue-{n}")
    show_in_menus = True
    description = "本机关主动公开的政府信息目录，可按发布机构、分类和年份浏览，也可检索和导出。"


def default_category():
    return DisclosureCategory.objects.filter(code="regulations-normative").first()


class DisclosureEntryPageFactory(PageFactory):
    """An entry under ``parent`` (a :class:`DisclosureIndexPage`); the 索引号 is generated."""

    class Meta:
        model = DisclosureEntryPage

    class Params:
        topic = factory.LazyFunction(TEXT.topic)

    title = factory.LazyAttribute(lambda o: TEXT.title("policy", o.topic))
    slug = factory.Sequence(lambda n: f"entry-{n}")
    written_date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=3))
    publish_time = factory.LazyAttribute(
        lambda o: timezone.make_aware(
            datetime.datetime.combine(o.written_date + datetime.timedelta(days=2), datetime.time(9))
        )
    )
    doc_number = ""
    category = factory.LazyFunction(default_category)
    theme = Theme.GENERAL
    genre = Genre.NOTICE
    summary = factory.LazyAttribute(lambda o: TEXT.summary(o.topic))
    keywords = factory.LazyAttribute(lambda o: f"{o.topic},政府信息公开")
    body = factory.LazyAttribute(lambda o: article_body(TEXT.paragraphs(o.topic, 2)))
