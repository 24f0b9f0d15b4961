"""依申请公开 in the admin: its URLs and the menu item with the overdue + near-due count."""

from django.urls import include, path, reverse_lazy

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_urls, services


class RequestsMenuItem(MenuItem):
    """Shown to staff holding the handle permission; the label carries the number of
    overdue and near-due requests they may handle (as text, not colour only)."""

    def is_shown(self, request):
        user = request.user
        return user.is_superuser or user.has_perm(services.HANDLE_PERM)

    def render_component(self, request):
        count = services.attention_count(request.user)
        component = super().render_component(request)
        if count:
            component.label = f"{self.label}（{count}）"  # 超期 + 临近到期
        return component


@hooks.register("register_admin_urls")
def register_inforequest_urls():
    return [path("inforequests/", include(admin_urls, namespace="inforequests_admin"))]


@hooks.register("register_admin_menu_item")
def register_inforequests_menu():
    return RequestsMenuItem(
        "依申请公开",
        reverse_lazy("inforequests_admin:list"),
        name="inforequests",
        icon_name="help",
        order=270,
    )
