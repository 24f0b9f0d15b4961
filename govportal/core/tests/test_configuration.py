"""Configuration comes from the environment: DATABASE_URL, REDIS_URL, SECRET_KEY."""

import json
import os
import subprocess
import sys

from django.conf import settings

import pytest

PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.core.cache import cache
from django.db import connection
cache.set("govportal-probe", "缓存可用", 30)
print(json.dumps({
    "cache": settings.CACHES["default"]["BACKEND"],
    "cached": cache.get("govportal-probe"),
    "db": connection.vendor,
    "db_name": str(settings.DATABASES["default"]["NAME"]),
    "debug": settings.DEBUG,
}))
"""


def probe(tmp_path, **env_vars) -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "govportal.settings.dev",
           "GOVPORTAL_VAR_DIR": str(tmp_path)}  # fmt: skip
    for key in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DJANGO_DEBUG"):
        env.pop(key, None)
    env.update(env_vars)
    out = subprocess.run(  # noqa: S603 — fixed argv
        [sys.executable, "-c", PROBE], cwd=settings.BASE_DIR, env=env, check=True,
        capture_output=True, text=True,
    ).stdout  # fmt: skip
    return json.loads(out.strip().splitlines()[-1])


def test_embedded_defaults_sqlite_file_local_cache_and_a_kept_secret(tmp_path):
    first = probe(tmp_path)
    assert first["db"] == "sqlite" and first["db_name"] == str(tmp_path / "db.sqlite3")
    assert first["cache"].endswith("LocMemCache")
    assert first["debug"] is False
    key = (tmp_path / "secret_key").read_text()
    assert len(key) >= 50
    assert oct((tmp_path / "secret_key").stat().st_mode & 0o777) == "0o600"
    probe(tmp_path)
    assert (tmp_path / "secret_key").read_text() == key, "the generated key must be kept"


def redis_available() -> bool:
    import socket

    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
        return True
    except OSError:
        return False


@pytest.mark.skipif(
    not redis_available() and os.environ.get("GOVPORTAL_REQUIRE_REDIS") != "1",
    reason="no Redis on 127.0.0.1:6379 (scripts/ensure_redis.sh starts one)",
)
def test_redis_url_switches_the_cache_to_redis(tmp_path):
    result = probe(tmp_path, REDIS_URL="redis://127.0.0.1:6379/15")
    assert result["cache"].endswith("RedisCache")
    assert result["cached"] == "缓存可用"


def test_database_url_selects_postgresql(tmp_path):
    url = "postgres://postgres@127.0.0.1:5432/postgres"
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        "print(json.dumps(settings.DATABASES['default']))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "govportal.settings.dev",
           "GOVPORTAL_VAR_DIR": str(tmp_path), "DATABASE_URL": url}  # fmt: skip
    out = subprocess.run(  # noqa: S603 — fixed argv
        [sys.executable, "-c", code], cwd=settings.BASE_DIR, env=env, check=True,
        capture_output=True, text=True,
    ).stdout  # fmt: skip
    db = json.loads(out.strip().splitlines()[-1])
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["HOST"], db["PORT"], db["NAME"]) == ("127.0.0.1", 5432, "postgres")
