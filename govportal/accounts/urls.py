from django.urls import path

from . import views

app_name = "accounts_2fa"

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("setup/", views.SetupView.as_view(), name="setup"),
    path("recovery/", views.RecoveryCodesView.as_view(), name="recovery"),
    path("recovery/download/", views.RecoveryDownloadView.as_view(), name="recovery_download"),
    path("recovery/regenerate/", views.RegenerateView.as_view(), name="regenerate"),
    path("remove/", views.RemoveView.as_view(), name="remove"),
    path("verify/", views.VerifyView.as_view(), name="verify"),
    path("reset/<int:pk>/", views.ResetView.as_view(), name="reset"),
]
