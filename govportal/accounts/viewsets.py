"""Wagtail's user and group editors with the 三员分立 rules (installed by ``StaffUsersConfig``).

* Assigning two of 系统管理员/安全管理员/审计管理员 to one account, the security or audit
  role to a superuser, or a group with page permissions to any of the three: a form error.
* Only a superuser may make (or unmake) a superuser: the checkbox is not shown to others.
* A security admin cannot change their own roles (user form field disabled, their own
  groups refused) — another security admin does it.
* No page permission may be granted to a group one of the three belongs to.

The model layer (``signal_handlers``) refuses the same; these checks only turn a refusal
into a message next to the field.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.functional import cached_property

from wagtail.users.forms import (
    BaseGroupPagePermissionFormSet,
    GroupPagePermissionFormSet,
    PagePermissionsForm,
)
from wagtail.users.forms import UserCreationForm as WagtailUserCreationForm
from wagtail.users.forms import UserEditForm as WagtailUserEditForm
from wagtail.users.views import groups as group_views
from wagtail.users.views import users as user_views

from . import roles


class SeparationOfDutiesMixin:
    def __init__(self, *args, acting_user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.acting_user = acting_user
        if acting_user is None:
            return
        if not acting_user.is_superuser:
            self.fields.pop("is_superuser", None)
        editing_self = self.instance.pk is not None and self.instance.pk == acting_user.pk
        if (
            editing_self
            and "groups" in self.fields
            and not acting_user.is_superuser
            and roles.is_security_admin(acting_user)
        ):
            self.fields["groups"].disabled = True
            self.fields["groups"].help_text = roles.OWN_ROLES

    def clean(self):
        cleaned = super().clean()
        groups = cleaned.get("groups")
        if groups is None:
            return cleaned
        is_superuser = cleaned.get("is_superuser", self.instance.is_superuser)
        try:
            roles.check_groups(self.instance, groups, is_superuser=bool(is_superuser))
        except ValidationError as error:
            field = (
                "is_superuser"
                if error.code == "superuser_role" and "is_superuser" in self.fields
                else "groups"
            )
            self.add_error(field, error)
        return cleaned


class UserCreationForm(SeparationOfDutiesMixin, WagtailUserCreationForm):
    pass


class UserEditForm(SeparationOfDutiesMixin, WagtailUserEditForm):
    pass


class ActingUserFormMixin:
    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["acting_user"] = self.request.user
        return kwargs


class UserCreateView(ActingUserFormMixin, user_views.CreateView):
    pass


class UserEditView(ActingUserFormMixin, user_views.EditView):
    pass


class UserViewSet(user_views.UserViewSet):
    add_view_class = UserCreateView
    edit_view_class = UserEditView

    def get_form_class(self, for_update=False):
        return UserEditForm if for_update else UserCreationForm


# -- groups ---------------------------------------------------------------------------------


class SeparatedPagePermissionFormSet(BaseGroupPagePermissionFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        granted = any(
            form.cleaned_data.get("permissions")
            for form in self.forms
            if form not in self.deleted_forms and "page" in form.cleaned_data
        )
        if granted:
            roles.check_page_permission_grant(self.instance)


PagePermissionFormSet = forms.formset_factory(
    PagePermissionsForm, formset=SeparatedPagePermissionFormSet, extra=0, can_delete=True
)


class GroupPanelsMixin:
    @cached_property
    def permission_panel_forms(self):
        panels = []
        for cls in group_views.get_permission_panel_classes():
            if cls is GroupPagePermissionFormSet:
                cls = PagePermissionFormSet
            panels.append(cls(**self.get_permission_panel_form_kwargs(cls)))
        return panels

    def is_valid(self, form):
        valid = super().is_valid(form)
        if not valid:
            errors = self.permission_panel_forms[0].non_form_errors()
            if errors:
                self.produced_error_message = errors[0]
        return valid


class OwnGroupMixin:
    """A security admin (not superuser) cannot edit or delete a group they belong to."""

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if (
            user.is_authenticated
            and not user.is_superuser
            and roles.is_security_admin(user)
            and user.groups.filter(pk=self.kwargs.get("pk")).exists()
        ):
            messages.error(request, roles.OWN_ROLES)
            return redirect("wagtailusers_groups:index")
        return super().dispatch(request, *args, **kwargs)


class GroupCreateView(GroupPanelsMixin, group_views.CreateView):
    pass


class GroupEditView(OwnGroupMixin, GroupPanelsMixin, group_views.EditView):
    pass


class GroupDeleteView(OwnGroupMixin, group_views.DeleteView):
    pass


class GroupViewSet(group_views.GroupViewSet):
    add_view_class = GroupCreateView
    edit_view_class = GroupEditView
    delete_view_class = GroupDeleteView
