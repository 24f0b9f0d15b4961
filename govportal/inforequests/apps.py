from django.apps import AppConfig


class InfoRequestsConfig(AppConfig):
    name = "govportal.inforequests"
    label = "inforequests"
    verbose_name = "依申请公开"

    def ready(self):
        from govportal.personal.cases import register_case_type

        from . import services
        from .cases import DisclosureRequestCases

        services.register_actions()
        register_case_type(DisclosureRequestCases())
