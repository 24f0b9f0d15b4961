from django import template

from wagtail.models import Page

register = template.Library()


@register.simple_tag(takes_context=True)
def breadcrumbs(context, page):
    """Ancestors of ``page`` from the site home down to its parent (面包屑)."""
    portal = context.get("portal")
    home = portal.home if portal else None
    if home is None or page is None or not isinstance(page, Page):
        return []
    return list(
        Page.objects.ancestor_of(page)
        .filter(depth__gte=home.depth)
        .live()
        .only("id", "title", "url_path", "path", "depth")
        .order_by("depth")
    )


@register.simple_tag(takes_context=True)
def menu_url(context, page):
    """The URL a menu entry points at: external channels go straight to their target."""
    specific = getattr(page, "specific_deferred", page)
    getter = getattr(specific, "get_menu_url", None)
    if getter:
        return getter()
    return page.get_url(request=context.get("request"))


@register.filter
def is_ancestor_or_self(menu_page, page) -> bool:
    """True when ``page`` sits in the subtree of ``menu_page`` (current menu highlight)."""
    if page is None or not hasattr(page, "path"):
        return False
    return page.path.startswith(menu_page.path)


@register.filter
def split_keywords(value: str) -> list[str]:
    import re

    return [part for part in re.split(r"[,，;；\s]+", value or "") if part]
