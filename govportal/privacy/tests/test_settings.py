"""Where the keys come from: generated for the embedded run, required in production."""

import io
import os
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

import pytest

from govportal.privacy.checks import check_field_keys, check_field_keys_are_secret
from govportal.privacy.keys import build_keyring, generate_key, parse_keys

CHECK_DEPLOY = (
    "from django.core.management import execute_from_command_line; "
    "execute_from_command_line(['manage.py', 'check', '--deploy', '--fail-level', 'WARNING'])"
)
PRINT_KEYS = "from govportal.settings import dev; print(','.join(dev.GOVPORTAL_FIELD_KEYS))"


def run_python(code: str, tmp_path, **env_overrides) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "GOVPORTAL_", "SECURE_"))
        and key not in {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL"}
    }
    env["GOVPORTAL_VAR_DIR"] = str(tmp_path / "var")
    env.update(env_overrides)
    return subprocess.run(  # noqa: S603 — fixed interpreter and arguments
        [sys.executable, "-c", code], cwd=settings.BASE_DIR, env=env,
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def production(**env) -> dict:
    return {
        "DJANGO_SETTINGS_MODULE": "govportal.settings.production",
        "SECRET_KEY": "k" + generate_key() + generate_key(),
        "ALLOWED_HOSTS": "www.example.gov.cn",
        **env,
    }


def test_embedded_run_generates_a_private_key_once(tmp_path):
    env = {"DJANGO_SETTINGS_MODULE": "govportal.settings.dev"}
    first = run_python(PRINT_KEYS, tmp_path, **env)
    assert first.returncode == 0, first.stderr
    key_file = tmp_path / "var" / "field_keys"
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    keys = first.stdout.strip().splitlines()[-1].split(",")
    assert len(keys) == 1 and build_keyring(tuple(keys))
    assert key_file.read_text().strip() == keys[0]
    second = run_python(PRINT_KEYS, tmp_path, **env)
    assert second.stdout.strip().splitlines()[-1] == keys[0], "the generated key must be kept"
    assert [p.name for p in key_file.parent.iterdir() if "field_keys" in p.name] == ["field_keys"]

    # A rotation in the embedded run: a new key written in front of the old one.
    new = generate_key()
    key_file.write_text(f"{new}\n{keys[0]}\n")
    third = run_python(PRINT_KEYS, tmp_path, **env)
    assert third.stdout.strip().splitlines()[-1] == f"{new},{keys[0]}"
    # The environment wins over the file.
    fourth = run_python(PRINT_KEYS, tmp_path, GOVPORTAL_FIELD_KEYS=f" {new} ", **env)
    assert fourth.stdout.strip().splitlines()[-1] == new


def test_production_refuses_to_start_without_keys(tmp_path):
    env = production()
    result = run_python("import govportal.settings.production", tmp_path, **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured: GOVPORTAL_FIELD_KEYS is not set" in result.stderr


@pytest.mark.parametrize(
    ("keys", "error"),
    [
        ("", "privacy.E001"),
        ("bm90LWEta2V5", "privacy.E002"),  # base64, but not 32 bytes
        ("not base64 at all!", "privacy.E002"),
        ("{new},{new}", "privacy.E002"),  # the same key twice
        ("dGVzdC1vbmx5LWZpZWxkLWtleS1ub3QtZm9yLXByb2Q=", "privacy.E003"),  # the test key
        ("{new},AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "privacy.E003"),  # all zeros
    ],
)
def test_checks_reject_missing_malformed_published_or_weak_keys(keys, error):
    keys = keys.format(new=generate_key())
    with override_settings(GOVPORTAL_FIELD_KEYS=parse_keys(keys)):
        found = [e.id for e in check_field_keys(None) + check_field_keys_are_secret(None)]
    assert found == [error]


def test_production_with_generated_keys_passes_deploy_checks(tmp_path):
    keys = f"{generate_key()},{generate_key()}"
    result = run_python(CHECK_DEPLOY, tmp_path, **production(GOVPORTAL_FIELD_KEYS=keys))
    assert result.returncode == 0, result.stdout + result.stderr


def test_generate_field_key_prints_a_usable_key():
    out = io.StringIO()
    call_command("generate_field_key", stdout=out)
    key = out.getvalue().strip()
    assert len(key) == 44 and build_keyring((key,))
