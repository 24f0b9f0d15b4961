"""Admin URLs of 站内搜索 (mounted under ``/admin/search-tools/`` by ``wagtail_hooks``).

The public search page has no URL of its own: it is the ``search/`` route of every
site's home page (``PortalHomePage.search``), so each site searches from its own address.
"""

from django.urls import path

from . import admin_views

app_name = "govsearch_admin"

urlpatterns = [
    path("hot/", admin_views.HotQueriesView.as_view(), name="hot"),
    path("zero/", admin_views.ZeroResultQueriesView.as_view(), name="zero"),
    path("status/", admin_views.IndexStatusView.as_view(), name="status"),
]
