"""Each shows the others: what a policy document page and an interpretation page list.

Only live pages outside view restrictions appear (``core.visibility.public``, read once per
request). The number of queries does not grow with the number of links: a policy document
costs one query for its interpretations; an interpretation costs one for its link ids (none
when the links are already in memory, e.g. in a preview), one for the documents and one for
the other interpretations of the same documents.
"""

from django.db.models import OuterRef, Subquery

from govportal.content.models import ArticlePage
from govportal.core.visibility import public

from .models import SHORT_LABELS, InterpretationKind, InterpretationPage

LIST_FIELDS = ("id", "title", "url_path", "path", "depth", "publish_time", "content_type", "kind")


def _interpretations(request=None):
    return (
        public(InterpretationPage.objects.live(), request)
        .only(*LIST_FIELDS, "interpreter")
        .order_by("-publish_time", "-id")
    )


def group_by_kind(pages) -> list[dict]:
    """[{kind, label, short, items}] for 文字/图解/视频 in that order, empty groups left out."""
    groups = []
    for kind in (InterpretationKind.TEXT, InterpretationKind.GRAPHIC, InterpretationKind.VIDEO):
        items = [p for p in pages if p.kind == kind]
        if items:
            groups.append(
                {
                    "kind": kind.value,
                    "label": kind.label,
                    "short": SHORT_LABELS[kind],
                    "items": items,
                }
            )
    return groups


def related_for_policy(page, request=None) -> dict:
    """政策解读 (grouped by form) and 回应关切 of the policy document ``page``."""
    if page is None or not page.pk or isinstance(page, InterpretationPage):
        return {"interpretation_groups": [], "responses": [], "interpretation_count": 0}
    pages = list(_interpretations(request).filter(policy_links__policy_id=page.pk).distinct())
    interpreting = [p for p in pages if p.kind != InterpretationKind.RESPONSE]
    return {
        "interpretation_groups": group_by_kind(interpreting),
        "responses": [p for p in pages if p.kind == InterpretationKind.RESPONSE],
        "interpretation_count": len(interpreting),
    }


def linked_policy_ids(interpretation) -> list[int]:
    """Ids of the linked documents in the editor's order (in-memory links in a preview)."""
    return [
        link.policy_id
        for link in sorted(interpretation.policy_links.all(), key=lambda link: link.sort_order or 0)
        if link.policy_id
    ]


def related_for_interpretation(interpretation, request=None) -> dict:
    """相关政策文件 (with 文号 where the document is a 公开目录条目) and 其他形式解读."""
    from govportal.disclosure.models import DisclosureEntryPage

    ids = linked_policy_ids(interpretation)
    if not ids:
        return {"related_policies": [], "sibling_interpretations": []}
    doc_number = DisclosureEntryPage.objects.filter(pk=OuterRef("pk")).values("doc_number")[:1]
    found = {
        p.pk: p
        for p in public(ArticlePage.objects.live(), request)
        .filter(pk__in=ids)
        .exclude(pk=interpretation.pk)
        .only("id", "title", "url_path", "path", "depth", "publish_time", "content_type")
        .annotate(document_number=Subquery(doc_number))
    }
    policies = [found[pk] for pk in ids if pk in found]
    siblings = []
    if policies:
        siblings = list(
            _interpretations(request)
            .filter(policy_links__policy_id__in=[p.pk for p in policies])
            .exclude(pk=interpretation.pk)
            .distinct()
        )
    return {"related_policies": policies, "sibling_interpretations": siblings}
