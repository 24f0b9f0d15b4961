"""Other host names of a site (别名) answer with a permanent redirect to its own host name.

A site has one canonical host name (the Wagtail ``Site``); ``SiteProfile.host_aliases``
lists the others. A request for an alias is redirected, path and query kept, so that
every page has one address (SiteDomain, links, search engines, 普查 all see the same).

The alias table is kept in the cache beside Wagtail's own site root paths and dropped
whenever a site or site profile is saved; requests for a site's own host name never
touch the database here.
"""

from django.core.cache import cache
from django.http import HttpResponsePermanentRedirect
from django.http.request import split_domain_port

from wagtail.models import Site

from govportal.sites.models import SiteProfile

CACHE_KEY = "provisioning:host-aliases"
CACHE_SECONDS = 300


def alias_table() -> dict[str, str]:
    """{alias host name: root URL of the site it belongs to}."""
    table = cache.get(CACHE_KEY)
    if table is None:
        table = {}
        # A site's own host name is never an alias of another (whatever a profile says).
        site_hosts = set(Site.objects.values_list("hostname", flat=True))
        profiles = SiteProfile.objects.exclude(host_aliases="").select_related("site")
        for profile in profiles.order_by("pk"):
            for alias in profile.alias_list:
                if alias not in site_hosts:
                    table.setdefault(alias, profile.site.root_url)
        cache.set(CACHE_KEY, table, CACHE_SECONDS)
    return table


def forget_aliases(**kwargs) -> None:
    """Signal receiver (see apps.py): a site or profile changed."""
    cache.delete(CACHE_KEY)


class HostAliasRedirectMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        hostname = split_domain_port(request.get_host())[0].lower()
        target = alias_table().get(hostname) if hostname else None
        if target is not None:
            return HttpResponsePermanentRedirect(target + request.get_full_path())
        return self.get_response(request)
