"""``portal``: lazy access to the current site, its profile, menu and the site group."""

from functools import cached_property

from wagtail.models import Page, Site

from govportal.core.models import PlatformSettings
from govportal.core.visibility import public
from govportal.sites.models import SiteProfile


class PortalContext:
    """Everything the public base template needs, each computed once and only if used."""

    def __init__(self, request):
        self.request = request

    @cached_property
    def site(self):
        return Site.find_for_request(self.request)

    @cached_property
    def profile(self):
        if self.site is None:
            return None
        return SiteProfile.for_site(self.site)

    @cached_property
    def platform(self):
        return PlatformSettings.load(request_or_site=self.request)

    @cached_property
    def mourning(self) -> bool:
        return self.platform.mourning_active

    @cached_property
    def home(self):
        """The site's home page as its specific type (for its routes: search, sitemap)."""
        if self.site is None:
            return None
        home = self.site.root_page.specific
        # A site whose root is not a portal home (Wagtail's bare root on a fresh default
        # site) has no search or site-map routes: the templates then leave those links out.
        return home if hasattr(home, "reverse_subpage") else None

    @cached_property
    def menu(self):
        """Main menu (主导航): the site root's live children marked "show in menus"."""
        if self.home is None:
            return []
        return list(
            public(Page.objects.child_of(self.home).live(), self.request)
            .in_menu()
            .specific()
            .order_by("path")
        )

    @cached_property
    def group_sites(self):
        """站群导航: every other site of the group, portal first."""
        profiles = SiteProfile.objects.select_related("site").order_by("sort_order", "site_id")
        return [p for p in profiles if self.site is None or p.site_id != self.site.pk]

    @cached_property
    def site_name(self) -> str:
        if self.profile is not None:
            return self.profile.display_name
        return self.site.site_name if self.site else ""


def portal(request):
    return {"portal": PortalContext(request)}
