from django.apps import AppConfig


class LibraryConfig(AppConfig):
    name = "govportal.library"
    label = "library"
    verbose_name = "统一信息资源库"

    def ready(self) -> None:
        from govportal.audit.actions import register_action

        from . import services, signal_handlers

        signal_handlers.register()
        for action, label in services.AUDIT_LABELS.items():
            register_action(services.audit_code(action), label)
