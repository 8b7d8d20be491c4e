"""Screens of the activities: promotion events (with their participants), sales points (with their
assessments), training courses (with their attendees), outreach articles, the marketplace-listing
overview; and the public news page (no login, no cookie, cacheable).

Reads go through `for_user` (out of scope: 404); writes call the services, which check who may."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from ocop.core.views import (
    ObjectDetailView,
    ObjectListView,
    ServiceFormView,
    form_data,
    require_perm,
    run_service,
)
from ocop.registry.models import MarketplaceListing

from . import checklist, selectors, services
from .filters import ArticleFilterSet, CourseFilterSet, EventFilterSet, ListingFilterSet, SalesPointFilterSet
from .forms import (
    ArticleForm,
    AssessmentForm,
    AttendeeForm,
    CourseForm,
    EventForm,
    ParticipationForm,
    SalesPointForm,
)
from .models import (
    CourseAttendee,
    EventParticipation,
    OutreachArticle,
    PromotionEvent,
    SalesPoint,
    TrainingCourse,
)
from .tables import ArticleTable, CourseTable, EventTable, ListingTable, SalesPointTable

# --- generic create / edit ---------------------------------------------------------------------------


class RecordCreateView(ServiceFormView):
    model = None
    create = None

    def get_object(self, request, pk):
        require_perm(request.user, f"activities.add_{self.model._meta.model_name}")
        return None

    def get_form(self, request, obj, data=None):
        return self.form_class(data, user=request.user)

    def call_service(self, request, obj, form):
        return type(self).create(request.user, form.cleaned_data)


class RecordEditView(ServiceFormView):
    model = None
    update = None

    def get_object(self, request, pk):
        obj = get_object_or_404(self.model.objects.for_user(request.user, "change"), pk=pk)
        require_perm(request.user, f"activities.change_{self.model._meta.model_name}", obj.area)
        return obj

    def get_form(self, request, obj, data=None):
        return self.form_class(data, instance=obj, user=request.user)

    def call_service(self, request, obj, form):
        return type(self).update(request.user, obj, form.cleaned_data)


def _changeable(request, model, pk):
    """A record the user may change (its children too); others are not found."""
    obj = get_object_or_404(model.objects.for_user(request.user, "change").select_related("area"), pk=pk)
    require_perm(request.user, f"activities.change_{model._meta.model_name}", obj.area)
    return obj


# --- trade promotion -------------------------------------------------------------------------------


class EventListView(ObjectListView):
    model = PromotionEvent
    table_class = EventTable
    filterset_class = EventFilterSet
    title = gettext_lazy("Promotion events")
    export_name = "xuc-tien-thuong-mai"
    add_url_name = "activities:event_create"
    add_permission = "activities.add_promotionevent"

    def get_queryset(self, request):
        return selectors.events_for_list(request.user)


class EventDetailView(ObjectDetailView):
    model = PromotionEvent
    template_name = "activities/event_detail.html"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("area")

    def extra_context(self, request, obj):
        can_change = services.may(request.user, "activities.change_promotionevent", obj.area)
        return {
            **selectors.event_detail(obj),
            "can_change": can_change,
            "form": ParticipationForm(user=request.user, event=obj) if can_change else None,
        }


class EventCreateView(RecordCreateView):
    model = PromotionEvent
    form_class = EventForm
    title = gettext_lazy("New promotion event")
    create = services.create_event


class EventEditView(RecordEditView):
    model = PromotionEvent
    form_class = EventForm
    update = services.update_event


class ParticipationAddView(LoginRequiredMixin, View):
    def post(self, request, pk):
        event = _changeable(request, PromotionEvent, pk)
        form = ParticipationForm(request.POST, user=request.user, event=event)
        run_service(
            request, lambda: services.add_participation(request.user, event, form_data(form)), _("Saved.")
        )
        return redirect(event.get_absolute_url())


class ParticipationEditView(ServiceFormView):
    form_class = ParticipationForm

    def get_object(self, request, pk):
        participation = get_object_or_404(
            EventParticipation.objects.select_related("event", "event__area", "producer"),
            pk=pk,
            event__in=PromotionEvent.objects.for_user(request.user, "change"),
        )
        require_perm(request.user, "activities.change_promotionevent", participation.event.area)
        return participation

    def get_form(self, request, obj, data=None):
        form = ParticipationForm(data, instance=obj, user=request.user, event=obj.event)
        form.fields["producer"].disabled = True
        return form

    def call_service(self, request, obj, form):
        return services.update_participation(request.user, obj, form.cleaned_data)


class ParticipationRemoveView(LoginRequiredMixin, View):
    def post(self, request, pk):
        participation = get_object_or_404(
            EventParticipation.objects.select_related("event", "event__area"),
            pk=pk,
            event__in=PromotionEvent.objects.for_user(request.user, "change"),
        )
        event = participation.event
        run_service(
            request, lambda: services.remove_participation(request.user, participation), _("Removed.")
        )
        return redirect(event.get_absolute_url())


# --- sales points ----------------------------------------------------------------------------------


class SalesPointListView(ObjectListView):
    model = SalesPoint
    table_class = SalesPointTable
    filterset_class = SalesPointFilterSet
    title = gettext_lazy("OCOP sales points")
    export_name = "diem-ban-ocop"
    add_url_name = "activities:salespoint_create"
    add_permission = "activities.add_salespoint"

    def get_queryset(self, request):
        return selectors.sales_points_for_list(request.user)


def _version_from(request, default_day):
    code = request.GET.get("version") or request.POST.get("checklist_version")
    return checklist.get(code) if code else checklist.in_force(default_day)


class SalesPointDetailView(ObjectDetailView):
    model = SalesPoint
    template_name = "activities/salespoint_detail.html"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("area")

    def extra_context(self, request, obj):
        from django.utils import timezone

        can_change = services.may(request.user, "activities.change_salespoint", obj.area)
        assessments = list(obj.assessments.all())
        for a in assessments:
            version = checklist.get(a.checklist_version)
            a.version = version
            a.rows = [(item, a.answers.get(item.code)) for item in version.items] if version else []
        version = _version_from(request, timezone.localdate()) or checklist.in_force(timezone.localdate())
        return {
            "products": list(obj.products.select_related("producer").order_by("name")),
            "assessments": assessments,
            "can_change": can_change,
            "versions": list(checklist.versions().values()),
            "assessment_version": version,
            "form": AssessmentForm(version=version, initial={"assessed_on": timezone.localdate()})
            if can_change and version
            else None,
        }


class SalesPointCreateView(RecordCreateView):
    model = SalesPoint
    form_class = SalesPointForm
    title = gettext_lazy("New OCOP sales point")
    create = services.create_sales_point


class SalesPointEditView(RecordEditView):
    model = SalesPoint
    form_class = SalesPointForm
    update = services.update_sales_point


def _assessment_data(form: AssessmentForm) -> dict:
    form_data(form)  # raises the form's errors
    return form.service_data()


class AssessmentAddView(LoginRequiredMixin, View):
    def post(self, request, pk):
        point = _changeable(request, SalesPoint, pk)
        version = checklist.get(request.POST.get("form_version", "")) or checklist.get(
            request.POST.get("checklist_version", "")
        )
        form = AssessmentForm(request.POST, version=version)
        run_service(
            request,
            lambda: services.assess_sales_point(request.user, point, _assessment_data(form)),
            _("Saved."),
        )
        return redirect(point.get_absolute_url())


# --- training --------------------------------------------------------------------------------------


class CourseListView(ObjectListView):
    model = TrainingCourse
    table_class = CourseTable
    filterset_class = CourseFilterSet
    title = gettext_lazy("Training courses")
    export_name = "tap-huan-ocop"
    add_url_name = "activities:course_create"
    add_permission = "activities.add_trainingcourse"

    def get_queryset(self, request):
        return selectors.courses_for_list(request.user)


class CourseDetailView(ObjectDetailView):
    model = TrainingCourse
    template_name = "activities/course_detail.html"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("area")

    def extra_context(self, request, obj):
        can_change = services.may(request.user, "activities.change_trainingcourse", obj.area)
        return {
            "attendees": list(selectors.attendees(obj)),
            "can_change": can_change,
            "form": AttendeeForm(user=request.user, course=obj) if can_change else None,
        }


class CourseCreateView(RecordCreateView):
    model = TrainingCourse
    form_class = CourseForm
    title = gettext_lazy("New training course")
    create = services.create_course


class CourseEditView(RecordEditView):
    model = TrainingCourse
    form_class = CourseForm
    update = services.update_course


class AttendeeAddView(LoginRequiredMixin, View):
    def post(self, request, pk):
        course = _changeable(request, TrainingCourse, pk)
        form = AttendeeForm(request.POST, user=request.user, course=course)
        run_service(
            request, lambda: services.add_attendee(request.user, course, form_data(form)), _("Saved.")
        )
        return redirect(course.get_absolute_url())


class AttendeeRemoveView(LoginRequiredMixin, View):
    def post(self, request, pk):
        attendee = get_object_or_404(
            CourseAttendee.objects.select_related("course", "course__area"),
            pk=pk,
            course__in=TrainingCourse.objects.for_user(request.user, "change"),
        )
        course = attendee.course
        run_service(request, lambda: services.remove_attendee(request.user, attendee), _("Removed."))
        return redirect(course.get_absolute_url())


# --- outreach --------------------------------------------------------------------------------------


class ArticleListView(ObjectListView):
    model = OutreachArticle
    table_class = ArticleTable
    filterset_class = ArticleFilterSet
    title = gettext_lazy("Outreach articles")
    export_name = "tuyen-truyen-ocop"
    add_url_name = "activities:article_create"
    add_permission = "activities.add_outreacharticle"

    def get_queryset(self, request):
        return selectors.articles_for_list(request.user)


class ArticleDetailView(ObjectDetailView):
    model = OutreachArticle
    template_name = "activities/article_detail.html"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("area")

    def extra_context(self, request, obj):
        return {"can_change": services.may(request.user, "activities.change_outreacharticle", obj.area)}


class ArticleCreateView(RecordCreateView):
    model = OutreachArticle
    form_class = ArticleForm
    title = gettext_lazy("New outreach article")
    create = services.create_article


class ArticleEditView(RecordEditView):
    model = OutreachArticle
    form_class = ArticleForm
    update = services.update_article


# --- marketplace listings --------------------------------------------------------------------------


class ListingListView(ObjectListView):
    """The registry's marketplace listings of the products in scope, and the share of certified
    products sold online."""

    model = MarketplaceListing
    table_class = ListingTable
    filterset_class = ListingFilterSet
    template_name = "activities/listing_list.html"
    title = gettext_lazy("Marketplace listings")
    export_name = "san-tmdt-ocop"

    def get_queryset(self, request):
        return selectors.listings_for_list(request.user)

    def get_title(self) -> str:
        return str(self.title)

    def extra_context(self, request):
        return {"share": selectors.online_share(request.user)}


# --- public ----------------------------------------------------------------------------------------


class PublicNewsView(View):
    """The catalogue's news page: outreach articles an officer marked public. No login, no cookie."""

    def get(self, request):
        from django.conf import settings
        from django.urls import reverse

        from ocop.catalogue.views import public

        paginator = Paginator(selectors.public_articles(), 30)
        page = paginator.get_page(request.GET.get("page"))
        context = {
            "title": _("News about the OCOP programme"),
            "description": _("Articles, reports and broadcasts about the OCOP programme."),
            "page": page,
            "paginator": paginator,
            "articles": list(page.object_list),
            "canonical": settings.OCOP_SITE_URL + reverse("activities:public_news"),
        }
        return public(render(request, "activities/public_news.html", context))
