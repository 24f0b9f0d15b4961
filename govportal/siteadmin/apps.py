from django.apps import AppConfig


class SiteAdminConfig(AppConfig):
    name = "govportal.siteadmin"
    label = "siteadmin"
    verbose_name = "站点管理"

    def ready(self):
        from . import confine, speed

        confine.install()
        speed.install()
