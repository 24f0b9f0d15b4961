from django.apps import AppConfig


class AnnualReportsConfig(AppConfig):
    name = "govportal.annualreports"
    label = "annualreports"
    verbose_name = "政府信息公开年报"

    def ready(self):
        from govportal.audit.actions import register_action

        from .services import AUDIT_ACTIONS

        for code, label in AUDIT_ACTIONS.items():
            register_action(code, label)
