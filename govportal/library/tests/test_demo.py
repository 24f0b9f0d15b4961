"""The demo shows every part of the library: reuse across sites, files, inbox, withdrawal."""

import io
from urllib.parse import urlsplit

from django.core.management import call_command

import pytest

from govportal.conftest import public_get
from govportal.library.demo import build_demo_library
from govportal.library.models import ItemStatus, LibraryItem, LibraryPush, LibraryReferencePage


@pytest.fixture
def demo(db):
    out = io.StringIO()
    call_command("load_demo_data", articles=60, stdout=out)
    return out.getvalue()


def test_demo_library(demo, client):
    assert "资源库:" in demo
    kinds = set(LibraryItem.objects.values_list("kind", flat=True))
    assert kinds == {"article", "document", "image", "video"}
    statuses = set(LibraryPush.objects.values_list("status", flat=True))
    assert {"pending", "placed", "declined"} <= statuses
    assert LibraryItem.objects.filter(status=ItemStatus.WITHDRAWN).count() == 1
    for item in LibraryItem.objects.filter(status=ItemStatus.ACTIVE):
        live = LibraryReferencePage.objects.live().filter(item=item)
        if not item.pushes.filter(status="pending").exists():
            assert live.count() >= 1, item.title
        for page in live:
            # Demo sites differ by port only; Wagtail reads the port from SERVER_PORT.
            port = urlsplit(page.get_url()).port or 80
            response = public_get(client, page, SERVER_PORT=str(port))
            assert response.status_code == 200, (item.title, page.url_path)
            assert item.source_name in response.content.decode()
    withdrawn = LibraryItem.objects.get(status=ItemStatus.WITHDRAWN)
    assert not LibraryReferencePage.objects.live().filter(item=withdrawn).exists()
    before = LibraryItem.objects.count()
    build_demo_library()  # idempotent
    assert LibraryItem.objects.count() == before
