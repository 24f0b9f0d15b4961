"""The 政府信息公开 column's five parts: 公开指南, 公开制度, 法定主动公开内容, 公开年报,
依申请公开 — linked from the catalogue page when they exist."""

import re

from govportal.conftest import public_get
from govportal.disclosure.demo import add_guide_and_rules
from govportal.disclosure.models import ANNUAL_REPORT_CATEGORY, DisclosureCategory

SECTION_NAV = re.compile(r'<nav class="disclosure-sections".*?</nav>', re.S)


def section_links(client, page, suffix=""):
    response = public_get(client, page, suffix)
    assert response.status_code == 200
    nav = SECTION_NAV.search(response.content.decode())
    assert nav, "the catalogue shows its section navigation"
    return re.findall(r'<a class="disclosure-sections__link( is-active)?" href="([^"]+)"'
                      r'(?: aria-current="page")?>([^<]+)</a>', nav.group(0))  # fmt: skip


def labels(links):
    return [label for _, _, label in links]


def test_catalogue_alone_shows_its_own_part_as_current(client, cats):
    links = section_links(client, cats.index_a)
    assert "法定主动公开内容" in labels(links)
    assert "公开指南" not in labels(links) and "公开制度" not in labels(links)
    current = [label for active, _, label in links if active]
    assert current == ["法定主动公开内容"]


def test_guide_and_rules_pages_are_linked_once_live(client, cats):
    channel = cats.index_a.get_parent()
    add_guide_and_rules(channel, cats.index_a, cats.org_a)
    links = section_links(client, cats.index_a)
    assert labels(links)[:3] == ["公开指南", "公开制度", "法定主动公开内容"]
    guide_url = dict((label, url) for _, url, label in links)["公开指南"]
    guide = client.get(guide_url, HTTP_HOST=cats.group.a.site.hostname)
    text = guide.content.decode()
    assert "甲区人民政府政府信息公开指南" in text
    assert "20 个工作日" in text and "7 个工作日内" in text

    cats.index_a.guide_page.specific.unpublish()
    assert "公开指南" not in labels(section_links(client, cats.index_a))


def test_annual_reports_part_filters_the_catalogue(client, cats):
    DisclosureCategory.objects.get_or_create(
        code=ANNUAL_REPORT_CATEGORY, defaults={"name": "政府信息公开年报", "sort_order": 999}
    )
    links = section_links(client, cats.index_a, f"?category={ANNUAL_REPORT_CATEGORY}")
    current = [label for active, _, label in links if active]
    assert current == ["公开年报"]
