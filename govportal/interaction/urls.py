"""/letters/: the public side of 来信 (see views.py).

Not under the 互动交流 channel's own path: page slugs there (surveys, interviews …) must
never be shadowed by these routes."""

from django.urls import path

from . import views

app_name = "interaction"
urlpatterns = [
    path("mailbox/<int:pk>/", views.write, name="write"),
    path("receipt/<str:code>/", views.receipt, name="receipt"),
    path("mine/<str:code>/", views.mine, name="mine"),
    path("mine/<str:code>/rate/", views.rate, name="rate"),
    path("mine/<str:code>/reopen/", views.reopen, name="reopen"),
    path("mine/<str:code>/files/<int:pk>/", views.attachment, name="attachment"),
    path("public/", views.public_list, name="public_list"),
    path("public/<int:pk>/", views.public_detail, name="public_detail"),
    path("stats/", views.stats, name="stats"),
    path("stats/<int:year>-<int:month>.xlsx", views.stats_xlsx, name="stats_xlsx"),
]
