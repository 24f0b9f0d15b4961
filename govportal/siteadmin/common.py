"""Admin wiring the site group's admin apps share (信息报送, 统一信息资源库, 站点人员与权限).

* :class:`HandlerMenuItem`: a menu item shown to people who may add pages on some site;
* :class:`DataLogFormatter`: a Wagtail log entry described from its ``data``;
* :func:`register_article_button`: an action offered on live original articles, in the
  page listing's "更多" menu and in the page header.
"""

from collections.abc import Callable

from django.urls import reverse

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button
from wagtail.log_actions import LogFormatter

from . import access


class HandlerMenuItem(MenuItem):
    """Shown to people who may add pages on some site (editors, channel editors, site admins).

    Asks :func:`access.handles_any_site` (an EXISTS, cached for the request) instead of
    loading every site on each admin page.
    """

    def is_shown(self, request):
        return access.handles_any_site(request.user)


class SiteRoleMenuItem(MenuItem):
    """Shown to people with any role on some site's pages (reviewers too), not to the 三员."""

    def is_shown(self, request):
        return access.holds_page_permission(request.user)


class DataLogFormatter(LogFormatter):
    """Describes an entry from its ``data``; an entry without the data shows its label."""

    def describe(self, data) -> str:
        raise NotImplementedError

    def format_message(self, log_entry):
        try:
            return self.describe(log_entry.data or {})
        except (KeyError, TypeError):
            return str(self.label)


def register_article_button(
    label: str,
    url_name: str,
    *,
    allowed: Callable,
    icon_name: str,
    title: str,
    listing_priority: int,
    header_priority: int,
) -> None:
    """Offer ``label`` (linking to ``url_name`` with the page id) on live articles that are
    originals — not library appearances or other subclasses — to users ``allowed(user, page)``.
    """
    from govportal.content.models import ArticlePage

    def button(page, user, priority):
        if not page.live or page.specific_class is not ArticlePage:
            return None
        if not allowed(user, page):
            return None
        return Button(
            label,
            reverse(url_name, args=(page.pk,)),
            icon_name=icon_name,
            attrs={"title": title},
            priority=priority,
        )

    def listing_button(page, user, next_url=None):
        if (found := button(page, user, listing_priority)) is not None:
            yield found

    def header_button(page, user, view_name, next_url=None):
        if (found := button(page, user, header_priority)) is not None:
            yield found

    hooks.register("register_page_listing_more_buttons", listing_button)
    hooks.register("register_page_header_buttons", header_button)
