from django.urls import include, path

from . import sheet_urls

app_name = "evaluation"

urlpatterns = [
    path("criteria/", include(sheet_urls)),
]
