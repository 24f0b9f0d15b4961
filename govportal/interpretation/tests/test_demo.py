"""The demo interpretations: about 60% of the policy documents, every form, some left for
the report; built once."""

from govportal.content.models import ChannelPage, ColumnType
from govportal.interpretation.demo import build_demo_interpretation
from govportal.interpretation.models import InterpretationPage, PolicyLink
from govportal.interpretation.policies import policy_documents, uninterpreted

from .conftest import make_entry


def test_demo_interprets_most_policy_documents_once(cats):
    for n in range(20):
        make_entry(cats.index_a, title=f"甲区第{n}号实施办法")
    names = [cats.group.a.site.site_name]
    built = build_demo_interpretation(site_names=names)
    assert list(built) == names

    channel = ChannelPage.objects.descendant_of(cats.group.a.home).get(
        column_type=ColumnType.INTERPRETATION
    )
    assert channel.live and channel.title == "政策解读"
    pages = InterpretationPage.objects.child_of(channel)
    assert pages.count() == built[names[0]]
    kinds = set(pages.filter(live=True).values_list("kind", flat=True))
    assert kinds == {"text", "graphic", "video", "response"}
    assert pages.filter(live=False).exists()  # one still in draft
    for video in pages.filter(kind="video"):
        assert video.transcript.strip()
    for graphic in pages.filter(kind="graphic"):
        assert any(block.block_type == "image" for block in graphic.body)
    assert PolicyLink.objects.filter(interpretation__in=pages, policy__in=pages).count() == 0

    documents = policy_documents().descendant_of(cats.group.a.home)
    waiting = uninterpreted(documents).count()
    assert 0.2 <= waiting / documents.count() <= 0.6  # about 60% interpreted, the rest listed

    assert build_demo_interpretation(site_names=names) == {}  # idempotent
    assert InterpretationPage.objects.child_of(channel).count() == built[names[0]]
    assert ChannelPage.objects.filter(column_type=ColumnType.INTERPRETATION).count() == 1
