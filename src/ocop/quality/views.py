"""Screens of the quality app: the standards register across products (expiry), traceability
adoption, advanced quality management per producer, and inspections with their samples,
follow-up actions and the cases they open on a certificate. Reads go through `for_user`; writes
call the services."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy

from ocop.core.views import ObjectDetailView, ObjectListView, ServiceFormView, require_perm
from ocop.registry.models import Producer, Product, ProductStandard

from . import selectors, services
from .choices import CaseKind, CaseState, InspectionState, Outcome
from .filters import InspectionFilterSet, QmsFilterSet, StandardFilterSet, TraceabilityFilterSet
from .forms import ActionForm, CaseForm, DoneForm, InspectionForm, RevocationForm, SampleForm
from .models import FollowUpAction, Inspection, InspectionCase
from .tables import InspectionTable, QmsTable, StandardTable, TraceabilityTable


class StandardListView(ObjectListView):
    model = ProductStandard

    table_class = StandardTable
    filterset_class = StandardFilterSet
    title = gettext_lazy("Standards and certifications held")
    export_name = "tieu-chuan-chung-nhan"

    def get_queryset(self, request):
        return selectors.standards_for_list(request.user)


class TraceabilityListView(ObjectListView):
    model = Product

    table_class = TraceabilityTable
    filterset_class = TraceabilityFilterSet
    template_name = "quality/traceability_list.html"
    title = gettext_lazy("Traceability adoption")
    export_name = "truy-xuat-nguon-goc"

    def get_queryset(self, request):
        return selectors.traceability_for_list(request.user)

    def extra_context(self, request):
        return {"share": selectors.traceability_share(selectors.traceability_for_list(request.user))}


class QmsListView(ObjectListView):
    model = Producer

    table_class = QmsTable
    filterset_class = QmsFilterSet
    title = gettext_lazy("Advanced quality management by producer")
    export_name = "he-thong-quan-ly-chat-luong"

    def get_queryset(self, request):
        return selectors.producers_qms_for_list(request.user)


class InspectionListView(ObjectListView):
    model = Inspection
    table_class = InspectionTable
    filterset_class = InspectionFilterSet
    title = gettext_lazy("Quality inspections")
    export_name = "kiem-tra-chat-luong"
    add_url_name = "quality:inspection_create"
    add_permission = "quality.add_inspection"

    def get_queryset(self, request):
        return selectors.inspections_for_list(request.user)


class InspectionDetailView(ObjectDetailView):
    model = Inspection
    template_name = "quality/inspection_detail.html"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("producer", "area", "created_by")

    def extra_context(self, request, obj):
        today = timezone.localdate()
        can_change = services.may(request.user, "quality.change_inspection", obj.area)
        failed = obj.state == InspectionState.DONE and obj.outcome == Outcome.FAILED
        return {
            "products": list(obj.products.select_related("producer")),
            "samples": list(obj.samples.select_related("product")),
            "actions": [(a, a.is_overdue(today)) for a in obj.actions.all()],
            "cases": list(
                obj.cases.select_related("product", "certificate", "dossier", "revocation_decision")
            ),
            "can_change": can_change,
            "can_open_case": can_change and failed,
            "case_open": CaseState.OPEN,
            "revocation": CaseKind.REVOCATION,
        }


def _changeable(request, pk) -> Inspection:
    inspection = get_object_or_404(
        Inspection.objects.for_user(request.user, "change").select_related("producer", "area"), pk=pk
    )
    require_perm(request.user, "quality.change_inspection", inspection.area)
    return inspection


class InspectionCreateView(ServiceFormView):
    form_class = InspectionForm
    title = gettext_lazy("New quality inspection")

    def get_object(self, request, pk):
        require_perm(request.user, "quality.add_inspection")
        return None

    def get_form(self, request, obj, data=None):
        return InspectionForm(data, user=request.user, initial={"date": timezone.localdate()})

    def call_service(self, request, obj, form):
        return services.create_inspection(request.user, form.cleaned_data)


class InspectionEditView(ServiceFormView):
    form_class = InspectionForm

    def get_object(self, request, pk):
        return _changeable(request, pk)

    def get_form(self, request, obj, data=None):
        return InspectionForm(data, user=request.user, instance=obj)

    def call_service(self, request, obj, form):
        data = dict(form.cleaned_data)
        data.pop("producer", None)
        return services.update_inspection(request.user, obj, data)


class SampleAddView(ServiceFormView):
    title = gettext_lazy("Sample and test")

    def get_object(self, request, pk):
        return _changeable(request, pk)

    def get_form(self, request, obj, data=None):
        return SampleForm(data, inspection=obj)

    def call_service(self, request, obj, form):
        services.add_sample(request.user, obj, form.cleaned_data)
        return obj


class PlainFormView(ServiceFormView):
    """A form that is not an edit of the object the URL names (the inspection)."""

    def get_form(self, request, obj, data=None):
        return self.form_class(data)


class ActionAddView(PlainFormView):
    form_class = ActionForm
    title = gettext_lazy("Follow-up action")

    def get_object(self, request, pk):
        return _changeable(request, pk)

    def call_service(self, request, obj, form):
        services.add_action(request.user, obj, form.cleaned_data)
        return obj


class ActionDoneView(PlainFormView):
    form_class = DoneForm
    title = gettext_lazy("Follow-up action done")

    def get_form(self, request, obj, data=None):
        return DoneForm(data, initial={"done_on": timezone.localdate()})

    def get_object(self, request, pk):
        inspection = _changeable(request, pk)
        self.follow_up = get_object_or_404(FollowUpAction, inspection=inspection, pk=self.kwargs["action_id"])
        return inspection

    def get(self, request, pk=None, action_id=None):
        return super().get(request, pk)

    def post(self, request, pk=None, action_id=None):
        return super().post(request, pk)

    def call_service(self, request, obj, form):
        services.complete_action(request.user, self.follow_up, form.cleaned_data["done_on"])
        return obj


class CaseOpenView(ServiceFormView):
    title = gettext_lazy("Open a case on the certificate")

    def get_object(self, request, pk):
        return _changeable(request, pk)

    def get_form(self, request, obj, data=None):
        return CaseForm(data, inspection=obj)

    def call_service(self, request, obj, form):
        services.open_case(request.user, obj, form.cleaned_data)
        return obj


class RevocationRecordView(PlainFormView):
    form_class = RevocationForm
    title = gettext_lazy("Record the signed revocation")

    def get_object(self, request, pk):
        inspection = _changeable(request, pk)
        self.case = get_object_or_404(InspectionCase, inspection=inspection, pk=self.kwargs["case_id"])
        return inspection

    def get(self, request, pk=None, case_id=None):
        return super().get(request, pk)

    def post(self, request, pk=None, case_id=None):
        return super().post(request, pk)

    def call_service(self, request, obj, form):
        services.record_revocation(request.user, self.case, form.cleaned_data)
        return obj
