from django.urls import path

from . import views

app_name = "certification"

urlpatterns = [
    path("verify/keys.json", views.PublicKeysView.as_view(), name="public_keys"),
    path("verify/<slug:public_id>/", views.VerifyView.as_view(), name="verify"),
]
