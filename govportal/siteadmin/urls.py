from django.urls import path

from . import views

app_name = "siteadmin"

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("<int:site_id>/", views.StaffView.as_view(), name="staff"),
    path("<int:site_id>/new/", views.NewStaffView.as_view(), name="new_user"),
    path("<int:site_id>/add/", views.AddExistingView.as_view(), name="add_existing"),
    path("<int:site_id>/people/<int:user_id>/", views.PersonView.as_view(), name="person"),
    path(
        "<int:site_id>/people/<int:user_id>/password/",
        views.PasswordResetView.as_view(),
        name="reset_password",
    ),
    path(
        "<int:site_id>/people/<int:user_id>/<slug:action>/",
        views.PersonActionView.as_view(),
        name="person_action",
    ),
    path("<int:site_id>/delegations/", views.DelegationListView.as_view(), name="delegations"),
    path(
        "<int:site_id>/delegations/new/",
        views.DelegationCreateView.as_view(),
        name="new_delegation",
    ),
    path(
        "<int:site_id>/delegations/<int:pk>/",
        views.DelegationEditView.as_view(),
        name="delegation",
    ),
    path(
        "<int:site_id>/delegations/<int:pk>/revoke/",
        views.DelegationRevokeView.as_view(),
        name="revoke_delegation",
    ),
]
