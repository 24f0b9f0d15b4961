"""What each source hands the index: kind, site, channel, organisation, text, visibility."""

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction
from wagtail.rich_text import RichText

import pytest

from govportal.content.factories import ArticlePageFactory, ChannelPageFactory, article_body
from govportal.content.models import ArticlePage, ColumnType
from govportal.disclosure.factories import DisclosureEntryPageFactory, DisclosureIndexPageFactory
from govportal.disclosure.models import DisclosureCategory
from govportal.disclosure.taxonomy import Genre, Openness
from govportal.interaction.factories import Staff, make_letter, make_mailbox, make_staff
from govportal.interaction.taxonomy import MailboxKind
from govportal.interpretation.factories import InterpretationPageFactory
from govportal.organizations.factories import OrganizationFactory
from govportal.organizations.models import SiteOrganization
from govportal.search import sources
from govportal.search.registry import kind_label, kinds, source_for

LOCAL = timezone.get_current_timezone()


def docs_of(page):
    return source_for(f"page:{page.pk}").documents(str(page.pk))


def only(docs):
    assert len(docs) == 1, [d.key for d in docs]
    return docs[0]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def make_document(title, filename, content: bytes, collection=None):
    Document = get_document_model()
    document = Document(title=title, collection=collection or Collection.get_first_root_node())
    document.file.save(filename, ContentFile(content), save=False)
    document.save()
    return document


def test_kinds_are_registered_in_order():
    assert [k.code for k in kinds()][:6] == [
        "news",
        "policy",
        "disclosure",
        "interpretation",
        "letter",
        "attachment",
    ]
    assert kind_label("letter") == "来信答复"
    assert kind_label("other") == "其他"


def test_article_is_news_with_site_channel_body_and_full_url(site_group):
    a = site_group.a
    page = ArticlePage.objects.get(pk=a.news_article.pk)
    doc = only(docs_of(page))
    assert doc.key == f"page:{page.pk}"
    assert doc.kind == "news"
    assert doc.title == page.title
    assert doc.site_id == a.site.pk
    assert doc.channel_id == a.news.pk
    assert doc.channel_path == a.news.path
    # Two sites: the URL leads to the article's own site from any site's results.
    assert doc.url == "http://alpha.example.test/news/news-article/"
    assert sources.display_url(doc.url, a.site) == "/news/news-article/"
    assert sources.display_url(doc.url, site_group.b.site) == doc.url
    assert doc.summary == page.summary
    assert page.keywords.split(",")[0] in doc.body
    assert doc.published_at == page.publish_time


def test_body_is_plain_text_of_paragraphs_and_tables(site_group):
    table = {
        "caption": "补贴标准表",
        "table": {"data": [["项目", "标准"], ["养老服务补贴", "每月200元"]]},
    }
    page = ArticlePageFactory(
        parent=site_group.a.news,
        title="关于养老服务补贴的通知",
        body=article_body(["<b>营商环境</b>持续优化&amp;改善"], [("table", table)]),
    )
    body = only(docs_of(page)).body
    assert "营商环境持续优化&改善" in body
    assert "<b>" not in body
    assert "补贴标准表" in body and "养老服务补贴 每月200元" in body


def test_site_owner_is_the_organisation_of_plain_articles(site_group):
    owner = OrganizationFactory(name="示例市阿尔法区人民政府")
    SiteOrganization.objects.create(site=site_group.a.site, organization=owner)
    doc = only(docs_of(ArticlePage.objects.get(pk=site_group.a.notice_article.pk)))
    assert doc.organization_id == owner.pk
    assert doc.channel_id == site_group.a.notices.pk


@pytest.mark.parametrize(
    ("column_type", "kind"),
    [
        (ColumnType.POLICY, "policy"),
        (ColumnType.INTERPRETATION, "interpretation"),
        (ColumnType.NOTICE, "news"),
    ],
)
def test_plain_article_takes_its_kind_from_the_column_type(site_group, column_type, kind):
    channel = ChannelPageFactory(
        parent=site_group.a.home, title="文件栏目", slug="files", column_type=column_type
    )
    page = ArticlePageFactory(parent=channel, title="示例市促进就业若干措施")
    assert only(docs_of(page)).kind == kind


@pytest.fixture
def catalogue(site_group):
    owner = OrganizationFactory(name="站点A人民政府办公室")
    SiteOrganization.objects.create(site=site_group.a.site, organization=owner)
    channel = ChannelPageFactory(
        parent=site_group.a.home,
        title="政府信息公开",
        slug="zwgk",
        column_type=ColumnType.DISCLOSURE,
    )
    return DisclosureIndexPageFactory(parent=channel)


def test_disclosure_entry_carries_its_catalogue_data(site_group, catalogue):
    publisher = OrganizationFactory(name="示例市财政局")
    entry = DisclosureEntryPageFactory(
        parent=catalogue,
        title="示例市2025年财政预算执行情况",
        publisher=publisher,
        genre=Genre.REPORT,
        category=DisclosureCategory.objects.exclude(code__startswith="regulations").first(),
    )
    doc = only(docs_of(entry))
    assert doc.kind == "disclosure"
    assert doc.organization_id == publisher.pk
    assert doc.channel_id == catalogue.pk
    assert f"索引号：{entry.index_number}" in doc.body
    assert "发布机构：示例市财政局" in doc.body


