"""The 信息报送 state machine, its permission rules, adoption and the audit log."""

from django.core.exceptions import PermissionDenied, ValidationError

from wagtail.log_actions import registry as log_action_registry
from wagtail.models import PageLogEntry

import pytest

from govportal.content.factories import ArticlePageFactory
from govportal.content.models import ArticlePage
from govportal.submissions import services
from govportal.submissions.models import Submission, SubmissionStatus

S = SubmissionStatus
pytestmark = pytest.mark.django_db


def submit_a_to_b(world, **kwargs):
    return services.submit(world.a.news_article, world.a.editor, world.b.site, **kwargs)


def run(action, world, submission):
    """Perform ``action`` as the user who is allowed to do it."""
    if action == "adopt":
        return services.adopt(submission, world.b.editor, world.b.news)
    if action == "decline":
        return services.decline(submission, world.b.editor, "不符合采用要求")
    return services.withdraw(submission, world.a.editor)


# -- the state machine, every (state, action) pair ------------------------------------------

CASES = [
    (start, action, start == S.SUBMITTED)
    for start in S.values
    for action in ("adopt", "decline", "withdraw")
]


@pytest.mark.parametrize(("start", "action", "allowed"), CASES)
def test_transition_table(world, start, action, allowed):
    submission = submit_a_to_b(world)
    Submission.objects.filter(pk=submission.pk).update(status=start)
    submission.refresh_from_db()
    if allowed:
        result = run(action, world, submission)
        assert result.status == services.TRANSITIONS[action][1]
        assert Submission.objects.get(pk=submission.pk).status == result.status
    else:
        with pytest.raises(ValidationError) as exc:
            run(action, world, submission)
        label = dict(S.choices)[start]
        assert f"当前状态为“{label}”，不能" in exc.value.messages[0]
        assert Submission.objects.get(pk=submission.pk).status == start
        assert not ArticlePage.objects.filter(
            pk__in=Submission.objects.exclude(adopted_page=None).values("adopted_page")
        ).exists()


def test_submit_records_site_organisation_and_note(world):
    submission = submit_a_to_b(world, channel=world.b.news, note="请审核")
    assert submission.status == S.SUBMITTED
    assert submission.source_site == world.a.site
    assert submission.target_site == world.b.site
    assert submission.target_channel.pk == world.b.news.pk
    # No membership: the unit owning the source site.
    assert submission.organization == world.district
    assert submission.submitter == world.a.editor
    assert submission.note == "请审核"


def test_submitter_primary_membership_wins_over_site_owner(world):
    submission = services.submit(world.a.news_article, world.a.channel_editor, world.b.site)
    assert submission.organization == world.street


def test_only_one_open_submission_per_article_and_target(world):
    first = submit_a_to_b(world)
    with pytest.raises(ValidationError, match="已报送到该站点"):
        submit_a_to_b(world)
    # Another target site is fine, and so is a resubmission after a decline.
    services.submit(world.a.news_article, world.a.editor, world.c.site)
    services.decline(first, world.b.editor, "请补充数据")
    again = submit_a_to_b(world)
    assert again.status == S.SUBMITTED


@pytest.mark.parametrize(
    ("target", "message"),
    [("a", "不能报送到文章所在的本站点"), ("channel_of_c", "建议栏目不属于所选的目标站点")],
)
def test_submit_refuses_own_site_and_foreign_channel(world, target, message):
    if target == "a":
        call = dict(target_site=world.a.site)
    else:
        call = dict(target_site=world.b.site, channel=world.c.news)
    with pytest.raises(ValidationError, match=message):
        services.submit(world.a.news_article, world.a.editor, **call)
    assert not Submission.objects.exists()


def test_submit_refuses_unpublished_article(world):
    draft = ArticlePageFactory(parent=world.a.news, live=False)
    with pytest.raises(ValidationError, match="只能报送已发布的文章"):
        services.submit(draft, world.a.editor, world.b.site)


def test_editor_of_another_site_cannot_submit(world):
    with pytest.raises(PermissionDenied):
        services.submit(world.a.news_article, world.b.editor, world.c.site)
    # A channel editor may submit only from their channel.
    with pytest.raises(PermissionDenied):
        services.submit(world.a.notice_article, world.a.channel_editor, world.b.site)
    assert not Submission.objects.exists()


def test_adopt_needs_add_permission_on_the_chosen_channel(world):
    submission = submit_a_to_b(world)
    for user, channel in [
        (world.b.reviewer, world.b.news),  # may edit, not add
        (world.b.channel_editor, world.b.notices),  # may add only in news
        (world.a.editor, world.b.news),  # the submitting side
    ]:
        with pytest.raises(PermissionDenied):
            services.adopt(submission, user, channel)
    assert Submission.objects.get(pk=submission.pk).status == S.SUBMITTED
    adopted = services.adopt(submission, world.b.channel_editor, world.b.news)
    assert adopted.status == S.ADOPTED and adopted.decided_by == world.b.channel_editor


@pytest.mark.parametrize("site", ["a", "c"])
def test_nobody_adopts_into_a_channel_of_another_site(world, site):
    submission = submit_a_to_b(world)
    foreign = getattr(world, site).news
    admin = getattr(world, site).admin  # may add there, but it is not the target site
    for user in (admin, world.b.admin):
        with pytest.raises(ValidationError, match="不能采用到其他站点"):
            services.adopt(submission, user, foreign)
    assert Submission.objects.get(pk=submission.pk).status == S.SUBMITTED
    assert ArticlePage.objects.child_of(foreign).count() == 1


