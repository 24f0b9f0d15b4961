from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("<int:seq>/", views.DetailView.as_view(), name="detail"),
    path("export/<str:fmt>/", views.ExportView.as_view(), name="export"),
    path("verify/", views.VerifyView.as_view(), name="verify"),
]
