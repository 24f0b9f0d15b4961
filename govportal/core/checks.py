"""System checks that turn unsafe production configuration into errors."""

from django.conf import settings
from django.core.checks import Error, Tags, register

WEAK_KEY_MARKERS = ("insecure", "test-only", "changeme", "secret")


@register(Tags.security, deploy=True)
def check_secret_key_strength(app_configs, **kwargs):
    key = getattr(settings, "SECRET_KEY", "")
    if len(key) < 50 or len(set(key)) < 5 or any(m in key.lower() for m in WEAK_KEY_MARKERS):
        return [
            Error(
                "SECRET_KEY is weak: use at least 50 random characters from the environment.",
                id="govportal.E001",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_debug_off(app_configs, **kwargs):
    if settings.DEBUG:
        return [Error("DEBUG must be off in production.", id="govportal.E002")]
    return []
