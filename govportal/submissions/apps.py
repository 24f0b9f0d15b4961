from django.apps import AppConfig


class SubmissionsConfig(AppConfig):
    name = "govportal.submissions"
    label = "submissions"
    verbose_name = "信息报送"
