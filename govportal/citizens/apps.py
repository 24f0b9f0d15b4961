from django.apps import AppConfig


class CitizensConfig(AppConfig):
    """公众用户: citizen registration and login (e-mail/mobile + one-time code, OIDC)."""

    name = "govportal.citizens"
    verbose_name = "公众用户"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from govportal.audit.actions import register_action

        from . import checks  # noqa: F401 — registers the deployment checks

        for code, label in ACTIONS.items():
            register_action(code, label)


ACTIONS = {
    "citizen.register": "公众用户：注册账号",
    "citizen.oidc_login": "公众用户：统一身份认证登录",
    "citizen.staff_refused": "公众用户：工作人员账号从公众入口登录被拒绝",
    "citizen.password_reset": "公众用户：找回（重置）密码",
    "citizen.password_change": "公众用户：修改密码",
    "citizen.contact_change": "公众用户：更换手机号码或电子邮箱",
    "citizen.profile_update": "公众用户：修改个人资料",
    "citizen.delete": "公众用户：注销账号",
    "citizen.anonymise": "公众用户：注销时账号匿名化（存在受保护的关联记录）",
}
