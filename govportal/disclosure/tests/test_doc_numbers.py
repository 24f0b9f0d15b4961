"""文号: the year in 〔〕, checked in the model and in the page editor with Chinese messages."""

import datetime

from django.core.exceptions import ValidationError
from django.urls import reverse

import pytest

from govportal.conftest import article_form_data
from govportal.disclosure.models import DisclosureEntryPage
from govportal.disclosure.validators import validate_doc_number


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("示政办发〔2026〕12号", None),
        ("国发〔2019〕1号", None),
        ("", None),
        ("示政办发[2026]12号", "六角括号"),
        ("示政办发（2026）12号", "六角括号"),
        ("示政办发【2026】12号", "六角括号"),
        ("示政办发2026年12号", "四位年份"),
        ("示政办发〔26〕12号", "四位数字年份"),
        ("〔2026〕12号", "发文机关代字"),
        ("示政办发〔2026〕12", "以“号”结尾"),
        ("示政办发〔2026〕012号", "不以 0 开头"),
        ("示政办发〔1900〕3号", "不合理"),
        ("示政办发〔2999〕3号", "不合理"),
    ],
)
def test_doc_number_rules(value, message):
    if message is None:
        validate_doc_number(value)
        return
    with pytest.raises(ValidationError) as caught:
        validate_doc_number(value)
    text = caught.value.messages[0]
    assert message in text
    assert "示政办发〔2026〕12号" in text or "年份" in text


def add_url(index):
    return reverse("wagtailadmin_pages:add", args=("disclosure", "disclosureentrypage", index.pk))


def entry_form(client, index, **fields):
    values = {
        "written_date": "2026-03-02",
        "publish_time": "2026-03-05 09:00",
        "category": "",
        "doc_number": "",
        **fields,
    }
    return article_form_data(
        client, add_url(index), title="关于印发示例办法的通知", slug="shili-banfa", **values
    )


def test_editor_sees_chinese_errors_and_keeps_what_was_typed(client, cats):
    client.force_login(cats.group.a.admin)
    data = entry_form(client, cats.index_a, doc_number="示政办发[2026]12号")
    response = client.post(add_url(cats.index_a), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "六角括号" in html
    assert 'value="示政办发[2026]12号"' in html
    assert "关于印发示例办法的通知" in html
    assert not DisclosureEntryPage.objects.filter(slug="shili-banfa").exists()


def test_doc_number_year_must_match_the_written_date(client, cats):
    client.force_login(cats.group.a.admin)
    data = entry_form(client, cats.index_a, doc_number="示政办发〔2025〕12号")
    response = client.post(add_url(cats.index_a), data)
    assert response.status_code == 200
    assert "文号中的年份（2025）与成文日期的年份（2026）不一致" in response.content.decode()


def test_editor_form_defaults_the_publisher_and_the_page_gets_its_number(client, cats):
    client.force_login(cats.group.a.admin)
    data = entry_form(client, cats.index_a, doc_number="示政办发〔2026〕12号")
    assert data["publisher"] == str(cats.org_a.pk)  # preselected: the site's unit
    response = client.post(add_url(cats.index_a), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = DisclosureEntryPage.objects.get(slug="shili-banfa")
    assert entry.publisher == cats.org_a
    assert entry.written_date == datetime.date(2026, 3, 2)
    assert entry.index_number == f"{cats.org_a.org_code}/2026-00001"
    # The edit form shows the number read-only and does not accept a new one.
    edit = reverse("wagtailadmin_pages:edit", args=(entry.pk,))
    page = client.get(edit).content.decode()
    assert entry.index_number in page
    data = article_form_data(client, edit, title="改名后的通知", slug="shili-banfa")
    data["index_number"] = "forged/1"
    client.post(edit, data)
    entry = DisclosureEntryPage.objects.get(pk=entry.pk)
    assert entry.index_number == f"{cats.org_a.org_code}/2026-00001"
