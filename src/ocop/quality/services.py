"""Writes of the quality app: inspections, their samples and follow-up actions, and the cases a
failed inspection opens on a product's certificate. Each validates first, then writes in one
transaction and audits. A case never touches certificates or dossiers itself: a re-evaluation
starts a dossier through `programme.services.start_dossier` (which notifies the producer), a
revocation is recorded through `certification.services.revoke` once the competent authority
has signed it, on the ground of Article 8.1.b (no longer meets the criteria, per an inspection)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ocop.accounts.selectors import user_scope
from ocop.audit import services as audit
from ocop.core.notifications import notify
from ocop.core.text import nfc, search_text

from .choices import CaseKind, CaseState, InspectionKind, InspectionState, Outcome
from .models import FollowUpAction, Inspection, InspectionCase, InspectionSample

INSPECTION_FIELDS = (
    "kind",
    "state",
    "reference",
    "inspecting_body",
    "responsible_unit",
    "date",
    "producer",
    "subject",
    "findings",
    "outcome",
)


def may(actor, permission: str, unit) -> bool:
    scope = user_scope(actor, permission)
    return scope.everything if unit is None else scope.covers_unit(unit)


def _require(actor, permission: str, unit) -> None:
    if not may(actor, permission, unit):
        raise PermissionDenied(_("You may not do this here."))


def _text(value, limit: int | None = None) -> str:
    text = nfc(value or "").strip()
    return text[:limit] if limit else text


# --- inspections ---------------------------------------------------------------------------------


def _check_inspection(data: dict[str, Any], products: list) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    today = timezone.localdate()
    if data.get("kind") not in InspectionKind.values:
        errors["kind"] = [_("Choose planned or ad hoc.")]
    if data.get("state") not in InspectionState.values:
        errors["state"] = [_("Choose the state.")]
    if data.get("outcome") not in Outcome.values:
        errors["outcome"] = [_("Choose the outcome.")]
    if not data.get("inspecting_body"):
        errors["inspecting_body"] = [_("Name the inspecting body.")]
    if not data.get("responsible_unit"):
        errors["responsible_unit"] = [_("Name the responsible unit.")]
    day = data.get("date")
    producer = data.get("producer")
    if day is None:
        errors["date"] = [_("Enter the date.")]
    elif data.get("state") == InspectionState.DONE and day > today:
        errors["date"] = [_("An inspection carried out cannot be dated in the future.")]
    if producer is None:
        errors["producer"] = [_("Choose the producer inspected.")]
    else:
        strangers = [str(p) for p in products if p.producer_id != producer.pk]
        if strangers:
            errors["products"] = [
                _("These products are not the producer's: %(names)s.") % {"names": ", ".join(strangers)}
            ]
    if data.get("outcome") in (Outcome.PASSED, Outcome.FAILED) and data.get("state") != InspectionState.DONE:
        errors.setdefault("outcome", []).append(_("Only an inspection carried out has an outcome."))
    return errors


def _clean_data(data: dict[str, Any]) -> dict[str, Any]:
    out = dict(data)
    for field in ("reference", "inspecting_body", "responsible_unit", "subject", "findings"):
        out[field] = _text(out.get(field))
    out.setdefault("state", InspectionState.SCHEDULED)
    out.setdefault("outcome", Outcome.PENDING)
    out["state"] = out["state"] or InspectionState.SCHEDULED
    out["outcome"] = out["outcome"] or Outcome.PENDING
    return out


def _search(inspection: Inspection, products) -> str:
    return search_text(
        inspection.producer.name,
        inspection.inspecting_body,
        inspection.responsible_unit,
        inspection.reference,
        inspection.subject,
        *[p.name for p in products],
    )[:900]


def create_inspection(actor, data: dict[str, Any]) -> Inspection:
    data = _clean_data(data)
    products = list(data.get("products") or [])
    errors = _check_inspection(data, products)
    if errors:
        raise ValidationError(errors)
    producer = data["producer"]
    _require(actor, "quality.add_inspection", producer.commune)
    inspection = Inspection(
        area=producer.commune, created_by=actor if actor and actor.is_authenticated else None
    )
    for field in INSPECTION_FIELDS:
        setattr(inspection, field, data.get(field))
    inspection.reference = inspection.reference[:100]
    inspection.is_illustrative = bool(data.get("is_illustrative"))
    with transaction.atomic():
        inspection.search_folded = _search(inspection, products)
        inspection.save()
        inspection.products.set(products)
        audit.record(
            actor=actor,
            action="create",
            obj=inspection,
            after=audit.snapshot(inspection),
            changes={"products": [None, [p.pk for p in products]]},
            area=inspection.area,
        )
    return inspection


def update_inspection(actor, inspection: Inspection, data: dict[str, Any]) -> Inspection:
    _require(actor, "quality.change_inspection", inspection.area)
    merged = {f: getattr(inspection, f) for f in INSPECTION_FIELDS}
    merged.update({k: v for k, v in data.items() if k in (*INSPECTION_FIELDS, "products")})
    merged = _clean_data(merged)
    products = list(merged["products"]) if "products" in data else list(inspection.products.all())
    errors = _check_inspection(merged, products)
    if merged["producer"] is not None and merged["producer"].pk != inspection.producer_id:
        errors.setdefault("producer", []).append(_("The producer of an inspection does not change."))
    if inspection.cases.exists() and merged["outcome"] != Outcome.FAILED:
        errors.setdefault("outcome", []).append(
            _("A case was opened on this failed inspection: its outcome stays failed.")
        )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        inspection = Inspection.objects.select_for_update(no_key=True).get(pk=inspection.pk)
        before = audit.snapshot(inspection)
        old_products = sorted(inspection.products.values_list("pk", flat=True))
        for field in INSPECTION_FIELDS:
            setattr(inspection, field, merged[field])
        inspection.reference = inspection.reference[:100]
        inspection.search_folded = _search(inspection, products)
        inspection.save()
        inspection.products.set(products)
        new_products = sorted(p.pk for p in products)
        changes = audit.diff(before, audit.snapshot(inspection))
        if old_products != new_products:
            changes["products"] = [old_products, new_products]
        audit.record(actor=actor, action="update", obj=inspection, changes=changes, area=inspection.area)
    return inspection


def add_sample(actor, inspection: Inspection, data: dict[str, Any]) -> InspectionSample:
    _require(actor, "quality.change_inspection", inspection.area)
    errors: dict[str, list[str]] = {}
    sample = InspectionSample(
        inspection=inspection,
        product=data.get("product"),
        sample=_text(data.get("sample"), 200),
        test=_text(data.get("test"), 200),
        lab=_text(data.get("lab"), 200),
        result=_text(data.get("result"), 200),
        limit=_text(data.get("limit"), 200),
        within_limits=data.get("within_limits"),
    )
    if not sample.sample:
        errors["sample"] = [_("Describe the sample.")]
    if not sample.test:
        errors["test"] = [_("Name the test or indicator.")]
    if inspection.state == InspectionState.CANCELLED:
        errors.setdefault("sample", []).append(_("The inspection was cancelled."))
    if sample.product is not None and not inspection.products.filter(pk=sample.product.pk).exists():
        errors["product"] = [_("The product is not one of those inspected.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        sample.save()
        audit.record(
            actor=actor,
            action="create",
            obj=sample,
            after=audit.snapshot(sample),
            message=str(inspection),
            area=inspection.area,
        )
    return sample


def add_action(actor, inspection: Inspection, data: dict[str, Any]) -> FollowUpAction:
    _require(actor, "quality.change_inspection", inspection.area)
    action = FollowUpAction(
        inspection=inspection,
        action=_text(data.get("action"), 500),
        responsible=_text(data.get("responsible"), 200),
        deadline=data.get("deadline"),
    )
    errors: dict[str, list[str]] = {}
    if not action.action:
        errors["action"] = [_("Describe the action required.")]
    if action.deadline is None:
        errors["deadline"] = [_("Enter the deadline.")]
    elif action.deadline < inspection.date:
        errors["deadline"] = [
            _("The deadline cannot come before the inspection (%(d)s).")
            % {"d": f"{inspection.date:%d/%m/%Y}"}
        ]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        action.save()
        audit.record(
            actor=actor,
            action="create",
            obj=action,
            after=audit.snapshot(action),
            message=str(inspection),
            area=inspection.area,
        )
    return action


def complete_action(actor, action: FollowUpAction, done_on: dt.date | None) -> FollowUpAction:
    inspection = action.inspection
    _require(actor, "quality.change_inspection", inspection.area)
    if done_on is None:
        raise ValidationError({"done_on": [_("Enter the date it was done.")]})
    if done_on < inspection.date:
        raise ValidationError({"done_on": [_("It cannot be done before the inspection.")]})
    if done_on > timezone.localdate():
        raise ValidationError({"done_on": [_("The date is in the future.")]})
    if action.done_on is not None:
        raise ValidationError(_("This action is already recorded as done."))
    with transaction.atomic():
        before = audit.snapshot(action)
        action.done_on = done_on
        action.save(update_fields=["done_on"])
        audit.record(
            actor=actor,
            action="update",
            obj=action,
            before=before,
            after=audit.snapshot(action),
            area=inspection.area,
        )
    return action


# --- cases on a certificate ----------------------------------------------------------------------


def certificate_in_force(product, day: dt.date):
    """The product's certificate in force on `day` (the highest star), or None."""
    from ocop.certification.models import Certificate

    return (
        Certificate.objects.valid_on(day).filter(product=product).order_by("-stars", "-valid_until").first()
    )


