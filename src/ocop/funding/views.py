"""Screens of funding and support: sources, grants with their disbursements, state-funded assets,
and the totals by source, area and year (a page and an .xlsx export). Reads go through
`for_user`; writes call the services."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import transaction
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from ocop.core.views import ObjectDetailView, ObjectListView, ServiceFormView, require_perm

from . import selectors, services
from .choices import AssetState
from .filters import AssetFilterSet, GrantFilterSet, SourceFilterSet, TotalsFilterSet
from .forms import AssetEndForm, AssetForm, DisbursementForm, GrantForm, SourceForm
from .models import FundingSource, StateAsset, SupportGrant
from .tables import AssetTable, GrantTable, SourceTable

# --- sources -------------------------------------------------------------------------------------


class SourceListView(ObjectListView):
    model = FundingSource
    table_class = SourceTable
    filterset_class = SourceFilterSet
    title = gettext_lazy("Funding sources")
    export_name = "nguon-kinh-phi"
    add_url_name = "funding:source_create"
    add_permission = "funding.add_fundingsource"

    def get_queryset(self, request):
        return selectors.sources_for_list(request.user)


class SourceDetailView(ObjectDetailView):
    model = FundingSource
    template_name = "funding/source_detail.html"

    def get_queryset(self, request):
        return selectors.sources_for_list(request.user)

    def extra_context(self, request, obj):
        grants = selectors.grants_for_list(request.user).filter(source=obj).order_by("-decision_date", "pk")
        return {
            "grants": list(grants[:200]),
            "can_change": services.may(request.user, "funding.change_fundingsource", obj.area),
        }


class SourceCreateView(ServiceFormView):
    form_class = SourceForm
    title = gettext_lazy("New funding source")

    def get_object(self, request, pk):
        require_perm(request.user, "funding.add_fundingsource")
        return None

    def get_form(self, request, obj, data=None):
        return SourceForm(data)

    def call_service(self, request, obj, form):
        return services.create_source(request.user, form.cleaned_data)


class SourceEditView(ServiceFormView):
    form_class = SourceForm

    def get_object(self, request, pk):
        source = get_object_or_404(
            FundingSource.objects.for_user(request.user, "change").select_related("area"), pk=pk
        )
        require_perm(request.user, "funding.change_fundingsource", source.area)
        return source

    def get_form(self, request, obj, data=None):
        return SourceForm(data, instance=obj)

    def call_service(self, request, obj, form):
        return services.update_source(request.user, obj, form.cleaned_data)


# --- grants --------------------------------------------------------------------------------------


class GrantListView(ObjectListView):
    model = SupportGrant
    table_class = GrantTable
    filterset_class = GrantFilterSet
    title = gettext_lazy("Support to producers")
    export_name = "ho-tro-chu-the"
    add_url_name = "funding:grant_create"
    add_permission = "funding.add_supportgrant"

    def get_queryset(self, request):
        return selectors.grants_for_list(request.user)


class GrantDetailView(ObjectDetailView):
    model = SupportGrant
    template_name = "funding/grant_detail.html"

    def get_queryset(self, request):
        return selectors.grants_for_list(request.user)

    def extra_context(self, request, obj):
        return {
            "disbursements": list(obj.disbursements.all()),
            "remaining": obj.approved_amount - obj.disbursed,
            "assets": list(obj.assets.all()),
            "can_change": services.may(request.user, "funding.change_supportgrant", obj.commune),
        }


def _grant(request, pk) -> SupportGrant:
    grant = get_object_or_404(
        SupportGrant.objects.for_user(request.user, "change").select_related("producer", "commune"), pk=pk
    )
    require_perm(request.user, "funding.change_supportgrant", grant.commune)
    return grant


class GrantCreateView(ServiceFormView):
    form_class = GrantForm
    title = gettext_lazy("New support grant")

    def get_object(self, request, pk):
        require_perm(request.user, "funding.add_supportgrant")
        return None

    def get_form(self, request, obj, data=None):
        return GrantForm(data, user=request.user)

    def call_service(self, request, obj, form):
        return services.create_grant(request.user, form.cleaned_data)


class GrantEditView(ServiceFormView):
    form_class = GrantForm

    def get_object(self, request, pk):
        return _grant(request, pk)

    def get_form(self, request, obj, data=None):
        return GrantForm(data, user=request.user, instance=obj)

    def call_service(self, request, obj, form):
        data = dict(form.cleaned_data)
        data.pop("producer", None)
        return services.update_grant(request.user, obj, data)


class DisbursementAddView(ServiceFormView):
    form_class = DisbursementForm
    title = gettext_lazy("Disbursement")

    def get_object(self, request, pk):
        return _grant(request, pk)

    def get_form(self, request, obj, data=None):
        return DisbursementForm(data)

    def call_service(self, request, obj, form):
        services.add_disbursement(request.user, obj, form.cleaned_data)
        return obj


# --- state-funded assets -------------------------------------------------------------------------


class AssetListView(ObjectListView):
    model = StateAsset
    table_class = AssetTable
    filterset_class = AssetFilterSet
    title = gettext_lazy("State-funded assets handed to producers")
    export_name = "tai-san-nha-nuoc"
    add_url_name = "funding:asset_create"
    add_permission = "funding.add_stateasset"

    def get_queryset(self, request):
        return selectors.assets_for_list(request.user)


class AssetDetailView(ObjectDetailView):
    model = StateAsset
    template_name = "funding/asset_detail.html"

    def get_queryset(self, request):
        return selectors.assets_for_list(request.user).select_related("grant")

    def extra_context(self, request, obj):
        return {
            "can_change": obj.state == AssetState.IN_USE
            and services.may(request.user, "funding.change_stateasset", obj.commune)
        }


def _asset(request, pk) -> StateAsset:
    asset = get_object_or_404(
        StateAsset.objects.for_user(request.user, "change").select_related("producer", "commune"), pk=pk
    )
    require_perm(request.user, "funding.change_stateasset", asset.commune)
    return asset


class AssetCreateView(ServiceFormView):
    form_class = AssetForm
    title = gettext_lazy("New state-funded asset")

    def get_object(self, request, pk):
        require_perm(request.user, "funding.add_stateasset")
        return None

    def get_form(self, request, obj, data=None):
        return AssetForm(data, user=request.user)

    def call_service(self, request, obj, form):
        return services.create_asset(request.user, form.cleaned_data)


class AssetEditView(ServiceFormView):
    form_class = AssetForm

    def get_object(self, request, pk):
        return _asset(request, pk)

    def get_form(self, request, obj, data=None):
        return AssetForm(data, user=request.user, instance=obj)

    def call_service(self, request, obj, form):
        data = dict(form.cleaned_data)
        data.pop("producer", None)
        return services.update_asset(request.user, obj, data)


class AssetEndView(ServiceFormView):
    form_class = AssetEndForm
    title = gettext_lazy("Return or write-off")

    def get_object(self, request, pk):
        return _asset(request, pk)

    def get_form(self, request, obj, data=None):
        return AssetEndForm(data)

    def call_service(self, request, obj, form):
        d = form.cleaned_data
        return services.end_asset(request.user, obj, d["state"], d["ended_on"], d["end_reason"])


# --- totals --------------------------------------------------------------------------------------


class TotalsView(LoginRequiredMixin, View):
    """Support by funding source, by commune and by year (approved, disbursed, grants, producers),
    over the grants the user may see; `?export=xlsx` downloads the same tables."""

    def get(self, request):
        grants = SupportGrant.objects.for_user(request.user, "view")
        filterset = TotalsFilterSet(request.GET or None, queryset=grants, request=request)
        if filterset.is_bound:
            grants = filterset.qs if filterset.is_valid() else grants.none()
        data = selectors.totals(grants)
        if request.GET.get("export") == "xlsx":
            return self.export(request, data)
        return render(
            request,
            "funding/totals.html",
            {
                "title": _("Support totals"),
                "filterset": filterset,
                "totals": data,
                "query": request.GET.urlencode(),
            },
        )

    def export(self, request, data):
        from ocop.audit import services as audit

        from .export import totals_response

        with transaction.atomic():
            audit.record(
                actor=request.user,
                action="export",
                object_type="funding.supportgrant",
                object_repr=_("Support totals"),
                message=f"xlsx; filters: {request.GET.urlencode()}",
            )
        return totals_response(data)
