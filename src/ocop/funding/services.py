"""Writes of funding and support: sources, grants with their disbursements (never beyond the
approved amount), state-funded assets (checked, returned or written off — never deleted). Each
validates first, then writes in one transaction and audits."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from ocop.accounts.selectors import user_scope
from ocop.audit import services as audit
from ocop.core.text import nfc, search_text

from .choices import AssetCondition, AssetState, SourceKind, SupportKind
from .models import Disbursement, FundingSource, StateAsset, SupportGrant

SOURCE_FIELDS = (
    "kind",
    "name",
    "legal_basis",
    "year",
    "area",
    "allocated_amount",
    "responsible_unit",
    "note",
)
GRANT_FIELDS = (
    "product",
    "kind",
    "description",
    "decision_number",
    "decision_date",
    "approved_amount",
    "source",
    "responsible_unit",
    "note",
)
ASSET_FIELDS = (
    "name",
    "description",
    "quantity",
    "value",
    "decision_number",
    "decision_date",
    "handed_on",
    "source",
    "grant",
    "condition",
    "last_checked_on",
    "responsible_unit",
)
TEXT_LIMITS = {
    "name": 255,
    "legal_basis": 300,
    "responsible_unit": 200,
    "description": 500,
    "decision_number": 60,
}


def may(actor, permission: str, unit) -> bool:
    scope = user_scope(actor, permission)
    return scope.everything if unit is None else scope.covers_unit(unit)


def _require(actor, permission: str, unit) -> None:
    if not may(actor, permission, unit):
        raise PermissionDenied(_("You may not do this here."))


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _amount(value, field: str, errors: dict, required: bool = True, positive: bool = False) -> Decimal | None:
    if value in (None, ""):
        if required:
            errors[field] = [_("Enter the amount.")]
        return None
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        errors[field] = [_("Enter a number.")]
        return None
    if amount != amount.to_integral_value():
        errors[field] = [_("Amounts are whole đồng.")]
    elif amount < 0:
        errors[field] = [_("The amount cannot be negative.")]
    elif positive and amount == 0:
        errors[field] = [_("The amount must be more than zero.")]
    elif amount >= Decimal(10) ** 18:
        errors[field] = [_("The amount is too large.")]
    return amount


def _clean_text(data: dict[str, Any], fields) -> dict[str, Any]:
    out = dict(data)
    for field in fields:
        if isinstance(out.get(field), str):
            out[field] = nfc(out[field]).strip()[: TEXT_LIMITS.get(field, 100000)]
    return out


def _apply(obj, data: dict[str, Any], fields) -> None:
    for field in fields:
        if field in data:
            value = data[field]
            setattr(obj, field, "" if value is None and isinstance(getattr(obj, field, None), str) else value)


# --- sources -------------------------------------------------------------------------------------


def _check_source(source: FundingSource) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if source.kind not in SourceKind.values:
        errors["kind"] = [_("Choose the kind of source.")]
    if not source.name:
        errors["name"] = [_("Enter the name.")]
    if not source.year or not (2000 <= int(source.year) <= 2100):
        errors["year"] = [_("Enter the year.")]
    if source.area is not None and source.area.level > 3:
        errors["area"] = [_("Choose a province, district or commune.")]
    source.allocated_amount = _amount(source.allocated_amount, "allocated_amount", errors, required=False)
    return errors


def _source_search(source: FundingSource) -> str:
    return search_text(source.name, source.legal_basis, source.responsible_unit)[:800]


def create_source(actor, data: dict[str, Any]) -> FundingSource:
    data = _clean_text(data, SOURCE_FIELDS)
    source = FundingSource(is_illustrative=bool(data.get("is_illustrative")))
    _apply(source, data, SOURCE_FIELDS)
    errors = _check_source(source)
    if errors:
        raise ValidationError(errors)
    _require(actor, "funding.add_fundingsource", source.area)
    with transaction.atomic():
        source.search_folded = _source_search(source)
        source.save()
        audit.record(actor=actor, action="create", obj=source, after=audit.snapshot(source), area=source.area)
    return source


def update_source(actor, source: FundingSource, data: dict[str, Any]) -> FundingSource:
    _require(actor, "funding.change_fundingsource", source.area)
    data = _clean_text(data, SOURCE_FIELDS)
    with transaction.atomic():
        source = FundingSource.objects.select_for_update(no_key=True).get(pk=source.pk)
        before = audit.snapshot(source)
        _apply(source, data, SOURCE_FIELDS)
        errors = _check_source(source)
        if "area" in data:
            _require(actor, "funding.change_fundingsource", source.area)
        if errors:
            raise ValidationError(errors)
        source.search_folded = _source_search(source)
        source.save()
        audit.record(
            actor=actor,
            action="update",
            obj=source,
            before=before,
            after=audit.snapshot(source),
            area=source.area,
        )
    return source


# --- grants and disbursements --------------------------------------------------------------------


def disbursed(grant: SupportGrant) -> Decimal:
    return grant.disbursements.aggregate(total=Sum("amount"))["total"] or Decimal(0)


def _check_grant(grant: SupportGrant, producer) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if producer is None:
        errors["producer"] = [_("Choose the producer supported.")]
    if grant.kind not in SupportKind.values:
        errors["kind"] = [_("Choose the kind of support.")]
    if not grant.decision_number:
        errors["decision_number"] = [_("Enter the number of the decision.")]
    if grant.decision_date is None:
        errors["decision_date"] = [_("Enter the date of the decision.")]
    elif grant.decision_date > timezone.localdate():
        errors["decision_date"] = [_("The date is in the future.")]
    if grant.source_id is None:
        errors["source"] = [_("Choose the funding source.")]
    if not grant.responsible_unit:
        errors["responsible_unit"] = [_("Name the responsible unit.")]
    grant.approved_amount = _amount(grant.approved_amount, "approved_amount", errors)
    if producer is not None and grant.product is not None and grant.product.producer_id != producer.pk:
        errors["product"] = [_("The product is not the producer's.")]
    return errors


def _grant_search(grant: SupportGrant) -> str:
    return search_text(
        grant.producer.name,
        grant.product.name if grant.product_id else "",
        grant.decision_number,
        grant.description,
        grant.responsible_unit,
    )[:900]


def create_grant(actor, data: dict[str, Any]) -> SupportGrant:
    data = _clean_text(data, GRANT_FIELDS)
    producer = data.get("producer")
    grant = SupportGrant(is_illustrative=bool(data.get("is_illustrative")), created_by=_user(actor))
    _apply(grant, data, GRANT_FIELDS)
    errors = _check_grant(grant, producer)
    if errors:
        raise ValidationError(errors)
    _require(actor, "funding.add_supportgrant", producer.commune)
    grant.producer = producer
    grant.commune = producer.commune
    with transaction.atomic():
        grant.search_folded = _grant_search(grant)
        grant.save()
        audit.record(actor=actor, action="create", obj=grant, after=audit.snapshot(grant), area=grant.commune)
    return grant


def update_grant(actor, grant: SupportGrant, data: dict[str, Any]) -> SupportGrant:
    _require(actor, "funding.change_supportgrant", grant.commune)
    data = _clean_text(data, GRANT_FIELDS)
    with transaction.atomic():
        grant = (
            SupportGrant.objects.select_for_update(no_key=True).select_related("producer").get(pk=grant.pk)
        )
        before = audit.snapshot(grant)
        _apply(grant, data, GRANT_FIELDS)
        errors = _check_grant(grant, grant.producer)
        paid = disbursed(grant)
        if grant.approved_amount is not None and grant.approved_amount < paid:
            errors.setdefault("approved_amount", []).append(
                _("%(paid)s VND is already disbursed: the approved amount cannot be less.")
                % {"paid": f"{paid:,.0f}".replace(",", ".")}
            )
        if errors:
            raise ValidationError(errors)
        grant.search_folded = _grant_search(grant)
        grant.save()
        audit.record(
            actor=actor,
            action="update",
            obj=grant,
            before=before,
            after=audit.snapshot(grant),
            area=grant.commune,
        )
    return grant


def vnd(amount) -> str:
    return f"{Decimal(amount or 0):,.0f}".replace(",", ".")


def add_disbursement(actor, grant: SupportGrant, data: dict[str, Any]) -> Disbursement:
    """Record money paid under the grant. The total paid never exceeds the approved amount (the
    grant row is locked, so two payments at once cannot both slip under it)."""
    _require(actor, "funding.change_supportgrant", grant.commune)
    errors: dict[str, list[str]] = {}
    amount = _amount(data.get("amount"), "amount", errors, positive=True)
    day = data.get("date")
    if day is None:
        errors["date"] = [_("Enter the date.")]
    elif day > timezone.localdate():
        errors["date"] = [_("The date is in the future.")]
    elif day < grant.decision_date:
        errors["date"] = [
            _("A disbursement cannot precede the decision (%(d)s).")
            % {"d": f"{grant.decision_date:%d/%m/%Y}"}
        ]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        grant = SupportGrant.objects.select_for_update(no_key=True).get(pk=grant.pk)
        paid = disbursed(grant)
        if paid + amount > grant.approved_amount:
            raise ValidationError(
                {
                    "amount": [
                        _(
                            "The disbursements would total %(total)s VND, more than the %(approved)s VND "
                            "approved (%(left)s VND remain)."
                        )
                        % {
                            "total": vnd(paid + amount),
                            "approved": vnd(grant.approved_amount),
                            "left": vnd(grant.approved_amount - paid),
                        }
                    ]
                }
            )
        row = Disbursement.objects.create(
            grant=grant,
            date=day,
            amount=amount,
            reference=nfc(data.get("reference") or "").strip()[:100],
            created_by=_user(actor),
        )
        audit.record(
            actor=actor,
            action="create",
            obj=row,
            after=audit.snapshot(row),
            message=str(grant),
            area=grant.commune,
        )
    return row


# --- state-funded assets -------------------------------------------------------------------------


def _check_asset(asset: StateAsset, producer) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    today = timezone.localdate()
    if producer is None:
        errors["producer"] = [_("Choose the producer who received it.")]
    if not asset.name:
        errors["name"] = [_("Name the asset.")]
    if not asset.decision_number:
        errors["decision_number"] = [_("Enter the handover decision.")]
    if asset.handed_on is None:
        errors["handed_on"] = [_("Enter the date of handover.")]
    elif asset.handed_on > today:
        errors["handed_on"] = [_("The date is in the future.")]
    if asset.decision_date and asset.handed_on and asset.decision_date > asset.handed_on:
        errors["decision_date"] = [_("The decision cannot come after the handover.")]
    if asset.last_checked_on and asset.handed_on and asset.last_checked_on < asset.handed_on:
        errors["last_checked_on"] = [_("A check cannot precede the handover.")]
    if asset.last_checked_on and asset.last_checked_on > today:
        errors["last_checked_on"] = [_("The date is in the future.")]
    if asset.condition not in AssetCondition.values:
        errors["condition"] = [_("Choose the condition.")]
    if not asset.quantity or asset.quantity < 1:
        errors["quantity"] = [_("At least one.")]
    asset.value = _amount(asset.value, "value", errors)
    if producer is not None and asset.grant is not None and asset.grant.producer_id != producer.pk:
        errors["grant"] = [_("The grant is not the producer's.")]
    return errors


def _asset_search(asset: StateAsset) -> str:
    return search_text(asset.name, asset.producer.name, asset.decision_number)[:800]


def create_asset(actor, data: dict[str, Any]) -> StateAsset:
    data = _clean_text(data, ASSET_FIELDS)
    producer = data.get("producer")
    asset = StateAsset(is_illustrative=bool(data.get("is_illustrative")))
    _apply(asset, data, ASSET_FIELDS)
    if asset.condition in (None, ""):
        asset.condition = AssetCondition.GOOD
    errors = _check_asset(asset, producer)
    if errors:
        raise ValidationError(errors)
    _require(actor, "funding.add_stateasset", producer.commune)
    asset.producer = producer
    asset.commune = producer.commune
    with transaction.atomic():
        asset.search_folded = _asset_search(asset)
        asset.save()
        audit.record(actor=actor, action="create", obj=asset, after=audit.snapshot(asset), area=asset.commune)
    return asset


def update_asset(actor, asset: StateAsset, data: dict[str, Any]) -> StateAsset:
    """Change an asset's record or its condition and last check (while the producer holds it)."""
    _require(actor, "funding.change_stateasset", asset.commune)
    data = _clean_text(data, ASSET_FIELDS)
    with transaction.atomic():
        asset = StateAsset.objects.select_for_update(no_key=True).select_related("producer").get(pk=asset.pk)
        if asset.state != AssetState.IN_USE:
            raise ValidationError(_("The asset was returned or written off: its record is closed."))
        before = audit.snapshot(asset)
        _apply(asset, data, ASSET_FIELDS)
        errors = _check_asset(asset, asset.producer)
        if errors:
            raise ValidationError(errors)
        asset.search_folded = _asset_search(asset)
        asset.save()
        audit.record(
            actor=actor,
            action="update",
            obj=asset,
            before=before,
            after=audit.snapshot(asset),
            area=asset.commune,
        )
    return asset


