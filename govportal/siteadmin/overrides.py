"""Wagtail admin views shadowed to stay inside the user's own sites.

``govportal/urls.py`` places :data:`urlpatterns` before Wagtail's admin URLs, so these
answer the same paths (Wagtail's URL names still reverse to them):

* the page chooser's browse view opened on a page outside the user's sites (404), or
  with a page type whose common ancestor lies in another site; and its "chosen" view,
  which would describe any page by id;
* the page types usage report, which counts pages, names the last edited page and
  offers a site filter across the whole install.

Platform operators get Wagtail's views unchanged, except for speed at site-group scale
(100,000 pages): the page chooser's search and the admin page search list matches newest
edit first instead of ranking every match by relevance (a relevance score per matching
row: tens of seconds on SQLite for a superuser). The admin search still ranks by
relevance when asked with ``?ordering=relevance``.
"""

import functools

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path
from django.views.decorators.cache import never_cache
from django.views.defaults import page_not_found

from wagtail import hooks
from wagtail.admin.auth import require_admin_access
from wagtail.admin.forms.search import SearchForm
from wagtail.admin.views import chooser
from wagtail.admin.views.pages import search as page_search
from wagtail.admin.views.reports import page_types_usage
from wagtail.admin.viewsets.pages import page_viewset_registry
from wagtail.models import Page
from wagtail.utils.urlpatterns import decorate_urlpatterns

from . import access
from .confine import visible_tag_names


class BrowseView(chooser.BrowseView):
    def get(self, request, parent_page_id=None):
        condition = access.visible_pages_q(request.user)
        if condition is not None:
            if parent_page_id:
                if not Page.objects.filter(condition, pk=parent_page_id).exists():
                    raise Http404
            else:
                page_type = request.GET.get("page_type") or chooser.base_page_type_string
                try:
                    classes = chooser.page_models_from_string(page_type)
                except (ValueError, LookupError) as exc:
                    raise Http404 from exc
                if classes != (Page,):
                    # Start where the user's own pages of that type are, as Wagtail does
                    # for all pages of the type.
                    pages = Page.objects.filter(condition).type(*classes)
                    ancestor = pages.first_common_ancestor() if pages.exists() else None
                    parent_page_id = (ancestor or Page.get_first_root_node()).pk
        return super().get(request, parent_page_id)


class ChosenMultipleView(chooser.ChosenMultipleView):
    def get(self, request):
        condition = access.visible_pages_q(request.user)
        if condition is not None:
            ids = [pk for pk in request.GET.getlist("id") if pk.isdigit()]
            allowed = Page.objects.filter(condition, pk__in=ids).values_list("pk", flat=True)
            request.GET = request.GET.copy()
            request.GET.setlist("id", [str(pk) for pk in allowed])
        return super().get(request)


# Newest edit first (pages never edited in the admin last), then newest page.
SEARCH_ORDERING = (F("latest_revision_created_at").desc(nulls_last=True), "-id")


class SearchView(chooser.SearchView):
    """Wagtail's page chooser search (``choose-page/search/``), matches newest edit first.

    Same as Wagtail 8.0's view but for ``autocomplete(…, order_by_relevance=False)``
    on a bounded ordering: relevance ranking scores every match (a correlated subquery
    per row on SQLite: 40–70 s over 100,000 pages). The ``construct_page_chooser_queryset``
    hooks (``confine_page_chooser``) still apply.
    """

    def get(self, request):
        self.i18n_enabled = getattr(settings, "WAGTAIL_I18N_ENABLED", False)
        self.is_multiple_choice = request.GET.get("multiple")
        page_type_string = request.GET.get("page_type") or chooser.base_page_type_string
        try:
            desired_classes = chooser.page_models_from_string(page_type_string)
        except (ValueError, LookupError) as exc:
            raise Http404 from exc

        pages = Page.objects.all()
        if self.i18n_enabled:
            pages = pages.select_related("locale")
        for hook in hooks.get_hooks("construct_page_chooser_queryset"):
            pages = hook(pages, request)

        search_form = SearchForm(request.GET)
        if search_form.is_valid() and search_form.cleaned_data["q"]:
            pages = pages.exclude(depth=1).type(*desired_classes).specific()
            pages = pages.order_by(*SEARCH_ORDERING).autocomplete(
                search_form.cleaned_data["q"], order_by_relevance=False
            )
        else:
            pages = pages.none()

        paginator = Paginator(pages, per_page=25)
        pages = paginator.get_page(request.GET.get("p"))
        for page in pages:
            page.can_choose = True
            page.is_parent_page = False
        table = chooser.PageChooserTable(self.columns, pages, show_locale_labels=self.i18n_enabled)
        return TemplateResponse(
            request,
            "wagtailadmin/chooser/_search_results.html",
            chooser.shared_context(
                request,
                {
                    "searchform": search_form,
                    "table": table,
                    "pages": pages,
                    "page_type_string": page_type_string,
                },
            ),
        )


