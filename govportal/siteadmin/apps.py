from django.apps import AppConfig


class SiteAdminConfig(AppConfig):
    name = "govportal.siteadmin"
    label = "siteadmin"
    verbose_name = "站点管理"

    def ready(self):
        from govportal.audit.actions import register_action

        from . import confine, services, signal_handlers, speed

        confine.install()
        speed.install()
        signal_handlers.register()
        for action, label in services.AUDIT_LABELS.items():
            register_action(services.audit_code(action), label)
