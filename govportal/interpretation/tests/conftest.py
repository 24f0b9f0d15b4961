"""Sites A and B of the shared site group with their catalogues (from the disclosure tests),
a 政策解读 channel on each, and policy documents to interpret."""

from dataclasses import dataclass

from django.utils import timezone

import pytest

from govportal.content.factories import ArticlePageFactory, ChannelPageFactory
from govportal.content.models import ArticlePage, ChannelPage, ColumnType
from govportal.disclosure.models import DisclosureEntryPage
from govportal.disclosure.tests.conftest import (  # noqa: F401 — fixtures
    Catalogues,
    _catalogues_for_module,
    cats,
    make_entry,
)


@dataclass
class World:
    cats: Catalogues
    channel_a: ChannelPage
    channel_b: ChannelPage
    doc_a: DisclosureEntryPage  # 规范性文件 with a 文号
    doc_a2: DisclosureEntryPage
    doc_b: DisclosureEntryPage
    article_a: ArticlePage  # a plain article in a 政策文件 channel


def interpretation_channel(home, slug="jd") -> ChannelPage:
    return ChannelPageFactory(
        parent=home, title="政策解读", slug=slug, column_type=ColumnType.INTERPRETATION
    )


@pytest.fixture
def world(cats) -> World:  # noqa: F811 — the fixture imported above
    a, b = cats.group.a, cats.group.b
    policies = ChannelPageFactory(
        parent=a.home, title="政策文件", slug="zcwj", column_type=ColumnType.POLICY
    )
    return World(
        cats=cats,
        channel_a=interpretation_channel(a.home),
        channel_b=interpretation_channel(b.home),
        doc_a=make_entry(
            cats.index_a,
            title="甲区促进就业创业实施办法",
            doc_number=f"甲政规〔{timezone.localdate().year}〕1号",
        ),
        doc_a2=make_entry(cats.index_a, title="甲区养老服务补贴管理办法"),
        doc_b=make_entry(cats.index_b, title="乙市政府采购管理规定"),
        article_a=ArticlePageFactory(parent=policies, title="甲区优化营商环境若干措施"),
    )
