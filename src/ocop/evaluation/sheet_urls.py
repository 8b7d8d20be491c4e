"""Routes of the criteria screens (rule versions, score sheets, import and export), included under
/evaluation/criteria/ in the `evaluation` namespace."""

from django.urls import path

from . import sheet_views

urlpatterns: list = [
    path("", sheet_views.RuleListView.as_view(), name="rule_list"),
    path("sheets/<id:pk>/", sheet_views.SheetDetailView.as_view(), name="sheet_detail"),
    path("sheets/<id:pk>/export.<slug:fmt>", sheet_views.SheetExportView.as_view(), name="sheet_export"),
    path("import/", sheet_views.SheetImportView.as_view(), name="sheet_import"),
    path("import/<str:token>/", sheet_views.SheetImportPreviewView.as_view(), name="sheet_import_preview"),
    path("import/<str:token>/publish/", sheet_views.SheetPublishView.as_view(), name="sheet_publish"),
]
