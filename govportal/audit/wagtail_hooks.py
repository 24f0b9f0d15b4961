"""The audit admin in Wagtail: URLs, the 审计日志 menu item, and the group-editor watcher."""

from django import forms
from django.urls import include, path, reverse_lazy

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import urls
from .services import is_audit_admin
from .signal_handlers import OBJECT_PERMISSIONS, record_object_permission


@hooks.register("register_admin_urls")
def register_audit_urls():
    return [path("audit/", include(urls, namespace="audit"))]


class AuditMenuItem(MenuItem):
    def is_shown(self, request):
        return is_audit_admin(request.user)


@hooks.register("register_admin_menu_item")
def register_audit_menu():
    return AuditMenuItem(
        "审计日志", reverse_lazy("audit:index"), name="audit", icon_name="history", order=9000
    )


class ObjectPermissionWatcher:
    """An invisible panel of Wagtail's group editor that audits the permissions it grants.

    The editor's page and collection permission formsets write new rows with
    ``bulk_create``, which sends no ``post_save``; this panel, saved after all the others,
    compares the group's rows before and after. (Removals send ``post_delete`` and are
    recorded by the signal handlers.)
    """

    media = forms.Media()

    def __init__(self, data=None, files=None, instance=None, **kwargs):
        self.instance = instance
        self.existing = self._rows() if instance is not None and instance.pk else set()

    def _rows(self) -> set[tuple[type, int]]:
        return {
            (model, pk)
            for model in OBJECT_PERMISSIONS
            for pk in model.objects.filter(group=self.instance).values_list("pk", flat=True)
        }

    def is_valid(self) -> bool:
        return True

    def save(self):
        for model, pk in sorted(self._rows() - self.existing, key=lambda r: (r[0].__name__, r[1])):
            row = model.objects.select_related("group", "permission__content_type").get(pk=pk)
            record_object_permission(row, granted=True)

    def as_admin_panel(self) -> str:
        return ""


@hooks.register("register_group_permission_panel", order=10000)
def register_permission_watcher():
    return ObjectPermissionWatcher
