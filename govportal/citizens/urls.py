"""/account/: citizen accounts (公众用户) and 统一身份认证 (OIDC) under /account/oidc/."""

from django.urls import path

from . import oidc, views

app_name = "citizens"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("logged-out/", views.logged_out_view, name="logged_out"),
    path("register/", views.register_view, name="register"),
    path("terms/", views.terms_view, name="terms"),
    path("password/reset/", views.password_reset_view, name="password_reset"),
    path("password/", views.password_change_view, name="password_change"),
    path("profile/", views.profile_view, name="profile"),
    path("profile/email/", views.contact_change_view, {"kind": "email"}, name="change_email"),
    path("profile/mobile/", views.contact_change_view, {"kind": "mobile"}, name="change_mobile"),
    path("delete/", views.delete_view, name="delete"),
    path("deleted/", views.deleted_view, name="deleted"),
    # mozilla-django-oidc's views, subclassed: off (404) unless GOVPORTAL_OIDC_* is configured.
    path("oidc/authenticate/", oidc.CitizenOIDCStartView.as_view(), name="oidc_authenticate"),
    path("oidc/callback/", oidc.CitizenOIDCCallbackView.as_view(), name="oidc_callback"),
]
