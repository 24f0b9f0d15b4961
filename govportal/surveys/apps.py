from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "govportal.surveys"
    label = "surveys"
    verbose_name = "征集调查"

    def ready(self) -> None:
        from govportal.audit.actions import register_action

        from .services import AUDIT_ACTIONS

        for code, label in AUDIT_ACTIONS.items():
            register_action(code, label)
