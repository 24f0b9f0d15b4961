from django.conf import settings
from django.urls import include, path, re_path
from django.views.static import serve

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

urlpatterns = [
    # Wagtail admin views confined to the user's own sites (govportal/siteadmin/overrides.py).
    path("admin/", include("govportal.siteadmin.overrides")),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # 公众用户: register, log in, reset, delete; OIDC (govportal/citizens).
    path("account/", include("govportal.citizens.urls")),
    # 个人中心: my cases, mailbox, profile, settings; /my/track/ for people without an account.
    path("my/", include("govportal.personal.urls")),
    path("api/v1/disclosure/", include("govportal.disclosure.urls")),
    path("disclosure/requests/", include("govportal.inforequests.urls")),
    path("captcha/", include("captcha.urls")),
    path("letters/", include("govportal.interaction.urls")),
    # Open311 GeoReport v2 for location-based letter categories (interaction/open311).
    path("open311/v2/", include("govportal.interaction.open311.urls")),
    path("sitemap.xml", sitemap, name="sitemap-xml"),
]

if settings.GOVPORTAL_SERVE_MEDIA:
    # Embedded run only: production serves media with nginx (docs/operations.md).
    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    ]

urlpatterns += [path("", include(wagtail_urls))]
