from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "govportal.search"
    label = "govsearch"  # "search" would read as Wagtail's own search app
    verbose_name = "站内搜索"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # sources: the content kinds and their signals; analysis: synonym/dictionary refresh.
        from . import analysis, sources  # noqa: F401