def open_case(
    actor, inspection: Inspection, data: dict[str, Any], day: dt.date | None = None
) -> InspectionCase:
    """A failed inspection opens a case on a product's certificate in force: a re-evaluation
    (a dossier started by the programme, which notifies the producer) or a revocation (awaiting
    the competent authority's signed decision; the certification office is notified)."""
    from ocop.evaluation.choices import EvaluationKind
    from ocop.geo.choices import Level
    from ocop.programme import services as programme

    day = day or timezone.localdate()
    _require(actor, "quality.change_inspection", inspection.area)
    product = data.get("product")
    kind = data.get("kind")
    errors: dict[str, list[str]] = {}
    if kind not in CaseKind.values:
        errors["kind"] = [_("Choose revocation or re-evaluation.")]
    if inspection.state != InspectionState.DONE or inspection.outcome != Outcome.FAILED:
        errors.setdefault("__all__", []).append(_("Only a failed inspection opens a case on a certificate."))
    certificate = None
    if product is None:
        errors["product"] = [_("Choose the product.")]
    elif not inspection.products.filter(pk=product.pk).exists():
        errors["product"] = [_("The product is not one of those inspected.")]
    else:
        certificate = certificate_in_force(product, day)
        if certificate is None:
            errors["product"] = [_("%(p)s has no OCOP certificate in force.") % {"p": product}]
        elif (
            InspectionCase.objects.filter(certificate=certificate, kind=kind)
            .exclude(state=CaseState.REVOKED)
            .exists()
        ):
            errors["product"] = [_("A case of this kind is already open on this certificate.")]
    if errors:
        raise ValidationError(errors)
    note = _text(data.get("note"))
    with transaction.atomic():
        case = InspectionCase(
            inspection=inspection,
            product=product,
            certificate=certificate,
            kind=kind,
            note=note,
            opened_by=actor if actor and actor.is_authenticated else None,
        )
        if kind == CaseKind.REEVALUATION:
            case.dossier = programme.start_dossier(
                actor,
                {"product": product, "kind": EvaluationKind.REEVALUATION, "certificate": certificate},
                day=day,
            )
            case.state = CaseState.DOSSIER
        case.save()
        audit.record(
            actor=actor,
            action="create",
            obj=case,
            after=audit.snapshot(case),
            message=str(inspection),
            area=inspection.area,
        )
        body = _("The inspection of %(date)s by %(body)s found: %(findings)s") % {
            "date": f"{inspection.date:%d/%m/%Y}",
            "body": inspection.inspecting_body,
            "findings": inspection.findings or "—",
        }
        users = list(product.producer.accounts.filter(is_active=True))
        if kind == CaseKind.REVOCATION:
            users += programme.officers_for(
                product.commune, "certification.revoke_certificate", Level.PROVINCE
            )
            title = _("Revocation proposed for the OCOP certificate of %(p)s") % {"p": product}
        else:
            title = _("Re-evaluation requested for %(p)s after a quality inspection") % {"p": product}
        notify(
            [u for u in users if u.pk != getattr(actor, "pk", None)],
            title,
            body,
            url=inspection.get_absolute_url(),
            key=f"inspection-case-{case.pk}",
        )
    return case


