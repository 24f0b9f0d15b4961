"""Production: every secret from the environment; refuses to start without them."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool, env_list

DEBUG = False

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is not set. Production refuses to start without a secret key "
        "from the environment (at least 50 random characters)."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS is not set (comma-separated host names).")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

GOVPORTAL_FIELD_KEYS = env_list("GOVPORTAL_FIELD_KEYS")
if not GOVPORTAL_FIELD_KEYS:
    raise ImproperlyConfigured(
        "GOVPORTAL_FIELD_KEYS is not set. Production refuses to start without the keys that "
        "encrypt personal data (comma-separated, newest first; create one with "
        "`manage.py generate_field_key` and keep it safe: data encrypted with a lost key is lost)."
    )

# HTTPS everywhere; behind a proxy that sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# Deliberate choices that `check --deploy` would otherwise warn about:
# - W019: the admin's live preview shows pages in a same-origin frame, so base.py keeps
#   X_FRAME_OPTIONS = "SAMEORIGIN" (other origins are still refused).
# - W021: HSTS preloading binds the whole registrable domain for months; it stays an
#   explicit opt-in (SECURE_HSTS_PRELOAD=1) for whoever owns the domain.
SILENCED_SYSTEM_CHECKS = ["security.W019"]
if not SECURE_HSTS_PRELOAD:
    SILENCED_SYSTEM_CHECKS.append("security.W021")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = True
LANGUAGE_COOKIE_HTTPONLY = True

# Two-factor login for every staff account (等保 三级); GOVPORTAL_2FA_REQUIRED_FOR_ALL_STAFF=0
# leaves it to the 两步验证策略 chosen by the security admin.
GOVPORTAL_2FA_REQUIRED_FOR_ALL_STAFF = env_bool("GOVPORTAL_2FA_REQUIRED_FOR_ALL_STAFF", True)

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "noreply@localhost")
