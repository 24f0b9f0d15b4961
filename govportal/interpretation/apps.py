from django.apps import AppConfig


class InterpretationConfig(AppConfig):
    name = "govportal.interpretation"
    label = "interpretation"
    verbose_name = "政策解读"

    def ready(self) -> None:
        from govportal.audit.actions import register_action

        from .views import AUDIT_REPORT_EXPORT

        register_action(AUDIT_REPORT_EXPORT, "政策解读：导出政策文件未解读报告")
