"""The public catalogue (no login). Every route here is public: see tests/test_scope_walk.py."""

from django.urls import path

from . import views

app_name = "catalogue"

urlpatterns = [
    path("", views.ProductListView.as_view(), name="product_list"),
    path("products/<id:pk>/", views.ProductDetailView.as_view(), name="product_detail"),
    path("products/<id:pk>/photos/<id:photo_id>/<slug:size>/", views.PhotoView.as_view(), name="photo"),
    path("producers/<id:pk>/", views.ProducerDetailView.as_view(), name="producer_detail"),
    path("open-data/", views.OpenDataView.as_view(), name="open_data"),
    path("open-data/products.csv", views.OpenDataCsvView.as_view(), name="open_data_csv"),
    path("open-data/products.json", views.OpenDataJsonView.as_view(), name="open_data_json"),
    path("language/", views.LanguageView.as_view(), name="set_language"),
]
