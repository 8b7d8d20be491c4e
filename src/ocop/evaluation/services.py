"""Writes of the evaluation: councils and their members, sessions, the products assigned to them,
scorecards, closing a product and recording the recognising authority's decision.

Each function validates everything first, then writes in one transaction and audits. Locks are
always taken in the same order — the product in the session, then the scorecard, then (inside
`audit.record`) the audit chain head — so concurrent members never deadlock and a submission can
never slip past the chair's closing of the product.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ocop.accounts.selectors import user_scope
from ocop.audit import services as audit
from ocop.core.scope import Scope
from ocop.core.text import nfc
from ocop.geo.choices import Level

from . import scoring
from .choices import (
    ENTRY_OPEN_STATES,
    CouncilLevel,
    EntryState,
    EvaluationKind,
    MemberRole,
    ResultState,
    ScorecardState,
    SessionMode,
    SessionState,
)
from .models import (
    AdvisoryMember,
    AdvisoryReview,
    Answer,
    Attendance,
    ConflictOfInterest,
    Council,
    CouncilMember,
    EvaluationResult,
    EvaluationSession,
    RuleVersion,
    Scorecard,
    ScoreSheet,
    SessionProduct,
)

COUNCIL_FIELDS = (
    "name",
    "level",
    "area",
    "decision_number",
    "decision_date",
    "decided_by",
    "regulation_number",
    "regulation_date",
    "max_spread",
    "quorum",
    "active_from",
    "active_to",
    "notes",
)
MEMBER_FIELDS = ("user", "full_name", "role", "organisation", "position", "scores", "sort_order")
ADVISOR_FIELDS = ("user", "full_name", "organisation", "is_leader")
SESSION_FIELDS = ("council", "name", "round_label", "date", "place", "mode", "notes")
REVIEW_FIELDS = (
    "site_survey_date",
    "site_survey_findings",
    "extra_tests_requested",
    "extra_tests_results",
    "report",
    "recommendation",
)


# --- permissions ---------------------------------------------------------------------------------


def may(actor, permission: str, area) -> bool:
    scope = user_scope(actor, permission)
    return scope.everything if area is None else scope.covers_unit(area)


def _require(actor, permission: str, area) -> None:
    if not may(actor, permission, area):
        raise PermissionDenied(
            _("You may not do this for %(area)s.") % {"area": area.name if area else _("the whole country")}
        )


def member_of(actor, council: Council) -> CouncilMember | None:
    if not getattr(actor, "is_authenticated", False):
        return None
    return CouncilMember.objects.filter(council=council, user=actor, is_active=True).first()


def presiding_member(session: EvaluationSession) -> CouncilMember | None:
    """The chair, or — when the chair is recorded absent — the first vice-chair present."""
    members = list(
        CouncilMember.objects.filter(
            council_id=session.council_id, is_active=True, role__in=[MemberRole.CHAIR, MemberRole.VICE_CHAIR]
        )
    )
    absent = set(session.attendance.filter(present=False).values_list("member_id", flat=True))
    chair = next((m for m in members if m.role == MemberRole.CHAIR), None)
    if chair is not None and chair.pk not in absent:
        return chair
    return next((m for m in members if m.role == MemberRole.VICE_CHAIR and m.pk not in absent), None)


def _require_presiding(actor, session: EvaluationSession) -> CouncilMember:
    member = presiding_member(session)
    if member is None or member.user_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("Only the chair of the council (or the vice-chair presiding) may do this."))
    return member


def may_manage_session(actor, session: EvaluationSession) -> bool:
    """Officers who prepare sessions (coordination office) and the council's secretary."""
    if may(actor, "evaluation.change_evaluationsession", session.council.area):
        return True
    member = member_of(actor, session.council)
    return member is not None and member.role in (MemberRole.SECRETARY, MemberRole.CHAIR)


def _require_manage(actor, session: EvaluationSession) -> None:
    if not may_manage_session(actor, session):
        raise PermissionDenied(_("Only the coordination office or the council's secretary may do this."))


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
                value = nfc(value).strip()
            setattr(instance, field, value)


def _save(actor, obj, before: dict | None, area, message: str = ""):
    """Save a validated object and audit it ("create" without a `before` snapshot, else "update")."""
    with transaction.atomic():
        obj.save()
        audit.record(
            actor=actor,
            action="update" if before is not None else "create",
            obj=obj,
            before=before,
            after=audit.snapshot(obj),
            area=area,
            message=message,
        )
    return obj


# --- councils ------------------------------------------------------------------------------------


