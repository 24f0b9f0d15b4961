from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "govportal.publishing"
    label = "publishing"
    verbose_name = "发布"

    def ready(self) -> None:
        from . import signal_handlers

        signal_handlers.register()
