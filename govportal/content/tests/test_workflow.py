"""Editorial review (审核) through the real Wagtail admin: submit, approve, reject, two levels.

Every step goes through the admin views an editor or reviewer would use in the browser.
"""

from django.urls import reverse

from wagtail.models import PageLogEntry, Revision, TaskState, WorkflowState

import pytest

from govportal.conftest import (
    add_article_url,
    article_form_data,
    build_portal_site,
    edit_form_data,
    edit_url,
    public_get,
)
from govportal.content.models import ArticlePage

pytestmark = pytest.mark.django_db


def submit_article(client, portal_site, *, title="关于开展安全生产检查的通知", slug="safety-check"):
    """The site's editor writes an article in the news channel and submits it for review."""
    client.force_login(portal_site.editor)
    url = add_article_url(portal_site.news)
    data = article_form_data(client, url, title=title, slug=slug, action="action-submit")
    response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context["form"].errors
    return ArticlePage.objects.child_of(portal_site.news).get(slug=slug)


def workflow_action(client, page, action, comment=""):
    task_state = page.current_workflow_task_state
    assert task_state is not None, "page is not in moderation"
    url = reverse("wagtailadmin_pages:workflow_action", args=(page.pk, action, task_state.pk))
    return client.post(url, {"comment": comment})


def reload(page):
    return ArticlePage.objects.get(pk=page.pk)


def test_editor_submission_waits_for_review(client, site_group):
    a = site_group.a
    page = submit_article(client, a)

    assert not page.live
    assert page.workflow_in_progress
    state = page.current_workflow_state
    assert state.requested_by == a.editor
    assert state.workflow == a.roles.workflow
    assert page.current_workflow_task.name == "站点ALPHA·审核"
    assert page.get_latest_revision().user == a.editor
    # The public cannot see it yet.
    assert public_get(client, page).status_code == 404


def test_reviewer_sees_submission_on_dashboard(client, site_group):
    a = site_group.a
    page = submit_article(client, a, title="待审核的要闻稿件 kiwi")
    client.force_login(a.reviewer)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    assert page.title in response.content.decode()


def test_reviewer_approval_publishes(client, site_group):
    a = site_group.a
    page = submit_article(client, a)

    client.force_login(a.reviewer)
    response = workflow_action(client, page, "approve", comment="同意发布。")
    assert response.status_code == 302

    page = reload(page)
    assert page.live
    assert not page.workflow_in_progress
    state = WorkflowState.objects.for_instance(page).get()
    assert state.status == WorkflowState.STATUS_APPROVED
    task_state = state.task_states.get()
    assert task_state.status == TaskState.STATUS_APPROVED
    assert task_state.finished_by == a.reviewer
    assert task_state.comment == "同意发布。"
    # The audit log names the reviewer as the one who published.
    publish_log = PageLogEntry.objects.filter(page=page, action="wagtail.publish").get()
    assert publish_log.user == a.reviewer

    client.logout()
    public = public_get(client, page)
    assert public.status_code == 200
    assert page.title in public.content.decode()


def test_editor_cannot_approve_own_submission(client, site_group):
    a = site_group.a
    page = submit_article(client, a)
    # The editor is logged in and tries the reviewer's action URL directly.
    response = workflow_action(client, page, "approve")
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")
    page = reload(page)
    assert not page.live
    assert page.workflow_in_progress


def test_reviewer_of_other_site_cannot_approve(client, site_group):
    page = submit_article(client, site_group.a)
    client.force_login(site_group.b.reviewer)
    workflow_action(client, page, "approve")
    page = reload(page)
    assert not page.live
    assert page.workflow_in_progress


def test_rejection_with_comment_goes_back_to_editor(client, site_group):
    a = site_group.a
    page = submit_article(client, a)

    client.force_login(a.reviewer)
    response = workflow_action(client, page, "reject", comment="请补充实施日期和联系方式。")
    assert response.status_code == 302

    page = reload(page)
    assert not page.live
    state = WorkflowState.objects.for_instance(page).get()
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    task_state = state.task_states.get()
    assert task_state.status == TaskState.STATUS_REJECTED
    assert task_state.comment == "请补充实施日期和联系方式。"
    assert task_state.finished_by == a.reviewer
    assert public_get(client, page).status_code == 404

    # The editor opens the article and sees that changes were requested, and why.
    client.force_login(a.editor)
    html = client.get(edit_url(page)).content.decode()
    assert "已拒绝" in html  # "Rejected"
    assert "请求变更" in html  # "Changes requested by alpha_reviewer"
    assert "请补充实施日期和联系方式。" in html


