"""Security controls an operator relies on: passwords, lockout, uploads, XSS, settings."""

import io
import json
import os
import secrets
import string
import subprocess
import sys

from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.test.utils.form_data import rich_text

import pytest
from axes.models import AccessAttempt
from bs4 import BeautifulSoup

from govportal.conftest import PASSWORD, add_article_url, article_form_data, make_user, public_get
from govportal.content.models import ArticlePage
from govportal.privacy.keys import generate_key

CLASS_RULE = "密码须包含大写字母、小写字母、数字、符号中的至少 3 类。"


# -- passwords ------------------------------------------------------------------------------


def password_errors(password: str, user=None) -> list[str]:
    with translation.override("zh-hans"):
        try:
            validate_password(password, user=user)
        except ValidationError as error:
            return list(error.messages)
    return []


@pytest.mark.parametrize(
    ("password", "expected"),
    [
        ("abcdefghij", CLASS_RULE),  # one character class only
        ("abcdefghij12", CLASS_RULE),  # two classes
        ("Ab1!xyz", "密码长度太短。密码必须包含至少 10 个字符。"),
        ("1234567890", "密码只包含数字。"),
        ("Password123", "这个密码太常见了。"),
    ],
)
def test_weak_passwords_are_rejected_in_chinese(db, password, expected):
    assert expected in password_errors(password)


def test_length_rule_still_speaks_english_to_english_users(db):
    with translation.override("en"), pytest.raises(ValidationError) as error:
        validate_password("Ab1!xyz")
    assert "This password is too short. It must contain at least 10 characters." in (
        error.value.messages
    )


@pytest.mark.parametrize("password", ["Gov!portal-2026x", "Shili2026zhengwu", "x9#kq2mz!pt7"])
def test_strong_passwords_are_accepted(db, password):
    assert password_errors(password) == []


def test_password_like_the_username_is_rejected(db):
    user = get_user_model()(username="zhangwei2026", email="zhangwei2026@example.gov.cn")
    assert "密码跟 用户名 太相似了。" in password_errors("Zhangwei2026", user=user)


