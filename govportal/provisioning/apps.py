from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class ProvisioningConfig(AppConfig):
    name = "govportal.provisioning"
    label = "provisioning"
    verbose_name = "站点开通"

    def ready(self):
        from wagtail.models import Site

        from govportal.sites.models import SiteProfile

        from .middleware import forget_aliases

        for model in (Site, SiteProfile):
            post_save.connect(forget_aliases, sender=model, dispatch_uid=f"aliases-save-{model}")
            post_delete.connect(forget_aliases, sender=model, dispatch_uid=f"aliases-del-{model}")
