from django.urls import path

from . import admin_views as v

app_name = "inforequests_admin"
urlpatterns = [
    path("", v.RequestListView.as_view(), name="list"),
    path("new/", v.RegisterView.as_view(), name="register"),
    path("<int:pk>/", v.DetailView.as_view(), name="detail"),
    path("<int:pk>/confirm/", v.ConfirmView.as_view(), name="confirm"),
    path("<int:pk>/assign/", v.AssignView.as_view(), name="assign"),
    path("<int:pk>/clarify/", v.ClarifyView.as_view(), name="clarify"),
    path("<int:pk>/clarification/", v.ClarificationReplyView.as_view(), name="clarification_reply"),
    path("<int:pk>/consult/", v.ConsultView.as_view(), name="consult"),
    path(
        "consultations/<int:pk>/reply/",
        v.ConsultationReplyView.as_view(),
        name="consultation_reply",
    ),
    path("<int:pk>/extension/", v.ExtensionView.as_view(), name="extension"),
    path("extensions/<int:pk>/decide/", v.DecideExtensionView.as_view(), name="decide_extension"),
    path("<int:pk>/answer/", v.AnswerView.as_view(), name="answer"),
    path("<int:pk>/withdraw/", v.WithdrawView.as_view(), name="withdraw"),
    path("<int:pk>/letter/", v.letter_download, name="letter"),
    path("<int:pk>/attachments/<int:att>/", v.attachment_download, name="attachment"),
]
