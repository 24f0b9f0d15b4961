"""统一身份认证 against a real OpenID Connect provider run locally (django-oauth-toolkit).

The provider (``oidc_provider/``) runs in a subprocess on a free port with its own SQLite
file and a fresh RS256 key; our site runs under pytest-django's ``live_server``. The flow is
driven like a browser with ``requests``: our authenticate view → the provider's authorize
endpoint → its login form → back to our callback (which fetches discovery, token, JWKS and
userinfo from the provider) → signed in.
"""

import html
import json
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings as django_settings

import pytest
import requests

from govportal.audit.models import AuditRecord, Outcome
from govportal.citizens import services
from govportal.citizens.models import CitizenProfile
from govportal.conftest import make_user

CLIENT_ID = "govportal-test-client"
CLIENT_SECRET = "test-only-client-secret-0123456789"  # noqa: S105
PROVIDER_PASSWORD = "Provider#Pass2026"  # noqa: S105
CLAIMS = {
    "alice": {
        "email": "Alice@Example.org",
        "email_verified": True,
        "phone_number": "+86 137 2222 3333",
        "phone_number_verified": True,
        "name": "李爱丽",
    },
    "bob": {"email": "staffer@example.gov.cn", "email_verified": True, "name": "某工作人员"},
    "carol": {"email": "carol@example.org", "email_verified": True, "name": "陈卡罗"},
    "dave": {"email": "carol@example.org", "email_verified": False},
}
BASE_DIR = Path(django_settings.BASE_DIR)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def provider(live_server, tmp_path_factory):
    """The provider's base URL; its issuer is ``<base>/o``."""
    workdir = tmp_path_factory.mktemp("oidc-provider")
    port = free_port()
    env = {
        **os.environ,
        "OIDC_PROVIDER_DB": str(workdir / "provider.sqlite3"),
        "OIDC_PROVIDER_PORT": str(port),
        "OIDC_PROVIDER_CLIENT": json.dumps(
            {
                "client_id": CLIENT_ID,
                "client_secret": CLIENT_SECRET,
                "redirect_uri": f"{live_server.url}/account/oidc/callback/",
            }
        ),
        "OIDC_PROVIDER_USERS": json.dumps(
            [{"username": name, "password": PROVIDER_PASSWORD} for name in CLAIMS]
        ),
        "OIDC_PROVIDER_CLAIMS": json.dumps(CLAIMS),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    log = (workdir / "provider.log").open("w")
    process = subprocess.Popen(  # noqa: S603 — our own test provider
        [sys.executable, "-m", "govportal.citizens.tests.oidc_provider.serve"],
        cwd=BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    try:
        while True:
            if process.poll() is not None:
                raise RuntimeError(
                    "the test OIDC provider exited:\n" + (workdir / "provider.log").read_text()
                )
            try:
                if requests.get(f"{base}/o/.well-known/openid-configuration", timeout=2).ok:
                    break
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the test OIDC provider did not start within 60 s")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture
def oidc(settings, provider):
    settings.GOVPORTAL_OIDC = {
        "ISSUER": f"{provider}/o",
        "CLIENT_ID": CLIENT_ID,
        "CLIENT_SECRET": CLIENT_SECRET,
        "SCOPES": "openid profile email phone",
        "SIGN_ALGO": "RS256",
        "BUTTON_LABEL": "省统一身份认证平台登录",
        "USE_PKCE": True,
        "TIMEOUT": 10,
    }
    return provider


def sign_in(live_server, provider, username, next_path="/account/profile/"):
    """A fresh browser: our button → provider login form → back to us. Returns the last response."""
    browser = requests.Session()
    start = browser.get(
        f"{live_server.url}/account/oidc/authenticate/?next={next_path}", allow_redirects=False
    )
    assert start.status_code == 302, start.text
    assert start.headers["Location"].startswith(f"{provider}/o/authorize/")
    form = browser.get(start.headers["Location"])
    assert "测试统一身份认证平台" in form.text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    next_value = html.unescape(re.search(r'name="next" value="([^"]*)"', form.text).group(1))
    return browser.post(
        form.url,
        data={
            "csrfmiddlewaretoken": token,
            "username": username,
            "password": PROVIDER_PASSWORD,
            "next": next_value,
        },
        headers={"Referer": form.url},
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_button_shows_the_configured_label(client, oidc):
    response = client.get("/account/login/")
    assert "省统一身份认证平台登录" in response.content.decode()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_first_sign_in_creates_a_citizen_and_the_next_finds_it(live_server, oidc):
    response = sign_in(live_server, oidc, "alice")
    assert response.status_code == 200
    assert response.url == f"{live_server.url}/account/profile/"
    assert "已关联" in response.text and "137****3333" in response.text

    profile = CitizenProfile.objects.select_related("user").get()
    user = profile.user
    assert profile.oidc_issuer == f"{oidc}/o" and profile.oidc_subject
    assert services.is_citizen(user) and user.username.startswith("c_")
    assert user.email == "alice@example.org" and services.contact_mobile(user) == "13722223333"
    assert user.display_name == "李爱丽" and not user.has_usable_password()
    created = AuditRecord.objects.get(action="citizen.oidc_login")
    assert created.extra["how"] == "created" and created.user_id == user.pk

    again = sign_in(live_server, oidc, "alice", next_path="/account/password/")
    assert again.url == f"{live_server.url}/account/password/"
    assert "设置密码" in again.text  # no password yet: this account sets one
    assert CitizenProfile.objects.count() == 1
    logins = AuditRecord.objects.filter(action="citizen.oidc_login").order_by("seq")
    assert [r.extra["how"] for r in logins] == ["created", "known"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_staff_account_matched_by_claims_is_refused(live_server, oidc):
    staff = make_user("staffer", is_staff=True)  # staffer@example.gov.cn, bob's e-mail
    response = sign_in(live_server, oidc, "bob")
    assert response.url.startswith(f"{live_server.url}/account/login/")
    assert "工作人员请从管理后台登录" in response.text
    assert not CitizenProfile.objects.exists()
    refused = AuditRecord.objects.get(action="citizen.oidc_login")
    assert refused.outcome == Outcome.DENIED and refused.user_id == staff.pk
    # Not signed in: the profile page sends us to the login page.
    assert not AuditRecord.objects.filter(action="auth.login").exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_verified_email_links_the_existing_citizen_unverified_does_not(live_server, oidc):
    citizen = services.register_citizen(
        email="carol@example.org", password="Carol#Pass2026", via="email"
    )
    sign_in(live_server, oidc, "carol")
    profile = CitizenProfile.objects.get(user=citizen)
    assert profile.oidc_subject and CitizenProfile.objects.count() == 1
    assert AuditRecord.objects.get(action="citizen.oidc_login").extra["how"] == "linked"

    # dave claims the same address without the provider having verified it: a new account,
    # which does not take the address.
    sign_in(live_server, oidc, "dave")
    assert CitizenProfile.objects.count() == 2
    dave = CitizenProfile.objects.exclude(user=citizen).get().user
    assert dave.email == ""
