from django.apps import AppConfig


class LibraryConfig(AppConfig):
    name = "govportal.library"
    label = "library"
    verbose_name = "统一信息资源库"

    def ready(self) -> None:
        from . import signal_handlers

        signal_handlers.register()
