"""入库 of a document, video or image already stored on one of the editor's sites —
never another site's file."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import ModelLogEntry

import pytest

from govportal.audit.models import AuditRecord
from govportal.content.demo import _pdf
from govportal.library import services
from govportal.library.models import ItemKind, LibraryItem

URL = reverse("library:add_existing")


def document(site, name: str, content: bytes = b"", title: str = ""):
    return get_document_model().objects.create(
        title=title or name,
        file=SimpleUploadedFile(name, content or _pdf(name)),
        collection=site.roles.collection,
    )


@pytest.fixture
def files(world):
    a, b = world.a, world.b
    return {
        "a_pdf": document(a, "a-report.pdf", title="甲区年度报告"),
        "a_video": document(a, "a-clip.webm", b"\x1aE\xdf\xa3" + b"\x00" * 60),
        "a_text": document(a, "a-notes.txt", b"text"),
        "a_image": get_image_model().objects.create(
            title="甲区风光", file=get_test_image_file("a.png"), collection=a.roles.collection
        ),
        "b_pdf": document(b, "b-report.pdf", title="市政府报告"),
        "b_image": get_image_model().objects.create(
            title="市政府风光", file=get_test_image_file("b.png"), collection=b.roles.collection
        ),
    }


@pytest.mark.parametrize(
    ("key", "kind"),
    [("a_pdf", ItemKind.DOCUMENT), ("a_video", ItemKind.VIDEO), ("a_image", ItemKind.IMAGE)],
)
def test_editor_puts_an_existing_file_of_their_site_into_the_library(
    client, world, files, key, kind
):
    a = world.a
    media = files[key]
    field = "image" if kind == ItemKind.IMAGE else "document"
    client.force_login(a.editor)
    assert client.get(URL).status_code == 200
    data = {"kind": "image" if field == "image" else "document", field: media.pk, "scope": "group"}
    response = client.post(URL, {**data, "description": "说明文字"})
    assert response.status_code == 302, response.content.decode()[:2000]
    item = LibraryItem.objects.get()
    assert response["Location"] == reverse("library:detail", args=(item.pk,))
    assert (item.kind, item.title, item.source_site, item.description) == (
        kind,
        media.title,
        a.site,
        "说明文字",
    )
    assert getattr(item, field) == media  # the same file, not a copy
    assert get_document_model().objects.count() == 4
    record = AuditRecord.objects.get(action="library.add")
    assert record.user_id == a.editor.pk and record.extra["existing_file"] is True
    assert ModelLogEntry.objects.filter(action=services.ACTION_ADD).count() == 1
    # Another site places it like any upload.
    page = services.place(item, world.b.admin, world.b.notices)
    assert page.live


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"kind": "document", "document": "b_pdf"}, "document", "只能选择本站点的文档"),
        ({"kind": "image", "image": "b_image"}, "image", "只能选择本站点的图片"),
        ({"kind": "document"}, "document", "请选择文档或视频"),
        ({"kind": "image"}, "image", "请选择图片"),
        ({"kind": "document", "document": "a_text"}, None, "不支持的文件类型"),
    ],
)
def test_other_sites_files_and_bad_choices_are_refused(client, world, files, data, field, message):
    client.force_login(world.a.editor)
    post = {"scope": "group", "description": "保留的说明"}
    for name, value in data.items():
        post[name] = files[value].pk if value in files else value
    response = client.post(URL, post)
    assert response.status_code == 200
    form = response.context["form"]
    errors = form.errors.get(field, []) if field else form.non_field_errors()
    assert message in " ".join(errors)
    assert "保留的说明" in response.content.decode()  # what was typed is kept
    assert not LibraryItem.objects.exists()
    assert not AuditRecord.objects.filter(action="library.add").exists()


def test_another_sites_file_is_never_offered_nor_accepted(world, files):
    a = world.a
    assert set(services.own_documents(a.editor)) == {
        files["a_pdf"],
        files["a_video"],
        files["a_text"],
    }
    assert set(services.own_images(a.channel_editor)) == {files["a_image"]}
    with pytest.raises(services.PermissionDenied):
        services.add_existing_media(a.editor, document=files["b_pdf"])
    with pytest.raises(services.PermissionDenied):
        services.add_existing_media(a.editor, image=files["b_image"])
    assert not LibraryItem.objects.exists()


def test_a_file_already_in_the_library_is_refused(client, world, files):
    a = world.a
    services.add_existing_media(a.editor, document=files["a_pdf"])
    client.force_login(a.admin)
    response = client.post(
        URL, {"kind": "document", "document": files["a_pdf"].pk, "scope": "group"}
    )
    assert response.status_code == 200
    assert "该文件已在资源库中" in response.content.decode()
    assert LibraryItem.objects.count() == 1


def test_deleting_the_file_on_its_site_withdraws_the_item(world, files):
    item = services.add_existing_media(world.a.editor, image=files["a_image"])
    page = services.place(item, world.b.admin, world.b.notices)
    files["a_image"].delete()
    item.refresh_from_db()
    page.refresh_from_db()
    assert not item.is_active and not page.live
