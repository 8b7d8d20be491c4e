"""Writes of the planning app: plans, their targets (a grid validated all together), tasks and
their progress reports, values entered by hand, and the plan's state.

Each function checks the actor's permission over the plan's area (or the value's area), validates
everything first and writes in one transaction with an audit event. Bad input raises a
ValidationError naming the problem, and nothing is written."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ocop.accounts.selectors import user_scope
from ocop.audit import services as audit
from ocop.core.text import nfc, search_text

from .choices import Method, PlanState, TaskStatus, UnitKind
from .models import EnteredValue, Indicator, Plan, PlanTask, Target, TaskReport
from .selectors import allowed_target_areas

PLAN_FIELDS = (
    "kind",
    "number",
    "title",
    "issuing_body",
    "issued_on",
    "signer",
    "period_start",
    "period_end",
    "area",
    "legal_bases",
    "note",
)
TASK_FIELDS = ("number", "title", "content", "responsible", "coordinating", "deadline", "status", "order")
REPORT_FIELDS = ("date", "progress", "text")
ENTERED_FIELDS = ("indicator", "area", "period_start", "period_end", "value", "note")

MOVES = {
    PlanState.DRAFT: {PlanState.IN_FORCE},
    PlanState.IN_FORCE: {PlanState.CLOSED, PlanState.DRAFT},
    PlanState.CLOSED: {PlanState.IN_FORCE},
}


def may(actor, permission: str, unit) -> bool:
    scope = user_scope(actor, permission)
    return scope.everything if unit is None else scope.covers_unit(unit)


def _require(actor, permission: str, unit) -> None:
    if not may(actor, permission, unit):
        raise PermissionDenied(
            _("You may not do this for %(area)s.")
            % {"area": unit.name if unit is not None else _("the whole country")}
        )


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _assign(instance, data: dict[str, Any], fields) -> None:
    for field in fields:
        if field in data:
            value = data[field]
            if isinstance(value, str):
                value = nfc(value)
            setattr(instance, field, value)


def _clean(instance, exclude=()) -> dict[str, list[str]]:
    try:
        instance.full_clean(exclude=list(exclude), validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        return dict(exc.message_dict)
    return {}


def _d(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


# --- plans -------------------------------------------------------------------------------------------


def _check_plan(plan: Plan) -> dict[str, list[str]]:
    errors = _clean(plan, exclude=["search_folded"])
    if plan.period_start and plan.period_end and plan.period_end < plan.period_start:
        errors.setdefault("period_end", []).append(_("The period ends before it starts."))
    if plan.issued_on and plan.period_end and plan.issued_on > plan.period_end:
        errors.setdefault("issued_on", []).append(_("The plan is dated after the end of its period."))
    return errors


def _search(plan: Plan) -> str:
    return search_text(plan.number, plan.title, plan.issuing_body, plan.area.name if plan.area_id else "")


def create_plan(actor, data: dict[str, Any]) -> Plan:
    area = data.get("area")
    if area is None:
        raise ValidationError({"area": [_("Choose the area the plan covers.")]})
    _require(actor, "planning.add_plan", area)
    plan = Plan()
    _assign(plan, data, PLAN_FIELDS)
    errors = _check_plan(plan)
    if errors:
        raise ValidationError(errors)
    plan.search_folded = _search(plan)
    with transaction.atomic():
        plan.save()
        audit.record(actor=_user(actor), action="create", obj=plan, after=audit.snapshot(plan), area=area)
    return plan


def update_plan(actor, plan: Plan, data: dict[str, Any]) -> Plan:
    _require(actor, "planning.change_plan", plan.area)
    new_area = data.get("area", plan.area)
    if new_area is not None and new_area != plan.area:
        _require(actor, "planning.change_plan", new_area)
    before = audit.snapshot(plan)
    _assign(plan, data, PLAN_FIELDS)
    errors = _check_plan(plan)
    if plan.area_id and not errors:
        allowed = allowed_target_areas(plan)
        outside = plan.targets.exclude(area__in=allowed).select_related("area")
        names = sorted({t.area.name for t in outside})
        if names:
            errors.setdefault("area", []).append(
                _("Targets are set for areas outside this area: %(names)s. Remove them first.")
                % {"names": ", ".join(names)}
            )
    if errors:
        plan.refresh_from_db()
        raise ValidationError(errors)
    plan.search_folded = _search(plan)
    with transaction.atomic():
        plan.save()
        audit.record(
            actor=_user(actor),
            action="update",
            obj=plan,
            changes=audit.diff(before, audit.snapshot(plan)),
            area=plan.area,
        )
    return plan


def set_plan_state(actor, plan: Plan, to_state: str) -> Plan:
    _require(actor, "planning.change_plan", plan.area)
    if to_state not in PlanState.values:
        raise ValidationError(_("Unknown state."))
    if to_state not in MOVES[plan.state]:
        raise ValidationError(
            _("A plan that is “%(current)s” cannot become “%(new)s”.")
            % {"current": plan.get_state_display(), "new": PlanState(to_state).label}
        )
    if to_state == PlanState.IN_FORCE and not plan.targets.exists() and not plan.tasks.exists():
        raise ValidationError(_("Set the plan's targets or tasks before putting it in force."))
    before = plan.state
    with transaction.atomic():
        plan.state = to_state
        plan.save(update_fields=["state", "updated_at"])
        audit.record(
            actor=_user(actor),
            action="state",
            obj=plan,
            changes={"state": [before, to_state]},
            area=plan.area,
        )
    return plan


# --- targets -----------------------------------------------------------------------------------------


def _value(raw, label: str, indicator: Indicator, errors: list[str]) -> Decimal | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        value = Decimal(str(raw).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        errors.append(_("%(cell)s: “%(value)s” is not a number.") % {"cell": label, "value": raw})
        return None
    if not value.is_finite() or value < 0:
        errors.append(_("%(cell)s: a target cannot be negative.") % {"cell": label})
        return None
    if indicator.unit == UnitKind.PERCENT and value > 100:
        errors.append(_("%(cell)s: a share cannot exceed 100%%.") % {"cell": label})
        return None
    if value.as_tuple().exponent < -2 or abs(value) >= Decimal("1e14"):
        errors.append(_("%(cell)s: at most 14 digits and 2 decimals.") % {"cell": label})
        return None
    return value


def set_targets(actor, plan: Plan, rows: list[dict[str, Any]]) -> dict[str, int]:
    """Set the plan's targets from a grid: rows of {indicator, area, value}. An empty value removes
    the target of that cell; cells not given are left as they are. Validated all together: the
    areas must lie in the plan's area, an indicator and area may appear once, values are numbers."""
    _require(actor, "planning.change_plan", plan.area)
    if plan.state == PlanState.CLOSED:
        raise ValidationError(_("The plan is closed: reopen it to change its targets."))
    errors: list[str] = []
    allowed = set(
        allowed_target_areas(plan)
        .filter(pk__in=[r["area"].pk for r in rows if r.get("area")])
        .values_list("pk", flat=True)
    )
    seen: set[tuple[int, int]] = set()
    cleaned = []
    for row in rows:
        indicator, area = row.get("indicator"), row.get("area")
        if indicator is None or area is None:
            errors.append(_("Each target needs an indicator and an area."))
            continue
        label = f"{indicator.name} — {area.name}"
        key = (indicator.pk, area.pk)
        if key in seen:
            errors.append(_("%(cell)s: the target is given twice.") % {"cell": label})
            continue
        seen.add(key)
        if area.pk not in allowed:
            errors.append(
                _("%(cell)s: %(area)s is outside the plan's area (%(plan_area)s).")
                % {"cell": label, "area": area.name, "plan_area": plan.area.name}
            )
            continue
        value = _value(row.get("value"), label, indicator, errors)
        if value is not None and not indicator.active:
            errors.append(_("%(cell)s: the indicator is no longer in use.") % {"cell": label})
            continue
        cleaned.append((indicator, area, value))
    if errors:
        raise ValidationError(errors)
    existing = {(t.indicator_id, t.area_id): t for t in plan.targets.all()}
    counts = {"created": 0, "updated": 0, "deleted": 0}
    changes = {}
    with transaction.atomic():
        for indicator, area, value in cleaned:
            current = existing.get((indicator.pk, area.pk))
            key = f"{indicator.code}@{area.code}"
            if value is None:
                if current is not None:
                    changes[key] = [str(current.value), None]
                    current.delete()
                    counts["deleted"] += 1
            elif current is None:
                Target.objects.create(plan=plan, indicator=indicator, area=area, value=value)
                changes[key] = [None, str(value)]
                counts["created"] += 1
            elif current.value != value:
                changes[key] = [str(current.value), str(value)]
                current.value = value
                current.save(update_fields=["value"])
                counts["updated"] += 1
        if changes:
            audit.record(
                actor=_user(actor),
                action="update",
                obj=plan,
                changes={"targets": changes},
                message=_("Targets: %(created)s set, %(updated)s changed, %(deleted)s removed.") % counts,
                area=plan.area,
            )
    return counts


