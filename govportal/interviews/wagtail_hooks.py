"""在线访谈 in the admin: the console URLs, the menu item and the page header button."""

from django.urls import include, path, reverse, reverse_lazy

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button

from govportal.siteadmin import access

from . import services, urls
from .models import InterviewPage


class InterviewMenuItem(MenuItem):
    """Shown to site staff with page permissions and to guest accounts."""

    def is_shown(self, request):
        user = request.user
        return (
            access.holds_page_permission(user)
            or InterviewPage.objects.filter(guests__user=user).exists()
        )


@hooks.register("register_admin_urls")
def register_interview_urls():
    return [path("interviews/", include(urls, namespace="interviews_admin"))]


@hooks.register("register_admin_menu_item")
def register_interview_menu():
    return InterviewMenuItem(
        "在线访谈",
        reverse_lazy("interviews_admin:index"),
        name="interviews",
        icon_name="group",
        order=270,
    )


def _console_button(page, user, priority):
    if page.specific_class is not InterviewPage:
        return None
    if not services.can_open_console(user, page.specific):
        return None
    return Button(
        "访谈管理",
        reverse("interviews_admin:console", args=(page.pk,)),
        icon_name="group",
        attrs={"title": "审核网友提问、回答问题、发布主持人消息"},
        priority=priority,
    )


@hooks.register("register_page_listing_more_buttons")
def interview_listing_button(page, user, next_url=None):
    if (found := _console_button(page, user, 60)) is not None:
        yield found


@hooks.register("register_page_header_buttons")
def interview_header_button(page, user, view_name, next_url=None):
    if (found := _console_button(page, user, 80)) is not None:
        yield found
