"""The dashboard (figures, charts, the map of communes) and periodic reports."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from ocop.accounts.selectors import has_perm
from ocop.core.views import ObjectListView, error_text
from ocop.geo.models import AdminUnit

from . import selectors, services
from .filters import ReportFilterSet
from .forms import ReportRequestForm
from .models import Report, ReportState
from .tables import ReportTable

DEFAULT_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"


def map_settings() -> dict:
    return {
        "tiles": getattr(settings, "OCOP_MAP_TILES", DEFAULT_TILES) or "",
        "attribution": getattr(settings, "OCOP_MAP_ATTRIBUTION", ""),
    }


def dashboard_context(request, *, area_param: str | None = None) -> dict | None:
    """The dashboard of the area asked for (or the user's first area); None if the user has no
    dashboard at all. An area outside the user's scope is a 404."""
    if not has_perm(request.user, selectors.PERMISSION):
        return None
    choices = selectors.area_choices(request.user)
    area_param = request.GET.get("area") if area_param is None else area_param
    if area_param == selectors.COUNTRY.pk:
        if not selectors.may_see(request.user, selectors.COUNTRY):
            raise Http404
        area = selectors.COUNTRY
    elif area_param:
        try:
            area = AdminUnit.objects.get(pk=int(area_param))
        except (ValueError, AdminUnit.DoesNotExist):
            raise Http404 from None
        if not selectors.may_see(request.user, area):
            raise Http404
    else:
        area = choices[0] if choices else None
    if area is None:
        return None
    board = selectors.dashboard(
        request.user, area, year=request.GET.get("year"), basis=request.GET.get("basis", selectors.LEGACY)
    )
    return {
        "board": board,
        "area_choices": choices if area in choices else [area, *choices],
        "chart_data": board.chart_data(),
        "map_points": board.map_data(),
        "map": map_settings(),
    }


class DashboardView(LoginRequiredMixin, View):
    template_name = "reporting/dashboard.html"

    def get(self, request):
        context = dashboard_context(request)
        if context is None:
            raise PermissionDenied
        context["title"] = _("Dashboard")
        return render(request, self.template_name, context)


class MapView(DashboardView):
    template_name = "reporting/map.html"

    def get(self, request):
        context = dashboard_context(request)
        if context is None:
            raise PermissionDenied
        context["title"] = _("Map of communes")
        return render(request, self.template_name, context)


class ReportListView(ObjectListView):
    model = Report
    table_class = ReportTable
    filterset_class = ReportFilterSet
    title = gettext_lazy("Reports")
    export_name = "bao-cao"
    add_url_name = "reporting:report_create"
    add_permission = "reporting.add_report"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("area", "requested_by")


class ReportCreateView(LoginRequiredMixin, View):
    template_name = "reporting/report_form.html"

    def get(self, request):
        if not has_perm(request.user, "reporting.add_report"):
            raise PermissionDenied
        form = ReportRequestForm(user=request.user, initial=request.GET.dict())
        return render(request, self.template_name, {"form": form, "title": _("New report")})

    def post(self, request):
        if not has_perm(request.user, "reporting.add_report"):
            raise PermissionDenied
        form = ReportRequestForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                report = services.request_report(request.user, form.cleaned_data)
            except (ValidationError, PermissionDenied) as exc:
                if isinstance(exc, ValidationError):
                    from ocop.accounts.forms import apply_service_errors

                    apply_service_errors(form, exc)
                else:
                    form.add_error(None, error_text(exc))
            else:
                messages.success(request, _("The report is being generated."))
                return redirect(report.get_absolute_url())
        return render(request, self.template_name, {"form": form, "title": _("New report")}, status=400)


class ReportDetailView(LoginRequiredMixin, View):
    def get(self, request, pk):
        report = get_object_or_404(
            Report.objects.for_user(request.user, "view").select_related("area", "requested_by", "task"),
            pk=pk,
        )
        context = {"object": report, "report": report, "title": str(report)}
        if request.htmx:
            return render(request, "reporting/_report_status.html", context)
        from ocop.audit.selectors import history_for

        context["history"] = history_for(report)
        return render(request, "reporting/report_detail.html", context)


CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


class ReportFileView(LoginRequiredMixin, View):
    def get(self, request, pk, fmt):
        if fmt not in CONTENT_TYPES:
            raise Http404
        report = get_object_or_404(Report.objects.for_user(request.user, "view"), pk=pk)
        stored = getattr(report, fmt)
        if report.state != ReportState.DONE or not stored:
            raise Http404
        response = FileResponse(
            stored.open("rb"),
            as_attachment=True,
            filename=f"{services.file_stem(report)}.{fmt}",
            content_type=CONTENT_TYPES[fmt],
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response
