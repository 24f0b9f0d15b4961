"""The admin editor's rules for an interpretation's policy links and for each form.

Posted as a site admin would through Wagtail's page editor: an error is shown in Chinese,
nothing is saved, and what was typed stays in the form.
"""

import json

from django.urls import reverse

from wagtail.test.utils.form_data import rich_text

import pytest

from govportal.conftest import article_form_data, edit_url
from govportal.interpretation.factories import InterpretationPageFactory
from govportal.interpretation.models import InterpretationPage, PolicyLink


def add_url(channel) -> str:
    return reverse(
        "wagtailadmin_pages:add", args=("interpretation", "interpretationpage", channel.pk)
    )


def form_data(client, url, *, title, kind, policies=(), action=None, **fields):
    data = article_form_data(
        client,
        url,
        title=title,
        slug=fields.pop("slug", "jd-new"),
        action=action,
        kind=kind,
        **fields,
    )
    data["policy_links-TOTAL_FORMS"] = str(len(policies))
    data["policy_links-INITIAL_FORMS"] = "0"
    data["policy_links-MIN_NUM_FORMS"] = "0"
    data["policy_links-MAX_NUM_FORMS"] = "1000"
    for n, policy in enumerate(policies):
        data[f"policy_links-{n}-policy"] = str(policy.pk)
        data[f"policy_links-{n}-ORDER"] = str(n + 1)
        data[f"policy_links-{n}-id"] = ""
        data[f"policy_links-{n}-DELETE"] = ""
    return data


def shown_by_streamfield(html: str, error: str) -> bool:
    """StreamField errors reach the page as JSON for its widget (non-ASCII escaped)."""
    return json.dumps(error)[1:-1] in html


@pytest.mark.parametrize(
    ("kind", "links", "extra", "error"),
    [
        ("text", [], {}, "文字解读至少要关联一份被解读的政策文件"),
        ("graphic", [], {}, "图文解读（图解）至少要关联一份被解读的政策文件"),
        ("video", [], {"transcript": "文字稿"}, "视频解读至少要关联一份被解读的政策文件"),
        ("text", ["doc_a", "doc_a"], {}, "这份政策文件已经关联过了，请勿重复添加。"),
        ("text", ["doc_a", "other"], {}, "这是一篇解读或回应，请选择政策文件本身。"),
        ("video", ["doc_a"], {}, "视频解读必须提供文字稿（无障碍要求）。"),
        ("graphic", ["doc_a"], {}, "图文解读（图解）的正文中至少要有一张图片。"),
        ("text", ["doc_a"], {}, None),
        ("text", ["doc_a", "article_a", "doc_b"], {}, None),  # documents of another site too
        ("response", [], {}, None),  # a response may stand alone
        ("video", ["doc_a"], {"transcript": "主持人：大家好……"}, None),
    ],
)
def test_editor_checks_the_links_and_what_each_form_needs(client, world, kind, links, extra, error):
    other = InterpretationPageFactory(
        parent=world.channel_a, title="另一篇解读", policies=[world.doc_a]
    )
    targets = [other if name == "other" else getattr(world, name) for name in links]
    client.force_login(world.cats.group.a.admin)
    url = add_url(world.channel_a)
    title = "《甲区促进就业创业实施办法》政策解读"
    response = client.post(
        url, form_data(client, url, title=title, kind=kind, policies=targets, **extra)
    )
    created = InterpretationPage.objects.filter(title=title).first()
    if error is None:
        assert response.status_code == 302, response.content.decode()[:3000]
        assert created is not None and created.kind == kind
        assert [link.policy_id for link in created.policy_links.order_by("sort_order")] == [
            t.pk for t in targets
        ]
    else:
        assert response.status_code == 200
        html = response.content.decode()
        assert error in html or shown_by_streamfield(html, error)
        assert title in html  # what was typed is kept
        assert created is None


def test_an_interpretation_cannot_link_itself(client, world):
    page = InterpretationPageFactory(
        parent=world.channel_a, title="自引用解读", policies=[world.doc_a]
    )
    client.force_login(world.cats.group.a.admin)
    url = edit_url(page)
    data = form_data(
        client, url, title="自引用解读", slug=page.slug, kind="text", policies=[world.doc_a, page]
    )
    # The editor already holds the stored link as form 0: post only our two new ones.
    response = client.post(url, data)
    assert response.status_code == 200
    assert "不能关联本页自己，请选择被解读的政策文件。" in response.content.decode()
    assert list(
        PolicyLink.objects.filter(interpretation=page).values_list("policy_id", flat=True)
    ) == [world.doc_a.pk]


def test_a_video_file_must_be_a_video(client, world):
    from django.core.files.base import ContentFile

    from wagtail.documents.models import Document

    pdf = Document.objects.create(title="说明", file=ContentFile(b"%PDF-1.4", name="note.pdf"))
    client.force_login(world.cats.group.a.admin)
    url = add_url(world.channel_a)
    data = form_data(
        client, url, title="视频解读：甲区就业政策", kind="video", policies=[world.doc_a],
        transcript="文字稿", video=str(pdf.pk),
    )  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 200
    assert "视频文件须为 MP4 或 WebM 格式。" in response.content.decode()


def test_a_graphic_with_an_image_in_its_body_is_saved(client, world):
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file

    image = Image.objects.create(title="图解", file=get_test_image_file())
    client.force_login(world.cats.group.a.admin)
    url = add_url(world.channel_a)
    body = [
        ("paragraph", rich_text("<p>一图读懂。</p>")),
        ("image", {"image": image.pk, "caption": "一图读懂就业政策"}),
    ]
    data = form_data(
        client, url, title="图解：甲区就业政策", kind="graphic", policies=[world.doc_a], body=body
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert InterpretationPage.objects.get(title="图解：甲区就业政策").kind == "graphic"
