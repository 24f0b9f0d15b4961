from django.apps import AppConfig


class InterviewsConfig(AppConfig):
    name = "govportal.interviews"
    label = "interviews"
    verbose_name = "在线访谈"

    def ready(self) -> None:
        from govportal.audit.actions import register_action

        from .services import AUDIT_ACTIONS

        for code, label in AUDIT_ACTIONS.items():
            register_action(code, label)
