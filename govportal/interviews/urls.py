"""Admin URLs of the moderation console (included under /admin/interviews/)."""

from django.urls import path

from . import views

app_name = "interviews_admin"

urlpatterns = [
    path("", views.InterviewIndexView.as_view(), name="index"),
    path("<int:page_id>/", views.ConsoleView.as_view(), name="console"),
    path("<int:page_id>/panel/", views.ConsolePanelView.as_view(), name="panel"),
]
