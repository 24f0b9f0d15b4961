from django.apps import AppConfig


class PersonalConfig(AppConfig):
    """个人中心: my cases (registry of case types), 站内信 mailbox, tracking-code lookup."""

    name = "govportal.personal"
    verbose_name = "个人中心"
    default_auto_field = "django.db.models.BigAutoField"