class PageSearchView(page_search.SearchView):
    """The admin page search (``pages/search/``): newest edit first unless the user sorts
    by a column or asks for ``?ordering=relevance`` (Wagtail's default, slow at scale)."""

    def get(self, request):
        if "ordering" not in request.GET:
            request.GET = request.GET.copy()
            request.GET["ordering"] = "-latest_revision_created_at"
        elif request.GET["ordering"] == "relevance":
            request.GET = request.GET.copy()
            del request.GET["ordering"]
        return super().get(request)


@functools.cache
def _page_search_view(results_only: bool):
    return page_viewset_registry.get_by_type(Page).construct_view(
        PageSearchView, results_only=results_only
    )


def page_search_view(request):
    return _page_search_view(False)(request)


def page_search_results_view(request):
    return _page_search_view(True)(request)


class PageTypesUsageFilterSet(page_types_usage.PageTypesUsageReportFilterSet):
    """Only the user's own sites in the site filter."""

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        if request is None or access.is_platform_operator(request.user):
            return
        sites = access.sites_for_user(request.user)
        if len(sites) > 1 and "site" in self.filters:
            self.filters["site"].extra["choices"] = [(s.root_page.path, str(s)) for s in sites]
        else:
            self.filters.pop("site", None)
            self.sites_filter_enabled = False


class PageTypesUsageReportView(page_types_usage.PageTypesUsageReportView):
    """Counts and "last edited" limited to the pages of the user's sites."""

    filterset_class = PageTypesUsageFilterSet

    def get_queryset(self):
        paths = access.visible_root_paths(self.request.user)
        if paths is None:
            return super().get_queryset()
        queryset = ContentType.objects.filter(model__in=self.page_models)
        if not Page.objects.filter(
            depth__gt=1, content_type=ContentType.objects.get_for_model(Page)
        ).exists():
            queryset = queryset.exclude(model="page", app_label="wagtailcore")
        self.queryset = queryset
        queryset = self.filter_queryset(queryset)
        cleaned = self.filters.form.cleaned_data if self.filters else {}
        chosen = cleaned.get("site")
        if chosen and any(chosen.startswith(p) for p in paths):
            paths = [chosen]
        in_sites, in_sites_rel = Q(pk__in=[]), Q(pk__in=[])
        for root in paths:
            in_sites |= Q(path__startswith=root)
            in_sites_rel |= Q(pages__path__startswith=root)
        if language_code := cleaned.get("page_locale"):
            in_sites &= Q(locale__language_code=language_code)
            in_sites_rel &= Q(pages__locale__language_code=language_code)
        latest = (
            Page.objects.filter(in_sites, content_type=OuterRef("pk"))
            .order_by(F("latest_revision_created_at").desc(nulls_last=True), "title", "-pk")
            .values("pk")[:1]
        )
        return queryset.annotate(
            count=Count("pages", filter=in_sites_rel),
            last_edited_page_id=Subquery(latest),
        ).order_by("-count", "app_label", "model")


def tag_autocomplete(request, app_name=None, model_name=None):
    """Tag suggestions only from the images and documents the user may see."""
    from django.http import JsonResponse

    from taggit.models import Tag
    from wagtail.admin.views import tags

    names = visible_tag_names(request.user)
    if names is None:
        return tags.autocomplete(request, app_name, model_name)
    term = request.GET.get("term", "")
    if not term or (app_name, model_name) not in {(None, None), ("taggit", "tag")}:
        return JsonResponse([], safe=False)
    found = (
        Tag.objects.filter(name__istartswith=term, name__in=names)
        .order_by("name")
        .values_list("name", flat=True)[: tags.TAGS_AUTOCOMPLETE_LIMIT]
    )
    return JsonResponse(list(found), safe=False)


urlpatterns = [
    path("tag-autocomplete/", tag_autocomplete),
    path("tag-autocomplete/<slug:app_name>/<slug:model_name>/", tag_autocomplete),
    path("choose-page/<int:parent_page_id>/", BrowseView.as_view()),
    path("choose-page/", BrowseView.as_view()),
    path("choose-page/chosen-multiple/", ChosenMultipleView.as_view()),
    path("choose-page/search/", SearchView.as_view()),
    path("pages/search/", page_search_view),
    path("pages/search/results/", page_search_results_view),
    path("reports/page-types-usage/", PageTypesUsageReportView.as_view()),
    path(
        "reports/page-types-usage/results/",
        PageTypesUsageReportView.as_view(results_only=True),
    ),
]


def admin_404(view):
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except Http404:
            return page_not_found(request, "", template_name="wagtailadmin/404.html")

    return wrapper


urlpatterns = decorate_urlpatterns(urlpatterns, admin_404)
urlpatterns = decorate_urlpatterns(urlpatterns, require_admin_access)
urlpatterns = decorate_urlpatterns(urlpatterns, never_cache)
