"""Extra data for the leak probe: things of site B that must never show on site A.

Built once per test module inside the module's ``site_group`` transaction (rolled back
after the module): B's image and document, a page of B locked by B's admin, a page of B
in B's review workflow, B's site-profile history, and the same kind of things on A so
that A's listings are not trivially empty.
"""

from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.log_actions import log
from wagtail.models import Page

import pytest

from govportal.content.factories import ArticlePageFactory
from govportal.organizations.factories import OrganizationFactory
from govportal.organizations.services import link_site
from govportal.sites.models import SiteProfile


@dataclass
class SiteExtras:
    image: object
    document: object
    locked: Page
    in_review: Page


def build_extras(portal) -> SiteExtras:
    short = "站点A" if portal.key == "alpha" else "站点B"
    Image, Document = get_image_model(), get_document_model()
    image = Image.objects.create(
        title=f"{short}图片",
        file=get_test_image_file(f"{portal.key}.png"),
        collection=portal.roles.collection,
    )
    image.tags.add(f"{short}标签")
    document = Document.objects.create(
        title=f"{short}文件",
        file=SimpleUploadedFile(f"{portal.key}.txt", b"text"),
        collection=portal.roles.collection,
    )
    locked = Page.objects.get(pk=portal.notice_article.pk)
    locked.locked, locked.locked_by, locked.locked_at = True, portal.admin, timezone.now()
    locked.save(update_fields=["locked", "locked_by", "locked_at"])
    draft = ArticlePageFactory(
        parent=portal.news, title=f"{short}待审文章", slug="in-review", live=False
    )
    draft.save_revision(user=portal.editor, log_action=True)
    portal.roles.workflow.start(draft, portal.editor)
    profile = SiteProfile.for_site(portal.site)
    log(instance=profile, action="wagtail.edit", user=portal.admin)
    return SiteExtras(image=image, document=document, locked=locked, in_review=draft)


@pytest.fixture(scope="module")
def _extras_for_module(_site_group_for_module, django_db_blocker):
    group = _site_group_for_module
    with django_db_blocker.unblock():
        root = OrganizationFactory(name="甲区人民政府")
        link_site(group.a.site, root)
        OrganizationFactory(name="甲区教育局", parent=root)
        other = OrganizationFactory(name="乙区人民政府")
        link_site(group.b.site, other)
        yield {"a": build_extras(group.a), "b": build_extras(group.b)}


@pytest.fixture
def extras(site_group, _extras_for_module):
    return _extras_for_module
