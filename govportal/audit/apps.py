from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "govportal.audit"
    label = "audit"
    verbose_name = "审计"

    def ready(self):
        from . import checks, signal_handlers  # noqa: F401 — register checks and receivers

        signal_handlers.connect()
