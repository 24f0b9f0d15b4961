from django.urls import path

from . import views

app_name = "provisioning"
urlpatterns = [
    path("", views.SiteListView.as_view(), name="index"),
    path("new/", views.ProvisionSiteView.as_view(), name="new"),
    path("<int:site_id>/created/", views.CreatedView.as_view(), name="created"),
]
