from django.apps import AppConfig

from wagtail.users.apps import WagtailUsersAppConfig

ACTIONS = {
    "auth.idle_logout": "长时间未操作，自动退出",
    "2fa.enrol": "两步验证：启用",
    "2fa.remove": "两步验证：停用",
    "2fa.reset": "两步验证：由安全管理员重置",
    "2fa.verify": "两步验证：登录验证",
    "2fa.lockout": "两步验证：错误次数过多，锁定",
    "2fa.recovery_used": "两步验证：使用恢复码",
    "2fa.recovery_regenerate": "两步验证：重新生成恢复码",
    "account.password_change": "修改密码",
}


class AccountsConfig(AppConfig):
    default = True  # apps.py holds two configs (and imports Wagtail's)
    name = "govportal.accounts"
    label = "accounts"
    verbose_name = "账号"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from govportal.audit.actions import register_action

        from . import checks, signal_handlers  # noqa: F401 — register checks and receivers

        for code, label in ACTIONS.items():
            register_action(code, label)
        signal_handlers.connect()
        from wagtail.admin.views.account import NameEmailSettingsPanel

        from .forms import ChineseNameEmailForm

        NameEmailSettingsPanel.form_class = ChineseNameEmailForm
        user_logged_in.connect(
            signal_handlers.on_logged_in, dispatch_uid="govportal.accounts.logged_in"
        )


class StaffUsersConfig(WagtailUsersAppConfig):
    """Wagtail's users app with the 三员分立 user and group editors (``viewsets``)."""

    default = False
    user_viewset = "govportal.accounts.viewsets.UserViewSet"
    group_viewset = "govportal.accounts.viewsets.GroupViewSet"
