"""Admin views: the organisation listing/editor viewset and the import/export pages."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import FormView, View

from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton

from govportal import audit

from .forms import ImportForm, OrganizationForm
from .models import Organization
from .services import export_organizations, import_organizations, read_upload

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class OrganizationIndexView(generic.IndexView):
    """The tree in order, indented by depth, with each unit's superior unit."""

    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if self.user_has_permission("add") and self.user_has_permission("change"):
            buttons.append(
                HeaderButton("导入", url=reverse("organizations:import"), icon_name="upload")
            )
        for fmt in ("csv", "xlsx"):
            buttons.append(
                HeaderButton(
                    f"导出 {fmt.upper()}",
                    url=reverse("organizations:export", args=(fmt,)),
                    icon_name="download",
                )
            )
        return buttons

    def get_table(self, object_list):
        # One query for the superior units of the whole page instead of one per row.
        objects = list(object_list)
        steplen = Organization.steplen
        parent_paths = {o.path[:-steplen] for o in objects if o.depth > 1}
        parents = {p.path: p for p in Organization.objects.filter(path__in=parent_paths)}
        for org in objects:
            org._cached_parent_obj = parents.get(org.path[:-steplen])
        return super().get_table(objects)


class OrganizationDeleteView(generic.DeleteView):
    """Refuses to delete a unit that still has sub-units or owns a site."""

    def blocked_reason(self) -> str:
        if self.object.numchild:
            return "该单位还有下级单位，请先删除或移走下级单位。"
        if self.object.site_links.exists():
            return "该单位是站点的所属单位，请先为站点更换所属单位。"
        return ""

    def refuse(self):
        messages.error(self.request, f"不能删除“{self.object}”：{self.blocked_reason()}")
        return redirect(reverse("organizations:edit", args=(self.object.pk,)))

    def get(self, request, *args, **kwargs):
        if self.blocked_reason():
            return self.refuse()
        return super().get(request, *args, **kwargs)

    def form_valid(self, form):
        if self.blocked_reason():
            return self.refuse()
        return super().form_valid(form)


class OrganizationViewSet(ModelViewSet):
    model = Organization
    icon = "group"
    menu_label = "组织机构"
    menu_order = 250
    add_to_admin_menu = True
    index_view_class = OrganizationIndexView
    delete_view_class = OrganizationDeleteView
    name = "organizations"
    list_display = [
        "tree_label",
        "short_name",
        "kind",
        "parent_name",
        Column("code_for_index", label="机构代码"),
        BooleanColumn("is_active", label="启用"),
    ]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "short_name", "credit_code", "org_code"]
    list_per_page = 50
    copy_view_enabled = False
    inspect_view_enabled = False
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [
                    FieldPanel("parent"),
                    FieldPanel("name"),
                    FieldPanel("short_name"),
                    FieldPanel("kind"),
                    FieldPanel("sort_order"),
                    FieldPanel("is_active"),
                ],
                heading="基本信息",
            ),
            MultiFieldPanel(
                [FieldPanel("credit_code"), FieldPanel("org_code")], heading="机构代码"
            ),
            MultiFieldPanel(
                [
                    FieldPanel("phone"),
                    FieldPanel("address"),
                    FieldPanel("postcode"),
                    FieldPanel("email"),
                    FieldPanel("website"),
                ],
                heading="联系方式",
            ),
        ],
        base_form_class=OrganizationForm,
    )

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("import/", OrganizationImportView.as_view(), name="import"),
            path("export/<str:fmt>/", OrganizationExportView.as_view(), name="export"),
        ]


class OrganizationImportView(PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView):
    """Upload a CSV/XLSX file; show every row's errors, or the counts on success."""

    model = Organization
    permission_required = "add"
    form_class = ImportForm
    template_name = "organizations/import.html"
    page_title = "导入组织机构"
    header_icon = "upload"

    def dispatch(self, request, *args, **kwargs):
        # Importing also updates existing units, so it needs both rights.
        if not self.user_has_permission("change"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("organizations:index"), "label": "组织机构"},
            {"url": "", "label": "导入"},
        ]

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        result = import_organizations(
            read_upload(upload), upload.name, dry_run=form.cleaned_data["dry_run"]
        )
        # Shown on the same page either way, like any re-rendered admin form.
        return self.render_to_response(
            self.get_context_data(form=form, result=result, filename=upload.name)
        )


class OrganizationExportView(PermissionCheckedMixin, View):
    """Download the whole tree in the import format."""

    model = Organization
    any_permission_required = ["add", "change", "delete", "view"]

    def get(self, request, fmt: str):
        if fmt not in CONTENT_TYPES:
            return HttpResponse(status=404)
        stamp = timezone.localtime().strftime("%Y%m%d")
        filename = f"organizations-{stamp}.{fmt}"
        audit.record("export.organizations", request=request, obj=Organization, file=filename)
        response = HttpResponse(export_organizations(filename), content_type=CONTENT_TYPES[fmt])
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
