"""System checks for the field-encryption keys."""

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.exceptions import ImproperlyConfigured

from .keys import build_keyring, parse_keys, raw_key

# Keys that are public (test settings, documentation) and must never protect real data.
PUBLIC_KEY_MARKERS = (b"test-only", b"example", b"changeme")


@register(Tags.security)
def check_field_keys(app_configs, **kwargs):
    keys = parse_keys(getattr(settings, "GOVPORTAL_FIELD_KEYS", ()))
    if not keys:
        return [
            Error(
                "GOVPORTAL_FIELD_KEYS is not set: personal data cannot be encrypted.",
                hint="Set it to a key from `manage.py generate_field_key` (newest first, comma-separated).",
                id="privacy.E001",
            )
        ]
    try:
        build_keyring(keys)
    except ImproperlyConfigured as error:
        return [Error(str(error), id="privacy.E002")]
    return []


@register(Tags.security, deploy=True)
def check_field_keys_are_secret(app_configs, **kwargs):
    for position, key in enumerate(parse_keys(getattr(settings, "GOVPORTAL_FIELD_KEYS", ())), 1):
        try:
            raw = raw_key(key)
        except ValueError:
            continue  # reported by check_field_keys
        if any(marker in raw for marker in PUBLIC_KEY_MARKERS) or len(set(raw)) < 8:
            return [
                Error(
                    f"GOVPORTAL_FIELD_KEYS: key #{position} is a published or weak key "
                    "(test settings, documentation).",
                    hint="Generate a random key with `manage.py generate_field_key`.",
                    id="privacy.E003",
                )
            ]
    return []
