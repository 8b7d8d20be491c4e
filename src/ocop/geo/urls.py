from django.urls import path

from . import views

app_name = "geo"

urlpatterns = [
    path("", views.AdminUnitListView.as_view(), name="unit_list"),
    path("search/", views.UnitSearchView.as_view(), name="unit_search"),
    path("successions/", views.UnitSuccessionListView.as_view(), name="succession_list"),
    path("reload/", views.ReloadUnitsView.as_view(), name="reload"),
    path("<id:pk>/", views.AdminUnitDetailView.as_view(), name="unit_detail"),
]
