from django.urls import path

from . import views

app_name = "personal"
urlpatterns = [
    path("", views.home, name="home"),
    path("cases/", views.case_list, name="cases"),
    path("messages/", views.message_list, name="messages"),
    path("messages/action/", views.message_action, name="message_action"),
    path("messages/<int:pk>/", views.message_detail, name="message"),
    path(
        "messages/<int:pk>/attachments/<int:attachment_pk>/",
        views.attachment_download,
        name="attachment",
    ),
    path("subscriptions/", views.subscription_list, name="subscriptions"),
    path("subscribe/<int:channel_id>/", views.subscribe, name="subscribe"),
    path("settings/", views.account_settings, name="settings"),
    path("track/", views.track, name="track"),
]
