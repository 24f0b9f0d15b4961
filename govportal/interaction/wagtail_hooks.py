"""来信办理 in the admin: its URLs and the menu item with the count of letters needing the
user's action (in the label as text, not colour only)."""

from django.urls import include, path, reverse_lazy

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_urls, services
from .open311 import wagtail_hooks as open311_hooks  # noqa: F401  (设置 → Open311 接入)


class LetterRoleMenuItem(MenuItem):
    def is_shown(self, request):
        return services.any_letter_role(request.user)


class LettersMenuItem(MenuItem):
    def is_shown(self, request):
        return services.any_letter_role(request.user)

    def render_component(self, request):
        count = services.attention_count(request.user)
        component = super().render_component(request)
        if count:
            component.label = f"{self.label}（{count}）"
        return component


@hooks.register("register_admin_urls")
def register_letter_urls():
    return [path("letters/", include(admin_urls, namespace="interaction_admin"))]


@hooks.register("register_admin_menu_item")
def register_letters_menu():
    return LettersMenuItem(
        "来信办理", reverse_lazy("interaction_admin:list"), name="letters", icon_name="mail",
        order=275,
    )  # fmt: skip


@hooks.register("register_admin_menu_item")
def register_letter_stats_menu():
    # Leaders who only read the figures need not go through the letter queues.
    return LetterRoleMenuItem(
        "来信统计", reverse_lazy("interaction_admin:stats"), name="letter-stats",
        icon_name="table", order=276,
    )  # fmt: skip
