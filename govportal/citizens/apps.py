from django.apps import AppConfig


class CitizensConfig(AppConfig):
    """公众用户: citizen registration and login (e-mail/mobile + one-time code, OIDC)."""

    name = "govportal.citizens"
    verbose_name = "公众用户"
    default_auto_field = "django.db.models.BigAutoField"
