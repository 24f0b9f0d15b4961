from django.urls import path

from . import views

app_name = "submissions"

urlpatterns = [
    path("", views.MySubmissionsView.as_view(), name="mine"),
    path("new/<int:page_id>/", views.SubmitView.as_view(), name="new"),
    path("inbox/", views.InboxView.as_view(), name="inbox"),
    path("<int:pk>/adopt/", views.AdoptView.as_view(), name="adopt"),
    path("<int:pk>/decline/", views.DeclineView.as_view(), name="decline"),
    path("<int:pk>/withdraw/", views.WithdrawView.as_view(), name="withdraw"),
    path("stats/", views.StatsView.as_view(), name="stats"),
]
