from django.urls import path

from . import views

app_name = "planning"

urlpatterns = [
    path("plans/", views.PlanListView.as_view(), name="plan_list"),
    path("plans/new/", views.PlanCreateView.as_view(), name="plan_create"),
    path("plans/<id:pk>/", views.PlanDetailView.as_view(), name="plan_detail"),
    path("plans/<id:pk>/edit/", views.PlanEditView.as_view(), name="plan_edit"),
    path("plans/<id:pk>/targets/", views.TargetGridView.as_view(), name="plan_targets"),
    path("plans/<id:pk>/tasks/new/", views.TaskCreateView.as_view(), name="task_create"),
    path(
        "plans/<id:pk>/progress.<slug:fmt>", views.ProgressExportView.as_view(), name="plan_progress_export"
    ),
    path("plans/<id:pk>/state/<slug:action>/", views.PlanStateView.as_view(), name="plan_state"),
    path("tasks/<id:pk>/edit/", views.TaskEditView.as_view(), name="task_edit"),
    path("tasks/<id:pk>/report/", views.TaskReportView.as_view(), name="task_report"),
    path("records/", views.RecordsView.as_view(), name="records"),
    path("indicators/", views.IndicatorListView.as_view(), name="indicator_list"),
    path("entered/", views.EnteredValueListView.as_view(), name="entered_list"),
    path("entered/new/", views.EnteredValueCreateView.as_view(), name="entered_create"),
]
