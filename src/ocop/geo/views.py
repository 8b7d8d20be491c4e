from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views import View

from ocop.core.views import ObjectDetailView, ObjectListView

from . import selectors
from .filters import AdminUnitFilterSet, UnitSuccessionFilterSet
from .models import AdminUnit, UnitSuccession
from .tables import AdminUnitTable, UnitSuccessionTable


class AdminUnitListView(ObjectListView):
    model = AdminUnit
    table_class = AdminUnitTable
    filterset_class = AdminUnitFilterSet
    title = _("Administrative units")
    export_name = "don-vi-hanh-chinh"
    template_name = "geo/unit_list.html"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("parent")

    def extra_context(self, request):
        return {"can_reload": _is_global_admin(request.user), "home_area": selectors.home_area()}


def _is_global_admin(user) -> bool:
    from ocop.accounts.selectors import user_scope

    return user_scope(user, "geo.manage_adminunit").everything


class AdminUnitDetailView(ObjectDetailView):
    model = AdminUnit
    template_name = "geo/unit_detail.html"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("parent")

    def extra_context(self, request, obj):
        return selectors.unit_detail(obj)


class UnitSuccessionListView(ObjectListView):
    model = UnitSuccession
    table_class = UnitSuccessionTable
    filterset_class = UnitSuccessionFilterSet
    title = _("2025 reorganisation: former units and their successors")
    export_name = "sap-nhap-2025"

    def get_queryset(self, request):
        # Successions are reference data, readable by every signed-in user (like places).
        return selectors.succession_list()


class UnitSearchView(LoginRequiredMixin, View):
    """Autocomplete: up to 20 places matching `q`, as an htmx partial or JSON (`?format=json`)."""

    def get(self, request):
        field = request.GET.get("field", "")[:50]
        query = (
            request.GET.get("q") or request.GET.get(f"{field}_search", "")
            if field
            else request.GET.get("q", "")
        )
        query = query[:200]
        qs = AdminUnit.objects.for_user(request.user, "view").select_related("parent")
        edition = request.GET.get("edition")
        if edition:
            qs = qs.filter(edition=edition)
        results = list(qs.search(query).ranked()[:20]) if query.strip() else []
        if request.GET.get("format") == "json":
            return JsonResponse(
                {
                    "results": [
                        {
                            "id": u.pk,
                            "code": u.code,
                            "name": u.name,
                            "parent": u.parent.name if u.parent else "",
                            "edition": u.edition,
                            "level": u.level,
                        }
                        for u in results
                    ]
                }
            )
        return render(
            request, "geo/_search_results.html", {"results": results, "query": query, "field": field}
        )


class ReloadUnitsView(LoginRequiredMixin, View):
    """Global administrators re-load the units in the background and watch a progress bar."""

    def post(self, request):
        from django.shortcuts import redirect

        from ocop.core.tasks import start

        if not _is_global_admin(request.user):
            raise PermissionDenied
        progress = start(
            "ocop.geo.tasks.reload_units",
            request.user,
            label=str(_("Reload administrative units")),
            force=True,
        )
        return redirect("core:task_progress", pk=progress.pk)
