from django.urls import path

from . import views

app_name = "activities"

urlpatterns = [
    # Trade promotion.
    path("events/", views.EventListView.as_view(), name="event_list"),
    path("events/new/", views.EventCreateView.as_view(), name="event_create"),
    path("events/<id:pk>/", views.EventDetailView.as_view(), name="event_detail"),
    path("events/<id:pk>/edit/", views.EventEditView.as_view(), name="event_edit"),
    path("events/<id:pk>/participants/", views.ParticipationAddView.as_view(), name="participation_add"),
    path("participations/<id:pk>/", views.ParticipationEditView.as_view(), name="participation_edit"),
    path(
        "participations/<id:pk>/remove/", views.ParticipationRemoveView.as_view(), name="participation_remove"
    ),
    # Sales points.
    path("sales-points/", views.SalesPointListView.as_view(), name="salespoint_list"),
    path("sales-points/new/", views.SalesPointCreateView.as_view(), name="salespoint_create"),
    path("sales-points/<id:pk>/", views.SalesPointDetailView.as_view(), name="salespoint_detail"),
    path("sales-points/<id:pk>/edit/", views.SalesPointEditView.as_view(), name="salespoint_edit"),
    path("sales-points/<id:pk>/assessments/", views.AssessmentAddView.as_view(), name="assessment_add"),
    # Marketplace listings (the registry's, per product).
    path("listings/", views.ListingListView.as_view(), name="listing_list"),
    # Training.
    path("courses/", views.CourseListView.as_view(), name="course_list"),
    path("courses/new/", views.CourseCreateView.as_view(), name="course_create"),
    path("courses/<id:pk>/", views.CourseDetailView.as_view(), name="course_detail"),
    path("courses/<id:pk>/edit/", views.CourseEditView.as_view(), name="course_edit"),
    path("courses/<id:pk>/attendees/", views.AttendeeAddView.as_view(), name="attendee_add"),
    path("attendees/<id:pk>/remove/", views.AttendeeRemoveView.as_view(), name="attendee_remove"),
    # Outreach.
    path("articles/", views.ArticleListView.as_view(), name="article_list"),
    path("articles/new/", views.ArticleCreateView.as_view(), name="article_create"),
    path("articles/<id:pk>/", views.ArticleDetailView.as_view(), name="article_detail"),
    path("articles/<id:pk>/edit/", views.ArticleEditView.as_view(), name="article_edit"),
    # Public (no login): the catalogue's news page.
    path("news/", views.PublicNewsView.as_view(), name="public_news"),
]
