"""Admin menu: 组织机构 (listing, editor, import/export)."""

from wagtail import hooks

from .views import OrganizationViewSet


@hooks.register("register_admin_viewset")
def register_organization_viewset():
    return OrganizationViewSet()
