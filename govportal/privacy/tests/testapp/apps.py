from django.apps import AppConfig


class PrivacyTestAppConfig(AppConfig):
    name = "govportal.privacy.tests.testapp"
    label = "privacy_tests"
    verbose_name = "个人信息保护（测试）"
    default_auto_field = "django.db.models.BigAutoField"
