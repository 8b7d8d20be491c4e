from django.urls import path

from . import views

app_name = "funding"

urlpatterns = [
    path("sources/", views.SourceListView.as_view(), name="source_list"),
    path("sources/new/", views.SourceCreateView.as_view(), name="source_create"),
    path("sources/<id:pk>/", views.SourceDetailView.as_view(), name="source_detail"),
    path("sources/<id:pk>/edit/", views.SourceEditView.as_view(), name="source_edit"),
    path("grants/", views.GrantListView.as_view(), name="grant_list"),
    path("grants/new/", views.GrantCreateView.as_view(), name="grant_create"),
    path("grants/<id:pk>/", views.GrantDetailView.as_view(), name="grant_detail"),
    path("grants/<id:pk>/edit/", views.GrantEditView.as_view(), name="grant_edit"),
    path("grants/<id:pk>/disbursements/new/", views.DisbursementAddView.as_view(), name="disbursement_add"),
    path("assets/", views.AssetListView.as_view(), name="asset_list"),
    path("assets/new/", views.AssetCreateView.as_view(), name="asset_create"),
    path("assets/<id:pk>/", views.AssetDetailView.as_view(), name="asset_detail"),
    path("assets/<id:pk>/edit/", views.AssetEditView.as_view(), name="asset_edit"),
    path("assets/<id:pk>/end/", views.AssetEndView.as_view(), name="asset_end"),
    path("totals/", views.TotalsView.as_view(), name="totals"),
]