def add_target(actor, plan: Plan, indicator: Indicator, area, value) -> Target:
    """One new target; refused if the plan already has one for this indicator and area."""
    if plan.targets.filter(indicator=indicator, area=area).exists():
        raise ValidationError(
            _("The plan already has a target for %(indicator)s in %(area)s; change that one instead.")
            % {"indicator": indicator.name, "area": area.name}
        )
    if value is None:
        raise ValidationError({"value": [_("Enter the target.")]})
    set_targets(actor, plan, [{"indicator": indicator, "area": area, "value": value}])
    return plan.targets.get(indicator=indicator, area=area)


# --- tasks -------------------------------------------------------------------------------------------


def _check_task(task: PlanTask) -> dict[str, list[str]]:
    errors = _clean(task, exclude=["plan"])
    if not (task.title or "").strip():
        errors.setdefault("title", []).append(_("Give the task a title."))
    if not (task.responsible or "").strip():
        errors.setdefault("responsible", []).append(_("Name the responsible unit."))
    return errors


def add_task(actor, plan: Plan, data: dict[str, Any]) -> PlanTask:
    _require(actor, "planning.change_plan", plan.area)
    if plan.state == PlanState.CLOSED:
        raise ValidationError(_("The plan is closed: reopen it to change its tasks."))
    task = PlanTask(plan=plan)
    _assign(task, data, TASK_FIELDS)
    if not data.get("order"):
        task.order = (plan.tasks.count() + 1) * 10
    errors = _check_task(task)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        task.save()
        audit.record(
            actor=_user(actor), action="create", obj=task, after=audit.snapshot(task), area=plan.area
        )
    return task


