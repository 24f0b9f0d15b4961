from django.urls import path

from . import views

app_name = "annualreports"

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("new/", views.GenerateView.as_view(), name="generate"),
    path("<int:pk>/", views.EditView.as_view(), name="edit"),
    path("<int:pk>/pdf/", views.PreviewPdfView.as_view(), name="pdf"),
    path("<int:pk>/publish/", views.PublishView.as_view(), name="publish"),
]
