"""The bulk builder of ``benchmarks/admin_scale.py`` writes a sound page tree the admin can use.

Tiny numbers (3 sites, 200 pages) keep the benchmark script from rotting; no timings here.
"""

import importlib.util
import sys
from pathlib import Path

from django.urls import reverse

from wagtail.models import GroupPagePermission, Page, Site

import pytest

from govportal.content.models import ArticlePage, PortalHomePage

SCRIPT = Path(__file__).resolve().parents[3] / "benchmarks" / "admin_scale.py"


def load_script():
    spec = importlib.util.spec_from_file_location("admin_scale", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while defining
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def built(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    script = load_script()
    pages_before = Page.objects.filter(depth__gt=1).count()
    build = script.build_site_group(
        sites=3, pages=200, images=6, documents=4, media_root=tmp_path, log=lambda m: None
    )
    return script, build, pages_before


def test_tree_is_sound_and_counts_match(built):
    script, build, pages_before = built
    assert script.check_tree() == []
    assert Page.find_problems() == ([], [], [], [], [])
    assert Page.objects.filter(depth__gt=1).count() == pages_before + 200
    assert sum(site.pages for site in build.sites) == 200
    assert Site.objects.filter(hostname__endswith=".bench.test").count() == 3
    homes = PortalHomePage.objects.filter(url_path__startswith="/bench-")
    assert homes.count() == 3
    # Every specific row matches its Page row, and the tree numbers what is there.
    big = build.big
    news = Page.objects.get(pk=big.channels["news"].pk)
    assert news.numchild == news.get_children().count() > 0
    assert ArticlePage.objects.child_of(news).count() == news.numchild
    assert GroupPagePermission.objects.filter(page=big.home).exists()


def test_explorer_shows_built_pages_to_the_site_editor(built, client):
    _script, build, _ = built
    big = build.big
    editor = big.users["editor"]
    client.force_login(editor)
    news = big.channels["news"]
    response = client.get(reverse("wagtailadmin_explore", args=(news.pk,)))
    assert response.status_code == 200
    newest = ArticlePage.objects.child_of(news).order_by("-latest_revision_created_at").first()
    assert newest.title in response.content.decode()
    response = client.get(reverse("wagtailadmin_explore", args=(big.home.pk,)))
    assert response.status_code == 200
    assert news.title in response.content.decode()
