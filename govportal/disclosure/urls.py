"""Non-page URLs of the disclosure catalogue: the open read API."""

from django.urls import path

from . import views

app_name = "disclosure"
urlpatterns = [
    path("entries/", views.api_entries, name="api_entries"),
]
