"""Writes of the programme: the cycle, its steps and rounds; product ideas and business plans; the
dossier's path (Decision 26/2026 Điều 6–7) — filing with the commune, the commune's check and
report, the province's check, the assignment to a council session — and the reminders.

Each function validates everything first, then writes in one transaction and audits. States move
only here. A child (a step, a round) is never further along than its parent (the cycle, the
evaluation step): it starts only once the parent has started, and the parent closes only once
every child is closed. A filed dossier version never changes (`DossierVersion.save` refuses it
too); every change afterwards is a new version. Producers are notified of each move of their
idea, plan or dossier.
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from ocop.accounts.selectors import user_scope
from ocop.audit import services as audit
from ocop.core.notifications import notify
from ocop.core.text import nfc, search_text
from ocop.evaluation.choices import EvaluationKind
from ocop.geo.choices import Level

from . import assessment as self_assessment
from . import completeness, content, rules, uploads
from .choices import (
    DOSSIER_ACCEPTED,
    STATE_RANK,
    DossierAction,
    DossierState,
    EvidenceKind,
    IdeaKind,
    IdeaState,
    LegalPaper,
    PlanState,
    ReturnLevel,
    ReturnTarget,
    RoundLevel,
    StageState,
    Step,
)
from .models import (
    BusinessPlan,
    CommuneReport,
    CycleStep,
    Dossier,
    DossierEvent,
    DossierEvidence,
    DossierVersion,
    EvaluationRound,
    NumberSequence,
    PlanAttachment,
    ProductIdea,
    ProgrammeCycle,
)

# --- permissions ---------------------------------------------------------------------------------


def may(actor, permission: str, unit) -> bool:
    scope = user_scope(actor, permission)
    return scope.everything if unit is None else scope.covers_unit(unit)


def _require(actor, permission: str, unit) -> None:
    if not may(actor, permission, unit):
        raise PermissionDenied(
            _("You may not do this for %(area)s.")
            % {"area": unit.name if unit is not None else _("the whole country")}
        )


def is_own(actor, producer) -> bool:
    """Is `actor` one of the producer's own accounts (Producer.accounts)?"""
    if producer is None or not getattr(actor, "is_authenticated", False):
        return False
    return producer.accounts.filter(pk=actor.pk).exists()


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _today(day: dt.date | None = None) -> dt.date:
    return day or timezone.localdate()


