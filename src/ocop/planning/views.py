"""Screens of the planning app: plans (list, detail with the progress table and the tasks, forms),
the targets grid, the records behind an actual, the indicator library and the values entered by
hand. Every read goes through `for_user`; every write through `services`."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from ocop.accounts.selectors import has_perm, user_scope
from ocop.core.export import export_response
from ocop.core.tables import Column
from ocop.core.views import (
    ObjectDetailView,
    ObjectListView,
    ServiceFormView,
    form_data,
    require_perm,
    run_service,
)
from ocop.geo.models import AdminUnit

from . import indicators as registry
from . import selectors, services
from .choices import Method, PlanState
from .filters import EnteredValueFilterSet, PlanFilterSet
from .forms import EnteredValueForm, PlanForm, ReportForm, TaskForm
from .models import EnteredValue, Indicator, Plan, PlanTask
from .tables import EnteredValueTable, PlanTable


def _as_of(request) -> dt.date:
    return parse_date(request.GET.get("as_of") or "") or timezone.localdate()


def _visible_rows(user, plan, rows):
    """All rows for users over the plan's area; only their own areas' rows for the others."""
    scope = user_scope(user, "planning.view_plan")
    if scope.covers_unit(plan.area):
        return rows
    return [r for r in rows if scope.covers_unit(r.area)]


# --- plans ---------------------------------------------------------------------------------------------


class PlanListView(ObjectListView):
    model = Plan
    table_class = PlanTable
    filterset_class = PlanFilterSet
    title = gettext_lazy("Plans and targets")
    export_name = "ke-hoach-ocop"
    add_url_name = "planning:plan_create"
    add_permission = "planning.add_plan"

    def get_queryset(self, request):
        return selectors.plans_for_list(request.user)


class PlanDetailView(ObjectDetailView):
    model = Plan
    template_name = "planning/plan_detail.html"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("area")

    def extra_context(self, request, obj):
        as_of = _as_of(request)
        mode = "current" if request.GET.get("view") == "current" else "targets"
        rows = _visible_rows(request.user, obj, selectors.progress(obj, as_of=as_of))
        by_area: dict[int, dict] = {}
        for row in rows:
            by_area.setdefault(row.area.pk, {"area": row.area, "rows": []})["rows"].append(row)
        groups = sorted(
            by_area.values(), key=lambda g: (g["area"].pk != obj.area_id, g["area"].level, g["area"].path)
        )
        full = user_scope(request.user, "planning.view_plan").covers_unit(obj.area)
        legacy_targets = any(r.area.is_legacy for r in rows)
        current = None
        if mode == "current" and full and legacy_targets:
            communes, cells = selectors.current_breakdown(obj, as_of=as_of)
            current = {"communes": communes, "rows": cells}
        tasks = list(selectors.tasks_of(obj))
        today = timezone.localdate()
        can_change = services.may(request.user, "planning.change_plan", obj.area)
        can_report = can_change or services.may(request.user, "planning.report_plantask", obj.area)
        return {
            "groups": groups,
            "as_of": as_of,
            "mode": mode,
            "switchable": full and legacy_targets,
            "current": current,
            "share": selectors.elapsed_share(obj.period_start, obj.period_end, as_of),
            "tasks": [(t, t.is_overdue(today)) for t in tasks],
            "can_change": can_change and obj.state != PlanState.CLOSED,
            "can_state": can_change,
            "can_report": can_report and obj.state != PlanState.CLOSED,
            "report_form": ReportForm(initial={"date": today}),
        }


class PlanCreateView(ServiceFormView):
    form_class = PlanForm
    title = gettext_lazy("New plan")

    def get_object(self, request, pk):
        require_perm(request.user, "planning.add_plan")
        return None

    def get_form(self, request, obj, data=None):
        return PlanForm(data)

    def call_service(self, request, obj, form):
        return services.create_plan(request.user, form.cleaned_data)


def _plan(request, pk, action: str = "change") -> Plan:
    plan = get_object_or_404(Plan.objects.for_user(request.user, "view").select_related("area"), pk=pk)
    if action == "change":
        require_perm(request.user, "planning.change_plan", plan.area)
    return plan


class PlanEditView(ServiceFormView):
    form_class = PlanForm

    def get_object(self, request, pk):
        return _plan(request, pk)

    def get_form(self, request, obj, data=None):
        return PlanForm(data, instance=obj)

    def call_service(self, request, obj, form):
        return services.update_plan(request.user, obj, form.cleaned_data)


STATE_ACTIONS = {"in-force": PlanState.IN_FORCE, "close": PlanState.CLOSED, "draft": PlanState.DRAFT}


class PlanStateView(LoginRequiredMixin, View):
    def post(self, request, pk, action):
        plan = _plan(request, pk)
        if action not in STATE_ACTIONS:
            raise Http404
        run_service(
            request, lambda: services.set_plan_state(request.user, plan, STATE_ACTIONS[action]), _("Saved.")
        )
        return redirect(plan.get_absolute_url())


# --- the targets grid ----------------------------------------------------------------------------------


def _grid_areas(plan: Plan, extra=None) -> list[AdminUnit]:
    areas = selectors.plan_areas(plan)
    if plan.area.level < 3:
        children = plan.area.children.order_by("path")
        if plan.area.level == 2 or plan.area.is_legacy:
            areas += [c for c in children if c not in areas]
    if extra is not None and extra not in areas:
        areas.append(extra)
    return areas


class TargetGridView(LoginRequiredMixin, View):
    template_name = "planning/targets.html"

    def _context(self, request, plan, errors=None, posted=None):
        extra = None
        raw = request.GET.get("add_area") or request.POST.get("add_area") or ""
        if raw.isdigit():
            extra = selectors.allowed_target_areas(plan).filter(pk=int(raw)).first()
        areas = _grid_areas(plan, extra)
        if posted:
            ids = {a.pk for a in areas}
            areas += list(AdminUnit.objects.filter(pk__in={k[1] for k in posted} - ids).order_by("path"))
        grid = selectors.targets_grid(plan)
        indicators = list(Indicator.objects.filter(active=True).order_by("order"))
        rows = []
        for indicator in indicators:
            cells = []
            for area in areas:
                key = (indicator.pk, area.pk)
                value = posted.get(key) if posted and key in posted else grid.get(key)
                cells.append({"name": f"t-{indicator.pk}-{area.pk}", "value": "" if value is None else value})
            rows.append({"indicator": indicator, "cells": cells})
        from ocop.accounts.forms import AreaField

        picker = AreaField(label=_("Add an area"), required=False).widget.render("add_area", None)
        return {
            "object": plan,
            "title": _("Targets of %(plan)s") % {"plan": plan.number},
            "areas": areas,
            "rows": rows,
            "errors": errors or [],
            "picker": picker,
        }

    def get(self, request, pk):
        plan = _plan(request, pk)
        return render(request, self.template_name, self._context(request, plan))

    def post(self, request, pk):
        plan = _plan(request, pk)
        posted: dict[tuple[int, int], str] = {}
        for key, value in request.POST.items():
            parts = key.split("-")
            if len(parts) == 3 and parts[0] == "t" and parts[1].isdigit() and parts[2].isdigit():
                posted[(int(parts[1]), int(parts[2]))] = value.strip()
        indicators = Indicator.objects.in_bulk({k[0] for k in posted})
        areas = AdminUnit.objects.in_bulk({k[1] for k in posted})
        errors = []
        rows = []
        for (indicator_id, area_id), value in posted.items():
            if indicator_id not in indicators or area_id not in areas:
                errors.append(_("A cell names an unknown indicator or area."))
                continue
            rows.append({"indicator": indicators[indicator_id], "area": areas[area_id], "value": value})
        if not errors:
            try:
                counts = services.set_targets(request.user, plan, rows)
            except ValidationError as exc:
                errors = exc.messages
            except PermissionDenied as exc:
                errors = [str(exc) or _("You may not do this.")]
            else:
                from django.contrib import messages

                messages.success(
                    request,
                    _("Targets saved: %(created)s set, %(updated)s changed, %(deleted)s removed.") % counts,
                )
                return redirect(plan.get_absolute_url())
        return render(request, self.template_name, self._context(request, plan, errors, posted), status=400)


# --- progress export and records ------------------------------------------------------------------------


class _Rows(list):
    def iterator(self, chunk_size=None):
        return iter(self)


class _ProgressTable:
    def __init__(self, rows):
        self.queryset = _Rows(rows)
        self.columns = [
            Column(_("Indicator"), value=lambda r: r.indicator.name),
            Column(_("Code"), value=lambda r: r.indicator.code),
            Column(_("Unit"), value=lambda r: r.indicator.get_unit_display()),
            Column(_("Area"), value=lambda r: r.area.name),
            Column(_("Target"), value=lambda r: r.target),
            Column(_("Expected to date"), value=lambda r: r.expected),
            Column(_("Actual"), value=lambda r: r.actual),
            Column(_("Actual ÷ target (%)"), value=lambda r: r.percent),
            Column(_("Status"), value=lambda r: _light_label(r.light)),
            Column(_("Note"), value=lambda r: r.note),
        ]

    def export_columns(self):
        return self.columns


def _light_label(light: str) -> str:
    from .choices import Light

    return str(Light(light).label)


class ProgressExportView(LoginRequiredMixin, View):
    def get(self, request, pk, fmt):
        if fmt not in ("csv", "xlsx"):
            raise Http404
        plan = _plan(request, pk, action="view")
        as_of = _as_of(request)
        rows = _visible_rows(request.user, plan, selectors.progress(plan, as_of=as_of))
        from ocop.audit import services as audit

        with transaction.atomic():
            audit.record(
                actor=request.user,
                action="export",
                obj=plan,
                message=f"{fmt}: progress on {as_of:%d/%m/%Y}, {len(rows)} rows",
                area=plan.area,
            )
        slug = "".join(ch if ch.isalnum() else "-" for ch in plan.number).strip("-").lower() or "ke-hoach"
        return export_response(_ProgressTable(rows), fmt, f"tien-do-{slug}-{as_of:%Y%m%d}")


class RecordsView(LoginRequiredMixin, View):
    """The records behind an actual: the counter's records in the area and period, as far as the
    viewer may see them."""

    def get(self, request):
        code = request.GET.get("indicator", "")
        counter = registry.get(code)
        indicator = Indicator.objects.filter(code=code).first()
        start = parse_date(request.GET.get("start") or "")
        end = parse_date(request.GET.get("end") or "")
        if (
            counter is None
            or counter.records is None
            or indicator is None
            or not start
            or not end
            or end < start
        ):
            raise Http404
        raw = request.GET.get("area", "")
        area = get_object_or_404(AdminUnit, pk=int(raw)) if raw.isdigit() else None
        scope = user_scope(request.user, "planning.view_plan")
        if not (scope.everything if area is None else scope.covers_unit(area)):
            raise PermissionDenied
        records = counter.records(area, start, end)
        model = records.model
        manager = model.objects
        visible = manager.for_user(request.user, "view") if hasattr(manager, "for_user") else manager.all()
        visible = visible.filter(pk__in=records.values("pk"))
        select = [f for f in ("commune", "producer", "parent") if _has_fk(model, f)]
        if select:
            visible = visible.select_related(*select)
        total = visible.count()
        items = list(visible.order_by("pk")[:500])
        return render(
            request,
            "planning/records.html",
            {
                "title": indicator.name,
                "indicator": indicator,
                "area": area,
                "start": start,
                "end": end,
                "items": items,
                "total": total,
                "model_name": model._meta.verbose_name_plural,
            },
        )


def _has_fk(model, name: str) -> bool:
    try:
        field = model._meta.get_field(name)
    except Exception:
        return False
    return field.is_relation and field.many_to_one


# --- tasks ----------------------------------------------------------------------------------------------


class TaskCreateView(ServiceFormView):
    form_class = TaskForm

    def get_object(self, request, pk):
        return _plan(request, pk)

    def get_form(self, request, obj, data=None):
        return TaskForm(data)

    def context(self, request, obj, form):
        return {"form": form, "object": obj, "title": _("New task of %(plan)s") % {"plan": obj.number}}

    def call_service(self, request, obj, form):
        services.add_task(request.user, obj, form.cleaned_data)
        return obj


def _task(request, pk) -> PlanTask:
    plans = Plan.objects.for_user(request.user, "view")
    return get_object_or_404(
        PlanTask.objects.filter(plan__in=plans).select_related("plan", "plan__area"), pk=pk
    )


class TaskEditView(ServiceFormView):
    form_class = TaskForm

    def get_object(self, request, pk):
        task = _task(request, pk)
        require_perm(request.user, "planning.change_plan", task.plan.area)
        return task

    def get_form(self, request, obj, data=None):
        return TaskForm(data, instance=obj)

    def context(self, request, obj, form):
        return {"form": form, "object": obj.plan, "title": f"{obj.plan.number} — {obj}"}

    def call_service(self, request, obj, form):
        services.update_task(request.user, obj, form.cleaned_data)
        return obj.plan


class TaskReportView(LoginRequiredMixin, View):
    def post(self, request, pk):
        task = _task(request, pk)
        area = task.plan.area
        if not (
            services.may(request.user, "planning.report_plantask", area)
            or services.may(request.user, "planning.change_plan", area)
        ):
            raise PermissionDenied
        form = ReportForm(request.POST)
        run_service(request, lambda: services.add_report(request.user, task, form_data(form)), _("Saved."))
        return redirect(task.get_absolute_url())


# --- the indicator library and entered values ------------------------------------------------------------


class IndicatorListView(LoginRequiredMixin, View):
    def get(self, request):
        indicators = list(Indicator.objects.order_by("order", "code"))
        counters = registry.registered()
        rows = [
            {
                "indicator": i,
                "registered": i.method == Method.COUNTED and i.code in counters,
                "missing": i.method == Method.COUNTED and i.code not in counters,
            }
            for i in indicators
        ]
        return render(
            request,
            "planning/indicator_list.html",
            {
                "title": _("Indicator library"),
                "rows": rows,
                "can_enter": has_perm(request.user, "planning.add_enteredvalue"),
            },
        )


class EnteredValueListView(ObjectListView):
    model = EnteredValue
    table_class = EnteredValueTable
    filterset_class = EnteredValueFilterSet
    title = gettext_lazy("Values entered by hand")
    export_name = "so-lieu-nhap-tay"
    add_url_name = "planning:entered_create"
    add_permission = "planning.add_enteredvalue"

    def get_queryset(self, request):
        return EnteredValue.objects.for_user(request.user, "view").select_related(
            "indicator", "area", "entered_by"
        )


class EnteredValueCreateView(ServiceFormView):
    form_class = EnteredValueForm
    title = gettext_lazy("Enter a value")

    def get_object(self, request, pk):
        require_perm(request.user, "planning.add_enteredvalue")
        return None

    def get_form(self, request, obj, data=None):
        initial = {}
        raw = request.GET.get("indicator", "")
        if raw.isdigit():
            initial["indicator"] = int(raw)
        return EnteredValueForm(data, initial=initial)

    def call_service(self, request, obj, form):
        services.enter_value(request.user, form.cleaned_data)

        class _Back:
            @staticmethod
            def get_absolute_url():
                from django.urls import reverse

                return reverse("planning:entered_list")

        return _Back