def test_numbered_notice_in_the_catalogue_is_a_policy(site_group, catalogue):
    entry = DisclosureEntryPageFactory(
        parent=catalogue,
        title="示例市人民政府关于优化营商环境的通知",
        genre=Genre.NOTICE,
        doc_number=f"示政发〔{timezone.localdate().year}〕3号",
        written_date=timezone.localdate().replace(month=1, day=5),
    )
    doc = only(docs_of(entry))
    assert doc.kind == "policy"
    assert "示政发" in doc.body


def test_undisclosed_entry_is_not_found(site_group, catalogue):
    entry = DisclosureEntryPageFactory(parent=catalogue, openness=Openness.NOT_DISCLOSED)
    assert docs_of(entry) == []


def test_interpretation_is_its_own_kind(site_group):
    page = InterpretationPageFactory(
        parent=site_group.a.news,
        policies=[site_group.a.news_article],
        interpreter="示例市司法局",
    )
    doc = only(docs_of(page))
    assert doc.kind == "interpretation"
    assert "解读机构：示例市司法局" in doc.body


def test_restricted_unpublished_and_expired_pages_yield_nothing(site_group):
    a = site_group.a
    page = ArticlePageFactory(parent=a.notices, title="内部通知")
    assert docs_of(page)
    PageViewRestriction.objects.create(page=a.notices, restriction_type="login")
    assert docs_of(page) == []
    assert docs_of(ArticlePage.objects.get(pk=a.notice_article.pk)) == []
    assert docs_of(ArticlePage.objects.get(pk=a.news_article.pk))  # another channel

    other = ArticlePageFactory(parent=a.news, title="已过期的公告")
    other.expire_at = timezone.now() - datetime.timedelta(minutes=1)
    other.save()
    assert docs_of(other) == []
    draft = ArticlePageFactory(parent=a.news, title="草稿", live=False)
    assert docs_of(draft) == []
    assert source_for("page:0").documents("999999") == []


def test_channels_are_not_documents(site_group):
    assert docs_of(site_group.a.news) == []


def test_attachments_yield_one_entry_each_with_their_text(site_group, media):
    a = site_group.a
    txt = make_document("营商环境评价报告", "report.txt", "附件正文：优化营商环境十条措施".encode())
    linked = make_document(
        "链接的附件", "linked.txt", "链接附件里的依申请公开说明".encode("gb18030")
    )
    body = article_body(
        [f'请见<a linktype="document" id="{linked.pk}">说明</a>。'],
        [("attachment", {"document": txt, "title": "评价报告全文"})],
    )
    page = ArticlePageFactory(parent=a.news, title="关于营商环境评价的通知", body=body)
    docs = {d.key: d for d in docs_of(page)}
    assert set(docs) == {
        f"page:{page.pk}",
        f"document:{txt.pk}:{page.pk}",
        f"document:{linked.pk}:{page.pk}",
    }
    attachment = docs[f"document:{txt.pk}:{page.pk}"]
    assert attachment.kind == "attachment"
    assert attachment.title == "营商环境评价报告"
    assert "优化营商环境十条措施" in attachment.body
    assert "评价报告全文" in attachment.body
    assert attachment.parent_key == f"page:{page.pk}"
    assert attachment.site_id == a.site.pk and attachment.channel_id == a.news.pk
    assert attachment.url.startswith("http://alpha.example.test/documents/")
    assert "依申请公开说明" in docs[f"document:{linked.pk}:{page.pk}"].body
    # The attachment source re-reads one entry by its key.
    key = f"document:{txt.pk}:{page.pk}"
    assert [d.key for d in source_for(key).documents(key.partition(":")[2])] == [key]


def test_documents_in_a_private_collection_are_not_indexed(site_group, media):
    private = Collection.get_first_root_node().add_child(name="内部资料")
    CollectionViewRestriction.objects.create(collection=private, restriction_type="login")
    secret = make_document("内部资料", "secret.txt", "内部".encode(), collection=private)
    body = article_body(["正文"], [("attachment", {"document": secret, "title": ""})])
    page = ArticlePageFactory(parent=site_group.a.news, body=body)
    assert [d.key for d in docs_of(page)] == [f"page:{page.pk}"]


def test_library_reference_is_news_with_its_source_noted(site_group, superuser):
    from govportal.library import services

    article = ArticlePage.objects.get(pk=site_group.a.news_article.pk)
    item = services.add_article(article, superuser)
    reference = services.place(item, superuser, site_group.b.news)
    doc = only(docs_of(reference))
    assert doc.kind == "news"
    assert doc.site_id == site_group.b.site.pk
    assert doc.url.startswith("http://beta.example.test/news/")
    assert doc.extra["source"] == item.source_name
    assert f"来源：{item.source_name}" in doc.body
    assert doc.boost < 1
    assert article.summary in doc.summary


