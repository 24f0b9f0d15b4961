"""/interaction/: the public side of 来信 (see views.py)."""

from django.urls import path

from . import views

app_name = "interaction"
urlpatterns = [
    path("mailbox/<int:pk>/", views.write, name="write"),
    path("receipt/<str:code>/", views.receipt, name="receipt"),
    path("letters/<str:code>/", views.mine, name="mine"),
    path("letters/<str:code>/rate/", views.rate, name="rate"),
    path("letters/<str:code>/reopen/", views.reopen, name="reopen"),
    path("letters/<str:code>/files/<int:pk>/", views.attachment, name="attachment"),
    path("public/", views.public_list, name="public_list"),
    path("public/<int:pk>/", views.public_detail, name="public_detail"),
]