def test_decline_requires_reason_and_permission(world):
    submission = submit_a_to_b(world, channel=world.b.notices)
    with pytest.raises(ValidationError, match="请填写未采用的原因"):
        services.decline(submission, world.b.editor, "  ")
    # Requested channel is 通知公告: the news channel editor may not decide on it.
    with pytest.raises(PermissionDenied):
        services.decline(submission, world.b.channel_editor, "不采用")
    with pytest.raises(PermissionDenied):
        services.decline(submission, world.a.editor, "不采用")
    declined = services.decline(submission, world.b.editor, "  内容重复  ")
    assert declined.status == S.DECLINED
    assert declined.decline_reason == "内容重复"
    assert declined.decided_by == world.b.editor and declined.decided_at is not None


def test_only_the_submitter_withdraws(world):
    submission = submit_a_to_b(world)
    for user in (world.a.admin, world.b.editor):
        with pytest.raises(PermissionDenied, match="只有报送人本人可以撤回"):
            services.withdraw(submission, user)
    assert services.withdraw(submission, world.a.editor).status == S.WITHDRAWN


# -- adoption -----------------------------------------------------------------------------


def test_adoption_publishes_an_attributed_copy_and_leaves_the_original(world):
    original = ArticlePage.objects.get(pk=world.a.news_article.pk)
    before = (original.title, original.source, list(original.body.raw_data), original.live)
    revisions = original.revisions.count()
    submission = submit_a_to_b(world)
    submission = services.adopt(submission, world.b.admin, world.b.news)

    page = ArticlePage.objects.get(pk=submission.adopted_page_id)
    assert page.live and not page.has_unpublished_changes
    assert page.get_parent().pk == world.b.news.pk
    assert page.get_site() == world.b.site
    assert page.source == "示例市甲区人民政府"
    assert (page.title, page.subtitle, page.summary, page.keywords, page.author) == (
        original.title,
        original.subtitle,
        original.summary,
        original.keywords,
        original.author,
    )
    first = page.body[0]
    assert first.block_type == "paragraph"
    html = first.value.source
    assert f'href="{original.get_full_url()}"' in html
    assert original.get_full_url().startswith("http://alpha.example.test")
    assert "来源：示例市甲区人民政府" in html
    # The rest of the body is the original's.
    assert [b.block_type for b in page.body][1:] == [b.block_type for b in original.body]
    assert page.body[1].value.source == original.body[0].value.source
    assert page.revisions.count() == 1 and page.owner == world.b.admin

    original = ArticlePage.objects.get(pk=original.pk)
    assert (original.title, original.source, list(original.body.raw_data), original.live) == before
    assert original.revisions.count() == revisions


def test_adopting_twice_into_one_channel_gets_distinct_slugs(world):
    first = services.adopt(submit_a_to_b(world), world.b.editor, world.b.news)
    Submission.objects.filter(pk=first.pk).update(status=S.DECLINED)  # allow a resubmission
    second = services.adopt(submit_a_to_b(world), world.b.editor, world.b.news)
    assert first.adopted_page.slug != second.adopted_page.slug


def test_source_article_taken_down_cannot_be_adopted(world):
    submission = submit_a_to_b(world)
    ArticlePage.objects.get(pk=world.a.news_article.pk).unpublish()
    with pytest.raises(ValidationError, match="原文已撤下"):
        services.adopt(submission, world.b.editor, world.b.news)


# -- audit log ----------------------------------------------------------------------------


def test_every_transition_is_in_the_audit_log(world):
    article = world.a.news_article
    adopted = services.adopt(submit_a_to_b(world), world.b.editor, world.b.news)
    declined = services.decline(submit_a_to_b(world), world.b.editor, "不采用的原因")
    withdrawn = services.withdraw(submit_a_to_b(world), world.a.editor)

    entries = PageLogEntry.objects.filter(page_id=article.pk, action__startswith="govportal.")
    actions = sorted(entries.values_list("action", flat=True))
    assert actions == sorted(
        [services.ACTION_SUBMIT] * 3
        + [services.ACTION_ADOPT, services.ACTION_DECLINE, services.ACTION_WITHDRAW]
    )
    adopt_entry = entries.get(action=services.ACTION_ADOPT)
    assert adopt_entry.user == world.b.editor
    assert adopt_entry.data["submission_id"] == adopted.pk
    assert adopt_entry.data["adopted_page_id"] == adopted.adopted_page_id
    assert "已采用" in adopt_entry.message and world.b.site.site_name in adopt_entry.message
    decline_entry = entries.get(action=services.ACTION_DECLINE)
    assert decline_entry.data["submission_id"] == declined.pk
    assert "不采用的原因" in decline_entry.message
    assert entries.get(action=services.ACTION_WITHDRAW).user == world.a.editor
    assert entries.get(action=services.ACTION_WITHDRAW).data["submission_id"] == withdrawn.pk
    assert str(log_action_registry.get_action_label(services.ACTION_SUBMIT)) == "信息报送：报送"
    assert "报送到" in entries.filter(action=services.ACTION_SUBMIT).first().message


def test_editor_adoption_goes_through_the_receiving_sites_review(world):
    submission = services.adopt(submit_a_to_b(world), world.b.editor, world.b.news)
    assert submission.status == S.ADOPTED
    page = ArticlePage.objects.get(pk=submission.adopted_page_id)
    assert not page.live
    state = page.current_workflow_state
    assert state is not None and state.status == state.STATUS_IN_PROGRESS
    # B's reviewer approves it like any other article: then it is live on B.
    task_state = state.current_task_state
    task_state.task.specific.on_action(task_state, world.b.reviewer, "approve")
    assert ArticlePage.objects.get(pk=page.pk).live
