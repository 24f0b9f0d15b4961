from django import template

from govportal.personal.services import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def personal_unread(context) -> int:
    """Unread 站内信 of the signed-in user (0 for visitors, without touching the database)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    cached = getattr(request, "_personal_unread", None)
    if cached is None:
        cached = request._personal_unread = unread_count(user)
    return cached


@register.simple_tag(takes_context=True)
def personal_login_url(context) -> str:
    """The citizens' login page, returning to the current page afterwards."""
    from urllib.parse import urlencode

    from govportal.personal.views import login_url

    request = context.get("request")
    url = login_url()
    if request is None:
        return url
    return f"{url}?{urlencode({'next': request.get_full_path()})}"
