"""Fast, isolated settings for the test suite (pytest)."""

from .base import *  # noqa: F403
from .base import VAR_DIR

SECRET_KEY = "test-only-secret-key-not-for-production-0123456789abcdefghijklmnop"  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "test-media"
GOVPORTAL_SERVE_MEDIA = True
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# The live server and test client find static files through the finders.
MIDDLEWARE = [m for m in MIDDLEWARE if "whitenoise" not in m]  # noqa: F405
# Tests measure real rendering; the page-cache tests switch the cache on themselves.
GOVPORTAL_PAGE_CACHE_SECONDS = 0
# A fixed, published key ("test-only-field-key-not-for-prod"); `check --deploy` rejects it.
GOVPORTAL_FIELD_KEYS = ["dGVzdC1vbmx5LWZpZWxkLWtleS1ub3QtZm9yLXByb2Q="]
# Test-only models with encrypted fields (govportal/privacy/tests/testapp).
INSTALLED_APPS = [*INSTALLED_APPS, "govportal.privacy.tests.testapp"]  # noqa: F405
# Citizens (govportal/citizens): text messages kept in govportal.citizens.sms.outbox.
GOVPORTAL_SMS_BACKEND = "govportal.citizens.sms.LocmemBackend"
# Test-only case types for the personal centre (govportal/personal/tests/testapp).
INSTALLED_APPS += ["govportal.personal.tests.testapp"]
# Nobody is required to enrol in two-factor login (tests force_login staff everywhere); the
# 2FA tests switch it on with override_settings(GOVPORTAL_2FA_ENFORCE=True).
GOVPORTAL_2FA_ENFORCE = False
