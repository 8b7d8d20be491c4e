from django.urls import path

from . import import_views, photo_views, selfservice_views, views

app_name = "registry"

urlpatterns = [
    path("producers/", views.ProducerListView.as_view(), name="producer_list"),
    path("producers/new/", views.ProducerCreateView.as_view(), name="producer_create"),
    path("producers/<id:pk>/", views.ProducerDetailView.as_view(), name="producer_detail"),
    path("producers/<id:pk>/edit/", views.ProducerEditView.as_view(), name="producer_edit"),
    path("producers/<id:pk>/status/", views.ProducerStatusView.as_view(), name="producer_status"),
    path("producers/<id:pk>/linkages/", views.ProducerLinkageView.as_view(), name="producer_linkage"),
    path(
        "producers/<id:pk>/linkages/<id:linkage_id>/delete/",
        views.ProducerLinkageView.as_view(),
        name="producer_linkage_delete",
    ),
    path("mine/", selfservice_views.MyProductsView.as_view(), name="my"),
    path("mine/producers/<id:pk>/", selfservice_views.MyProducerEditView.as_view(), name="my_producer_edit"),
    path("mine/products/<id:pk>/", selfservice_views.MyProductEditView.as_view(), name="my_product_edit"),
    path("changes/", selfservice_views.ChangeRequestListView.as_view(), name="change_request_list"),
    path("changes/<id:pk>/", selfservice_views.ChangeRequestView.as_view(), name="change_request"),
    path("import/", import_views.ImportView.as_view(), name="import"),
    path("import/template.xlsx", import_views.ImportTemplateView.as_view(), name="import_template"),
    path("import/<str:token>/", import_views.ImportPreviewView.as_view(), name="import_preview"),
    path("import/<str:token>/confirm/", import_views.ImportConfirmView.as_view(), name="import_confirm"),
    path("products/", views.ProductListView.as_view(), name="product_list"),
    path("products/new/", views.ProductCreateView.as_view(), name="product_create"),
    path("products/<id:pk>/", views.ProductDetailView.as_view(), name="product_detail"),
    path("products/<id:pk>/edit/", views.ProductEditView.as_view(), name="product_edit"),
    path("products/<id:pk>/photos/", photo_views.PhotoUploadView.as_view(), name="photo_upload"),
    path(
        "products/<id:pk>/photos/<id:photo_id>/delete/",
        photo_views.PhotoDeleteView.as_view(),
        name="photo_delete",
    ),
    path(
        "products/<id:pk>/photos/<id:photo_id>/<slug:size>/",
        photo_views.PhotoFileView.as_view(),
        name="photo_file",
    ),
    path("products/<id:pk>/<slug:action>/", views.ProductActionView.as_view(), name="product_action"),
    path(
        "products/<id:pk>/<slug:action>/<id:child_id>/delete/",
        views.ProductActionView.as_view(),
        name="product_child_delete",
    ),
]
