from django.urls import path

from . import views

app_name = "library"

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("upload/", views.UploadView.as_view(), name="upload"),
    path("existing/", views.AddExistingMediaView.as_view(), name="add_existing"),
    path("add/<int:page_id>/", views.AddArticleView.as_view(), name="add_article"),
    path("inbox/", views.InboxView.as_view(), name="inbox"),
    path("inbox/<int:pk>/place/", views.PushPlaceView.as_view(), name="push_place"),
    path("inbox/<int:pk>/decline/", views.PushDeclineView.as_view(), name="push_decline"),
    path("<int:pk>/", views.DetailView.as_view(), name="detail"),
    path("<int:pk>/push/", views.PushView.as_view(), name="push"),
    path("<int:pk>/place/", views.PlaceView.as_view(), name="place"),
    path("<int:pk>/withdraw/", views.WithdrawView.as_view(), name="withdraw"),
    path("<int:pk>/restore/", views.RestoreView.as_view(), name="restore"),
]
