from django.urls import path

from . import admin_views

app_name = "surveys"

urlpatterns = [
    path("<int:page_id>/results/", admin_views.ResultsView.as_view(), name="results"),
    path("<int:page_id>/export/<str:fmt>/", admin_views.ExportView.as_view(), name="export"),
    path("<int:page_id>/close/", admin_views.CloseView.as_view(), name="close"),
]