def test_admin_user_form_applies_password_rules(client, db, superuser):
    client.force_login(superuser)
    url = reverse("wagtailusers_users:add")
    data = {
        "username": "newclerk",
        "email": "newclerk@example.gov.cn",
        "first_name": "新",
        "last_name": "职员",
        "password1": "abcdefghij",
        "password2": "abcdefghij",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert CLASS_RULE in response.content.decode()
    assert not get_user_model().objects.filter(username="newclerk").exists()

    data["password1"] = data["password2"] = "Xin!zhiyuan2026"
    assert client.post(url, data).status_code == 302
    assert get_user_model().objects.get(username="newclerk").check_password("Xin!zhiyuan2026")


# -- failed-login lockout (django-axes) --------------------------------------------------------

LOGIN_URL = "/admin/login/"


def admin_login(client, username, password):
    return client.post(LOGIN_URL, {"username": username, "password": password, "next": "/admin/"})


def is_logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_five_failures_lock_the_account(client, db):
    make_user("clerk", is_staff=True, is_superuser=True)
    make_user("colleague", is_staff=True, is_superuser=True)
    assert django_settings.AXES_FAILURE_LIMIT == 5

    for attempt in range(4):
        response = admin_login(client, "clerk", f"wrong-{attempt}")
        assert response.status_code == 200  # the login form again, with an error
        assert "账号已临时锁定" not in response.content.decode()

    locked = admin_login(client, "clerk", "wrong-5")
    assert "账号已临时锁定" in locked.content.decode()

    assert locked.status_code == 429

    # Now even the right password is refused, with the lockout page.
    response = admin_login(client, "clerk", PASSWORD)
    assert response.status_code == 429
    assert "账号已临时锁定" in response.content.decode()
    assert not is_logged_in(client)
    assert AccessAttempt.objects.filter(username="clerk").exists()

    # Another account from the same address is not affected.
    response = admin_login(client, "colleague", PASSWORD)
    assert response.status_code == 302
    assert is_logged_in(client)


def test_successful_login_below_the_limit_resets_failures(client, db):
    make_user("clerk", is_staff=True, is_superuser=True)
    for attempt in range(4):
        admin_login(client, "clerk", f"wrong-{attempt}")
    assert admin_login(client, "clerk", PASSWORD).status_code == 302
    client.logout()
    # The counter started again: four more failures do not lock the account.
    for attempt in range(4):
        admin_login(client, "clerk", f"again-{attempt}")
    assert admin_login(client, "clerk", PASSWORD).status_code == 302


# -- uploads ------------------------------------------------------------------------------------


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(root) -> list[str]:
    if not root.exists():
        return []
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def png_bytes(size=(400, 400)) -> bytes:
    from PIL import Image

    image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def test_document_with_forbidden_extension_is_rejected(client, site_group, media_root):
    a = site_group.a
    Document = get_document_model()
    client.force_login(a.editor)
    url = reverse("wagtaildocs:add")

    response = client.post(
        url,
        {
            "title": "安装程序",
            "collection": a.roles.collection.pk,
            "file": SimpleUploadedFile("setup.exe", b"MZ\x90\x00" + b"\x00" * 512),
        },
    )
    assert response.status_code == 200
    assert "文件扩展“exe”是不被允许" in " ".join(response.context["form"].errors["file"])
    assert "文件扩展“exe”是不被允许" in response.content.decode()  # shown to the editor
    assert not Document.objects.filter(title="安装程序").exists()
    assert stored_files(media_root) == []

    # Control: an allowed type goes into the site's collection.
    response = client.post(
        url,
        {
            "title": "工作方案",
            "collection": a.roles.collection.pk,
            "file": SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n%%EOF\n"),
        },
    )
    assert response.status_code == 302
    document = Document.objects.get(title="工作方案")
    assert document.collection == a.roles.collection
    assert len(stored_files(media_root)) == 1


def test_oversized_image_is_rejected(client, site_group, media_root, settings):
    a = site_group.a
    Image = get_image_model()
    data = png_bytes()
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = len(data) - 1
    client.force_login(a.editor)

    response = client.post(
        reverse("wagtailimages:add"),
        {
            "title": "超大图片",
            "collection": a.roles.collection.pk,
            "file": SimpleUploadedFile("big.png", data, content_type="image/png"),
        },
    )
    assert response.status_code == 200
    assert "文件过大" in " ".join(response.context["form"].errors["file"])
    assert not Image.objects.filter(title="超大图片").exists()
    assert stored_files(media_root) == []

    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = len(data)
    response = client.post(
        reverse("wagtailimages:add"),
        {
            "title": "合适的图片",
            "collection": a.roles.collection.pk,
            "file": SimpleUploadedFile("ok.png", data, content_type="image/png"),
        },
    )
    assert response.status_code == 302
    assert Image.objects.filter(title="合适的图片").exists()


def test_executable_disguised_as_image_is_rejected(client, site_group, media_root):
    a = site_group.a
    client.force_login(a.editor)
    response = client.post(
        reverse("wagtailimages:add"),
        {
            "title": "伪装的图片",
            "collection": a.roles.collection.pk,
            "file": SimpleUploadedFile("photo.png", b"MZ\x90\x00" + b"\x00" * 512),
        },
    )
    assert response.status_code == 200
    assert "请上传一张有效的图片" in " ".join(response.context["form"].errors["file"])
    assert not get_image_model().objects.filter(title="伪装的图片").exists()
    assert stored_files(media_root) == []


# -- rich text ----------------------------------------------------------------------------------


def contentstate(text: str, url: str) -> str:
    """What a crafted request (not Draftail) could post: markup in text and a hostile link."""
    return json.dumps(
        {
            "blocks": [
                {
                    "key": "aaaaa",
                    "type": "unstyled",
                    "depth": 0,
                    "text": text,
                    "inlineStyleRanges": [],
                    "entityRanges": [{"offset": 0, "length": 4, "key": 0}],
                    "data": {"onclick": "alert(3)"},
                }
            ],
            "entityMap": {
                "0": {"type": "LINK", "mutability": "MUTABLE", "data": {"url": url}},
            },
        }
    )


def test_rich_text_is_sanitised_when_published(client, site_group):
    a = site_group.a
    client.force_login(a.admin)
    url = add_article_url(a.news)
    body = [
        (
            "paragraph",
            rich_text(
                '<p onclick="alert(1)">安全提示正文<script>alert(1)</script>'
                '<a href="https://www.gov.cn/" onclick="alert(2)">中国政府网</a></p>'
            ),
        ),
        (
            "paragraph",
            contentstate(
                '点击这里<script>alert(4)</script><img src=x onerror="alert(5)">',
                'javascript:alert(6)" onclick="alert(7)',
            ),
        ),
    ]
    data = article_form_data(
        client, url, title="富文本过滤测试", slug="xss", body=body, action="action-publish"
    )
    assert client.post(url, data).status_code == 302
    page = ArticlePage.objects.get(slug="xss")
    assert page.live

    html = public_get(client, page).content.decode()
    assert "安全提示正文" in html
    assert '<a href="https://www.gov.cn/">中国政府网</a>' in html
    assert "点击这里" in html
    # Markup typed as text is shown as text, never executed.
    assert "&lt;script&gt;alert(4)&lt;/script&gt;" in html

    soup = BeautifulSoup(html, "html.parser")
    for script in soup.find_all("script"):
        assert script.get("src"), f"inline script in the page: {script}"
        assert "alert" not in script.get_text()
    for tag in soup.find_all(True):
        handlers = [name for name in tag.attrs if name.lower().startswith("on")]
        assert not handlers, f"event handler attribute on {tag.name}: {handlers}"
        for name in ("href", "src"):
            value = str(tag.get(name, "")).strip().lower()
            assert not value.startswith("javascript:"), tag
    assert "alert(3)" not in html  # block data is never rendered


# -- settings -----------------------------------------------------------------------------------


def run_python(code: str, tmp_path, **env_overrides) -> subprocess.CompletedProcess:
    """Run Python in a fresh process with a controlled environment (no secrets inherited)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_DEBUG", "DATABASE_URL"}
        and not key.startswith(("DJANGO_", "SECURE_"))
    }
    env["GOVPORTAL_VAR_DIR"] = str(tmp_path / "var")
    env.update(env_overrides)
    return subprocess.run(  # noqa: S603 — fixed interpreter and arguments
        [sys.executable, "-c", code],
        cwd=django_settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def strong_key() -> str:
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    return "".join(secrets.choice(alphabet) for _ in range(64))


CHECK_DEPLOY = (
    "import sys; from django.core.management import execute_from_command_line; "
    "execute_from_command_line(['manage.py', 'check', '--deploy', '--fail-level', 'WARNING'])"
)


def test_production_refuses_to_start_without_secret_key(tmp_path):
    result = run_python(
        "import govportal.settings.production", tmp_path, ALLOWED_HOSTS="www.example.gov.cn"
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr

    result = run_python("import govportal.settings.production", tmp_path, SECRET_KEY=strong_key())
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_production_passes_deploy_checks(tmp_path):
    result = run_python(
        CHECK_DEPLOY,
        tmp_path,
        DJANGO_SETTINGS_MODULE="govportal.settings.production",
        SECRET_KEY=strong_key(),
        ALLOWED_HOSTS="www.example.gov.cn",
        GOVPORTAL_FIELD_KEYS=generate_key(),
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_deploy_check_catches_weak_key(tmp_path):
    result = run_python(
        CHECK_DEPLOY,
        tmp_path,
        DJANGO_SETTINGS_MODULE="govportal.settings.production",
        SECRET_KEY="changeme" * 8,
        ALLOWED_HOSTS="www.example.gov.cn",
        GOVPORTAL_FIELD_KEYS=generate_key(),
    )
    assert result.returncode != 0
    assert "govportal.E001" in result.stderr


def test_embedded_settings_keep_debug_off(tmp_path):
    code = (
        "import importlib, os, govportal.settings.dev as dev; "
        "key = dev.VAR_DIR / 'secret_key'; "
        "print(dev.DEBUG, len(dev.SECRET_KEY) >= 50, oct(key.stat().st_mode & 0o777)); "
        "os.environ['DJANGO_DEBUG'] = '1'; print(importlib.reload(dev).DEBUG)"
    )
    result = run_python(code, tmp_path)
    assert result.returncode == 0, result.stderr
    # Off by default, a generated private key file, and only DJANGO_DEBUG=1 turns it on.
    assert result.stdout.split() == ["False", "True", "0o600", "True"]


@override_settings(DEBUG=False)
def test_unknown_admin_url_gives_no_debug_page(client, db):
    response = client.get("/admin/this-does-not-exist/")
    assert response.status_code in (302, 404)
    assert "Traceback" not in response.content.decode()