def record_revocation(actor, case: InspectionCase, data: dict[str, Any]) -> InspectionCase:
    """The competent authority signed the revocation: record it through the certification service
    (ground Article 8.1.b, the inspection's date as the finding) and link the decision."""
    from ocop.certification import services as certification
    from ocop.certification.models import RevocationGround

    _require(actor, "quality.change_inspection", case.inspection.area)
    if case.kind != CaseKind.REVOCATION or case.state != CaseState.OPEN:
        raise ValidationError(_("Only an open revocation case can be decided."))
    with transaction.atomic():
        certificate = certification.revoke(
            actor,
            case.certificate,
            {
                "ground": RevocationGround.CRITERIA_NOT_MET,
                "decision_number": data.get("decision_number"),
                "decision_date": data.get("decision_date"),
                "finding_date": case.inspection.date,
                "authority": data.get("authority"),
                "note": data.get("note") or case.note,
            },
        )
        before = audit.snapshot(case)
        case.revocation_decision = certificate.revocation_decision
        case.state = CaseState.REVOKED
        case.save(update_fields=["revocation_decision", "state", "updated_at"])
        audit.record(
            actor=actor,
            action="update",
            obj=case,
            before=before,
            after=audit.snapshot(case),
            area=case.inspection.area,
        )
    return case