def end_asset(actor, asset: StateAsset, state: str, day: dt.date | None, reason: str) -> StateAsset:
    """The asset is returned or written off, with the date and the reason; the record stays."""
    _require(actor, "funding.change_stateasset", asset.commune)
    reason = nfc(reason or "").strip()[:500]
    errors: dict[str, list[str]] = {}
    if state not in (AssetState.RETURNED, AssetState.WRITTEN_OFF):
        errors["state"] = [_("Choose returned or written off.")]
    if day is None:
        errors["ended_on"] = [_("Enter the date.")]
    elif day < asset.handed_on:
        errors["ended_on"] = [_("It cannot end before it was handed over.")]
    elif day > timezone.localdate():
        errors["ended_on"] = [_("The date is in the future.")]
    if not reason:
        errors["end_reason"] = [_("Give the reason.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        asset = StateAsset.objects.select_for_update(no_key=True).get(pk=asset.pk)
        if asset.state != AssetState.IN_USE:
            raise ValidationError(_("The asset was already returned or written off."))
        before = audit.snapshot(asset)
        asset.state = state
        asset.ended_on = day
        asset.end_reason = reason
        asset.save(update_fields=["state", "ended_on", "end_reason", "updated_at"])
        audit.record(
            actor=actor,
            action="state",
            obj=asset,
            before=before,
            after=audit.snapshot(asset),
            message=reason,
            area=asset.commune,
        )
    return asset
