"""Each shows the others on the public pages: a policy document lists its interpretations by
form and the responses to concerns; an interpretation lists its documents and the other
interpretations of them. Only live pages outside view restrictions appear."""

from django.core.files.base import ContentFile
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from wagtail.documents.models import Document
from wagtail.models import PageViewRestriction

from bs4 import BeautifulSoup

from govportal.conftest import public_get
from govportal.interpretation.factories import InterpretationPageFactory


def soup_of(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def texts(nodes) -> list[str]:
    return [n.get_text(" ", strip=True) for n in nodes]


def make(world, title, kind="text", policies=None, channel=None, **extra):
    return InterpretationPageFactory(
        parent=channel or world.channel_a,
        title=title,
        kind=kind,
        policies=[world.doc_a] if policies is None else policies,
        transcript="主持人：今天我们来解读……" if kind == "video" else "",
        **extra,
    )


def test_policy_document_lists_its_interpretations_by_form_and_the_responses(client, world):
    make(world, "《甲区促进就业创业实施办法》政策解读")
    make(world, "一图读懂甲区就业创业新政", kind="graphic")
    make(world, "视频解读：就业创业新政怎么享", kind="video")
    make(world, "关于灵活就业人员参保问题的回应", kind="response")
    make(world, "乙市解读甲区就业政策", channel=world.channel_b)  # another site's interpretation
    make(world, "尚未发布的解读", live=False)
    make(world, "解读另一份文件", policies=[world.doc_a2])

    block = soup_of(public_get(client, world.doc_a)).select_one("[data-policy-interpretations]")
    assert block is not None
    groups = {
        g["data-kind"]: texts(g.select("li a")) for g in block.select(".interp-related__group")
    }
    assert set(groups) == {"text", "graphic", "video"}
    assert sorted(groups["text"]) == [
        "文字 《甲区促进就业创业实施办法》政策解读",
        "文字 乙市解读甲区就业政策",
    ]
    assert groups["graphic"] == ["图解 一图读懂甲区就业创业新政"]
    assert groups["video"] == ["视频 视频解读：就业创业新政怎么享"]
    assert texts(block.select(".interp-related__group-title")) == [
        "文字解读",
        "图文解读（图解）",
        "视频解读",
    ]
    assert texts(block.select("[data-policy-responses] li a")) == ["关于灵活就业人员参保问题的回应"]
    html = str(block)
    assert "尚未发布的解读" not in html and "解读另一份文件" not in html
    # The other site's interpretation is linked with its own host.
    link = block.find("a", string=lambda s: s and "乙市解读" in s) or next(
        a for a in block.select("a") if "乙市解读" in a.get_text()
    )
    assert link["href"].startswith("http://beta.example.test")


def test_a_document_without_interpretations_shows_no_block(client, world):
    make(world, "尚未发布的解读", live=False)
    page = soup_of(public_get(client, world.doc_a))
    assert page.select_one("[data-policy-interpretations]") is None
    assert "政策解读" not in page.select_one("article").get_text()


def test_an_interpretation_behind_a_view_restriction_is_not_listed(client, world):
    hidden = make(world, "内部解读")
    PageViewRestriction.objects.create(
        page=hidden,
        restriction_type=PageViewRestriction.PASSWORD,
        password="x",  # noqa: S106
    )
    make(world, "公开解读")
    html = str(soup_of(public_get(client, world.doc_a)).select_one("[data-policy-interpretations]"))
    assert "公开解读" in html and "内部解读" not in html


def test_interpretation_lists_its_documents_and_the_other_interpretations(client, world):
    page = make(
        world, "《甲区促进就业创业实施办法》政策解读", policies=[world.doc_a, world.article_a]
    )
    make(world, "一图读懂甲区就业创业新政", kind="graphic")
    make(world, "营商环境措施问答", policies=[world.article_a])
    make(world, "关于灵活就业人员参保问题的回应", kind="response")
    make(world, "尚未发布的图解", kind="graphic", live=False)
    make(world, "无关的解读", policies=[world.doc_a2])

    soup = soup_of(public_get(client, page))
    lead = soup.select_one("[data-interpretation-lead]").get_text(" ", strip=True)
    assert "文字解读" in lead and "解读人/解读机构：示例市司法局" in lead
    related = soup.select_one("[data-related-policies]")
    assert related.select_one("h2").get_text(strip=True) == "相关政策文件"
    number = world.doc_a.doc_number
    assert texts(related.select("ul:first-of-type li a")) == [
        f"甲区促进就业创业实施办法 （{number}）",
        "甲区优化营商环境若干措施",
    ]
    siblings = texts(soup.select("[data-sibling-interpretations] li a"))
    assert sorted(siblings) == [
        "回应 关于灵活就业人员参保问题的回应",
        "图解 一图读懂甲区就业创业新政",
        "文字 营商环境措施问答",
    ]


def test_a_document_taken_offline_disappears_from_the_interpretation(client, world):
    page = make(world, "两份文件的解读", policies=[world.doc_a, world.doc_a2])
    world.doc_a2.unpublish()
    soup = soup_of(public_get(client, page))
    assert texts(soup.select("[data-related-policies] > ul li a")) == [
        f"甲区促进就业创业实施办法 （{world.doc_a.doc_number}）"
    ]


def test_video_interpretation_plays_the_file_and_shows_the_transcript(client, world):
    video = Document.objects.create(
        title="解读视频", file=ContentFile(b"\x00\x00\x00\x18ftypmp42", name="jiedu.mp4")
    )
    page = make(world, "视频解读：就业创业新政怎么享", kind="video", video=video)
    soup = soup_of(public_get(client, page))
    player = soup.select_one("video[controls]")
    assert player is not None
    assert player.select_one("source")["type"] == "video/mp4"
    transcript = soup.select_one(".interp-transcript")
    assert transcript.select_one("summary").get_text(strip=True) == "视频文字稿"
    assert "今天我们来解读" in transcript.get_text()

    without_file = make(world, "视频解读（待上传）", kind="video")
    soup = soup_of(public_get(client, without_file))
    assert soup.select_one("video") is None
    assert "视频暂未上传，请阅读下方文字稿。" in soup.get_text()


def test_the_block_works_for_a_plain_policy_article(world):
    make(world, "营商环境措施解读", policies=[world.article_a])
    request = RequestFactory().get("/")
    html = render_to_string(
        "interpretation/_policy_interpretations.html", {"page": world.article_a, "request": request}
    )
    assert "营商环境措施解读" in html and "政策解读" in html


def count_queries(client, page) -> int:
    public_get(client, page)  # warm the per-process caches (site roots, workdays…)
    with CaptureQueriesContext(connection) as queries:
        assert public_get(client, page).status_code == 200
    return len(queries)


def test_query_count_does_not_grow_with_the_links(client, world):
    first = make(world, "解读一", policies=[world.doc_a])
    make(world, "回应一", kind="response")
    policy_queries = count_queries(client, world.doc_a)
    interpretation_queries = count_queries(client, first)
    for n in range(4):
        make(world, f"更多解读{n}", kind=["text", "graphic", "video", "response"][n])
        make(world, f"其他文件解读{n}", policies=[world.doc_a2, world.article_a])
    first.policy_links.create(policy=world.doc_a2, sort_order=1)
    first.policy_links.create(policy=world.article_a, sort_order=2)
    assert count_queries(client, world.doc_a) == policy_queries
    assert count_queries(client, first) == interpretation_queries
