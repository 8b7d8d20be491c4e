from django.urls import path

from . import views

app_name = "programme"

urlpatterns = [
    path("mine/", views.MyProgrammeView.as_view(), name="my"),
    path("overdue/", views.OverdueView.as_view(), name="overdue"),
    # The cycle, its steps and rounds.
    path("cycles/", views.CycleListView.as_view(), name="cycle_list"),
    path("cycles/new/", views.CycleCreateView.as_view(), name="cycle_create"),
    path("cycles/<id:pk>/", views.CycleDetailView.as_view(), name="cycle_detail"),
    path("cycles/<id:pk>/edit/", views.CycleEditView.as_view(), name="cycle_edit"),
    path("cycles/<id:pk>/rounds/new/", views.RoundCreateView.as_view(), name="round_create"),
    path("cycles/<id:pk>/<slug:action>/", views.CycleActionView.as_view(), name="cycle_action"),
    path("steps/<id:pk>/", views.StepEditView.as_view(), name="step_edit"),
    path("steps/<id:pk>/<slug:action>/", views.StepActionView.as_view(), name="step_action"),
    path("rounds/<id:pk>/<slug:action>/", views.RoundActionView.as_view(), name="round_action"),
    # Product ideas and business plans.
    path("ideas/", views.IdeaListView.as_view(), name="idea_list"),
    path("ideas/new/", views.IdeaCreateView.as_view(), name="idea_create"),
    path("ideas/<id:pk>/", views.IdeaDetailView.as_view(), name="idea_detail"),
    path("ideas/<id:pk>/edit/", views.IdeaEditView.as_view(), name="idea_edit"),
    path("ideas/<id:pk>/<slug:action>/", views.IdeaActionView.as_view(), name="idea_action"),
    path("plans/", views.PlanListView.as_view(), name="plan_list"),
    path("plans/<id:pk>/", views.PlanDetailView.as_view(), name="plan_detail"),
    path("plans/<id:pk>/edit/", views.PlanEditView.as_view(), name="plan_edit"),
    path(
        "plans/<id:pk>/attachments/<id:attachment_id>/",
        views.PlanAttachmentFileView.as_view(),
        name="plan_attachment_file",
    ),
    path(
        "plans/<id:pk>/attachments/<id:attachment_id>/<slug:action>/",
        views.PlanActionView.as_view(),
        name="plan_attachment_action",
    ),
    path("plans/<id:pk>/<slug:action>/", views.PlanActionView.as_view(), name="plan_action"),
    # Dossiers.
    path("dossiers/", views.DossierListView.as_view(), name="dossier_list"),
    path("dossiers/new/", views.DossierCreateView.as_view(), name="dossier_create"),
    path("dossiers/<id:pk>/", views.DossierDetailView.as_view(), name="dossier_detail"),
    path("dossiers/<id:pk>/edit/", views.DossierEditView.as_view(), name="dossier_edit"),
    path("dossiers/<id:pk>/self-assessment/", views.AssessmentView.as_view(), name="dossier_assessment"),
    path("dossiers/<id:pk>/commune-report/", views.CommuneReportView.as_view(), name="commune_report"),
    path("dossiers/<id:pk>/evidence/", views.EvidenceAddView.as_view(), name="evidence_add"),
    path(
        "dossiers/<id:pk>/evidence/<id:evidence_id>/", views.EvidenceFileView.as_view(), name="evidence_file"
    ),
    path(
        "dossiers/<id:pk>/evidence/<id:evidence_id>/delete/",
        views.EvidenceDeleteView.as_view(),
        name="evidence_delete",
    ),
    path("dossiers/<id:pk>/versions/<int:number>/", views.VersionView.as_view(), name="dossier_version"),
    path(
        "dossiers/<id:pk>/documents/<slug:form>.docx",
        views.DossierDocumentView.as_view(),
        name="dossier_document",
    ),
    path(
        "dossiers/<id:pk>/documents/<slug:form>.pdf",
        views.DossierDocumentView.as_view(as_pdf=True),
        name="dossier_document_pdf",
    ),
    path("dossiers/<id:pk>/<slug:action>/", views.DossierActionView.as_view(), name="dossier_action"),
]