def _check_council(council: Council) -> dict[str, list[str]]:
    errors = _clean(council)
    area = council.area
    if council.level == CouncilLevel.CENTRAL:
        if area is not None:
            errors.setdefault("area", []).append(
                _("The central council serves the whole country: leave it empty.")
            )
    elif area is None:
        errors.setdefault("area", []).append(_("Choose the area the council serves."))
    elif council.level == CouncilLevel.PROVINCE and area.level != Level.PROVINCE:
        errors.setdefault("area", []).append(_("A province council serves a province."))
    elif council.level == CouncilLevel.DISTRICT and (
        area.level != Level.DISTRICT or area.edition != "legacy"
    ):
        errors.setdefault("area", []).append(
            _("A district council serves a former district (before 07/2025).")
        )
    if council.active_from and council.active_to and council.active_to < council.active_from:
        errors.setdefault("active_to", []).append(_("The end is before the start."))
    return errors


def create_council(actor, data: dict[str, Any]) -> Council:
    council = Council()
    _assign(council, data, COUNCIL_FIELDS)
    errors = _check_council(council)
    if errors:
        raise ValidationError(errors)
    _require(actor, "evaluation.add_council", council.area)
    return _save(actor, council, None, council.area)


def update_council(actor, council: Council, data: dict[str, Any]) -> Council:
    _require(actor, "evaluation.change_council", council.area)
    before = audit.snapshot(council)
    _assign(council, data, COUNCIL_FIELDS)
    errors = _check_council(council)
    if errors:
        raise ValidationError(errors)
    _require(actor, "evaluation.change_council", council.area)
    return _save(actor, council, before, council.area)


def _check_member(member: CouncilMember) -> dict[str, list[str]]:
    errors = _clean(member, exclude=["council"])
    if member.user_id and not member.user.is_active:
        errors.setdefault("user", []).append(_("This account is disabled."))
    duplicate = CouncilMember.objects.filter(council=member.council, user_id=member.user_id).exclude(
        pk=member.pk
    )
    if member.user_id and duplicate.exists():
        errors.setdefault("user", []).append(_("This person is already a member of the council."))
    if member.role == MemberRole.CHAIR and member.is_active:
        other = CouncilMember.objects.filter(council=member.council, role=MemberRole.CHAIR, is_active=True)
        other = other.exclude(pk=member.pk).first()
        if other is not None:
            errors.setdefault("role", []).append(
                _("The council already has a chair: %(name)s.") % {"name": other.full_name}
            )
    return errors


def add_member(actor, council: Council, data: dict[str, Any]) -> CouncilMember:
    _require(actor, "evaluation.change_council", council.area)
    member = CouncilMember(council=council)
    _assign(member, data, MEMBER_FIELDS)
    if member.user_id and not member.full_name:
        member.full_name = member.user.get_full_name() or member.user.get_username()
    if member.role == MemberRole.SECRETARY and "scores" not in data:
        member.scores = False
    errors = _check_member(member)
    if errors:
        raise ValidationError(errors)
    return _save(actor, member, None, council.area, str(council))


def update_member(actor, member: CouncilMember, data: dict[str, Any]) -> CouncilMember:
    _require(actor, "evaluation.change_council", member.council.area)
    before = audit.snapshot(member)
    _assign(member, data, (*MEMBER_FIELDS, "is_active"))
    errors = _check_member(member)
    if errors:
        raise ValidationError(errors)
    return _save(actor, member, before, member.council.area, str(member.council))


def add_advisor(actor, council: Council, data: dict[str, Any]) -> AdvisoryMember:
    _require(actor, "evaluation.change_council", council.area)
    advisor = AdvisoryMember(council=council)
    _assign(advisor, data, ADVISOR_FIELDS)
    if advisor.user_id and not advisor.full_name:
        advisor.full_name = advisor.user.get_full_name() or advisor.user.get_username()
    errors = _clean(advisor, exclude=["council"])
    if errors:
        raise ValidationError(errors)
    return _save(actor, advisor, None, council.area)


def deactivate_advisor(actor, advisor: AdvisoryMember) -> AdvisoryMember:
    _require(actor, "evaluation.change_council", advisor.council.area)
    with transaction.atomic():
        advisor.is_active = False
        advisor.save(update_fields=["is_active", "updated_at"])
        audit.record(
            actor=actor,
            action="update",
            obj=advisor,
            changes={"is_active": [True, False]},
            area=advisor.council.area,
        )
    return advisor


# --- sessions ------------------------------------------------------------------------------------


def rule_in_force(day: dt.date) -> RuleVersion | None:
    return (
        RuleVersion.objects.filter(effective_from__lte=day)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=day))
        .order_by("-effective_from")
        .first()
    )