def test_resubmitted_article_can_then_be_approved(client, site_group):
    a = site_group.a
    page = submit_article(client, a, title="初稿标题", slug="draft-title")
    client.force_login(a.reviewer)
    workflow_action(client, reload(page), "reject", comment="标题不准确")

    client.force_login(a.editor)
    url = edit_url(page)
    data = article_form_data(client, url, title="修改后的标题", slug="draft-title")
    data["action-submit"] = "1"
    assert client.post(url, data).status_code == 302
    page = reload(page)
    assert page.workflow_in_progress
    assert not page.live

    client.force_login(a.reviewer)
    workflow_action(client, page, "approve")
    page = reload(page)
    assert page.live
    assert page.title == "修改后的标题"


def test_two_level_review_needs_final_approval(client, db):
    city = build_portal_site("gamma", two_level=True, site_id_code="1399000103")
    page = submit_article(client, city)
    assert page.current_workflow_task.name == "站点GAMMA·初审"

    client.force_login(city.reviewer)
    workflow_action(client, page, "approve", comment="初审通过")
    page = reload(page)
    assert not page.live, "one approval must not publish on a two-level site"
    assert page.workflow_in_progress
    assert page.current_workflow_task.name == "站点GAMMA·终审"

    # The first-level reviewer cannot take the final decision as well.
    workflow_action(client, page, "approve")
    page = reload(page)
    assert not page.live

    client.force_login(city.final_reviewer)
    workflow_action(client, page, "approve", comment="终审同意")
    page = reload(page)
    assert page.live
    assert not page.workflow_in_progress
    assert public_get(client, page).status_code == 200
    comments = list(
        TaskState.objects.filter(workflow_state__object_id=str(page.pk))
        .order_by("started_at", "id")
        .values_list("comment", flat=True)
    )
    assert comments == ["初审通过", "终审同意"]


def test_editor_publish_button_only_saves_a_draft(client, site_group):
    a = site_group.a
    client.force_login(a.editor)
    url = add_article_url(a.news)
    data = article_form_data(
        client, url, title="编辑直接发布的尝试", slug="direct", action="action-publish"
    )
    assert client.post(url, data).status_code == 302
    page = ArticlePage.objects.child_of(a.news).get(slug="direct")
    assert not page.live
    assert public_get(client, page).status_code == 404


def test_editor_cannot_publish_changes_to_live_article(client, site_group):
    a = site_group.a
    article = a.news_article
    original_title = article.title
    client.force_login(a.editor)
    url = edit_url(article)
    data = article_form_data(
        client, url, title="未经审核的新标题", slug=article.slug, action="action-publish"
    )
    assert client.post(url, data).status_code == 302

    article = reload(article)
    assert article.live
    assert article.title == original_title
    assert article.has_unpublished_changes
    assert article.get_latest_revision().as_object().title == "未经审核的新标题"
    public = public_get(client, article)
    assert original_title in public.content.decode()
    assert "未经审核的新标题" not in public.content.decode()


def test_site_admin_publishes_directly(client, site_group):
    a = site_group.a
    client.force_login(a.admin)
    url = add_article_url(a.notices)
    data = article_form_data(
        client, url, title="站点管理员发布的公告", slug="admin-notice", action="action-publish"
    )
    assert client.post(url, data).status_code == 302
    page = ArticlePage.objects.child_of(a.notices).get(slug="admin-notice")
    assert page.live
    assert public_get(client, page).status_code == 200


def test_revisions_compare_and_revert(client, site_group):
    a = site_group.a
    client.force_login(a.editor)
    add = add_article_url(a.news)
    client.post(add, article_form_data(client, add, title="第一版标题", slug="history"))
    page = ArticlePage.objects.child_of(a.news).get(slug="history")
    url = edit_url(page)
    client.post(url, article_form_data(client, url, title="第二版标题", slug="history"))
    client.post(url, article_form_data(client, url, title="第三版标题", slug="history"))

    revisions = list(
        Revision.page_revisions.filter(object_id=str(page.pk)).order_by("created_at", "id")
    )
    titles = [r.as_object().title for r in revisions]
    assert titles == ["第一版标题", "第二版标题", "第三版标题"]
    first, second, third = revisions

    history = client.get(reverse("wagtailadmin_pages:history", args=(page.pk,)))
    assert history.status_code == 200

    compare = client.get(
        reverse("wagtailadmin_pages:revisions_compare", args=(page.pk, first.pk, third.pk))
    )
    assert compare.status_code == 200
    html = compare.content.decode()
    assert "第一版标题" in html
    assert "第三版标题" in html

    # Revert: the editor opens the first revision, and the form shows the old title.
    revert_url = reverse("wagtailadmin_pages:revisions_revert", args=(page.pk, first.pk))
    revert_form = edit_form_data(client, revert_url)
    assert revert_form["title"] == "第一版标题"
    data = article_form_data(client, revert_url, title=revert_form["title"], slug="history")
    assert client.post(revert_url, data).status_code == 302

    latest = reload(page).get_latest_revision()
    assert latest.pk not in {first.pk, second.pk, third.pk}
    assert latest.as_object().title == "第一版标题"
    editor_form = edit_form_data(client, url)
    assert editor_form["title"] == "第一版标题"
