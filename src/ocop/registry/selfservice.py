"""Producer self-service: a producer account edits its own profile and products.

Ordinary fields apply at once. Key fields — those that identify the producer or the product, or
decide which commune and council handle it — wait in a `ChangeRequest` for an officer of the
commune, who sees the difference and approves or rejects it. Everything is validated first
(the proposed state as a whole) and audited.
"""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ocop.accounts.selectors import user_scope
from ocop.audit import services as audit
from ocop.core.text import nfc

from . import services
from .models import ChangeRequest, Producer, Product

PRODUCER_KEY_FIELDS = (
    "kind",
    "name",
    "tax_code",
    "registration_number",
    "registration_date",
    "legal_representative",
    "commune",
)
PRODUCER_SELF_FIELDS = (
    *PRODUCER_KEY_FIELDS,
    "short_name",
    "representative_title",
    "phone",
    "publish_phone",
    "email",
    "website",
    "address",
    "founded_year",
    "members_count",
    "employees_count",
    "local_labour_percent",
    "women_led",
    "ethnic_minority_led",
)
PRODUCT_KEY_FIELDS = ("name", "category", "commune")
PRODUCT_SELF_FIELDS = (
    *PRODUCT_KEY_FIELDS,
    "description",
    "story",
    "ingredients",
    "raw_material_zone",
    "raw_material_area_ha",
    "raw_material_certified",
    "packaging",
    "label_info",
    "shelf_life",
    "traceability_system",
    "traceability_url",
    "traceability_since",
)


def is_own(user, producer: Producer) -> bool:
    return bool(user and user.is_authenticated and producer.accounts.filter(pk=user.pk).exists())


def own_producers(user):
    return Producer.objects.filter(accounts=user).select_related("commune", "commune__parent")


def _jsonable(value):
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (dt.date, Decimal)):
        return value.isoformat() if isinstance(value, dt.date) else str(value)
    return value


def _from_json(model: type[models.Model], field: str, value):
    f = model._meta.get_field(field)
    if value is None:
        return None
    if f.is_relation:
        return f.related_model.objects.get(pk=value)
    return f.to_python(value)


def _split(obj, data: dict[str, Any], allowed: tuple[str, ...], key_fields: tuple[str, ...]):
    changed = {}
    for field, value in data.items():
        if field not in allowed:
            continue
        if isinstance(value, str):
            value = nfc(value)
        current = getattr(obj, field)
        if _jsonable(current) != _jsonable(value):
            changed[field] = value
    immediate = {f: v for f, v in changed.items() if f not in key_fields}
    key = {f: v for f, v in changed.items() if f in key_fields}
    return immediate, key


def _submit(actor, obj, producer: Producer, data, allowed, key_fields, validate, save_fields_cb):
    if not is_own(actor, producer):
        raise PermissionDenied(_("Only the producer's own accounts can edit it here."))
    immediate, key = _split(obj, data, allowed, key_fields)
    if not immediate and not key:
        raise ValidationError({"__all__": _("Nothing was changed.")})
    pending = ChangeRequest.objects.filter(
        producer=producer,
        product=obj if isinstance(obj, Product) else None,
        state=ChangeRequest.State.PENDING,
    )
    if key and pending.exists():
        raise ValidationError({"__all__": _("A change of key fields is already waiting for approval.")})
    candidate = copy.copy(obj)
    for field, value in {**immediate, **key}.items():
        setattr(candidate, field, value)
    validate(candidate)  # the proposed state as a whole; raises ValidationError
    request = None
    with transaction.atomic():
        if immediate:
            stored = type(obj).objects.get(pk=obj.pk)
            before = audit.snapshot(stored)
            for field, value in immediate.items():
                setattr(stored, field, value)
            save_fields_cb(stored)
            audit.record(
                actor=actor,
                action="update",
                obj=stored,
                before=before,
                after=audit.snapshot(stored),
                message="self-service",
                area=stored.commune,
            )
        if key:
            request = ChangeRequest.objects.create(
                producer=producer,
                product=obj if isinstance(obj, Product) else None,
                commune=obj.commune,
                changes={f: [_jsonable(getattr(obj, f)), _jsonable(v)] for f, v in key.items()},
                requested_by=actor,
            )
            audit.record(
                actor=actor,
                action="create",
                obj=request,
                after={"changes": request.changes},
                area=obj.commune,
            )
    return immediate, request


def submit_producer_edit(actor, producer: Producer, data: dict[str, Any]):
    def save(stored):
        stored.search_folded = services._producer_search(stored)
        stored.save()

    return _submit(
        actor,
        producer,
        producer,
        data,
        PRODUCER_SELF_FIELDS,
        PRODUCER_KEY_FIELDS,
        services.validate_producer,
        save,
    )


def submit_product_edit(actor, product: Product, data: dict[str, Any]):
    def save(stored):
        stored.search_folded = services._product_search(stored)
        stored.save()

    return _submit(
        actor,
        product,
        product.producer,
        data,
        PRODUCT_SELF_FIELDS,
        PRODUCT_KEY_FIELDS,
        services.validate_product,
        save,
    )


def decide(actor, request: ChangeRequest, approve: bool, note: str = "") -> None:
    """An officer of the commune approves (the change is applied, validated again) or rejects."""
    if not user_scope(actor, "registry.change_changerequest").covers_unit(request.commune):
        raise PermissionDenied
    if request.state != ChangeRequest.State.PENDING:
        raise ValidationError({"__all__": _("This request has already been decided.")})
    note = nfc(note)
    if not approve and not note:
        raise ValidationError({"note": _("Say why the change is rejected: the producer will read it.")})
    with transaction.atomic():
        if approve:
            target = request.product or request.producer
            model = type(target)
            data = {f: _from_json(model, f, new) for f, (_old, new) in request.changes.items()}
            if isinstance(target, Product):
                services.update_product(actor, target, data)
            else:
                services.update_producer(actor, target, data)
        request.state = ChangeRequest.State.APPROVED if approve else ChangeRequest.State.REJECTED
        request.decided_by = actor
        request.decided_at = timezone.now()
        request.decision_note = note
        request.save()
        audit.record(
            actor=actor,
            action="state",
            obj=request,
            changes={"state": ["pending", request.state]},
            message=note,
            area=request.commune,
        )


def expiring_certificates(user, within_days: int = 180):
    """Certificates of the user's own products that end within `within_days` (or have ended)."""
    from ocop.certification.models import Certificate

    today = timezone.localdate()
    return (
        Certificate.objects.filter(
            product__producer__accounts=user,
            valid_until__lte=today + dt.timedelta(days=within_days),
            valid_until__gte=today - dt.timedelta(days=365),
            ended_on__isnull=True,
        )
        .select_related("product")
        .order_by("valid_until")
    )
