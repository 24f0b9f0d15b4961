from django.urls import path

from . import admin_stats
from . import admin_views as v

app_name = "interaction_admin"
urlpatterns = [
    path("", v.LetterListView.as_view(), name="list"),
    path("stats/", admin_stats.StatsView.as_view(), name="stats"),
    path("<int:pk>/", v.DetailView.as_view(), name="detail"),
    path("<int:pk>/accept/", v.AcceptView.as_view(), name="accept"),
    path("<int:pk>/reject/", v.RejectView.as_view(), name="reject"),
    path("<int:pk>/merge/", v.MergeView.as_view(), name="merge"),
    path("<int:pk>/dispatch/", v.DispatchView.as_view(), name="dispatch"),
    path("<int:pk>/reply/", v.ReplyView.as_view(), name="reply"),
    path("<int:pk>/supervise/", v.SuperviseView.as_view(), name="supervise"),
    path(
        "<int:pk>/supervise/opinion/", v.SupervisionOpinionView.as_view(), name="supervise_opinion"
    ),
    path("assignments/<int:pk>/sign/", v.SignView.as_view(), name="sign"),
    path("assignments/<int:pk>/return/", v.ReturnView.as_view(), name="return"),
    path("assignments/<int:pk>/decide/", v.DecideReturnView.as_view(), name="decide_return"),
    path("assignments/<int:pk>/opinion/", v.OpinionView.as_view(), name="opinion"),
    path("replies/<int:pk>/review/", v.ReviewView.as_view(), name="review"),
    path("<int:pk>/assist/", v.AddAssistView.as_view(), name="add_assist"),
    path("attachments/<int:pk>/", v.AttachmentView.as_view(), name="attachment"),
]
