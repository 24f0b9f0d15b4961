from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "govportal.organizations"
    label = "organizations"
    verbose_name = "组织机构"
