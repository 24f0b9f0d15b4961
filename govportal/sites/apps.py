from django.apps import AppConfig


class SitesConfig(AppConfig):
    name = "govportal.sites"
    label = "govsites"
    verbose_name = "站群"