def test_survey_interview_and_mailbox_are_other(site_group):
    from govportal.interviews.models import InterviewGuest, InterviewPage
    from govportal.surveys.models import SurveyPage, SurveyQuestion

    channel = site_group.a.news
    opens = datetime.datetime(2026, 3, 1, 9, tzinfo=LOCAL)
    survey = SurveyPage(
        title="城市公园建设意见征集",
        slug="park-survey",
        intro=RichText("<p>欢迎对口袋公园建设提出意见</p>"),
        opens_at=opens,
        closes_at=opens + datetime.timedelta(days=30),
        questions=[SurveyQuestion(text="您最希望增加哪些设施？", question_type="text")],
    )
    channel.add_child(instance=survey)
    interview = InterviewPage(
        title="在线访谈：优化营商环境",
        slug="interview",
        topic="优化营商环境",
        intro="<p>市发展改革委主任做客访谈</p>",
        starts_at=opens,
        ends_at=opens + datetime.timedelta(hours=2),
        guests=[InterviewGuest(name="王五", title="市发展改革委主任")],
    )
    channel.add_child(instance=interview)
    mailbox = make_mailbox(channel, "市长信箱", MailboxKind.MAYOR, slug="mayor",
                           intro="<p>您可以通过市长信箱反映问题</p>")  # fmt: skip
    survey_doc = only(docs_of(survey))
    assert survey_doc.kind == "other"
    assert "口袋公园" in survey_doc.body and "您最希望增加哪些设施" in survey_doc.body
    interview_doc = only(docs_of(interview))
    assert interview_doc.kind == "other"
    assert "王五 市发展改革委主任" in interview_doc.body
    assert interview_doc.published_at == opens
    mailbox_doc = only(docs_of(mailbox))
    assert mailbox_doc.kind == "other"
    assert "反映问题" in mailbox_doc.body


@pytest.fixture
def letter_world(site_group, settings, tmp_path):
    settings.GOVPORTAL_PRIVATE_MEDIA_ROOT = tmp_path / "private"
    city = OrganizationFactory(name="站点A人民政府", kind="government")
    edu = OrganizationFactory(name="示例市教育局", parent=city)
    channel = ChannelPageFactory(
        parent=site_group.a.home, title="互动交流", slug="hdjl", column_type=ColumnType.INTERACTION
    )
    mailbox = make_mailbox(channel, "市长信箱", MailboxKind.MAYOR, slug="mayor", units=[city],
                           categories=[("教育", edu, [])])  # fmt: skip
    staff = Staff(
        make_staff("s3_dispatcher", city, "dispatch"),
        make_staff("s3_handler", edu, "handle"),
        make_staff("s3_approver", edu, "approve"),
    )
    return mailbox, staff, edu


def test_public_letter_reply_is_masked_like_the_public_page(letter_world, site_group):
    mailbox, staff, edu = letter_world
    data = {
        "title": "学校门口交通拥堵",
        "body": "每天早上学校门口很堵，我的电话13812345678，请尽快解决。",
    }
    letter = make_letter(mailbox, "answered", staff=staff, data=data, public=True)
    key = f"letter:{letter.pk}"
    doc = only(source_for(key).documents(str(letter.pk)))
    assert doc.kind == "letter"
    assert doc.title == "学校门口交通拥堵"
    assert "13812345678" not in doc.body
    assert "138****5678" in doc.body
    assert "已于近日完成维修" in doc.body  # the answer
    assert doc.organization_id == edu.pk
    assert doc.site_id == site_group.a.site.pk
    assert doc.channel_id == mailbox.pk
    assert doc.url == f"http://alpha.example.test/letters/public/{letter.pk}/"
    assert doc.published_at.date() == letter.answered_on

    not_public = make_letter(mailbox, "answered", staff=staff, data=data, public=False)
    assert source_for(key).documents(str(not_public.pk)) == []
    waiting = make_letter(mailbox, "signed", staff=staff, data=data)
    assert source_for(key).documents(str(waiting.pk)) == []


def test_all_keys_list_live_pages_and_public_letters(letter_world, site_group):
    mailbox, staff, _ = letter_world
    letter = make_letter(mailbox, "answered", staff=staff, public=True)
    page_keys = set(source_for("page:").all_keys())
    assert f"page:{site_group.a.news_article.pk}" in page_keys
    assert f"page:{site_group.a.news.pk}" not in page_keys
    assert f"letter:{letter.pk}" in set(source_for("letter:").all_keys())


def test_reading_a_page_costs_a_bounded_number_of_queries(
    site_group, django_assert_max_num_queries
):
    """A rebuild reads every page: the cost per page must not grow with the tree or group."""
    page = ArticlePage.objects.get(pk=site_group.a.news_article.pk)
    sources.site_table()
    with django_assert_max_num_queries(8):  # 6 today: page, restrictions, specific, …
        assert docs_of(page)