def update_task(actor, task: PlanTask, data: dict[str, Any]) -> PlanTask:
    plan = task.plan
    _require(actor, "planning.change_plan", plan.area)
    if plan.state == PlanState.CLOSED:
        raise ValidationError(_("The plan is closed: reopen it to change its tasks."))
    before = audit.snapshot(task)
    _assign(task, data, TASK_FIELDS)
    errors = _check_task(task)
    if errors:
        task.refresh_from_db()
        raise ValidationError(errors)
    if task.status == TaskStatus.DONE:
        task.progress = 100
    with transaction.atomic():
        task.save()
        audit.record(
            actor=_user(actor),
            action="update",
            obj=task,
            changes=audit.diff(before, audit.snapshot(task)),
            area=plan.area,
        )
    return task


def add_report(actor, task: PlanTask, data: dict[str, Any]) -> TaskReport:
    """A progress report on a task: moves the task's progress (and its status: in progress, or
    done at 100%)."""
    plan = task.plan
    if not (
        may(actor, "planning.report_plantask", plan.area) or may(actor, "planning.change_plan", plan.area)
    ):
        raise PermissionDenied(_("You may not report on the tasks of this plan."))
    if task.status == TaskStatus.CANCELLED:
        raise ValidationError(_("The task is cancelled."))
    report = TaskReport(task=task, reported_by=_user(actor))
    _assign(
        report,
        {"date": timezone.localdate(), **{k: v for k, v in data.items() if v not in (None, "")}},
        REPORT_FIELDS,
    )
    errors = _clean(report, exclude=["task", "reported_by"])
    if not (report.text or "").strip():
        errors.setdefault("text", []).append(_("Write what was done."))
    if report.date and report.date > timezone.localdate():
        errors.setdefault("date", []).append(_("A report cannot be dated in the future."))
    if report.date and report.date < plan.period_start - dt.timedelta(days=366):
        errors.setdefault("date", []).append(_("The date is long before the plan's period."))
    if errors:
        raise ValidationError(errors)
    before = audit.snapshot(task)
    with transaction.atomic():
        report.save()
        task.progress = report.progress
        task.status = TaskStatus.DONE if report.progress >= 100 else TaskStatus.IN_PROGRESS
        task.save(update_fields=["progress", "status", "updated_at"])
        audit.record(
            actor=_user(actor),
            action="report",
            obj=task,
            changes=audit.diff(before, audit.snapshot(task)),
            message=report.text[:500],
            area=plan.area,
        )
    return report


# --- entered values ----------------------------------------------------------------------------------


def enter_value(actor, data: dict[str, Any]) -> EnteredValue:
    """A figure entered by hand for an indicator marked as entered (never for a counted one)."""
    indicator, area = data.get("indicator"), data.get("area")
    if indicator is None or area is None:
        raise ValidationError(_("Choose the indicator and the area."))
    _require(actor, "planning.add_enteredvalue", area)
    errors: dict[str, list[str]] = {}
    if indicator.method != Method.ENTERED:
        errors["indicator"] = [
            _("“%(name)s” is counted from the data; it cannot be entered by hand.") % {"name": indicator.name}
        ]
    if not indicator.active:
        errors.setdefault("indicator", []).append(_("The indicator is no longer in use."))
    entry = EnteredValue(entered_by=_user(actor))
    _assign(entry, data, ENTERED_FIELDS)
    for field, messages in _clean(entry, exclude=["entered_by"]).items():
        errors.setdefault(field, []).extend(messages)
    if entry.period_start and entry.period_end:
        if entry.period_end < entry.period_start:
            errors.setdefault("period_end", []).append(_("The period ends before it starts."))
        elif entry.period_start > timezone.localdate():
            errors.setdefault("period_start", []).append(_("The period has not started yet."))
    if entry.value is not None:
        if entry.value < 0:
            errors.setdefault("value", []).append(_("The value cannot be negative."))
        elif indicator.unit == UnitKind.PERCENT and entry.value > 100:
            errors.setdefault("value", []).append(_("A share cannot exceed 100%."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        entry.save()
        audit.record(
            actor=_user(actor),
            action="create",
            obj=entry,
            after=audit.snapshot(entry),
            message=_("%(indicator)s, %(area)s, %(start)s–%(end)s: %(value)s")
            % {
                "indicator": indicator.code,
                "area": area.name,
                "start": _d(entry.period_start),
                "end": _d(entry.period_end),
                "value": entry.value,
            },
            area=area,
        )
    return entry