def create_session(actor, data: dict[str, Any]) -> EvaluationSession:
    session = EvaluationSession(state=SessionState.PLANNED)
    _assign(session, data, SESSION_FIELDS)
    errors = _clean(session, exclude=["rule_version"])
    if session.council_id and session.date:
        rule = rule_in_force(session.date)
        if rule is None:
            errors.setdefault("date", []).append(_("No criteria set was in force on that date."))
        else:
            session.rule_version = rule
        council = session.council
        if council.active_to and session.date > council.active_to:
            errors.setdefault("date", []).append(_("The council's term ended before this date."))
    if errors:
        raise ValidationError(errors)
    _require(actor, "evaluation.add_evaluationsession", session.council.area)
    return _save(actor, session, None, session.council.area)


def update_session(actor, session: EvaluationSession, data: dict[str, Any]) -> EvaluationSession:
    _require(actor, "evaluation.change_evaluationsession", session.council.area)
    if session.state == SessionState.CLOSED:
        raise ValidationError(_("The session is closed."))
    data = {k: v for k, v in data.items() if k != "council"}
    before = audit.snapshot(session)
    _assign(session, data, SESSION_FIELDS)
    errors = _clean(session)
    rule = rule_in_force(session.date) if session.date else None
    if rule is None:
        errors.setdefault("date", []).append(_("No criteria set was in force on that date."))
    elif rule != session.rule_version:
        if session.entries.exists():
            errors.setdefault("date", []).append(
                _("Products are assigned under %(rule)s; a date under %(other)s needs a new session.")
                % {"rule": session.rule_version, "other": rule}
            )
        else:
            session.rule_version = rule
    if errors:
        raise ValidationError(errors)
    return _save(actor, session, before, session.council.area)


def default_sheet(rule: RuleVersion, product) -> ScoreSheet | None:
    """The current sheet of the product's set under the rule, if its set belongs to that rule."""
    return (
        ScoreSheet.objects.filter(rule_version=rule, product_set=product.category, superseded_by__isnull=True)
        .order_by("-version")
        .first()
    )


