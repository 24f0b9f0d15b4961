"""Site confinement of Wagtail's own filter choices (installed once, from ``apps.ready``).

Wagtail already confines the *rows* of the explorer, search and reports by page and
collection permissions, but several *filter* drop-downs list the whole install: every
site, every page owner/editor, every user who locked a page or started a workflow, every
workflow and task, the most used image/document tags. Their choices are callables of the
request (django-filter's ``queryset=lambda request: …``), so here each is replaced by one
that limits the choices to the user's own sites. Platform operators keep the full lists.
"""

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Count, Q
from django.db.models.functions import Cast

from wagtail.models import Page, PageLogEntry, Site, Task, Workflow, WorkflowPage, WorkflowState

from govportal.core.visibility import in_subtrees

from . import access


def _site_pages(user):
    """Pages of the user's sites, or ``None`` for platform operators (no limit)."""
    paths = access.visible_root_paths(user)
    if paths is None:
        return None
    if not paths:
        return Page.objects.none()
    return Page.objects.filter(in_subtrees(paths))


def _users(pks):
    User = get_user_model()
    return User.objects.filter(pk__in=pks).order_by(User.USERNAME_FIELD)


def _scoped(default, scoped):
    """A ``queryset`` callable: ``default(request)`` for operators, else ``scoped(pages, request)``."""

    def queryset(request):
        pages = _site_pages(request.user)
        if pages is None:
            return default(request) if callable(default) else default
        return scoped(pages, request)

    return queryset


def _page_ids_as_text(pages):
    return pages.values_list(Cast("pk", output_field=CharField()), flat=True)


def _visible_workflows(pages, request):
    """Workflows attached to the user's sites or above them (e.g. the default one on the root)."""
    condition = access.visible_pages_q(request.user)
    attached = WorkflowPage.objects.filter(page__in=Page.objects.filter(condition)).values(
        "workflow_id"
    )
    return Workflow.objects.filter(pk__in=attached).order_by("name")


def _visible_tasks(pages, request):
    return Task.objects.filter(
        workflow_tasks__workflow__in=_visible_workflows(pages, request)
    ).distinct()


def _scoped_tags(model, objects, count=10):
    from taggit.models import Tag

    content_type = ContentType.objects.get_for_model(model)
    return (
        Tag.objects.filter(
            taggit_taggeditem_items__content_type=content_type,
            taggit_taggeditem_items__object_id__in=objects.values("pk"),
        )
        .annotate(item_count=Count("taggit_taggeditem_items"))
        .order_by("-item_count", "name")[:count]
    )


def _confine_page_filters():
    from wagtail.admin.views.pages.listing import PageFilterSet

    filters = PageFilterSet.declared_filters
    filters["site"].queryset = _scoped(
        Site.objects.all(),
        lambda pages, request: Site.objects.filter(pk__in=access.site_ids_for_user(request.user)),
    )
    filters["owner"].queryset = _scoped(
        filters["owner"].queryset,
        lambda pages, request: _users(pages.order_by().values("owner_id")),
    )
    filters["edited_by"].queryset = _scoped(
        filters["edited_by"].queryset,
        lambda pages, request: _users(
            PageLogEntry.objects.filter(action="wagtail.edit", page_id__in=pages.values("pk"))
            .order_by()
            .values("user_id")
        ),
    )


def _confine_report_filters():
    from wagtail.admin.views.reports.audit_logging import (
        SiteHistoryReportFilterSet,
        get_users_for_filter,
    )
    from wagtail.admin.views.reports.locked_pages import LockedPagesReportFilterSet
    from wagtail.admin.views.reports.workflows import (
        WorkflowReportFilterSet,
        WorkflowTasksReportFilterSet,
    )

    locked_by = LockedPagesReportFilterSet.base_filters["locked_by"]
    locked_by.queryset = _scoped(
        locked_by.queryset,
        lambda pages, request: _users(pages.filter(locked=True).order_by().values("locked_by_id")),
    )

    requested_by = WorkflowReportFilterSet.base_filters["requested_by"]
    requested_by.queryset = _scoped(
        requested_by.queryset,
        lambda pages, request: _users(
            WorkflowState.objects.filter(object_id__in=_page_ids_as_text(pages))
            .order_by()
            .values("requested_by_id")
        ),
    )
    for filterset in (WorkflowReportFilterSet, WorkflowTasksReportFilterSet):
        workflow = filterset.base_filters["workflow"]
        workflow.queryset = _scoped(workflow.queryset, _visible_workflows)
    task = WorkflowTasksReportFilterSet.base_filters["task"]
    task.queryset = _scoped(task.queryset, _visible_tasks)

    # Wagtail lists every user with any page log entry here (``get_user_choices`` is never
    # called); use the users of the log entries this user may see, as intended.
    def get_users_queryset(self):
        return get_users_for_filter(self.request.user)

    SiteHistoryReportFilterSet.get_users_queryset = get_users_queryset


def _confine_tags():
    from wagtail.admin.filters import BaseMediaFilterSet
    from wagtail.images.views.chooser import ImageChooseViewMixin

    original_init = BaseMediaFilterSet.__init__

    def __init__(self, data=None, queryset=None, *, request=None, **kwargs):
        original_init(self, data, queryset, request=request, **kwargs)
        if "tag" not in self.filters or request is None:
            return
        if access.is_platform_operator(request.user):
            return
        # The most used tags among the images/documents this user may see.
        objects = self.permission_policy.instances_user_has_any_permission_for(
            request.user, ["change", "delete", "choose"]
        )
        tags = _scoped_tags(self._meta.model, objects)
        if tags:
            self.filters["tag"].extra["choices"] = [(tag.name, tag.name) for tag in tags]
        else:
            del self.filters["tag"]

    BaseMediaFilterSet.__init__ = __init__

    original_context = ImageChooseViewMixin.get_context_data

    def get_context_data(self, **kwargs):
        context = original_context(self, **kwargs)
        if not access.is_platform_operator(self.request.user):
            objects = self.permission_policy.instances_user_has_any_permission_for(
                self.request.user, ["choose"]
            )
            context["popular_tags"] = _scoped_tags(self.model, objects)
        return context

    ImageChooseViewMixin.get_context_data = get_context_data


def visible_tag_names(user):
    """Names of the tags on the images and documents ``user`` may see (``None``: all)."""
    if access.is_platform_operator(user):
        return None
    from taggit.models import Tag
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.permissions import policy_registry

    condition = None
    for model in (get_image_model(), get_document_model()):
        objects = policy_registry.get_by_type(model).instances_user_has_any_permission_for(
            user, ["change", "delete", "choose"]
        )
        part = Q(
            taggit_taggeditem_items__content_type=ContentType.objects.get_for_model(model),
            taggit_taggeditem_items__object_id__in=objects.values("pk"),
        )
        condition = part if condition is None else condition | part
    return Tag.objects.filter(condition).values("name")


def install() -> None:
    _confine_page_filters()
    _confine_report_filters()
    _confine_tags()
