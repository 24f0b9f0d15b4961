"""两步验证 in the Wagtail admin: its URLs under /admin/2fa/ and the account menu entry."""

from django.urls import include, path, reverse

from wagtail import hooks

from . import urls


@hooks.register("register_admin_urls")
def register_twofactor_urls():
    return [path("2fa/", include(urls, namespace="accounts_2fa"))]


class AccountMenuItem:
    """An entry of the account page's 更多操作 tab."""

    def __init__(self, label: str, url: str, help_text: str = ""):
        self.label, self.url, self.help_text = label, url, help_text


@hooks.register("register_account_menu_item")
def register_twofactor_account_item(request):
    return AccountMenuItem(
        "两步验证",
        reverse("accounts_2fa:index"),
        "登录时除密码外再输入手机身份验证器上的验证码；管理恢复码。",
    )


@hooks.register("register_user_listing_buttons")
def register_twofactor_reset_button(user, request_user):
    from wagtail.admin.widgets.button import Button

    from .views import can_reset

    if not can_reset(request_user, user):
        return []
    return [
        Button(
            "重置两步验证",
            reverse("accounts_2fa:reset", args=(user.pk,)),
            icon_name="key",
            priority=90,
        )
    ]
