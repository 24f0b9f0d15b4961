"""The embedded run (``make run``) and local development.

SQLite file and media under ``var/``; a secret key generated once and kept in
``var/secret_key``. DEBUG stays off unless ``DJANGO_DEBUG=1`` is set by hand.
"""

import os
import secrets

from .base import *  # noqa: F403
from .base import VAR_DIR, env_bool, env_list

DEBUG = env_bool("DJANGO_DEBUG", False)


def _local_secret_key() -> str:
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _local_secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
GOVPORTAL_SERVE_MEDIA = True
# Notification mails (workflow, password reset) are written to files under var/mail/.
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = VAR_DIR / "mail"
