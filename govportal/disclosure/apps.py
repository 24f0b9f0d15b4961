from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    name = "govportal.disclosure"
    label = "disclosure"
    verbose_name = "政府信息公开"

    def ready(self) -> None:
        from govportal.audit.actions import register_action

        from .index_numbers import AUDIT_ASSIGN
        from .views import AUDIT_REPORT_EXPORT

        register_action(AUDIT_ASSIGN, "公开目录：生成索引号")
        register_action(AUDIT_REPORT_EXPORT, "公开目录：导出超期公开报告")
