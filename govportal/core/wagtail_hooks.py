"""Admin furniture: dashboard warnings for overdue scheduled items and incomplete site profiles."""

from datetime import timedelta

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext

from wagtail import hooks
from wagtail.admin.ui.components import Component

from .scheduler import last_heartbeat, overdue_items


class WarningPanel(Component):
    """A dashboard panel shown only when ``get_context_data`` reports a problem."""

    def __init__(self, request):
        self.request = request

    def is_shown(self, context) -> bool:
        raise NotImplementedError

    def render_html(self, parent_context=None):
        context = self.get_context_data(parent_context)
        if not self.is_shown(context):
            return ""
        return render_to_string(self.template_name, context, request=self.request)


class ScheduleWarningPanel(WarningPanel):
    """定时发布告警: scheduled publish/expiry that should have happened but did not."""

    name = "schedule_warning"
    order = 50
    template_name = "core/panels/schedule_warning.html"

    def get_context_data(self, parent_context=None):
        user = self.request.user
        revisions, pages = overdue_items()
        overdue_publish = [
            r for r in revisions[:50] if r.content_object.permissions_for_user(user).can_edit()
        ]
        overdue_expire = [p for p in pages[:50] if p.permissions_for_user(user).can_edit()]
        heartbeat = last_heartbeat()
        stale_after = timedelta(seconds=max(3 * settings.GOVPORTAL_SCHEDULER_INTERVAL, 120))
        scheduler_stale = heartbeat is None or heartbeat.last_run_at < timezone.now() - stale_after
        return {
            "overdue_publish": overdue_publish,
            "overdue_expire": overdue_expire,
            "heartbeat": heartbeat,
            "scheduler_stale": scheduler_stale,
        }

    def is_shown(self, context) -> bool:
        return bool(context["overdue_publish"] or context["overdue_expire"])


@hooks.register("construct_homepage_panels")
def add_schedule_warning(request, panels):
    panels.append(ScheduleWarningPanel(request))


class SiteProfileWarningPanel(WarningPanel):
    """网站信息不完整: sites whose footer would miss a mandatory field."""

    name = "site_profile_warning"
    order = 60
    template_name = "core/panels/site_profile_warning.html"

    def get_context_data(self, parent_context=None):
        if not self.request.user.has_perm("govsites.change_siteprofile"):
            return {"incomplete": []}
        from wagtail.models import Site

        from govportal.sites.models import SiteProfile

        profiles = {p.site_id: p for p in SiteProfile.objects.select_related("site")}
        incomplete = []
        for site in Site.objects.order_by("pk"):
            profile = profiles.get(site.pk)
            missing = profile.missing_footer_fields if profile else [gettext("Site profile")]
            if missing:
                incomplete.append({"site": site, "missing": missing})
        return {"incomplete": incomplete}

    def is_shown(self, context) -> bool:
        return bool(context["incomplete"])


@hooks.register("construct_homepage_panels")
def add_site_profile_warning(request, panels):
    panels.append(SiteProfileWarningPanel(request))
