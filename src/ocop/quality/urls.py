from django.urls import path

from . import views

app_name = "quality"

urlpatterns = [
    path("standards/", views.StandardListView.as_view(), name="standard_list"),
    path("traceability/", views.TraceabilityListView.as_view(), name="traceability_list"),
    path("quality-management/", views.QmsListView.as_view(), name="qms_list"),
    path("inspections/", views.InspectionListView.as_view(), name="inspection_list"),
    path("inspections/new/", views.InspectionCreateView.as_view(), name="inspection_create"),
    path("inspections/<id:pk>/", views.InspectionDetailView.as_view(), name="inspection_detail"),
    path("inspections/<id:pk>/edit/", views.InspectionEditView.as_view(), name="inspection_edit"),
    path("inspections/<id:pk>/samples/new/", views.SampleAddView.as_view(), name="sample_add"),
    path("inspections/<id:pk>/actions/new/", views.ActionAddView.as_view(), name="action_add"),
    path(
        "inspections/<id:pk>/actions/<id:action_id>/done/", views.ActionDoneView.as_view(), name="action_done"
    ),
    path("inspections/<id:pk>/cases/new/", views.CaseOpenView.as_view(), name="case_open"),
    path(
        "inspections/<id:pk>/cases/<id:case_id>/revocation/",
        views.RevocationRecordView.as_view(),
        name="case_revocation",
    ),
]
