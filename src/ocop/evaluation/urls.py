from django.urls import include, path

from . import sheet_urls, views

app_name = "evaluation"

urlpatterns = [
    path("", views.MyWorkView.as_view(), name="my"),
    path("criteria/", include(sheet_urls)),
    path("councils/", views.CouncilListView.as_view(), name="council_list"),
    path("councils/new/", views.CouncilCreateView.as_view(), name="council_create"),
    path("councils/<id:pk>/", views.CouncilDetailView.as_view(), name="council_detail"),
    path("councils/<id:pk>/edit/", views.CouncilEditView.as_view(), name="council_edit"),
    path("councils/<id:pk>/members/", views.MemberAddView.as_view(), name="member_add"),
    path("members/<id:pk>/", views.MemberEditView.as_view(), name="member_edit"),
    path("councils/<id:pk>/advisors/", views.AdvisorAddView.as_view(), name="advisor_add"),
    path(
        "councils/<id:pk>/advisors/<id:advisor_id>/remove/",
        views.AdvisorAddView.as_view(),
        name="advisor_remove",
    ),
    path("sessions/", views.SessionListView.as_view(), name="session_list"),
    path("sessions/new/", views.SessionCreateView.as_view(), name="session_create"),
    path("sessions/<id:pk>/", views.SessionDetailView.as_view(), name="session_detail"),
    path("sessions/<id:pk>/edit/", views.SessionEditView.as_view(), name="session_edit"),
    path(
        "sessions/<id:pk>/document.<slug:fmt>", views.SessionDocumentView.as_view(), name="session_document"
    ),
    path("sessions/<id:pk>/<slug:action>/", views.SessionActionView.as_view(), name="session_action"),
    path("products/<id:pk>/", views.EntryDetailView.as_view(), name="entry_detail"),
    path("products/<id:pk>/score/", views.ScoreView.as_view(), name="score"),
    path("products/<id:pk>/<slug:action>/", views.EntryActionView.as_view(), name="entry_action"),
    path("scorecards/<id:pk>/", views.ScorecardView.as_view(), name="scorecard"),
    path("scorecards/<id:pk>/answer/", views.AnswerView.as_view(), name="answer"),
    path("scorecards/<id:pk>/pdf/", views.ScorecardPdfView.as_view(), name="scorecard_pdf"),
    path("scorecards/<id:pk>/<slug:action>/", views.ScorecardActionView.as_view(), name="scorecard_action"),
    path("results/", views.ResultListView.as_view(), name="result_list"),
]
