"""The admin is Chinese by default and English on request, for our own models too.

Admin-facing strings are English msgids translated in ``govportal/locale/zh_Hans``; the
compiled catalogue is committed, so these tests also check it is complete and not stale.
"""

import gettext
import re
import shutil
import subprocess
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from wagtail.users.models import UserProfile

import pytest

from govportal.conftest import public_get
from govportal.content.factories import ChannelPageFactory, make_site
from govportal.content.models import ChannelPage, ColumnType
from govportal.sites.models import SiteKind

LC_MESSAGES = Path(settings.LOCALE_PATHS[0]) / "zh_Hans" / "LC_MESSAGES"
PO_FILE = LC_MESSAGES / "django.po"
MO_FILE = LC_MESSAGES / "django.mo"


# -- the catalogue -----------------------------------------------------------------------------


def po_entries(text: str) -> list[dict]:
    """A minimal .po reader: each entry's flags and fields (``msgid``, ``msgstr[0]`` …)."""
    entries = []
    for block in re.split(r"\n\s*\n", text.strip()):
        entry: dict = {"flags": set(), "obsolete": False, "fields": {}}
        field = None
        for line in block.splitlines():
            if line.startswith("#~"):
                entry["obsolete"] = True
            elif line.startswith("#,"):
                entry["flags"].update(flag.strip() for flag in line[2:].split(","))
            elif line.startswith("#"):
                continue
            elif match := re.match(
                r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) "(.*)"$', line
            ):
                field = match.group(1)
                entry["fields"][field] = match.group(2)
            elif field and line.startswith('"') and line.endswith('"'):
                entry["fields"][field] += line[1:-1]
        entries.append(entry)
    return entries


def test_catalogue_has_no_untranslated_fuzzy_or_obsolete_entries():
    entries = po_entries(PO_FILE.read_text(encoding="utf-8"))
    messages = [e for e in entries if e["fields"].get("msgid") or e["obsolete"]]
    assert len(messages) > 100
    for entry in entries:
        assert "fuzzy" not in entry["flags"], entry
        assert not entry["obsolete"], entry
    for entry in messages:
        translations = [v for k, v in entry["fields"].items() if k.startswith("msgstr")]
        assert translations and all(translations), f"untranslated: {entry['fields']['msgid']}"


def test_compiled_catalogue_matches_the_po_file(tmp_path):
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("gettext's msgfmt is not installed")
    fresh = tmp_path / "django.mo"
    subprocess.run([msgfmt, "--check", "-o", str(fresh), str(PO_FILE)], check=True)  # noqa: S603
    with fresh.open("rb") as a, MO_FILE.open("rb") as b:
        expected, committed = gettext.GNUTranslations(a), gettext.GNUTranslations(b)
    assert committed._catalog == expected._catalog, "run `make messages` and commit django.mo"


# -- models ------------------------------------------------------------------------------------


def test_model_labels_follow_the_active_language():
    meta = ChannelPage._meta
    with translation.override("en"):
        assert str(meta.verbose_name) == "Channel"
        assert str(meta.get_field("column_type").verbose_name) == "Column type"
        assert ColumnType.NEWS.label == "News"
        assert SiteKind.DISTRICT.label == "District site"
    with translation.override("zh-hans"):
        assert str(meta.verbose_name) == "栏目"
        assert str(meta.get_field("column_type").verbose_name) == "栏目类型"
        assert ColumnType.NEWS.label == "要闻动态"
        assert ColumnType.TOPIC.label == "专题专栏"
        assert SiteKind.DISTRICT.label == "区县网站"


def test_password_rule_message_follows_the_active_language():
    for language, expected in [("en", "at least 3 of these kinds"), ("zh-hans", "至少 3 类")]:
        with translation.override(language), pytest.raises(ValidationError) as error:
            validate_password("abcdefghij12")
        assert any(expected in message for message in error.value.messages)


# -- the admin ---------------------------------------------------------------------------------


@pytest.fixture
def admin_client(client, django_user_model, db):
    user = django_user_model.objects.create_superuser(
        "translator", "translator@example.gov.cn", "Trans!lator-2026"
    )
    client.force_login(user)

    def speak(language: str):
        profile = UserProfile.get_for_user(user)
        profile.preferred_language = language
        profile.save()
        return client

    return speak


@pytest.fixture
def home(db):
    _site, home, _profile = make_site(hostname="i18n.example.test", title="Shili")
    return home


def test_page_type_chooser_speaks_the_users_language(admin_client, home):
    url = reverse("wagtailadmin_pages:add_subpage", args=[home.pk])

    html = admin_client("en").get(url).content.decode()
    assert "Channel" in html and "External link channel" in html
    assert "栏目" not in html

    html = admin_client("zh-hans").get(url).content.decode()
    assert "栏目" in html and "外链栏目" in html
    assert "External link channel" not in html


def test_page_editor_speaks_the_users_language(admin_client, home):
    channel = ChannelPageFactory(
        parent=home, title="tongzhi", slug="tongzhi", description="-", keywords="-"
    )
    url = reverse("wagtailadmin_pages:edit", args=[channel.pk])

    html = admin_client("en").get(url).content.decode()
    for text in ["Column type", "News", "Separated by commas", "Listing", "Show on the home page"]:
        assert text in html, text
    for text in ["栏目类型", "要闻动态", "以逗号分隔"]:
        assert text not in html, text

    html = admin_client("zh-hans").get(url).content.decode()
    for text in ["栏目类型", "要闻动态", "以逗号分隔", "列表", "在首页显示"]:
        assert text in html, text


def test_dashboard_warning_panel_speaks_the_users_language(admin_client, db):
    make_site(hostname="c.example.test", title="Bing", site_id_code="1399000003", icp_number="")

    html = admin_client("en").get("/admin/").content.decode()
    assert "Incomplete site profiles" in html
    assert ": missing ICP filing number" in html
    assert "网站信息不完整" not in html

    html = admin_client("zh-hans").get("/admin/").content.decode()
    assert "网站信息不完整" in html and "：缺少 ICP备案号" in html


def test_public_site_stays_chinese_whatever_the_browser_asks(admin_client, home):
    admin_client("en")  # an English-speaking editor must not change what visitors see
    channel = ChannelPageFactory(parent=home, slug="notices", column_type=ColumnType.NOTICE)
    html = public_get(admin_client("en"), channel, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<meta name="ColumnType" content="通知公告">' in html


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("zh-hans", ["账号已临时锁定", "（约 0:30:00 后自动解除）。", 'lang="en">Too many failed']),
        ("en", ["Account temporarily locked", "(lifted automatically in about 0:30:00)."]),
    ],
)
def test_lockout_page_is_translated(rf, db, language, expected):
    request = rf.get("/admin/login/")
    request.user = AnonymousUser()
    with translation.override(language):
        html = render_to_string("accounts/lockout.html", {"cooloff_time": "0:30:00"}, request)
    for text in expected:
        assert text in html, text
