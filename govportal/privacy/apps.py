from django.apps import AppConfig, apps
from django.db.models.signals import pre_save


class PrivacyConfig(AppConfig):
    name = "govportal.privacy"
    label = "privacy"
    verbose_name = "个人信息保护"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers system checks)
        from .access import REVEAL_ACTION
        from .fields import refuse_stale_blind_index

        pre_save.connect(refuse_stale_blind_index, dispatch_uid="privacy-stale-blind-index")
        if apps.is_installed("govportal.audit"):
            from govportal.audit.actions import register_action

            register_action(REVEAL_ACTION, "查看完整个人信息")
