"""Dashboard panels confined to the user's own sites, or quick at site-group scale."""

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext

from wagtail.admin.views.home import WorkflowObjectsToModeratePanel
from wagtail.models import GroupApprovalTask, Site
from wagtail.permission_policies.sites import SitePermissionPolicy

from govportal.core.wagtail_hooks import SiteProfileWarningPanel as PlatformPanel
from govportal.sites.models import SiteProfile


class SiteProfileWarningPanel(PlatformPanel):
    """网站信息不完整, for the sites whose profile the user may edit (site admins: their own)."""

    def get_context_data(self, parent_context=None):
        user = self.request.user
        sites = SitePermissionPolicy(SiteProfile).sites_user_has_permission_for(user, "change")
        sites = Site.objects.filter(pk__in=sites.values("pk")).order_by("pk")
        profiles = {p.site_id: p for p in SiteProfile.objects.filter(site__in=sites)}
        incomplete = []
        for site in sites:
            profile = profiles.get(site.pk)
            missing = profile.missing_footer_fields if profile else [gettext("Site profile")]
            if missing:
                incomplete.append({"site": site, "missing": missing})
        return {"incomplete": incomplete}


# Where Wagtail 8.0's GroupApprovalTask caches "is the user in this task's groups".
_TASK_CHECKS = "_group_approval_task_checks"


def preload_group_approval_checks(user) -> None:
    """Answer every active group approval task's "is ``user`` in its groups?" in one query.

    ``TaskState.objects.reviewable_by`` asks each active task in turn, one query per task
    (every site has a review workflow: 300 sites → 330 queries on each dashboard view).
    Wagtail keeps the answers on the user object for the request; this fills that cache.
    """
    if user.is_superuser:
        return  # never asked
    through = GroupApprovalTask.groups.through
    member = through.objects.filter(groupapprovaltask=OuterRef("pk"), group__user=user)
    checks = getattr(user, _TASK_CHECKS, None)
    if checks is None:
        checks = {}
        setattr(user, _TASK_CHECKS, checks)
    for pk, is_member in (
        GroupApprovalTask.objects.filter(active=True)
        .annotate(is_member=Exists(member))
        .values_list("pk", "is_member")
    ):
        checks.setdefault(pk, is_member)


class WorkflowObjectsToModeratePanel(WorkflowObjectsToModeratePanel):
    """Wagtail's 待审核 panel, with the user's review tasks found in one query."""

    def get_context_data(self, parent_context):
        preload_group_approval_checks(parent_context["request"].user)
        return super().get_context_data(parent_context)