def add_product(actor, session: EvaluationSession, data: dict[str, Any]) -> SessionProduct:
    """Assign a product to a session with the sheet it will be scored on (the office's task)."""
    _require(actor, "evaluation.change_evaluationsession", session.council.area)
    if session.state == SessionState.CLOSED:
        raise ValidationError(_("The session is closed."))
    product = data.get("product")
    if product is None:
        raise ValidationError({"product": [_("Choose a product.")]})
    errors: dict[str, list[str]] = {}
    council = session.council
    in_area = (
        Scope(paths=frozenset({council.area.path})) if council.area is not None else Scope(everything=True)
    )
    if not (in_area.covers_unit(product.commune) or in_area.covers_unit(product.producer.commune)):
        errors.setdefault("product", []).append(
            _("%(product)s is not produced in %(area)s.") % {"product": product, "area": council.area.name}
        )
    if SessionProduct.objects.filter(session=session, product=product).exists():
        errors.setdefault("product", []).append(_("This product is already in the session."))
    kind = data.get("kind") or ""
    if kind not in EvaluationKind.values:
        errors.setdefault("kind", []).append(_("Choose the kind of evaluation."))
    sheet = data.get("sheet") or default_sheet(session.rule_version, product)
    if sheet is None:
        errors.setdefault("sheet", []).append(
            _("The product's set is not one of %(rule)s: choose the score sheet.")
            % {"rule": session.rule_version}
        )
    elif sheet.rule_version_id != session.rule_version_id:
        errors.setdefault("sheet", []).append(
            _("The sheet belongs to %(other)s; this session applies %(rule)s.")
            % {"other": sheet.rule_version, "rule": session.rule_version}
        )
    elif sheet.superseded_by_id is not None:
        errors.setdefault("sheet", []).append(_("This sheet has been replaced by a newer version."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        number = (session.entries.aggregate(n=Max("number"))["n"] or 0) + 1
        entry = SessionProduct.objects.create(
            session=session, product=product, kind=kind, sheet=sheet, number=number
        )
        audit.record(
            actor=actor,
            action="create",
            obj=entry,
            after=audit.snapshot(entry),
            area=council.area,
            message=str(session),
        )
    return entry


def withdraw_product(actor, entry: SessionProduct, reason: str) -> SessionProduct:
    _require(actor, "evaluation.change_evaluationsession", entry.session.council.area)
    reason = nfc(reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Give the reason.")]})
    with transaction.atomic():
        entry = _lock_entry(entry)
        if not entry.is_open:
            raise ValidationError(_("This product is no longer being evaluated."))
        entry.state = EntryState.WITHDRAWN
        entry.state_reason = reason
        entry.save(update_fields=["state", "state_reason", "updated_at"])
        audit.record(
            actor=actor,
            action="withdraw",
            obj=entry,
            changes={"state": ["scoring", "withdrawn"]},
            message=reason,
            area=entry.session.council.area,
        )
    return entry


def set_attendance(
    actor, session: EvaluationSession, present: dict[int, bool], notes: dict[int, str] | None = None
):
    """Record who takes part (in a meeting: who is present)."""
    _require_manage(actor, session)
    if session.state == SessionState.CLOSED:
        raise ValidationError(_("The session is closed."))
    members = {m.pk: m for m in session.council.members.filter(is_active=True)}
    unknown = set(present) - set(members)
    if unknown:
        raise ValidationError(_("Not a member of this council: %(ids)s.") % {"ids": sorted(unknown)})
    notes = notes or {}
    with transaction.atomic():
        changes = {}
        for member_id, is_present in present.items():
            row, _created = Attendance.objects.get_or_create(session=session, member_id=member_id)
            if row.present != is_present or (notes.get(member_id, row.note) != row.note):
                changes[members[member_id].full_name] = [row.present, is_present]
                row.present = is_present
                row.note = nfc(notes.get(member_id, row.note))[:255]
                row.save()
        if changes:
            audit.record(
                actor=actor, action="attendance", obj=session, changes=changes, area=session.council.area
            )
    return session


def open_session(actor, session: EvaluationSession) -> EvaluationSession:
    _require(actor, "evaluation.change_evaluationsession", session.council.area)
    if session.state != SessionState.PLANNED:
        raise ValidationError(_("Only a planned session can be opened."))
    if not session.entries.exists():
        raise ValidationError(_("Assign at least one product before opening the session."))
    if presiding_member(session) is None:
        raise ValidationError(_("The council has no chair."))
    with transaction.atomic():
        for member in session.council.members.filter(is_active=True):
            Attendance.objects.get_or_create(session=session, member=member)
        session.state = SessionState.OPEN
        session.opened_at = timezone.now()
        session.save(update_fields=["state", "opened_at", "updated_at"])
        audit.record(
            actor=actor,
            action="open",
            obj=session,
            changes={"state": ["planned", "open"]},
            area=session.council.area,
        )
    return session


def close_session(actor, session: EvaluationSession) -> EvaluationSession:
    _require_presiding(actor, session)
    if session.state != SessionState.OPEN:
        raise ValidationError(_("Only an open session can be closed."))
    pending = list(session.entries.filter(state__in=ENTRY_OPEN_STATES).select_related("product"))
    if pending:
        raise ValidationError(
            _("These products are not closed yet: %(names)s.")
            % {"names": ", ".join(str(e.product) for e in pending)}
        )
    with transaction.atomic():
        session.state = SessionState.CLOSED
        session.closed_at = timezone.now()
        session.save(update_fields=["state", "closed_at", "updated_at"])
        audit.record(
            actor=actor,
            action="close",
            obj=session,
            changes={"state": ["open", "closed"]},
            area=session.council.area,
        )
    return session


# --- who scores ----------------------------------------------------------------------------------


def scoring_members(session: EvaluationSession) -> list[CouncilMember]:
    return list(session.council.members.filter(is_active=True, scores=True))


def expected_scorers(entry: SessionProduct) -> list[CouncilMember]:
    """Scoring members taking part in the session, without those who declared a conflict."""
    session = entry.session
    absent = set(session.attendance.filter(present=False).values_list("member_id", flat=True))
    conflicted = set(entry.conflicts.values_list("member_id", flat=True))
    return [m for m in scoring_members(session) if m.pk not in absent and m.pk not in conflicted]


def declare_conflict(actor, entry: SessionProduct, reason: str, member: CouncilMember | None = None):
    """A member declares (or the secretary records for them) that they cannot score a product."""
    own = member_of(actor, entry.session.council)
    if member is None:
        member = own
    if member is None or member.council_id != entry.session.council_id:
        raise PermissionDenied(_("Only a member of the council may declare a conflict of interest."))
    if member != own:
        _require_manage(actor, entry.session)
    reason = nfc(reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Give the reason.")]})
    with transaction.atomic():
        entry = _lock_entry(entry)
        if not entry.is_open:
            raise ValidationError(_("This product is no longer being evaluated."))
        card = Scorecard.objects.filter(entry=entry, member=member).first()
        if card is not None and card.is_submitted:
            raise ValidationError(_("The scorecard is already submitted: the chair must reopen it first."))
        conflict, created = ConflictOfInterest.objects.get_or_create(
            entry=entry, member=member, defaults={"reason": reason[:500]}
        )
        if not created:
            raise ValidationError(_("A conflict of interest is already recorded."))
        audit.record(
            actor=actor,
            action="conflict",
            obj=entry,
            changes={"conflict": [None, member.full_name]},
            message=reason,
            area=entry.session.council.area,
        )
    return conflict


def record_review(actor, entry: SessionProduct, data: dict[str, Any]) -> AdvisoryReview:
    """The advisory team's review of a dossier (by an advisor, the secretary or the office)."""
    council = entry.session.council
    is_advisor = (
        council.advisors.filter(user=actor, is_active=True).exists() if actor.is_authenticated else False
    )
    if not is_advisor:
        _require_manage(actor, entry.session)
    review = AdvisoryReview.objects.filter(entry=entry).first() or AdvisoryReview(entry=entry)
    before = audit.snapshot(review) if review.pk else None
    _assign(review, data, REVIEW_FIELDS)
    review.reviewed_by = actor
    errors = _clean(review, exclude=["entry", "reviewed_by"])
    if errors:
        raise ValidationError(errors)
    return _save(actor, review, before, council.area, str(entry.product))


# --- scorecards ----------------------------------------------------------------------------------


def _require_scorer(actor, entry: SessionProduct) -> CouncilMember:
    member = member_of(actor, entry.session.council)
    if member is None or not member.scores:
        raise PermissionDenied(_("Only the council's scoring members score products."))
    if entry.conflicts.filter(member=member).exists():
        raise PermissionDenied(_("You declared a conflict of interest for this product."))
    if entry.session.attendance.filter(member=member, present=False).exists():
        raise PermissionDenied(_("You are recorded as not taking part in this session."))
    return member


def _require_scoring_open(entry: SessionProduct) -> None:
    if entry.session.state != SessionState.OPEN:
        raise ValidationError(_("Scoring is not open for this session."))
    if not entry.is_open:
        raise ValidationError(_("This product is no longer being scored."))


def scorecard_for(actor, entry: SessionProduct) -> Scorecard:
    """The member's scorecard for the product, created (audited) on first use."""
    member = _require_scorer(actor, entry)
    card = Scorecard.objects.filter(entry=entry, member=member).first()
    if card is not None:
        return card
    _require_scoring_open(entry)
    with transaction.atomic():
        card, created = Scorecard.objects.get_or_create(
            entry=entry, member=member, defaults={"sheet": entry.sheet}
        )
        if created:
            audit.record(
                actor=actor,
                action="create",
                obj=card,
                changes={"sheet": [None, entry.sheet_id]},
                area=entry.session.council.area,
            )
    return card


def _locked(model, pk, *related: str):
    """The row locked for this transaction: FOR NO KEY UPDATE (on PostgreSQL) of the row itself
    only. That serialises the writers of the row but not the foreign-key checks of new rows that
    point at it (a scorecard, an answer, a result), which PostgreSQL makes at commit — after the
    audit chain head is locked — and which a plain FOR UPDATE would turn into deadlocks."""
    rows = model.objects.select_for_update(no_key=True, of=("self",))
    # (`select_related()` with no field follows every foreign key: an 18-table join, 20 ms a save.)
    return (rows.select_related(*related) if related else rows).get(pk=pk)


def _lock_entry(entry: SessionProduct) -> SessionProduct:
    return _locked(SessionProduct, entry.pk, "session")


def _lock(card: Scorecard) -> tuple[SessionProduct, Scorecard]:
    return _locked(SessionProduct, card.entry_id, "session"), _locked(Scorecard, card.pk)


def _retally(card: Scorecard, tree: scoring.SheetTree) -> scoring.Tally:
    answers = dict(card.answers.values_list("criterion_id", "option_id"))
    result = scoring.tally(tree, answers)
    card.total = result.total
    card.part_totals = {k: str(v) for k, v in result.parts.items()}
    card.answered = result.answered
    return result


def save_answer(
    actor,
    card: Scorecard,
    criterion_id: int,
    option_id: int | None,
    *,
    comment: str | None = None,
    evidence_url: str | None = None,
    tree: scoring.SheetTree | None = None,
) -> tuple[Scorecard, scoring.Tally]:
    """Save one answer (the option chosen for one criterion, with a comment and evidence link)."""
    if card.member.user_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("This is not your scorecard."))
    tree = tree or scoring.SheetTree.load(card.sheet)
    node = tree.by_id.get(criterion_id)
    if node is None or not node.is_scorable:
        raise ValidationError({"criterion": [_("This criterion is not on the sheet.")]})
    if option_id is not None and tree.option_points.get(option_id, (None,))[0] != criterion_id:
        raise ValidationError({"option": [_("Choose one of the criterion's options.")]})
    errors = {}
    comment = nfc(comment or "").strip() if comment is not None else None
    if comment is not None and len(comment) > 1000:
        errors["comment"] = [_("At most 1000 characters.")]
    if evidence_url:
        from django.core.validators import URLValidator

        try:
            URLValidator(schemes=["http", "https"])(evidence_url)
        except ValidationError:
            errors["evidence_url"] = [_("Enter a web address starting with http:// or https://.")]
        if len(evidence_url) > 500:
            errors["evidence_url"] = [_("At most 500 characters.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        entry, card = _lock(card)
        _require_scoring_open(entry)
        if card.is_submitted:
            raise ValidationError(_("The scorecard is submitted and locked."))
        answer = Answer.objects.filter(scorecard=card, criterion_id=criterion_id).first()
        old = (answer.option_id, answer.comment, answer.evidence_url) if answer else (None, "", "")
        if answer is None:
            answer = Answer(scorecard=card, criterion_id=criterion_id)
        answer.option_id = option_id
        if comment is not None:
            answer.comment = comment
        if evidence_url is not None:
            answer.evidence_url = evidence_url
        new = (answer.option_id, answer.comment, answer.evidence_url)
        if new == old:
            return card, scoring.tally(tree, dict(card.answers.values_list("criterion_id", "option_id")))
        answer.save()
        result = _retally(card, tree)
        card.save(update_fields=["total", "part_totals", "answered", "updated_at"])

        def points(option):
            return str(tree.option_points[option][1]) if option else None

        changes = {}
        key = tree.keys[node.id]
        if old[0] != new[0]:
            changes[key] = [points(old[0]), points(new[0])]
        if old[1] != new[1]:
            changes[f"{key} comment"] = [old[1], new[1]]
        if old[2] != new[2]:
            changes[f"{key} evidence"] = [old[2], new[2]]
        audit.record(
            actor=actor,
            action="score",
            obj=card,
            changes=changes,
            area=entry.session.council.area,
        )
    return card, result


def submit_scorecard(actor, card: Scorecard, comment: str | None = None) -> Scorecard:
    if card.member.user_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("This is not your scorecard."))
    tree = scoring.SheetTree.load(card.sheet)
    with transaction.atomic():
        entry, card = _lock(card)
        _require_scoring_open(entry)
        if card.is_submitted:
            raise ValidationError(_("The scorecard is already submitted."))
        result = _retally(card, tree)
        if not result.complete:
            codes = ", ".join(tree.keys[i] for i in result.open)
            raise ValidationError(
                _("Choose an option for every criterion before submitting. Still open: %(codes)s.")
                % {"codes": codes}
            )
        card.state = ScorecardState.SUBMITTED
        card.submitted_at = timezone.now()
        if comment is not None:
            card.comment = nfc(comment).strip()
        card.save()
        audit.record(
            actor=actor,
            action="submit",
            obj=card,
            changes={"state": ["draft", "submitted"], "total": [None, str(card.total)]},
            area=entry.session.council.area,
        )
    return card


def reopen_scorecard(actor, card: Scorecard, reason: str) -> Scorecard:
    entry = card.entry
    _require_presiding(actor, entry.session)
    reason = nfc(reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Give the reason for reopening the scorecard.")]})
    with transaction.atomic():
        entry, card = _lock(card)
        _require_scoring_open(entry)
        if not card.is_submitted:
            raise ValidationError(_("The scorecard is not submitted."))
        card.state = ScorecardState.DRAFT
        card.submitted_at = None
        card.reopen_count += 1
        card.save()
        audit.record(
            actor=actor,
            action="reopen",
            obj=card,
            changes={"state": ["submitted", "draft"]},
            message=reason,
            area=entry.session.council.area,
        )
    return card


# --- closing a product ---------------------------------------------------------------------------


class SpreadExceeded(ValidationError):
    """Closing refused: two members' totals differ by more than the council allows."""

    def __init__(self, message, outliers: list[Scorecard], spread: scoring.Spread):
        super().__init__(message)
        self.outliers = outliers
        self.spread = spread


@dataclass
class CloseOutcome:
    result: EvaluationResult | None
    referred: bool = False
    outliers: list[Scorecard] | None = None
    spread: scoring.Spread | None = None


def close_product(actor, entry: SessionProduct) -> CloseOutcome:
    """The chair closes a product: every expected scorecard submitted, quorum, spread; then the
    average, the band, the minimum criteria and who recognises the result.

    In a meeting, a spread beyond the council's limit refuses closing (SpreadExceeded names the
    outliers). With written opinions it refers the product to a meeting instead (Điều 7.6.d)."""
    session = entry.session
    _require_presiding(actor, session)
    council = session.council
    rule = session.rule_version
    with transaction.atomic():
        entry = _lock_entry(entry)
        _require_scoring_open(entry)
        expected = expected_scorers(entry)
        members = scoring_members(session)
        cards = {
            c.member_id: c
            for c in Scorecard.objects.filter(entry=entry)
            .select_related("member")
            .order_by("member__sort_order", "pk")
        }
        missing = [m.full_name for m in expected if m.pk not in cards or not cards[m.pk].is_submitted]
        if missing:
            raise ValidationError(
                _("Not every member has submitted: %(names)s.") % {"names": ", ".join(missing)}
            )
        absent = set(session.attendance.filter(present=False).values_list("member_id", flat=True))
        taking_part = [m for m in members if m.pk not in absent]
        quorum = council.quorum_for(rule)
        needed = max(math.ceil(Decimal(len(members)) * quorum), 1)
        if len(taking_part) < needed:
            raise ValidationError(
                _(
                    "Quorum not reached: %(present)s of %(total)s scoring members take part; "
                    "%(needed)s are needed."
                )
                % {"present": len(taking_part), "total": len(members), "needed": needed}
            )
        submitted = [cards[m.pk] for m in expected]
        if not submitted:
            raise ValidationError(_("No scorecard to count."))
        totals = [c.total for c in submitted]
        spread = scoring.spread_check(totals, council.spread_for(rule))
        if not spread.ok:
            outliers = [submitted[i] for i in spread.outliers]
            names = ", ".join(f"{c.member.full_name} ({c.total})" for c in outliers)
            message = _(
                "Members' totals differ by %(spread)s points, more than the %(allowed)s allowed. "
                "Discuss and re-score: %(names)s."
            ) % {"spread": spread.spread, "allowed": spread.allowed, "names": names}
            if session.mode == SessionMode.WRITTEN:
                if entry.state != EntryState.REFERRED:
                    entry.state = EntryState.REFERRED
                    entry.state_reason = message
                    entry.save(update_fields=["state", "state_reason", "updated_at"])
                    audit.record(
                        actor=actor,
                        action="refer",
                        obj=entry,
                        changes={"state": ["scoring", "referred"]},
                        message=message,
                        area=council.area,
                    )
                return CloseOutcome(None, referred=True, outliers=outliers, spread=spread)
            raise SpreadExceeded(message, outliers, spread)
        result = _compute_result(entry, rule, council, submitted, spread)
        entry.state = EntryState.CLOSED
        entry.closed_at = timezone.now()
        entry.closed_by = actor
        entry.save(update_fields=["state", "closed_at", "closed_by", "updated_at"])
        audit.record(
            actor=actor,
            action="close",
            obj=entry,
            changes={
                "state": ["scoring", "closed"],
                "average": [None, str(result.average)],
                "stars": [None, result.stars],
            },
            area=council.area,
        )
    return CloseOutcome(result)


def _compute_result(
    entry, rule, council, submitted: list[Scorecard], spread: scoring.Spread
) -> EvaluationResult:
    tree = scoring.SheetTree.load(entry.sheet)
    per_card: dict[int, dict[int, int]] = {c.pk: {} for c in submitted}
    for card_id, criterion_id, option_id in Answer.objects.filter(scorecard__in=submitted).values_list(
        "scorecard_id", "criterion_id", "option_id"
    ):
        per_card[card_id][criterion_id] = option_id
    points = [scoring.criterion_points(tree, per_card[c.pk]) for c in submitted]
    means = {code: sum((p[code] for p in points), Decimal(0)) / len(points) for code in points[0]}
    score = scoring.average(c.total for c in submitted)
    parts = {
        code: str(scoring.average(Decimal(str(c.part_totals.get(code, 0))) for c in submitted))
        for code in tree.parts
    }
    band, stars, failures = scoring.award(rule.star_bands, score, tree.star_minimums, means)
    certifiable = stars in (rule.certified_stars or [])
    central_candidate = (
        council.level != CouncilLevel.CENTRAL
        and rule.ministry_min_province_score is not None
        and score >= rule.ministry_min_province_score
        and bool(rule.ministry_stars)
    )
    # Who recognises it (certification.IssuingLevel values): 26/2026 Điều 4.1, 7.3.e and 7.4.
    if council.level == CouncilLevel.CENTRAL:
        level = "ministry" if stars in (rule.ministry_stars or []) else ("province" if certifiable else "")
    elif central_candidate:
        level = "ministry"
    else:
        level = council.level if certifiable else ""
    result = EvaluationResult.objects.create(
        entry=entry,
        product=entry.product,
        rule_version=rule,
        sheet=entry.sheet,
        average=score,
        part_averages=parts,
        member_totals=[
            {
                "member_id": c.member_id,
                "name": c.member.full_name,
                "role": c.member.role,
                "organisation": c.member.get_organisation_display(),
                "total": str(c.total),
                "parts": c.part_totals,
            }
            for c in submitted
        ],
        spread=spread.spread,
        band_stars=band,
        stars=stars,
        minimum_failures=[
            {
                "stars": f.stars,
                "criterion": f.criterion,
                "min_points": str(f.min_points),
                "reached": str(scoring.round2(f.reached)),
            }
            for f in failures
        ],
        certifiable=certifiable,
        central_candidate=central_candidate,
        recognising_level=level,
        state=ResultState.PROPOSED,
    )
    audit.record(actor=None, action="create", obj=result, after=audit.snapshot(result), area=council.area)
    return result


def disqualify_product(actor, entry: SessionProduct, ground: str, reason: str = "") -> EvaluationResult:
    """The dossier meets a ground for rejection ("Hồ sơ bị loại khi …"): rejected, not scored."""
    session = entry.session
    _require_presiding(actor, session)
    ground = nfc(ground or "").strip()
    reason = nfc(reason or "").strip()
    if not ground:
        raise ValidationError({"ground": [_("Choose the ground for rejection.")]})
    with transaction.atomic():
        entry = _lock_entry(entry)
        _require_scoring_open(entry)
        entry.state = EntryState.DISQUALIFIED
        entry.disqualifier = ground
        entry.state_reason = reason
        entry.closed_at = timezone.now()
        entry.closed_by = actor
        entry.save()
        result = EvaluationResult.objects.create(
            entry=entry,
            product=entry.product,
            rule_version=session.rule_version,
            sheet=entry.sheet,
            disqualified=True,
            state=ResultState.REJECTED,
            decision_note=" — ".join(x for x in (ground, reason) if x),
        )
        audit.record(
            actor=actor,
            action="disqualify",
            obj=entry,
            changes={"state": ["scoring", "disqualified"]},
            message=result.decision_note,
            area=session.council.area,
        )
    return result


# --- the recognising authority -------------------------------------------------------------------


def decide_result(
    actor,
    result: EvaluationResult,
    *,
    approve: bool,
    decision_number: str = "",
    decision_date: dt.date | None = None,
    note: str = "",
) -> EvaluationResult:
    """Record the recognising authority's decision on a proposed result."""
    if not may(actor, "evaluation.approve_evaluationresult", result.product.commune):
        raise PermissionDenied(_("You may not record decisions for this product."))
    decision_number = nfc(decision_number or "").strip()
    note = nfc(note or "").strip()
    errors: dict[str, list[str]] = {}
    if approve and (result.certifiable or result.central_candidate):
        raise ValidationError(
            _("A result that leads to recognition is approved by recording the signed recognition decision.")
        )
    if approve and not decision_number:
        errors["decision_number"] = [_("Enter the number of the decision.")]
    if approve and decision_date is None:
        errors["decision_date"] = [_("Enter the date of the decision.")]
    if decision_date and decision_date > timezone.localdate():
        errors["decision_date"] = [_("The date is in the future.")]
    if decision_date and decision_date < result.entry.session.date:
        errors["decision_date"] = [_("The decision cannot precede the session.")]
    if not approve and not note:
        errors["note"] = [_("Give the reason.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        result = _locked(EvaluationResult, result.pk)
        if result.state != ResultState.PROPOSED:
            raise ValidationError(_("This result has already been decided."))
        before = audit.snapshot(result)
        result.state = ResultState.APPROVED if approve else ResultState.REJECTED
        result.decision_number = decision_number
        result.decision_date = decision_date
        result.decision_note = note
        result.decided_by = actor
        result.decided_at = timezone.now()
        result.save()
        audit.record(
            actor=actor,
            action="approve" if approve else "reject",
            obj=result,
            before=before,
            after=audit.snapshot(result),
            area=result.entry.session.council.area,
        )
    return result
