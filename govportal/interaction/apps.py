from django.apps import AppConfig


class InteractionConfig(AppConfig):
    name = "govportal.interaction"
    label = "interaction"
    verbose_name = "互动交流"

    def ready(self):
        from . import cases, services, stats  # noqa: F401 — cases registers 来信 in 我的办件

        services.register_actions()
        stats.register_actions()
