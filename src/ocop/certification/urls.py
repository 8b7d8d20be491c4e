from django.urls import path

from . import views

app_name = "certification"

urlpatterns = [
    path("verify/keys.json", views.PublicKeysView.as_view(), name="public_keys"),
    path("verify/<slug:public_id>/", views.VerifyView.as_view(), name="verify"),
    path("certificates/", views.CertificateListView.as_view(), name="certificate_list"),
    path("certificates/<id:pk>/", views.CertificateDetailView.as_view(), name="certificate_detail"),
    path(
        "certificates/<id:pk>/file.<slug:fmt>", views.CertificateFileView.as_view(), name="certificate_file"
    ),
    path(
        "certificates/<id:pk>/<slug:action>/",
        views.CertificateActionView.as_view(),
        name="certificate_action",
    ),
    path(
        "registry/products/<id:product_id>/certificates/new/",
        views.RecordCertificateView.as_view(),
        name="certificate_record",
    ),
    path("decisions/", views.DecisionListView.as_view(), name="decision_list"),
    path("decisions/new/", views.DecisionCreateView.as_view(), name="decision_create"),
    path("decisions/<id:pk>/", views.DecisionDetailView.as_view(), name="decision_detail"),
    path("decisions/<id:pk>/<slug:action>/", views.DecisionActionView.as_view(), name="decision_action"),
]
