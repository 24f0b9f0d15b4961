"""The embedded run (``make run``) and local development.

SQLite file and media under ``var/``; a secret key generated once and kept in
``var/secret_key``, a personal-data encryption key in ``var/field_keys``. DEBUG stays off unless ``DJANGO_DEBUG=1`` is set by hand.
"""

import base64
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


def _local_field_keys() -> list[str]:
    """GOVPORTAL_FIELD_KEYS from the environment, else var/field_keys (one generated once).

    The file holds the keys newest first, one per line; it is created complete and private
    (mode 600) before it appears, so concurrent first starts all read the same key.
    """
    if os.environ.get("GOVPORTAL_FIELD_KEYS"):
        return env_list("GOVPORTAL_FIELD_KEYS")
    path = VAR_DIR / "field_keys"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        temporary = VAR_DIR / f".field_keys.{os.getpid()}"
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as file:
            file.write(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode() + "\n")
        try:
            os.link(temporary, path)  # fails if another process created it first
        except FileExistsError:
            pass
        finally:
            temporary.unlink()
    return [key.strip() for key in path.read_text().replace(",", "\n").split() if key.strip()]


GOVPORTAL_FIELD_KEYS = _local_field_keys()
# ".localhost" also admits every <name>.localhost: the demo's provisioned sites
# (browsers and curl resolve *.localhost to the loopback address).
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,.localhost,[::1]")
GOVPORTAL_SERVE_MEDIA = True
# Notification mails (workflow, password reset) are written to files under var/mail/.
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = VAR_DIR / "mail"
