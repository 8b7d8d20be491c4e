from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("tasks/<uuid:pk>/", views.TaskProgressView.as_view(), name="task_progress"),
    path("healthz", views.health, name="health"),
    path("notifications/", views.NotificationListView.as_view(), name="notifications"),
]
