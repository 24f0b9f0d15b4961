"""Factories for interpretation pages, shared by the tests and the demo data."""

import factory

from govportal.content.demo_text import DemoText
from govportal.content.factories import PageFactory, article_body

from .models import InterpretationKind, InterpretationPage, PolicyLink

TEXT = DemoText(seed=13)


class InterpretationPageFactory(PageFactory):
    """An interpretation under ``parent`` (a channel) linking ``policies`` (a list of pages).

    ``live=False`` makes a draft (never published)."""

    class Meta:
        model = InterpretationPage

    class Params:
        topic = factory.LazyFunction(TEXT.topic)

    title = factory.LazyAttribute(lambda o: f"《{o.topic}实施办法》政策解读")
    slug = factory.Sequence(lambda n: f"interpretation-{n}")
    kind = InterpretationKind.TEXT
    interpreter = "示例市司法局"
    summary = factory.LazyAttribute(lambda o: TEXT.summary(o.topic))
    body = factory.LazyAttribute(lambda o: article_body(TEXT.paragraphs(o.topic, 2)))

    @classmethod
    def _create(cls, model_class, parent=None, policies=(), **kwargs):
        kwargs["policy_links"] = [
            PolicyLink(policy=policy, sort_order=n) for n, policy in enumerate(policies)
        ]
        if kwargs.get("live") is False:
            kwargs.setdefault("has_unpublished_changes", True)
        return super()._create(model_class, parent=parent, **kwargs)