def _d(day: dt.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else "—"


def _clean(instance, exclude=()) -> dict[str, list[str]]:
    try:
        instance.full_clean(exclude=list(exclude), validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        return dict(exc.message_dict)
    return {}


def _assign(instance, data: dict[str, Any], fields) -> None:
    for field in fields:
        if field in data:
            value = data[field]
            if isinstance(value, str):
                value = nfc(value)
            setattr(instance, field, value)


def _reason(reason: str | None, field: str = "reason") -> str:
    reason = nfc(reason or "")
    if not reason:
        raise ValidationError({field: [_("Give the reason: the producer will read it.")]}, code="reason")
    return reason


def _next_number(kind: str, unit, year: int) -> int:
    """The next running number of `kind` kept by `unit` for `year` (inside the caller's transaction)."""
    NumberSequence.objects.get_or_create(kind=kind, unit=unit, year=year)
    sequence = NumberSequence.objects.select_for_update().get(kind=kind, unit=unit, year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return sequence.last


def _current_commune(unit):
    """The commune whose codes a record uses: a former commune's successor (Decision 19/2025)."""
    from ocop.geo.models import AdminUnit

    if unit.is_legacy and unit.current_path:
        return AdminUnit.objects.filter(path=unit.current_path).first() or unit
    return unit


def _province_of(unit):
    node = unit
    while node is not None and node.level != Level.PROVINCE:
        node = node.parent
    return node


def _area_paths(unit) -> list[str]:
    """The paths of `unit` and every area above it, in its edition and in the current one."""
    paths = set()
    for path in (unit.path, unit.current_path):
        if not path:
            continue
        parts = path.strip("/").split("/")
        for i in range(2, len(parts) + 1):
            paths.add("/".join(parts[:i]) + "/")
    return sorted(paths)


def _officer_assignments(permission: str, level: int | None = None, paths=None):
    from ocop.accounts.models import RoleAssignment

    assignments = RoleAssignment.objects.active().filter(user__is_active=True, area__isnull=False)
    if paths is not None:
        assignments = assignments.filter(area__path__in=paths)
    if level is not None:
        assignments = assignments.filter(area__level=level)
    assignments = assignments.select_related("role", "user").annotate(area_path=F("area__path"))
    return [a for a in assignments.order_by("user_id", "pk") if a.role.grants(permission)]


def officers_for(unit, permission: str, level: int | None = None) -> list:
    """Active users holding `permission` over `unit` through an assignment to it or an area above
    it (only assignments at `level`, when given): whom to notify about a record of that unit."""
    seen = {}
    for a in _officer_assignments(permission, level, _area_paths(unit)):
        seen[a.user_id] = a.user
    return list(seen.values())


class OfficersOf:
    """`officers_for` over many units with one query: a reminder run notifies the officers of
    hundreds of communes about thousands of records. Reads every assignment granting the
    permission (at `level`) once, then answers each unit from memory."""

    def __init__(self, permission: str, level: int | None = None):
        self.permission, self.level = permission, level
        self._by_path: dict[str, dict] | None = None

    def __call__(self, unit) -> list:
        if self._by_path is None:
            self._by_path = {}
            for a in _officer_assignments(self.permission, self.level):
                self._by_path.setdefault(a.area_path, {})[a.user_id] = a.user
        seen = {}
        for path in _area_paths(unit):
            seen.update(self._by_path.get(path, {}))
        return [seen[pk] for pk in sorted(seen)]


def _notify(users, title: str, body: str, url: str, key: str, exclude=None) -> None:
    users = [u for u in users if u is not None and (exclude is None or u.pk != getattr(exclude, "pk", None))]
    if users:
        notify(users, title, body, url, key)


# --- the cycle -----------------------------------------------------------------------------------

CYCLE_FIELDS = ("year", "area", "name", "plan_reference", "notes")
STEP_FIELDS = ("planned_start", "planned_end", "responsible", "notes")
ROUND_FIELDS = ("level", "name", "proposals_before", "evaluate_before", "basis", "council")


def _cycle_permission(actor, cycle_area, action: str = "change") -> None:
    _require(actor, f"programme.{action}_programmecycle", cycle_area)


def create_cycle(actor, data: dict[str, Any]) -> ProgrammeCycle:
    """A year's cycle for an area, with its six steps and the regular rounds of its rule version."""
    from ocop.evaluation.services import rule_in_force

    cycle = ProgrammeCycle(state=StageState.PLANNED)
    _assign(cycle, data, CYCLE_FIELDS)
    errors = _clean(cycle, exclude=["rule_version", "area", "name"])
    year = cycle.year or 0
    if not 2000 <= year <= 2100:
        errors.setdefault("year", []).append(_("Enter the year."))
    area = cycle.area
    if area is not None and area.level == Level.DISTRICT:
        errors.setdefault("area", []).append(_("A cycle belongs to a province or a commune."))
    if not errors:
        rule = data.get("rule_version") or rule_in_force(dt.date(year, 12, 30))
        if rule is None:
            errors.setdefault("year", []).append(_("No criteria set is in force in that year."))
        else:
            cycle.rule_version = rule
        if ProgrammeCycle.objects.filter(year=year, area=area).exists():
            errors.setdefault("year", []).append(
                _("This area already has a cycle for %(year)s.") % {"year": year}
            )
    if not cycle.name and not errors:
        cycle.name = (
            f"Chu trình OCOP năm {year} — {area.name}"
            if area is not None
            else f"Chu trình OCOP toàn quốc năm {year}"
        )
    if errors:
        raise ValidationError(errors)
    _cycle_permission(actor, area, "add")
    with transaction.atomic():
        cycle.save()
        for order, step in enumerate(Step, start=1):
            (sm, sd), (em, ed), responsible = rules.STEP_DEFAULTS[step]
            CycleStep.objects.create(
                cycle=cycle,
                step=step,
                order=order,
                planned_start=dt.date(year, sm, sd),
                planned_end=dt.date(year, em, ed),
                responsible=responsible,
            )
        for spec in _regular_rounds(cycle):
            proposals_before, evaluate_before = spec.dates(year)
            EvaluationRound.objects.create(
                cycle=cycle,
                level=spec.level,
                number=spec.number,
                name=_round_name(spec.level, spec.number, year),
                proposals_before=proposals_before,
                evaluate_before=evaluate_before,
                basis=rules.calendar_for(cycle.rule_version)["basis"],
            )
        audit.record(actor=actor, action="create", obj=cycle, after=audit.snapshot(cycle), area=area)
    return cycle


def _regular_rounds(cycle) -> list[rules.RoundSpec]:
    calendar = rules.calendar_for(cycle.rule_version)
    if calendar is None or (cycle.area is not None and cycle.area.level != Level.PROVINCE):
        return []  # a commune's cycle has no rounds of its own; the province's hold its dossiers
    levels = {RoundLevel.MINISTRY} if cycle.area is None else {RoundLevel.PROVINCE, RoundLevel.MINISTRY}
    return [spec for spec in calendar["rounds"] if spec.level in levels]


def _round_name(level: str, number: int, year: int, extra: bool = False) -> str:
    who = "cấp tỉnh" if level == RoundLevel.PROVINCE else "cấp quốc gia"
    extra_text = " (bổ sung)" if extra else ""
    return f"Đợt {number} năm {year} — đánh giá, phân hạng {who}{extra_text}"


def update_cycle(actor, cycle: ProgrammeCycle, data: dict[str, Any]) -> ProgrammeCycle:
    _cycle_permission(actor, cycle.area)
    if cycle.state == StageState.CLOSED:
        raise ValidationError(_("The cycle is closed."), code="closed")
    before = audit.snapshot(cycle)
    _assign(cycle, data, ("name", "plan_reference", "notes"))
    errors = _clean(cycle)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        cycle.save()
        audit.record(
            actor=actor,
            action="update",
            obj=cycle,
            before=before,
            after=audit.snapshot(cycle),
            area=cycle.area,
        )
    return cycle


def _move(actor, obj, to_state: str, day: dt.date, area, *, started: str, closed: str, label: str) -> None:
    old = obj.state
    obj.state = to_state
    fields = ["state", "updated_at"]
    if to_state == StageState.ACTIVE:
        setattr(obj, started, day)
        fields.append(started)
    if to_state == StageState.CLOSED:
        setattr(obj, closed, day)
        fields.append(closed)
    obj.save(update_fields=fields)
    audit.record(
        actor=actor, action="state", obj=obj, changes={"state": [old, to_state]}, area=area, message=label
    )


def _check_move(current: str, to_state: str) -> None:
    if (
        to_state not in (StageState.ACTIVE, StageState.CLOSED)
        or STATE_RANK[to_state] != STATE_RANK[current] + 1
    ):
        raise ValidationError(
            _("It cannot go from “%(from)s” to “%(to)s”.")
            % {"from": StageState(current).label, "to": StageState(to_state).label},
            code="transition",
        )


def set_cycle_state(
    actor, cycle: ProgrammeCycle, to_state: str, day: dt.date | None = None
) -> ProgrammeCycle:
    _cycle_permission(actor, cycle.area)
    day = _today(day)
    with transaction.atomic():
        cycle = ProgrammeCycle.objects.select_for_update().get(pk=cycle.pk)
        _check_move(cycle.state, to_state)
        if to_state == StageState.CLOSED:
            open_steps = [str(s) for s in cycle.steps.exclude(state=StageState.CLOSED)]
            open_rounds = [str(r) for r in cycle.rounds.exclude(state=StageState.CLOSED)]
            if open_steps or open_rounds:
                raise ValidationError(
                    _("Close these first: %(names)s.") % {"names": "; ".join(open_steps + open_rounds)},
                    code="children_open",
                )
        _move(
            actor,
            cycle,
            to_state,
            day,
            cycle.area,
            started="started_on",
            closed="closed_on",
            label=str(cycle),
        )
    return cycle


def update_step(actor, step: CycleStep, data: dict[str, Any]) -> CycleStep:
    cycle = step.cycle
    _cycle_permission(actor, cycle.area)
    if step.state == StageState.CLOSED:
        raise ValidationError(_("The step is closed."), code="closed")
    before = audit.snapshot(step)
    _assign(step, data, STEP_FIELDS)
    errors = _clean(step, exclude=["cycle"])
    if step.planned_start and step.planned_end and step.planned_end < step.planned_start:
        errors.setdefault("planned_end", []).append(_("The end is before the start."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        step.save()
        audit.record(
            actor=actor, action="update", obj=step, before=before, after=audit.snapshot(step), area=cycle.area
        )
    return step


def set_step_state(actor, step: CycleStep, to_state: str, day: dt.date | None = None) -> CycleStep:
    cycle = step.cycle
    _cycle_permission(actor, cycle.area)
    day = _today(day)
    with transaction.atomic():
        cycle = ProgrammeCycle.objects.select_for_update().get(pk=cycle.pk)
        step = CycleStep.objects.select_for_update().get(pk=step.pk)
        _check_move(step.state, to_state)
        if to_state == StageState.ACTIVE and cycle.state != StageState.ACTIVE:
            raise ValidationError(_("Start the cycle before its steps."), code="parent_not_started")
        if to_state == StageState.CLOSED and step.step == Step.EVALUATE:
            open_rounds = [str(r) for r in cycle.rounds.exclude(state=StageState.CLOSED)]
            if open_rounds:
                raise ValidationError(
                    _("Close these rounds first: %(names)s.") % {"names": "; ".join(open_rounds)},
                    code="children_open",
                )
        _move(
            actor, step, to_state, day, cycle.area, started="started_on", closed="closed_on", label=str(cycle)
        )
    return step


def add_round(actor, cycle: ProgrammeCycle, data: dict[str, Any]) -> EvaluationRound:
    """An extra round (Điều 5: only where the council's regulation provides for it)."""
    _cycle_permission(actor, cycle.area)
    if cycle.state == StageState.CLOSED:
        raise ValidationError(_("The cycle is closed."), code="closed")
    round_ = EvaluationRound(cycle=cycle, is_extra=True, state=StageState.PLANNED)
    _assign(round_, data, ROUND_FIELDS)
    errors = _clean(round_, exclude=["cycle", "number", "name"])
    if round_.level and round_.level not in RoundLevel.values:
        errors.setdefault("level", []).append(_("Choose the level."))
    if cycle.area is None and round_.level == RoundLevel.PROVINCE:
        errors.setdefault("level", []).append(_("The national cycle holds the ministry's rounds."))
    if (
        round_.proposals_before
        and round_.evaluate_before
        and round_.evaluate_before <= round_.proposals_before
    ):
        errors.setdefault("evaluate_before", []).append(_("The evaluation comes after the proposal cut-off."))
    if not (round_.basis or "").strip():
        errors.setdefault("basis", []).append(
            _("Cite the council regulation (quy chế) that provides for an extra round.")
        )
    council = round_.council
    if council is not None:
        from ocop.evaluation.choices import CouncilLevel

        wanted = CouncilLevel.CENTRAL if round_.level == RoundLevel.MINISTRY else CouncilLevel.PROVINCE
        if council.level != wanted:
            errors.setdefault("council", []).append(_("The council's level does not match the round."))
        elif not council.regulation_number:
            errors.setdefault("council", []).append(
                _("The council has no regulation recorded: an extra round needs one that provides for it.")
            )
        elif (
            cycle.area is not None
            and council.area_id
            and not (
                cycle.area.path.startswith(council.area.path) or council.area.path.startswith(cycle.area.path)
            )
        ):
            errors.setdefault("council", []).append(_("The council does not serve this area."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        number = (cycle.rounds.filter(level=round_.level).aggregate(n=Max("number"))["n"] or 0) + 1
        round_.number = number
        if not round_.name:
            round_.name = _round_name(round_.level, number, cycle.year, extra=True)
        round_.save()
        audit.record(actor=actor, action="create", obj=round_, after=audit.snapshot(round_), area=cycle.area)
    return round_


def set_round_state(
    actor, round_: EvaluationRound, to_state: str, day: dt.date | None = None
) -> EvaluationRound:
    from ocop.evaluation.choices import ENTRY_OPEN_STATES

    cycle = round_.cycle
    _cycle_permission(actor, cycle.area)
    day = _today(day)
    with transaction.atomic():
        cycle = ProgrammeCycle.objects.select_for_update().get(pk=cycle.pk)
        round_ = EvaluationRound.objects.select_for_update().get(pk=round_.pk)
        _check_move(round_.state, to_state)
        if to_state == StageState.ACTIVE:
            evaluate = cycle.steps.filter(step=Step.EVALUATE).first()
            if cycle.state != StageState.ACTIVE or evaluate is None or evaluate.state != StageState.ACTIVE:
                raise ValidationError(
                    _("Start the cycle and its step “%(step)s” before opening a round.")
                    % {"step": Step.EVALUATE.label},
                    code="parent_not_started",
                )
        if to_state == StageState.CLOSED:
            pending = list(
                round_.dossiers.filter(
                    state=DossierState.ASSIGNED, entry__state__in=ENTRY_OPEN_STATES
                ).select_related("product")
            )
            if pending:
                raise ValidationError(
                    _("These products are still being evaluated: %(names)s.")
                    % {"names": ", ".join(str(d.product) for d in pending)},
                    code="children_open",
                )
        _move(
            actor,
            round_,
            to_state,
            day,
            cycle.area,
            started="opened_on",
            closed="closed_on",
            label=str(round_),
        )
    return round_


def cycle_for(commune, year: int) -> ProgrammeCycle | None:
    """The cycle a commune's record belongs to: the commune's own, else its province's."""
    commune = _current_commune(commune)
    own = ProgrammeCycle.objects.filter(year=year, area=commune).first()
    if own is not None:
        return own
    province = _province_of(commune)
    return ProgrammeCycle.objects.filter(year=year, area=province).first() if province else None


# --- product ideas -------------------------------------------------------------------------------

IDEA_FIELDS = (
    "commune",
    "producer",
    "proposer_name",
    "proposer_phone",
    "proposer_address",
    "kind",
    "existing_product",
    "product_name",
    "category",
    "description",
    "raw_materials",
    "local_labour",
    "market",
)
IDEA_EDITABLE = (IdeaState.DRAFT, IdeaState.RETURNED)


def _may_file(actor, commune, producer, permission: str) -> bool:
    return is_own(actor, producer) or (commune is not None and may(actor, permission, commune))


def _check_idea(idea: ProductIdea) -> dict[str, list[str]]:
    from ocop.registry.choices import CategoryLevel
    from ocop.registry.services import check_commune

    errors = _clean(
        idea, exclude=["commune", "filed_by", "cycle", "producer", "existing_product", "category"]
    )
    if idea.producer_id and not idea.commune_id:
        idea.commune = _current_commune(idea.producer.commune)
    commune_errors = check_commune(
        idea.commune if idea.commune_id else None, None, check_date=idea.pk is None
    )
    for field, message in commune_errors.items():
        errors.setdefault(field, []).append(message)
    if not (idea.product_name or "").strip():
        errors.setdefault("product_name", []).append(_("Name the product."))
    if not (idea.description or "").strip():
        errors.setdefault("description", []).append(_("Describe the idea."))
    if not idea.producer_id and not (idea.proposer_name or "").strip():
        errors.setdefault("proposer_name", []).append(
            _("Choose the producer, or name who proposes the idea.")
        )
    if idea.category_id and idea.category.level != CategoryLevel.PRODUCT_SET:
        errors.setdefault("category", []).append(_("Choose a product set, not a sector or group."))
    if idea.kind == IdeaKind.EXISTING:
        if not idea.existing_product_id:
            errors.setdefault("existing_product", []).append(_("Choose the existing product."))
        elif idea.producer_id and idea.existing_product.producer_id != idea.producer_id:
            errors.setdefault("existing_product", []).append(_("The product belongs to another producer."))
    return errors


def _idea_search(idea: ProductIdea) -> str:
    return search_text(
        idea.product_name,
        idea.producer.name if idea.producer_id else idea.proposer_name,
        idea.commune.name if idea.commune_id else "",
    )


def create_idea(actor, data: dict[str, Any], submit: bool = False) -> ProductIdea:
    """A producer files an idea for their own producer; a commune officer enters one for the commune."""
    idea = ProductIdea(state=IdeaState.DRAFT, filed_by=_user(actor))
    _assign(idea, data, IDEA_FIELDS)
    if idea.producer_id and is_own(actor, idea.producer):
        # A producer files with their own commune — today's, if it is registered in a former one.
        idea.commune = _current_commune(idea.producer.commune)
    errors = _check_idea(idea)
    if errors:
        raise ValidationError(errors)
    if not _may_file(
        actor, idea.commune, idea.producer if idea.producer_id else None, "programme.add_productidea"
    ):
        raise PermissionDenied(_("You may not file an idea for %(area)s.") % {"area": idea.commune.name})
    if _user(actor) is None:
        raise PermissionDenied
    with transaction.atomic():
        idea.cycle = cycle_for(idea.commune, timezone.localdate().year)
        idea.search_folded = _idea_search(idea)
        idea.save()
        audit.record(actor=actor, action="create", obj=idea, after=audit.snapshot(idea), area=idea.commune)
        if submit:
            _submit_idea(actor, idea)
    return idea


def _may_edit_idea(actor, idea: ProductIdea) -> bool:
    return (
        getattr(actor, "pk", None) == idea.filed_by_id
        or is_own(actor, idea.producer if idea.producer_id else None)
        or may(actor, "programme.change_productidea", idea.commune)
    )


def update_idea(actor, idea: ProductIdea, data: dict[str, Any]) -> ProductIdea:
    if not _may_edit_idea(actor, idea):
        raise PermissionDenied
    if idea.state not in IDEA_EDITABLE:
        raise ValidationError(_("Only a draft or returned idea can be changed."), code="state")
    before = audit.snapshot(ProductIdea.objects.get(pk=idea.pk))
    _assign(idea, data, tuple(f for f in IDEA_FIELDS if f != "commune" or not idea.producer_id))
    errors = _check_idea(idea)
    if errors:
        raise ValidationError(errors)
    if not _may_edit_idea(actor, idea):
        raise PermissionDenied
    with transaction.atomic():
        idea.search_folded = _idea_search(idea)
        idea.save()
        audit.record(
            actor=actor,
            action="update",
            obj=idea,
            before=before,
            after=audit.snapshot(idea),
            area=idea.commune,
        )
    return idea


def _submit_idea(actor, idea: ProductIdea) -> None:
    old = idea.state
    idea.state = IdeaState.SUBMITTED
    idea.submitted_at = timezone.now()
    idea.save(update_fields=["state", "submitted_at", "updated_at"])
    audit.record(
        actor=actor, action="submit", obj=idea, changes={"state": [old, idea.state]}, area=idea.commune
    )
    _notify(
        officers_for(idea.commune, "programme.review_productidea", Level.COMMUNE),
        _("A product idea to review: %(name)s") % {"name": idea.product_name},
        idea.producer.name if idea.producer_id else idea.proposer_name,
        idea.get_absolute_url(),
        f"idea-{idea.pk}-submitted-{idea.submitted_at:%Y%m%d%H%M%S}",
        exclude=actor,
    )


def submit_idea(actor, idea: ProductIdea) -> ProductIdea:
    if not _may_edit_idea(actor, idea):
        raise PermissionDenied
    if idea.state not in IDEA_EDITABLE:
        raise ValidationError(_("Only a draft or returned idea can be submitted."), code="state")
    errors = _check_idea(idea)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        _submit_idea(actor, idea)
    return idea


def _idea_recipients(idea) -> list:
    users = list(idea.producer.accounts.filter(is_active=True)) if idea.producer_id else []
    if idea.filed_by_id:
        users.append(idea.filed_by)
    return users


def review_idea(actor, idea: ProductIdea, decision: str, reason: str = "") -> ProductIdea:
    """The commune's decision: accept (a business plan is started from it), return (with the
    reason, for changes) or not take it forward (with the reason)."""
    _require(actor, "programme.review_productidea", idea.commune)
    if idea.state != IdeaState.SUBMITTED:
        raise ValidationError(_("Only a submitted idea can be reviewed."), code="state")
    targets = {"accept": IdeaState.ACCEPTED, "return": IdeaState.RETURNED, "reject": IdeaState.REJECTED}
    if decision not in targets:
        raise ValidationError({"decision": [_("Choose the decision.")]})
    reason = nfc(reason) if decision == "accept" else _reason(reason)
    with transaction.atomic():
        idea = ProductIdea.objects.select_for_update().get(pk=idea.pk)
        if idea.state != IdeaState.SUBMITTED:
            raise ValidationError(_("Only a submitted idea can be reviewed."), code="state")
        old = idea.state
        idea.state = targets[decision]
        idea.return_reason = reason
        idea.reviewed_by = actor
        idea.reviewed_at = timezone.now()
        idea.save(update_fields=["state", "return_reason", "reviewed_by", "reviewed_at", "updated_at"])
        audit.record(
            actor=actor,
            action="review",
            obj=idea,
            changes={"state": [old, idea.state]},
            message=reason,
            area=idea.commune,
        )
        plan = None
        if decision == "accept" and not BusinessPlan.objects.filter(idea=idea).exists():
            plan = BusinessPlan.objects.create(
                idea=idea,
                commune=idea.commune,
                producer=idea.producer,
                product=idea.existing_product,
                title=f"Phương án sản xuất kinh doanh: {idea.product_name}",
                product_name=idea.product_name,
                category=idea.category,
                summary=idea.description,
                raw_materials=idea.raw_materials,
                market_plan=idea.market,
                filed_by=idea.filed_by,
                search_folded=search_text(
                    idea.product_name, idea.producer.name if idea.producer_id else idea.proposer_name
                ),
            )
            audit.record(
                actor=actor, action="create", obj=plan, after=audit.snapshot(plan), area=idea.commune
            )
        titles = {
            "accept": _("Your product idea is accepted: write the business plan"),
            "return": _("Your product idea is returned for changes"),
            "reject": _("Your product idea is not taken forward"),
        }
        _notify(
            _idea_recipients(idea),
            f"{titles[decision]} — {idea.product_name}",
            reason,
            plan.get_absolute_url() if plan else idea.get_absolute_url(),
            f"idea-{idea.pk}-{decision}-{idea.reviewed_at:%Y%m%d%H%M%S}",
            exclude=actor,
        )
    return idea


# --- business plans ------------------------------------------------------------------------------

PLAN_FIELDS = (
    "producer",
    "title",
    "product_name",
    "category",
    "summary",
    "raw_materials",
    "technology",
    "market_plan",
    "investment",
    "funding",
    "expected_output",
    "expected_revenue",
    "start_on",
    "end_on",
)
PLAN_EDITABLE = (PlanState.DRAFT, PlanState.RETURNED)


def _may_edit_plan(actor, plan: BusinessPlan) -> bool:
    return (
        getattr(actor, "pk", None) == plan.filed_by_id
        or is_own(actor, plan.producer if plan.producer_id else None)
        or may(actor, "programme.change_businessplan", plan.commune)
    )


def _check_plan(plan: BusinessPlan, for_submission: bool = False) -> dict[str, list[str]]:
    from ocop.registry.choices import CategoryLevel

    errors = _clean(plan, exclude=["idea", "commune", "producer", "product", "category", "filed_by"])
    if plan.start_on and plan.end_on and plan.end_on < plan.start_on:
        errors.setdefault("end_on", []).append(_("The end is before the start."))
    if plan.category_id and plan.category.level != CategoryLevel.PRODUCT_SET:
        errors.setdefault("category", []).append(_("Choose a product set, not a sector or group."))
    if plan.producer_id and plan.producer.commune_id != plan.commune_id:
        from ocop.core.scope import Scope

        if not Scope(paths=frozenset({_current_commune(plan.commune).path})).covers_unit(
            plan.producer.commune
        ):
            errors.setdefault("producer", []).append(_("The producer is registered in another commune."))
    if for_submission:
        for field, message in (
            ("producer", _("Choose the producer: register it in the registry first if needed.")),
            ("category", _("Choose the product set.")),
            ("summary", _("Summarise the plan.")),
            ("market_plan", _("Describe the market and sales.")),
        ):
            value = (
                getattr(plan, f"{field}_id", None)
                if field in ("producer", "category")
                else getattr(plan, field)
            )
            if not value:
                errors.setdefault(field, []).append(message)
    return errors


def update_plan(actor, plan: BusinessPlan, data: dict[str, Any]) -> BusinessPlan:
    if not _may_edit_plan(actor, plan):
        raise PermissionDenied
    if plan.state not in PLAN_EDITABLE:
        raise ValidationError(_("Only a draft or returned plan can be changed."), code="state")
    before = audit.snapshot(BusinessPlan.objects.get(pk=plan.pk))
    fields = PLAN_FIELDS if not plan.product_id else tuple(f for f in PLAN_FIELDS if f not in ("producer",))
    if (
        "producer" in data
        and data["producer"] is not None
        and not (
            is_own(actor, data["producer"])
            or may(actor, "programme.change_businessplan", data["producer"].commune)
        )
    ):
        raise PermissionDenied(_("That producer is outside your area."))
    _assign(plan, data, fields)
    errors = _check_plan(plan)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        plan.search_folded = search_text(
            plan.title, plan.product_name, plan.producer.name if plan.producer_id else ""
        )
        plan.save()
        audit.record(
            actor=actor,
            action="update",
            obj=plan,
            before=before,
            after=audit.snapshot(plan),
            area=plan.commune,
        )
    return plan


def submit_plan(actor, plan: BusinessPlan) -> BusinessPlan:
    if not _may_edit_plan(actor, plan):
        raise PermissionDenied
    if plan.state not in PLAN_EDITABLE:
        raise ValidationError(_("Only a draft or returned plan can be submitted."), code="state")
    errors = _check_plan(plan, for_submission=True)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        old = plan.state
        plan.state = PlanState.SUBMITTED
        plan.submitted_at = timezone.now()
        plan.save(update_fields=["state", "submitted_at", "updated_at"])
        audit.record(
            actor=actor, action="submit", obj=plan, changes={"state": [old, plan.state]}, area=plan.commune
        )
        _notify(
            officers_for(plan.commune, "programme.review_businessplan", Level.COMMUNE),
            _("A business plan to review: %(name)s") % {"name": plan.title},
            plan.producer.name if plan.producer_id else "",
            plan.get_absolute_url(),
            f"plan-{plan.pk}-submitted-{plan.submitted_at:%Y%m%d%H%M%S}",
            exclude=actor,
        )
    return plan


def review_plan(actor, plan: BusinessPlan, decision: str, reason: str = "") -> BusinessPlan:
    """Accept (the product is registered in the registry, in development, if it is not yet) or
    return for changes with the reason."""
    from ocop.registry import services as registry
    from ocop.registry.choices import ProductLifecycle
    from ocop.registry.models import Product
    from ocop.registry.validators import name_key

    _require(actor, "programme.review_businessplan", plan.commune)
    if plan.state != PlanState.SUBMITTED:
        raise ValidationError(_("Only a submitted plan can be reviewed."), code="state")
    if decision not in ("accept", "return"):
        raise ValidationError({"decision": [_("Choose the decision.")]})
    reason = nfc(reason) if decision == "accept" else _reason(reason)
    with transaction.atomic():
        plan = BusinessPlan.objects.select_for_update().get(pk=plan.pk)
        if plan.state != PlanState.SUBMITTED:
            raise ValidationError(_("Only a submitted plan can be reviewed."), code="state")
        old = plan.state
        if decision == "accept" and plan.product_id is None:
            existing = Product.objects.filter(
                producer=plan.producer, name_key=name_key(plan.product_name)
            ).first()
            plan.product = existing or registry.create_product(
                actor,
                {
                    "name": plan.product_name,
                    "producer": plan.producer,
                    "category": plan.category,
                    "commune": _current_commune(plan.producer.commune),
                    "lifecycle": ProductLifecycle.DEVELOPMENT,
                    "description": plan.summary[:5000],
                },
            )
        plan.state = PlanState.ACCEPTED if decision == "accept" else PlanState.RETURNED
        plan.return_reason = reason
        plan.reviewed_by = actor
        plan.reviewed_at = timezone.now()
        plan.save(
            update_fields=["state", "product", "return_reason", "reviewed_by", "reviewed_at", "updated_at"]
        )
        audit.record(
            actor=actor,
            action="review",
            obj=plan,
            changes={"state": [old, plan.state]},
            message=reason,
            area=plan.commune,
        )
        users = list(plan.producer.accounts.filter(is_active=True)) if plan.producer_id else []
        users.append(plan.filed_by)
        title = (
            _("Your business plan is accepted: %(name)s")
            if decision == "accept"
            else _("Your business plan is returned for changes: %(name)s")
        ) % {"name": plan.title}
        _notify(
            users,
            title,
            reason,
            plan.get_absolute_url(),
            f"plan-{plan.pk}-{decision}-{plan.reviewed_at:%Y%m%d%H%M%S}",
            exclude=actor,
        )
    return plan


def add_plan_attachment(actor, plan: BusinessPlan, upload, title: str = "") -> PlanAttachment:
    if not _may_edit_plan(actor, plan):
        raise PermissionDenied
    if plan.state not in PLAN_EDITABLE:
        raise ValidationError(_("Only a draft or returned plan can be changed."), code="state")
    if upload is None:
        raise ValidationError({"file": [_("Choose a file to upload.")]})
    checked = uploads.check_upload(upload)
    title = nfc(title)[:255] or checked.original_name
    with transaction.atomic():
        attachment = PlanAttachment(
            plan=plan,
            title=title,
            original_name=checked.original_name,
            content_type=checked.content_type,
            size=checked.size,
            sha256=checked.sha256,
            uploaded_by=actor,
        )
        attachment.file.save(checked.name, checked.content, save=False)
        attachment.save()
        audit.record(
            actor=actor, action="update", obj=plan, changes={"attachment+": [None, title]}, area=plan.commune
        )
    return attachment


def remove_plan_attachment(actor, plan: BusinessPlan, attachment_id: int) -> None:
    if not _may_edit_plan(actor, plan):
        raise PermissionDenied
    if plan.state not in PLAN_EDITABLE:
        raise ValidationError(_("Only a draft or returned plan can be changed."), code="state")
    attachment = plan.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise ValidationError({"id": [_("Not found.")]})
    name = attachment.file.name
    with transaction.atomic():
        audit.record(
            actor=actor,
            action="update",
            obj=plan,
            changes={"attachment-": [attachment.title, None]},
            area=plan.commune,
        )
        attachment.delete()
        transaction.on_commit(lambda: attachment.file.storage.delete(name) if name else None)


# --- dossiers: starting, reusing -----------------------------------------------------------------


def may_edit_dossier(actor, dossier: Dossier) -> bool:
    """The producer's accounts, and the commune's officers (who enter a paper dossier for them)."""
    return is_own(actor, dossier.producer) or may(actor, "programme.change_dossier", dossier.commune)


def may_recall(actor, dossier: Dossier) -> bool:
    """Who may take a dossier back from the commune: the producer, or the officer who entered it."""
    return is_own(actor, dossier.producer) or getattr(actor, "pk", None) == dossier.filed_by_id


def _require_edit(actor, dossier: Dossier) -> None:
    if not may_edit_dossier(actor, dossier):
        raise PermissionDenied(_("Only the producer or the commune's officers may change this dossier."))


def last_accepted(product, exclude_pk: int | None = None) -> Dossier | None:
    """The product's last dossier the province found complete — preferring one that led to a
    certificate —, which an upgrade or re-evaluation starts from."""
    from django.db.models import Exists, OuterRef

    from ocop.certification.models import Certificate

    qs = Dossier.objects.filter(product=product, state__in=DOSSIER_ACCEPTED, accepted_version__isnull=False)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return (
        qs.annotate(certified=Exists(Certificate.objects.filter(result__entry=OuterRef("entry"))))
        .select_related("accepted_version", "accepted_version__sheet")
        .order_by("-certified", "-complete_on", "-pk")
        .first()
    )


def current_certificate(product, day: dt.date):
    """The certificate an upgrade or re-evaluation concerns: the highest in force on `day`, else
    the latest one not revoked or superseded."""
    from ocop.certification.models import Certificate, CertificateState

    valid = (
        Certificate.objects.valid_on(day).filter(product=product).order_by("-stars", "-valid_until").first()
    )
    if valid is not None:
        return valid
    return (
        Certificate.objects.filter(product=product, state=CertificateState.VALID, ended_on__isnull=True)
        .order_by("-valid_until")
        .first()
    )


def open_dossier(product, exclude_pk: int | None = None) -> Dossier | None:
    """A dossier of the product still on its way (not withdrawn, not concluded by a council)."""
    from ocop.evaluation.choices import EntryState

    qs = Dossier.objects.filter(product=product).exclude(state=DossierState.WITHDRAWN)
    qs = qs.exclude(
        state=DossierState.ASSIGNED,
        entry__state__in=[EntryState.CLOSED, EntryState.DISQUALIFIED, EntryState.WITHDRAWN],
    )
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.first()


def _copy_evidence(source_version, target_version) -> None:
    for e in source_version.evidence.all():
        DossierEvidence.objects.create(
            version=target_version,
            kind=e.kind,
            criterion_key=e.criterion_key,
            paper=e.paper,
            title=e.title,
            file=e.file.name,
            url=e.url,
            original_name=e.original_name,
            content_type=e.content_type,
            size=e.size,
            sha256=e.sha256,
            issued_on=e.issued_on,
            expires_on=e.expires_on,
            inherited_from=e.inherited_from or e,
            uploaded_by=e.uploaded_by,
        )


def _assessment_for(source_version, sheet) -> dict:
    from ocop.evaluation.scoring import SheetTree

    if source_version is None or sheet is None:
        return {}
    if source_version.sheet_id == sheet.pk:
        return copy.deepcopy(source_version.assessment or {})
    old_tree = SheetTree.load(source_version.sheet) if source_version.sheet_id else None
    return self_assessment.remap(source_version.assessment, old_tree, SheetTree.load(sheet))


def _event(actor, dossier, action: str, from_state: str = "", reason: str = "", version=None) -> DossierEvent:
    return DossierEvent.objects.create(
        dossier=dossier,
        version=version,
        action=action,
        from_state=from_state,
        to_state=dossier.state,
        reason=reason,
        actor=_user(actor),
    )


def _dossier_recipients(dossier: Dossier) -> list:
    users = list(dossier.producer.accounts.filter(is_active=True))
    if dossier.filed_by_id:
        users.append(dossier.filed_by)
    return users


def _tell(actor, dossier: Dossier, event: DossierEvent, extra=()) -> None:
    """Tell the producer (and whoever must act next) that the dossier moved."""
    title = _("Dossier %(code)s: %(what)s") % {
        "code": dossier.code or dossier.pk,
        "what": event.get_action_display(),
    }
    body = _("%(product)s — now: %(state)s.") % {
        "product": dossier.product.name,
        "state": dossier.get_state_display(),
    }
    if event.reason:
        body = f"{body}\n{event.reason}"
    _notify(
        [*_dossier_recipients(dossier), *extra],
        title,
        body,
        dossier.get_absolute_url(),
        f"dossier-event-{event.pk}",
        exclude=actor,
    )


DOSSIER_START_FIELDS = ("product", "kind", "business_plan", "certificate")


def start_dossier(actor, data: dict[str, Any], day: dt.date | None = None) -> Dossier:
    """Start a dossier. An upgrade or a re-evaluation starts from the product's last accepted
    dossier: a copy of its content, self-assessment and evidence references, of which only what
    changed is then replaced."""
    from ocop.registry.models import Product

    day = _today(day)
    plan = data.get("business_plan")
    product = data.get("product") or (plan.product if plan is not None else None)
    kind = data.get("kind") or EvaluationKind.FIRST
    errors: dict[str, list[str]] = {}
    if product is None:
        raise ValidationError({"product": [_("Choose the product.")]})
    product = Product.objects.select_related(
        "producer", "producer__commune", "commune", "category__parent__parent"
    ).get(pk=product.pk)
    if not (is_own(actor, product.producer) or may(actor, "programme.add_dossier", product.commune)):
        raise PermissionDenied(
            _("Only the producer or the commune's officers may start a dossier for this product.")
        )
    if kind not in EvaluationKind.values:
        errors.setdefault("kind", []).append(_("Choose the kind of evaluation."))
    if plan is not None and (plan.state != PlanState.ACCEPTED or plan.product_id != product.pk):
        errors.setdefault("business_plan", []).append(
            _("The business plan is not an accepted plan of this product.")
        )
    certificate = data.get("certificate")
    if kind in (EvaluationKind.UPGRADE, EvaluationKind.REEVALUATION):
        certificate = certificate or current_certificate(product, day)
        if certificate is None or certificate.product_id != product.pk:
            errors.setdefault("certificate", []).append(
                _("An upgrade or a re-evaluation concerns a certificate of the product: it has none.")
            )
        elif kind == EvaluationKind.UPGRADE and certificate.stars >= 5:
            errors.setdefault("kind", []).append(_("The product already has 5★."))
        elif kind == EvaluationKind.UPGRADE and not certificate.is_valid_on(day):
            errors.setdefault("certificate", []).append(_("An upgrade concerns a certificate in force."))
    elif kind == EvaluationKind.FIRST:
        current = current_certificate(product, day)
        if current is not None and current.is_valid_on(day):
            errors.setdefault("kind", []).append(
                _(
                    "The product holds a certificate in force (%(stars)s★): "
                    "file an upgrade or a re-evaluation."
                )
                % {"stars": current.stars}
            )
        certificate = None
    running = open_dossier(product)
    if running is not None:
        errors.setdefault("product", []).append(
            _("The product already has a dossier on its way: %(code)s (%(state)s).")
            % {"code": running.code, "state": running.get_state_display()}
        )
    if errors:
        raise ValidationError(errors)
    base = last_accepted(product) if kind != EvaluationKind.FIRST else None
    sheet = self_assessment.sheet_for(product, day)
    commune = product.commune
    with transaction.atomic():
        code_commune = _current_commune(commune)
        number = _next_number("dossier", code_commune, day.year)
        dossier = Dossier.objects.create(
            code=f"HS-{code_commune.code}-{day.year}-{number:03d}",
            product=product,
            producer=product.producer,
            commune=commune,
            kind=kind,
            business_plan=plan,
            certificate=certificate,
            previous=base,
            filed_by=actor,
            search_folded=search_text(product.name, product.code or "", product.producer.name, commune.name),
        )
        source = base.accepted_version if base is not None else None
        if source is not None:
            body = copy.deepcopy(source.content)
            body.update(content.identity(product))
        else:
            body = content.initial_content(product)
        version = DossierVersion.objects.create(
            dossier=dossier,
            number=1,
            based_on=source,
            content=body,
            assessment=_assessment_for(source, sheet),
            sheet=sheet,
            created_by=actor,
        )
        if source is not None:
            _copy_evidence(source, version)
        audit.record(actor=actor, action="create", obj=dossier, after=audit.snapshot(dossier), area=commune)
        event = _event(actor, dossier, DossierAction.CREATE, version=version)
        _tell(actor, dossier, event)
    return dossier


def latest_version(dossier: Dossier) -> DossierVersion:
    return dossier.versions.order_by("-number").first()


def draft_version(actor, dossier: Dossier) -> DossierVersion:
    """The version being edited: the draft, or — for a dossier returned for completion — a new
    version copied from the last filed one (a filed version never changes)."""
    _require_edit(actor, dossier)
    latest = latest_version(dossier)
    if latest is not None and not latest.sealed:
        if dossier.state not in (DossierState.DRAFT, DossierState.RETURNED):
            raise ValidationError(_("The dossier cannot be changed now."), code="state")
        return latest
    if dossier.state != DossierState.RETURNED:
        raise ValidationError(
            _("The dossier has been filed: it can only change when it is returned for completion."),
            code="state",
        )
    return _new_version(actor, dossier, latest)


def _new_version(actor, dossier: Dossier, source: DossierVersion) -> DossierVersion:
    sheet = self_assessment.sheet_for(dossier.product, timezone.localdate()) or source.sheet
    with transaction.atomic():
        version = DossierVersion.objects.create(
            dossier=dossier,
            number=source.number + 1,
            based_on=source,
            content=copy.deepcopy(source.content),
            assessment=_assessment_for(source, sheet),
            sheet=sheet,
            created_by=actor,
        )
        _copy_evidence(source, version)
        audit.record(
            actor=actor,
            action="update",
            obj=dossier,
            changes={"version": [source.number, version.number]},
            area=dossier.commune,
        )
        _event(actor, dossier, DossierAction.NEW_VERSION, from_state=dossier.state, version=version)
    return version


def new_version(actor, dossier: Dossier, reason: str = "") -> DossierVersion:
    """Take a filed dossier back to change it: from the commune (it stops the commune's clock and
    the dossier is being prepared again) or after a return."""
    _require_edit(actor, dossier)
    latest = latest_version(dossier)
    if not latest.sealed:
        return latest
    if dossier.state not in (DossierState.AT_COMMUNE, DossierState.RETURNED):
        raise ValidationError(_("The dossier cannot be taken back now."), code="state")
    if dossier.state == DossierState.AT_COMMUNE and not may_recall(actor, dossier):
        raise PermissionDenied(_("Only whoever filed the dossier takes it back; the commune returns it."))
    with transaction.atomic():
        dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
        version = _new_version(actor, dossier, latest)
        if dossier.state == DossierState.AT_COMMUNE:
            old = dossier.state
            dossier.state = DossierState.DRAFT
            dossier.deadline = None
            dossier.save(update_fields=["state", "deadline", "updated_at"])
            audit.record(
                actor=actor,
                action="state",
                obj=dossier,
                changes={"state": [old, dossier.state]},
                area=dossier.commune,
            )
            event = _event(
                actor, dossier, DossierAction.RECALL, from_state=old, reason=nfc(reason), version=version
            )
            _tell(
                actor,
                dossier,
                event,
                officers_for(dossier.commune, "programme.commune_dossier", Level.COMMUNE),
            )
    return version


def update_draft(actor, dossier: Dossier, data: dict[str, Any]) -> DossierVersion:
    """Change what the producer writes in the draft version (the identity comes from the registries)."""
    version = draft_version(actor, dossier)
    errors: dict[str, list[str]] = {}
    changes = {}
    allowed = {f.key: f for f in content.fields_for(dossier.kind)}
    body = dict(version.content)
    for key, value in data.items():
        spec = allowed.get(key)
        if spec is None:
            continue
        try:
            value = content.clean_value(spec, value)
        except (TypeError, ValueError):
            errors.setdefault(key, []).append(_("Enter a whole number."))
            continue
        if spec.widget == "int" and value is not None and not 0 <= value <= 1000:
            errors.setdefault(key, []).append(_("Enter a number between 0 and 1000."))
            continue
        if body.get(key) != value:
            changes[key] = [body.get(key), value]
            body[key] = value
    if errors:
        raise ValidationError(errors)
    if not changes:
        return version
    with transaction.atomic():
        version.content = body
        version.save(update_fields=["content", "updated_at"])
        audit.record(
            actor=actor,
            action="update",
            obj=dossier,
            changes=changes,
            area=dossier.commune,
            message=f"v{version.number}",
        )
    return version


def set_assessment(actor, dossier: Dossier, answers: dict[str, tuple[int | None, str]]) -> DossierVersion:
    """Record self-assessment answers {criterion key: (option id or None, note)} on the draft."""
    from ocop.evaluation.scoring import SheetTree

    version = draft_version(actor, dossier)
    if version.sheet_id is None:
        raise ValidationError(
            _("There is no score sheet for the product's set under the rules in force."), code="no_sheet"
        )
    tree = SheetTree.load(version.sheet)
    errors: dict[str, list[str]] = {}
    stored = dict(version.assessment or {})
    changes = {}
    for key, (option_id, note) in answers.items():
        node = tree.by_code.get(key)
        if node is None or not node.is_scorable:
            errors.setdefault(key, []).append(_("No such criterion on the sheet."))
            continue
        try:
            entry = self_assessment.answer_entry(tree, key, option_id, nfc(note or "")[:2000])
        except ValueError:
            errors.setdefault(key, []).append(_("This option does not belong to the criterion."))
            continue
        if stored.get(key) != entry:
            changes[key] = [(stored.get(key) or {}).get("points"), entry["points"]]
            stored[key] = entry
    if errors:
        raise ValidationError(errors)
    if changes:
        detail = ", ".join(f"{k}: {b or '—'} → {a or '—'}" for k, (b, a) in sorted(changes.items()))
        with transaction.atomic():
            version.assessment = stored
            version.save(update_fields=["assessment", "updated_at"])
            audit.record(
                actor=actor,
                action="update",
                obj=dossier,
                changes={"self_assessment": [None, len(changes)]},
                area=dossier.commune,
                message=f"v{version.number}: {detail}"[:2000],
            )
    return version


EVIDENCE_FIELDS = ("kind", "criterion_key", "paper", "title", "url", "issued_on", "expires_on")


def add_evidence(actor, dossier: Dossier, data: dict[str, Any], upload=None) -> DossierEvidence:
    """Attach a document to the draft version: a file (checked: type by content, size) or a link."""
    version = draft_version(actor, dossier)
    evidence = DossierEvidence(version=version, uploaded_by=actor)
    _assign(evidence, data, EVIDENCE_FIELDS)
    evidence.criterion_key = (evidence.criterion_key or "").strip()
    errors = _clean(evidence, exclude=["version", "file", "uploaded_by", "inherited_from", "title"])
    if evidence.kind not in EvidenceKind.values:
        errors.setdefault("kind", []).append(_("Choose what the document is."))
    if evidence.kind == EvidenceKind.CRITERION:
        from ocop.evaluation.scoring import SheetTree

        tree = SheetTree.load(version.sheet) if version.sheet_id else None
        if tree is None or evidence.criterion_key not in tree.by_code:
            errors.setdefault("criterion_key", []).append(_("Choose the criterion it proves."))
    elif evidence.kind == EvidenceKind.LEGAL:
        if evidence.paper not in LegalPaper.values:
            errors.setdefault("paper", []).append(_("Choose the legal paper."))
        evidence.criterion_key = ""
    if evidence.issued_on and evidence.expires_on and evidence.expires_on < evidence.issued_on:
        errors.setdefault("expires_on", []).append(_("The expiry date is before the issue date."))
    if upload is None and not evidence.url:
        errors.setdefault("file", []).append(_("Choose a file to upload, or give a link."))
    checked = None
    if upload is not None and not errors:
        checked = uploads.check_upload(upload)
    if errors:
        raise ValidationError(errors)
    evidence.title = nfc(evidence.title)[:255] or (checked.original_name if checked else evidence.url[:255])
    with transaction.atomic():
        if checked is not None:
            evidence.original_name = checked.original_name
            evidence.content_type = checked.content_type
            evidence.size = checked.size
            evidence.sha256 = checked.sha256
            evidence.file.save(checked.name, checked.content, save=False)
        evidence.save()
        audit.record(
            actor=actor,
            action="update",
            obj=dossier,
            changes={"evidence+": [None, evidence.title]},
            area=dossier.commune,
            message=f"v{version.number}",
        )
    return evidence


def remove_evidence(actor, dossier: Dossier, evidence_id: int) -> None:
    """Remove a document from the draft (a reused reference only: the file stays with the version
    it came from)."""
    version = draft_version(actor, dossier)
    evidence = version.evidence.filter(pk=evidence_id).first()
    if evidence is None:
        raise ValidationError({"id": [_("Not found in the version being prepared.")]})
    name = evidence.file.name
    with transaction.atomic():
        audit.record(
            actor=actor,
            action="update",
            obj=dossier,
            changes={"evidence-": [evidence.title, None]},
            area=dossier.commune,
            message=f"v{version.number}",
        )
        evidence.delete()
        if name and not DossierEvidence.objects.filter(file=name).exists():
            storage = evidence.file.storage
            transaction.on_commit(lambda: storage.delete(name))


# --- filing with the commune ---------------------------------------------------------------------


def filing_window(certificate) -> tuple[dt.date, dt.date]:
    """Điều 7.6.a: not earlier than 180 and not later than 120 days before the certificate ends."""
    return certificate.window_opens, certificate.window_closes


def article_12_3_basis(certificate, day: dt.date) -> str:
    """The default late-filing hook (Điều 12.3): a certificate extended by the certification office
    while its re-evaluation is pending, or one whose filing window had already closed when Decision
    26/2026 came into force (22/05/2026), may be re-evaluated until at most 180 days past its expiry.

    A province replaces it with `settings.OCOP_REEVALUATION_LATE_FILING` (a dotted path to a
    callable (certificate, day) → the basis as text, or "" when late filing is refused)."""
    from ocop.certification.models import MAX_EXTENSION_DAYS
    from ocop.evaluation.models import RuleVersion

    basis = "Khoản 3 Điều 12 Quyết định số 26/2026/QĐ-TTg"
    if certificate.extended_until and day <= certificate.extended_until:
        return f"{basis} (giấy chứng nhận được kéo dài hiệu lực đến {_d(certificate.extended_until)})"
    rule = RuleVersion.objects.filter(code="26-2026").first()
    limit = certificate.valid_until + dt.timedelta(days=MAX_EXTENSION_DAYS)
    if rule is not None and certificate.window_closes < rule.effective_from and day <= limit:
        return basis
    return ""


def late_filing_basis(certificate, day: dt.date) -> str:
    path = (
        getattr(settings, "OCOP_REEVALUATION_LATE_FILING", "") or "ocop.programme.services.article_12_3_basis"
    )
    return import_string(path)(certificate, day) or ""


def check_filing_window(certificate, day: dt.date) -> str:
    """Refuse a re-evaluation filed outside 180→120 days before expiry; returns the basis when the
    Article 12.3 case allows a late filing ("" inside the window)."""
    opens, closes = filing_window(certificate)
    if day < opens:
        raise ValidationError(
            _(
                "A re-evaluation can be filed from %(opens)s to %(closes)s: from 180 to 120 days before the "
                "certificate expires on %(end)s. It is too early."
            )
            % {"opens": _d(opens), "closes": _d(closes), "end": _d(certificate.valid_until)},
            code="window_not_open",
        )
    if day > closes:
        basis = late_filing_basis(certificate, day)
        if basis:
            return basis
        raise ValidationError(
            _(
                "The filing window of this re-evaluation closed on %(closes)s "
                "(120 days before the certificate expires on %(end)s); it opened on %(opens)s."
            )
            % {"opens": _d(opens), "closes": _d(closes), "end": _d(certificate.valid_until)},
            code="window_closed",
        )
    return ""


def _seal(actor, dossier: Dossier, version: DossierVersion) -> None:
    version.content = {**version.content, **content.identity(dossier.product)}
    version.submitted_at = timezone.now()
    version.submitted_by = actor
    version.checksum = content.checksum(version, list(version.evidence.all()))
    version.save()


def _raise_problems(problems, code: str) -> None:
    if problems:
        raise ValidationError([ValidationError(p.message, code=p.code) for p in problems], code=code)


def submit_dossier(actor, dossier: Dossier, day: dt.date | None = None) -> Dossier:
    """File the dossier with the commune: the version is sealed and the commune's 15 working days
    (Điều 7.2) start the next working day."""
    from ocop.registry.models import Product

    _require_edit(actor, dossier)
    day = _today(day)
    if dossier.state not in (DossierState.DRAFT, DossierState.RETURNED):
        raise ValidationError(_("The dossier has already been filed."), code="state")
    version = latest_version(dossier)
    if version.sealed:
        raise ValidationError(
            _("Nothing was changed since the return: change the dossier first."), code="unchanged"
        )
    dossier.product = Product.objects.select_related(
        "producer", "producer__commune", "category__parent__parent"
    ).get(pk=dossier.product_id)
    candidate = copy.copy(version)
    candidate.content = {**version.content, **content.identity(dossier.product)}
    _raise_problems(completeness.producer_problems(dossier, candidate, day), "incomplete")
    previous = version.based_on
    if (
        previous is not None
        and previous.dossier_id == dossier.pk
        and content.diff_versions(previous, candidate, new_evidence=list(version.evidence.all())).empty
    ):
        raise ValidationError(
            _("Nothing has changed since version %(n)s: change what was asked first.")
            % {"n": previous.number},
            code="unchanged",
        )
    basis = ""
    if dossier.kind == EvaluationKind.REEVALUATION:
        from ocop.certification.models import Certificate

        basis = check_filing_window(Certificate.objects.get(pk=dossier.certificate_id), day)
    with transaction.atomic():
        dossier = (
            Dossier.objects.select_for_update()
            .select_related("product", "producer", "commune")
            .get(pk=dossier.pk)
        )
        if dossier.state not in (DossierState.DRAFT, DossierState.RETURNED):
            raise ValidationError(_("The dossier has already been filed."), code="state")
        version = latest_version(dossier)
        _seal(actor, dossier, version)
        old = dossier.state
        dossier.state = DossierState.AT_COMMUNE
        dossier.received_on = day
        if not dossier.receipt_number:
            commune = _current_commune(dossier.commune)
            number = _next_number("receipt", commune, day.year)
            dossier.receipt_number = f"{number:02d}/PĐK-{commune.province_code}-{commune.code}-{day.year}"
        dossier.commune_deadline = _commune_deadline(day)
        dossier.deadline = dossier.commune_deadline
        dossier.return_reason = ""
        dossier.returned_by = ""
        if basis:
            dossier.late_filing_basis = basis
        dossier.save()
        audit.record(
            actor=actor,
            action="submit",
            obj=dossier,
            changes={
                "state": [old, dossier.state],
                "version": [None, version.number],
                "checksum": [None, version.checksum],
            },
            area=dossier.commune,
        )
        event = _event(actor, dossier, DossierAction.SUBMIT, from_state=old, reason=basis, version=version)
        _tell(
            actor, dossier, event, officers_for(dossier.commune, "programme.commune_dossier", Level.COMMUNE)
        )
    return dossier


def _commune_deadline(received_on: dt.date) -> dt.date:
    from .workdays import add_working_days

    return add_working_days(received_on, rules.COMMUNE_WORKING_DAYS)


def _require_commune(actor, dossier: Dossier) -> None:
    _require(actor, "programme.commune_dossier", dossier.commune)
    if dossier.state != DossierState.AT_COMMUNE:
        raise ValidationError(_("The dossier is not at the commune."), code="state")


def record_samples(actor, dossier: Dossier, count: int, day: dt.date | None = None) -> Dossier:
    """The commune records the samples received with the dossier (Điều 6.2.d)."""
    _require_commune(actor, dossier)
    day = _today(day)
    if count is None or not 0 <= int(count) <= 1000:
        raise ValidationError({"count": [_("Enter the number of samples received.")]})
    with transaction.atomic():
        before = {"samples_received": dossier.samples_received}
        dossier.samples_received = int(count)
        dossier.samples_received_on = day
        dossier.save(update_fields=["samples_received", "samples_received_on", "updated_at"])
        audit.record(
            actor=actor,
            action="update",
            obj=dossier,
            changes={"samples_received": [before["samples_received"], dossier.samples_received]},
            area=dossier.commune,
        )
        _event(actor, dossier, DossierAction.SAMPLES, from_state=dossier.state, reason=str(count))
    return dossier


REPORT_FIELDS = (
    "raw_materials",
    "local_labour",
    "idea_origin",
    "idea_origin_note",
    "local_identity",
    "meeting_held",
    "report_number",
    "report_date",
    "letter_number",
    "letter_date",
    "signer_name",
    "signer_title",
)


def save_commune_report(actor, dossier: Dossier, data: dict[str, Any]) -> CommuneReport:
    """The commune's assessment (Mẫu 03: local raw materials, local labour, origin of the idea,
    local identity) and its proposal letter."""
    _require_commune(actor, dossier)
    report = CommuneReport.objects.filter(dossier=dossier).first() or CommuneReport(
        dossier=dossier, prepared_by=actor
    )
    before = audit.snapshot(report) if report.pk else None
    _assign(report, data, REPORT_FIELDS)
    errors = _clean(report, exclude=["dossier", "prepared_by"])
    if report.report_date and dossier.received_on and report.report_date < dossier.received_on:
        errors.setdefault("report_date", []).append(_("The report is dated before the dossier was received."))
    if report.letter_date and report.report_date and report.letter_date < report.report_date:
        errors.setdefault("letter_date", []).append(_("The letter is dated before the report."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        report.prepared_by = actor
        report.save()
        audit.record(
            actor=actor,
            action="update" if before else "create",
            obj=report,
            before=before,
            after=audit.snapshot(report),
            area=dossier.commune,
        )
        _event(actor, dossier, DossierAction.COMMUNE_REPORT, from_state=dossier.state)
    return report


def commune_return(actor, dossier: Dossier, reason: str) -> Dossier:
    """The commune returns the dossier to the producer for completion, with the reason."""
    _require_commune(actor, dossier)
    reason = _reason(reason)
    return _return(actor, dossier, reason, ReturnLevel.COMMUNE, DossierAction.COMMUNE_RETURN)


def _return(
    actor, dossier: Dossier, reason: str, level: str, action: str, to_state=DossierState.RETURNED
) -> Dossier:
    with transaction.atomic():
        dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
        old = dossier.state
        dossier.state = to_state
        dossier.return_reason = reason
        dossier.returned_by = level
        if to_state == DossierState.RETURNED:
            dossier.deadline = None
        dossier.save()
        audit.record(
            actor=actor,
            action="return",
            obj=dossier,
            changes={"state": [old, dossier.state]},
            message=reason,
            area=dossier.commune,
        )
        event = _event(actor, dossier, action, from_state=old, reason=reason)
        extra = (
            officers_for(dossier.commune, "programme.commune_dossier", Level.COMMUNE)
            if to_state == DossierState.AT_COMMUNE
            else ()
        )
        _tell(actor, dossier, event, extra)
    return dossier


def province_deadline_for(dossier: Dossier, proposed_on: dt.date) -> dt.date | None:
    """The last day of the regular province round a dossier proposed on `proposed_on` belongs to
    (Điều 5.1: proposed before 30/04 → evaluated before 30/06; before 30/10 → before 30/12)."""
    from ocop.evaluation.services import rule_in_force

    rule = rule_in_force(proposed_on)
    found = rules.expected_round(rule, RoundLevel.PROVINCE, proposed_on) if rule else None
    return found[2] - dt.timedelta(days=1) if found else None


def propose(actor, dossier: Dossier, day: dt.date | None = None) -> Dossier:
    """The commune proposes the dossier to the province (report Mẫu 03 and letter done, samples in)."""
    _require_commune(actor, dossier)
    day = _today(day)
    version = latest_version(dossier)
    if not version.sealed:
        raise ValidationError(_("The dossier is being changed by the producer."), code="state")
    _raise_problems(completeness.problems(dossier, version, day), "incomplete")
    if dossier.received_on and day < dossier.received_on:
        raise ValidationError({"day": [_("The proposal cannot come before the dossier was received.")]})
    with transaction.atomic():
        dossier = Dossier.objects.select_for_update().select_related("product", "commune").get(pk=dossier.pk)
        if dossier.state != DossierState.AT_COMMUNE:
            raise ValidationError(_("The dossier is not at the commune."), code="state")
        old = dossier.state
        dossier.state = DossierState.AT_PROVINCE
        dossier.proposed_on = day
        province = _province_of(_current_commune(dossier.commune))
        if not dossier.province_receipt_number and province is not None:
            commune = _current_commune(dossier.commune)
            number = _next_number("province-receipt", province, day.year)
            dossier.province_receipt_number = (
                f"{number:03d}/PĐK-{commune.province_code}-{commune.code}-{day.year}"
            )
        dossier.province_deadline = (
            None if dossier.kind == EvaluationKind.REEVALUATION else province_deadline_for(dossier, day)
        )
        dossier.deadline = dossier.province_deadline
        dossier.return_reason = ""
        dossier.returned_by = ""
        dossier.save()
        late = dossier.commune_deadline is not None and day > dossier.commune_deadline
        note = (
            _("Proposed after the commune's deadline of %(day)s.") % {"day": _d(dossier.commune_deadline)}
            if late
            else ""
        )
        audit.record(
            actor=actor,
            action="submit",
            obj=dossier,
            changes={"state": [old, dossier.state]},
            message=note,
            area=dossier.commune,
        )
        event = _event(actor, dossier, DossierAction.PROPOSE, from_state=old, reason=note, version=version)
        _tell(
            actor, dossier, event, officers_for(dossier.commune, "programme.province_dossier", Level.PROVINCE)
        )
    return dossier


def _require_province(actor, dossier: Dossier, states=(DossierState.AT_PROVINCE,)) -> None:
    _require(actor, "programme.province_dossier", dossier.commune)
    if dossier.state not in states:
        raise ValidationError(_("The dossier is not at the province."), code="state")


def province_return(actor, dossier: Dossier, reason: str, target: str = ReturnTarget.PRODUCER) -> Dossier:
    """The OCOP advisory body returns the dossier for completion (Điều 7.3.a), with the reasons:
    to the producer (the dossier needs changes) or to the commune (its report or letter does)."""
    _require_province(actor, dossier, (DossierState.AT_PROVINCE, DossierState.ACCEPTED))
    reason = _reason(reason)
    if target not in ReturnTarget.values:
        raise ValidationError({"target": [_("Choose to whom the dossier goes back.")]})
    if target == ReturnTarget.COMMUNE:
        with transaction.atomic():
            dossier = _return(
                actor,
                dossier,
                reason,
                ReturnLevel.PROVINCE,
                DossierAction.PROVINCE_RETURN,
                DossierState.AT_COMMUNE,
            )
            dossier.commune_deadline = _commune_deadline(timezone.localdate())
            dossier.deadline = dossier.commune_deadline
            dossier.complete_on = None
            dossier.save(update_fields=["commune_deadline", "deadline", "complete_on", "updated_at"])
        return dossier
    with transaction.atomic():
        dossier = _return(actor, dossier, reason, ReturnLevel.PROVINCE, DossierAction.PROVINCE_RETURN)
        dossier.complete_on = None
        dossier.save(update_fields=["complete_on", "updated_at"])
    return dossier


def accept_dossier(actor, dossier: Dossier, day: dt.date | None = None) -> Dossier:
    """The advisory body finds the dossier complete; a re-evaluation's 45 days (Điều 7.6.g) start."""
    _require_province(actor, dossier)
    day = _today(day)
    version = latest_version(dossier)
    _raise_problems(completeness.problems(dossier, version, day), "incomplete")
    if dossier.proposed_on and day < dossier.proposed_on:
        raise ValidationError({"day": [_("The dossier cannot be complete before it was proposed.")]})
    with transaction.atomic():
        dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
        if dossier.state != DossierState.AT_PROVINCE:
            raise ValidationError(_("The dossier is not at the province."), code="state")
        old = dossier.state
        dossier.state = DossierState.ACCEPTED
        dossier.complete_on = day
        dossier.accepted_version = version
        if dossier.kind == EvaluationKind.REEVALUATION:
            dossier.province_deadline = day + dt.timedelta(days=rules.REEVALUATION_DAYS)
        dossier.deadline = dossier.province_deadline
        dossier.save()
        audit.record(
            actor=actor,
            action="state",
            obj=dossier,
            changes={"state": [old, dossier.state]},
            area=dossier.commune,
        )
        event = _event(actor, dossier, DossierAction.ACCEPT, from_state=old, version=version)
        _tell(actor, dossier, event)
    return dossier


def assign_dossier(actor, dossier: Dossier, round_: EvaluationRound | None, session) -> Dossier:
    """Put a complete dossier before a council: in an open round, in one of its council's sessions
    (through `ocop.evaluation.services.add_product`); the dossier keeps the link to the product in
    the session, whose advisory review it then shows. A re-evaluation runs on its own 45 days
    (Điều 7.6.g) and needs no round; a session after its deadline is recorded as late."""
    from ocop.core.scope import Scope
    from ocop.evaluation import services as evaluation
    from ocop.evaluation.choices import CouncilLevel, EntryState, SessionState

    _require(actor, "programme.province_dossier", dossier.commune)
    reassign = (
        dossier.state == DossierState.ASSIGNED
        and dossier.entry_id
        and dossier.entry.state == EntryState.WITHDRAWN
    )
    if dossier.state != DossierState.ACCEPTED and not reassign:
        raise ValidationError(
            _("Only a dossier found complete by the province can go to a council."), code="state"
        )
    day = timezone.localdate()
    version = dossier.accepted_version or latest_version(dossier)
    _raise_problems(completeness.problems(dossier, version, day), "incomplete")
    errors: dict[str, list[str]] = {}
    reevaluation = dossier.kind == EvaluationKind.REEVALUATION
    wanted = CouncilLevel.PROVINCE
    if round_ is None:
        if not reevaluation:
            errors.setdefault("round", []).append(_("Choose the evaluation round."))
    else:
        cycle = round_.cycle
        if round_.state != StageState.ACTIVE:
            errors.setdefault("round", []).append(_("The round is not open."))
        if cycle.area is not None and not Scope(paths=frozenset({cycle.area.path})).covers_unit(
            dossier.commune
        ):
            errors.setdefault("round", []).append(_("The round belongs to another area."))
        if dossier.proposed_on and dossier.proposed_on >= round_.proposals_before:
            errors.setdefault("round", []).append(
                _("The round takes dossiers proposed before %(day)s; this one was proposed on %(on)s.")
                % {"day": _d(round_.proposals_before), "on": _d(dossier.proposed_on)}
            )
        wanted = CouncilLevel.CENTRAL if round_.level == RoundLevel.MINISTRY else CouncilLevel.PROVINCE
        if session.date >= round_.evaluate_before:
            errors.setdefault("session", []).append(
                _("The round is evaluated before %(day)s; the session is on %(on)s.")
                % {"day": _d(round_.evaluate_before), "on": _d(session.date)}
            )
    if session.council.level != wanted:
        errors.setdefault("session", []).append(_("The session's council is not of the round's level."))
    elif round_ is not None and round_.council_id and session.council_id != round_.council_id:
        errors.setdefault("session", []).append(_("The round is held by another council."))
    if session.state == SessionState.CLOSED:
        errors.setdefault("session", []).append(_("The session is closed."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
        data = {"product": dossier.product, "kind": dossier.kind}
        sheet = version.sheet
        if (
            sheet is not None
            and sheet.rule_version_id == session.rule_version_id
            and sheet.superseded_by_id is None
        ):
            data["sheet"] = sheet  # the council scores on the sheet the producer assessed themselves on
        entry = evaluation.add_product(actor, session, data)
        old = dossier.state
        dossier.state = DossierState.ASSIGNED
        dossier.round = round_
        dossier.entry = entry
        if not reevaluation:
            dossier.province_deadline = round_.last_day
        dossier.deadline = dossier.province_deadline
        dossier.save()
        where = " — ".join(str(x) for x in (round_, session) if x is not None)
        if dossier.province_deadline and session.date > dossier.province_deadline:
            where += "\n" + _("The session is after the deadline of %(day)s.") % {
                "day": _d(dossier.province_deadline)
            }
        audit.record(
            actor=actor,
            action="state",
            obj=dossier,
            changes={
                "state": [old, dossier.state],
                "entry": [None, entry.pk],
                "round": [None, round_.pk if round_ else None],
            },
            area=dossier.commune,
            message=where,
        )
        event = _event(actor, dossier, DossierAction.ASSIGN, from_state=old, reason=where, version=version)
        _tell(actor, dossier, event)
    return dossier


def withdraw_dossier(actor, dossier: Dossier, reason: str) -> Dossier:
    """The producer (or the commune for them) withdraws a dossier not yet before a council."""
    _require_edit(actor, dossier)
    reason = _reason(reason)
    if dossier.state in (DossierState.ASSIGNED, DossierState.WITHDRAWN):
        raise ValidationError(
            _("A dossier before a council is withdrawn from the session by the office."), code="state"
        )
    with transaction.atomic():
        dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
        old = dossier.state
        dossier.state = DossierState.WITHDRAWN
        dossier.deadline = None
        dossier.save(update_fields=["state", "deadline", "updated_at"])
        audit.record(
            actor=actor,
            action="withdraw",
            obj=dossier,
            changes={"state": [old, dossier.state]},
            message=reason,
            area=dossier.commune,
        )
        event = _event(actor, dossier, DossierAction.WITHDRAW, from_state=old, reason=reason)
        _tell(actor, dossier, event)
    return dossier


# --- reminders -----------------------------------------------------------------------------------


def invite_reevaluations(day: dt.date | None = None) -> list[tuple[Any, int]]:
    """Notify the producer's accounts and the commune's officers of each certificate whose
    re-evaluation window is open (`selectors.reevaluation_invitations`). Once per certificate and
    user (key "reeval-<certificate>"): running it again notifies nobody twice."""
    from django.contrib.auth import get_user_model
    from django.db.models import Prefetch
    from django.urls import reverse

    from .selectors import reevaluation_invitations

    User = get_user_model()
    day = _today(day)
    sent = []
    officers = OfficersOf("programme.change_dossier", Level.COMMUNE)
    create = reverse("programme:dossier_create")
    invitations = reevaluation_invitations(day).prefetch_related(
        Prefetch("product__producer__accounts", queryset=User.objects.filter(is_active=True))
    )
    with translation.override(settings.LANGUAGE_CODE):
        for certificate in invitations:
            product = certificate.product
            users = [*product.producer.accounts.all(), *officers(product.commune)]
            opens, closes = filing_window(certificate)
            title = _("Re-evaluation of %(product)s: file the dossier by %(closes)s") % {
                "product": product.name,
                "closes": _d(closes),
            }
            body = _(
                "The OCOP certificate of %(product)s (%(stars)s★) expires on %(end)s. "
                "The re-evaluation dossier is filed with the commune from %(opens)s to %(closes)s "
                "(Decision 26/2026, Article 7.6)."
            ) % {
                "product": product.name,
                "stars": certificate.stars,
                "end": _d(certificate.valid_until),
                "opens": _d(opens),
                "closes": _d(closes),
            }
            url = f"{create}?product={product.pk}&kind=reevaluation"
            notices = notify(users, title, body, url, key=f"reeval-{certificate.pk}")
            sent.append((certificate, len(notices)))
    return sent


def notify_overdue(day: dt.date | None = None) -> int:
    """Notify whoever must act on each overdue step (`selectors.overdue_steps`), once per step and
    deadline."""
    from .selectors import overdue_steps

    day = _today(day)
    count = 0
    commune_officers = OfficersOf("programme.commune_dossier", Level.COMMUNE)
    province_officers = OfficersOf("programme.province_dossier", Level.PROVINCE)
    with translation.override(settings.LANGUAGE_CODE):
        for item in overdue_steps(day):
            dossier = item.dossier
            if item.kind == "commune":
                users = commune_officers(dossier.commune)
            else:
                users = province_officers(dossier.commune)
            title = _("Overdue: dossier %(code)s (%(product)s)") % {
                "code": dossier.code,
                "product": dossier.product.name,
            }
            body = _("%(step)s was due on %(day)s (%(n)s days late).") % {
                "step": item.label,
                "day": _d(item.deadline),
                "n": item.days_late,
            }
            count += len(notify(users, title, body, dossier.get_absolute_url(), key=item.key))
    return count
