from django.urls import path

from . import views

app_name = "inforequests"
urlpatterns = [
    path("", views.start, name="start"),
    path("apply/", views.apply, name="apply"),
    path("receipt/<str:code>/", views.receipt, name="receipt"),
    path("<str:code>/", views.detail, name="detail"),
    path("<str:code>/clarification/", views.clarification_reply, name="clarification_reply"),
    path("<str:code>/withdraw/", views.withdraw, name="withdraw"),
    path("<str:code>/letter/", views.letter, name="letter"),
    path("<str:code>/attachments/<int:pk>/", views.attachment, name="attachment"),
]
