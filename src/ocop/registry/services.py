"""Writes to the registries. Each validates everything first, then writes in one transaction
and audits. The UI forms, the API and the Excel import all call these functions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ocop.accounts.selectors import user_scope
from ocop.audit import services as audit
from ocop.core.text import nfc, search_text
from ocop.geo.choices import Level
from ocop.geo.models import AdminUnit

from .choices import CategoryLevel, ProducerStatus, ProductLifecycle
from .models import (
    IntellectualProperty,
    MarketplaceListing,
    Producer,
    ProducerLinkage,
    ProducerStatusChange,
    Product,
    ProductCategory,
    ProductCodeSequence,
    ProductStandard,
)
from .validators import name_key, validate_tax_code

PRODUCER_FIELDS = (
    "kind",
    "name",
    "short_name",
    "tax_code",
    "registration_number",
    "registration_date",
    "legal_representative",
    "representative_title",
    "phone",
    "publish_phone",
    "email",
    "website",
    "address",
    "commune",
    "founded_year",
    "members_count",
    "employees_count",
    "local_labour_percent",
    "women_led",
    "ethnic_minority_led",
    "notes",
    "is_illustrative",
)
PRODUCT_FIELDS = (
    "name",
    "producer",
    "category",
    "commune",
    "lifecycle",
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
    "published",
    "is_illustrative",
)
TEXT_FIELDS = {
    "name",
    "short_name",
    "registration_number",
    "legal_representative",
    "representative_title",
    "phone",
    "email",
    "website",
    "address",
    "notes",
    "description",
    "story",
    "ingredients",
    "raw_material_zone",
    "packaging",
    "label_info",
    "shelf_life",
    "traceability_system",
    "traceability_url",
}


def _require(actor, permission: str, unit: AdminUnit | None) -> None:
    scope = user_scope(actor, permission)
    if unit is None or not scope.covers_unit(unit):
        raise PermissionDenied(_("You may not do this in %(area)s.") % {"area": unit.name if unit else "—"})


def _assign(instance, data: dict[str, Any], fields: tuple[str, ...]) -> None:
    for field in fields:
        if field in data:
            value = data[field]
            if field in TEXT_FIELDS:
                value = nfc(value or "")
            setattr(instance, field, value)


def _full_clean(instance, exclude: list[str]) -> dict[str, list[str]]:
    try:
        instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        return dict(exc.message_dict)
    return {}


def check_commune(
    unit: AdminUnit | None, on: dt.date | None, field: str = "commune", check_date: bool = True
) -> dict[str, str]:
    """A record's commune must be a commune-level unit valid on the given date (or today).

    An existing record keeping its commune is not re-checked against today's map: records made
    before the 2025 reorganisation keep their legacy commune."""
    if unit is None:
        return {field: _("Choose the commune.")}
    if unit.level != Level.COMMUNE:
        return {field: _("%(name)s is not a commune, ward or township.") % {"name": unit.name}}
    day = on or timezone.localdate()
    if check_date and not unit.is_valid_on(day):
        return {
            field: _("%(name)s was not in force on %(day)s; choose the unit valid on that date.")
            % {"name": unit.name, "day": day.strftime("%d/%m/%Y")}
        }
    return {}


# --- Producers ---------------------------------------------------------------------------------


def find_duplicate_producer(producer: Producer) -> tuple[str, Producer] | None:
    others = Producer.objects.exclude(pk=producer.pk) if producer.pk else Producer.objects.all()
    if producer.tax_code:
        clash = others.filter(tax_code=producer.tax_code).select_related("commune").first()
        if clash:
            return "tax_code", clash
    clash = (
        others.filter(commune=producer.commune_id, name_key=producer.name_key)
        .select_related("commune")
        .first()
    )
    if clash:
        return "name", clash
    return None


def _commune_changed(instance) -> bool:
    if instance.pk is None:
        return True
    stored = type(instance).objects.filter(pk=instance.pk).values_list("commune_id", flat=True).first()
    return stored != instance.commune_id


def validate_producer(producer: Producer) -> None:
    errors = _producer_field_errors(producer)
    if not errors:
        duplicate = find_duplicate_producer(producer)
        if duplicate:
            errors.update(_duplicate_producer_errors(producer, *duplicate))
    if errors:
        raise ValidationError(errors)


def _duplicate_producer_errors(producer: Producer, field: str, other: Producer) -> dict[str, list[str]]:
    message = (
        _("Tax code %(code)s already belongs to “%(name)s” (%(commune)s).")
        if field == "tax_code"
        else _("“%(name)s” is already registered in %(commune)s.")
    ) % {"code": producer.tax_code, "name": other.name, "commune": other.commune.name}
    return {field: [message], "duplicate_of": [str(other.pk)]}


def _producer_field_errors(producer: Producer) -> dict[str, Any]:
    """Everything validate_producer checks but duplicates (which need the database)."""
    errors: dict[str, Any] = _full_clean(producer, exclude=["commune", "accounts"])
    if producer.tax_code:
        try:
            producer.tax_code = validate_tax_code(producer.tax_code)
        except ValidationError as exc:
            errors["tax_code"] = exc.messages
    if not producer.name.strip():
        errors["name"] = [_("Enter the producer's name.")]
    if producer.registration_date and producer.registration_date > timezone.localdate():
        errors["registration_date"] = [_("The registration date is in the future.")]
    commune_errors = check_commune(
        producer.commune if producer.commune_id else None,
        producer.registration_date,
        check_date=_commune_changed(producer),
    )
    errors.update({k: [v] for k, v in commune_errors.items()})
    producer.name_key = name_key(producer.name)
    return errors


def _producer_search(producer: Producer) -> str:
    return search_text(
        producer.name,
        producer.short_name,
        producer.tax_code,
        producer.legal_representative,
        producer.commune.name if producer.commune_id else "",
    )


def create_producer(actor, data: dict[str, Any]) -> Producer:
    producer = Producer()
    _assign(producer, data, PRODUCER_FIELDS)
    validate_producer(producer)
    _require(actor, "registry.add_producer", producer.commune)
    with transaction.atomic():
        producer.search_folded = _producer_search(producer)
        producer.save()
        ProducerStatusChange.objects.create(
            producer=producer,
            status=producer.status,
            effective_date=producer.registration_date or timezone.localdate(),
            reason=_("Registered"),
            changed_by=_user(actor),
        )
        audit.record(
            actor=actor, action="create", obj=producer, after=audit.snapshot(producer), area=producer.commune
        )
    return producer


class BatchItemError(Exception):
    """Item `index` of a batch was refused (`error`: its ValidationError or PermissionDenied);
    nothing of the batch was written."""

    def __init__(self, index: int, error: Exception):
        super().__init__(str(error))
        self.index, self.error = index, error


def create_producers(actor, items: list[dict[str, Any]]) -> list[Producer]:
    """Create many producers at once (imports), as `create_producer` would one by one: the same
    checks (duplicates looked up for the whole batch in two queries, and inside the batch), the
    same permission per commune, a status-history row and an audit event each — written in bulk,
    all or nothing (`BatchItemError` names the first refused item)."""
    producers = []
    for index, data in enumerate(items):
        producer = Producer()
        _assign(producer, data, PRODUCER_FIELDS)
        errors = _producer_field_errors(producer)
        if errors:
            raise BatchItemError(index, ValidationError(errors))
        try:
            _require(actor, "registry.add_producer", producer.commune)
        except PermissionDenied as exc:
            raise BatchItemError(index, exc) from exc
        producers.append(producer)
    taxes = {p.tax_code for p in producers if p.tax_code}
    by_tax = (
        {p.tax_code: p for p in Producer.objects.filter(tax_code__in=taxes).select_related("commune")}
        if taxes
        else {}
    )
    keys = {(p.commune_id, p.name_key) for p in producers}
    by_name = {
        (p.commune_id, p.name_key): p
        for p in Producer.objects.filter(
            commune_id__in={k[0] for k in keys}, name_key__in={k[1] for k in keys}
        ).select_related("commune")
    }
    for index, producer in enumerate(producers):
        clash = ("tax_code", by_tax.get(producer.tax_code)) if producer.tax_code in by_tax else None
        if clash is None and (producer.commune_id, producer.name_key) in by_name:
            clash = ("name", by_name[(producer.commune_id, producer.name_key)])
        if clash:
            raise BatchItemError(index, ValidationError(_duplicate_producer_errors(producer, *clash)))
        if producer.tax_code:
            by_tax[producer.tax_code] = producer
        by_name[(producer.commune_id, producer.name_key)] = producer
        producer.search_folded = _producer_search(producer)
    with transaction.atomic():
        Producer.objects.bulk_create(producers, batch_size=1000)
        user, today = _user(actor), timezone.localdate()
        ProducerStatusChange.objects.bulk_create(
            [
                ProducerStatusChange(
                    producer=p,
                    status=p.status,
                    effective_date=p.registration_date or today,
                    reason=_("Registered"),
                    changed_by=user,
                )
                for p in producers
            ],
            batch_size=1000,
        )
        audit.record_many(
            actor=actor,
            entries=[
                {"action": "create", "obj": p, "after": audit.snapshot(p), "area": p.commune}
                for p in producers
            ],
        )
    return producers


def update_producer(actor, producer: Producer, data: dict[str, Any]) -> Producer:
    _require(actor, "registry.change_producer", Producer.objects.get(pk=producer.pk).commune)
    # The state before, from the database: a form may already have changed the instance.
    before = audit.snapshot(Producer.objects.get(pk=producer.pk))
    _assign(producer, data, tuple(f for f in PRODUCER_FIELDS if f != "is_illustrative"))
    validate_producer(producer)
    _require(actor, "registry.change_producer", producer.commune)  # the new commune too
    with transaction.atomic():
        producer.search_folded = _producer_search(producer)
        producer.save()
        audit.record(
            actor=actor,
            action="update",
            obj=producer,
            before=before,
            after=audit.snapshot(producer),
            area=producer.commune,
        )
    return producer


def change_producer_status(
    actor, producer: Producer, status: str, effective_date: dt.date, reason: str
) -> None:
    _require(actor, "registry.change_producer", producer.commune)
    errors = {}
    if status not in ProducerStatus.values:
        errors["status"] = _("Unknown status.")
    elif status == producer.status:
        errors["status"] = _("The producer already has this status.")
    last = producer.status_history.order_by("-effective_date").first()
    if effective_date > timezone.localdate():
        errors["effective_date"] = _("The date is in the future.")
    elif last and effective_date < last.effective_date:
        errors["effective_date"] = _("The date is before the last status change (%(day)s).") % {
            "day": last.effective_date.strftime("%d/%m/%Y")
        }
    if status != ProducerStatus.ACTIVE and not nfc(reason):
        errors["reason"] = _("Give the reason (e.g. the decision dissolving it).")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        old = producer.status
        producer.status = status
        producer.save(update_fields=["status", "updated_at"])
        ProducerStatusChange.objects.create(
            producer=producer,
            status=status,
            effective_date=effective_date,
            reason=nfc(reason),
            changed_by=_user(actor),
        )
        audit.record(
            actor=actor,
            action="state",
            obj=producer,
            changes={"status": [old, status]},
            message=f"{effective_date.isoformat()}: {nfc(reason)}",
            area=producer.commune,
        )


LINKAGE_FIELDS = ("partner", "role", "contract_number", "start_date", "end_date", "households")


def add_linkage(actor, producer: Producer, data: dict[str, Any]) -> ProducerLinkage:
    """Record a production–consumption linkage (liên kết chuỗi) the producer takes part in."""
    _require(actor, "registry.change_producer", producer.commune)
    linkage = ProducerLinkage(producer=producer)
    for field in LINKAGE_FIELDS:
        if field in data:
            value = data[field]
            setattr(linkage, field, nfc(value) if isinstance(value, str) else value)
    errors = _full_clean(linkage, exclude=["producer"])
    if not linkage.partner.strip():
        errors["partner"] = [_("Name the partner.")]
    if linkage.start_date and linkage.end_date and linkage.end_date < linkage.start_date:
        errors["end_date"] = [_("The end date is before the start date.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        linkage.save()
        audit.record(
            actor=actor,
            action="update",
            obj=producer,
            changes={"linkage+": [None, audit.snapshot(linkage, list(LINKAGE_FIELDS))]},
            area=producer.commune,
        )
    return linkage


def remove_linkage(actor, producer: Producer, linkage_id: int) -> None:
    _require(actor, "registry.change_producer", producer.commune)
    linkage = ProducerLinkage.objects.filter(producer=producer, pk=linkage_id).first()
    if linkage is None:
        raise ValidationError({"id": _("Not found.")})
    with transaction.atomic():
        audit.record(
            actor=actor,
            action="update",
            obj=producer,
            changes={"linkage-": [audit.snapshot(linkage, list(LINKAGE_FIELDS)), None]},
            area=producer.commune,
        )
        linkage.delete()


def link_account(actor, producer: Producer, user) -> None:
    """Give a producer account access to this producer's own records."""
    _require(actor, "registry.change_producer", producer.commune)
    with transaction.atomic():
        producer.accounts.add(user)
        audit.record(
            actor=actor,
            action="grant",
            obj=producer,
            changes={"account": [None, user.username]},
            area=producer.commune,
        )


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


# --- Products ----------------------------------------------------------------------------------


def validate_product(product: Product) -> None:
    errors = _product_field_errors(product)
    if not errors and product.producer_id:
        clash = (
            Product.objects.filter(producer=product.producer_id, name_key=product.name_key)
            .exclude(pk=product.pk)
            .first()
        )
        if clash:
            errors.update(_duplicate_product_errors(product, clash))
    if errors:
        raise ValidationError(errors)


def _duplicate_product_errors(product: Product, clash: Product) -> dict[str, list[str]]:
    return {
        "name": [
            _("“%(producer)s” already has a product named “%(name)s”.")
            % {"producer": product.producer.name, "name": clash.name}
        ],
        "duplicate_of": [str(clash.pk)],
    }


def _product_field_errors(product: Product) -> dict[str, Any]:
    """Everything validate_product checks but duplicates (which need the database)."""
    errors: dict[str, Any] = _full_clean(product, exclude=["producer", "category", "commune", "code"])
    if not product.name.strip():
        errors["name"] = [_("Enter the product's name.")]
    if not product.producer_id:
        errors["producer"] = [_("Choose the producer.")]
    if not product.category_id:
        errors["category"] = [_("Choose the product set.")]
    elif product.category.level != CategoryLevel.PRODUCT_SET:
        errors["category"] = [_("Choose a product set, not a sector or group.")]
    commune_errors = check_commune(
        product.commune if product.commune_id else None, None, check_date=_commune_changed(product)
    )
    errors.update({k: [v] for k, v in commune_errors.items()})
    if product.traceability_since and product.traceability_since > timezone.localdate():
        errors["traceability_since"] = [_("The date is in the future.")]
    product.name_key = name_key(product.name)
    return errors


def _product_search(product: Product) -> str:
    return search_text(
        product.name, product.code or "", product.producer.name, product.commune.name, product.category.name
    )


def create_product(actor, data: dict[str, Any]) -> Product:
    product = Product()
    _assign(product, data, PRODUCT_FIELDS)
    if (
        product.producer_id
        and not Producer.objects.for_user(actor, "view").filter(pk=product.producer_id).exists()
    ):
        raise PermissionDenied(_("That producer is outside your area."))
    validate_product(product)
    _require(actor, "registry.add_product", product.commune)
    with transaction.atomic():
        product.search_folded = _product_search(product)
        product.save()
        audit.record(
            actor=actor, action="create", obj=product, after=audit.snapshot(product), area=product.commune
        )
    return product


def create_products(actor, items: list[dict[str, Any]]) -> list[Product]:
    """Create many products at once (imports), as `create_product` would one by one: the producer
    must be in the actor's scope, the same field checks, duplicates looked up for the whole batch
    and inside it, the permission per commune, an audit event each — written in bulk, all or
    nothing (`BatchItemError` names the first refused item)."""
    products = []
    for data in items:
        product = Product()
        _assign(product, data, PRODUCT_FIELDS)
        products.append(product)
    producer_ids = {p.producer_id for p in products if p.producer_id}
    visible = set(
        Producer.objects.for_user(actor, "view").filter(pk__in=producer_ids).values_list("pk", flat=True)
    )
    for index, product in enumerate(products):
        if product.producer_id and product.producer_id not in visible:
            raise BatchItemError(index, PermissionDenied(_("That producer is outside your area.")))
        errors = _product_field_errors(product)
        if errors:
            raise BatchItemError(index, ValidationError(errors))
        try:
            _require(actor, "registry.add_product", product.commune)
        except PermissionDenied as exc:
            raise BatchItemError(index, exc) from exc
    keys = {(p.producer_id, p.name_key) for p in products}
    taken = {
        (p.producer_id, p.name_key): p
        for p in Product.objects.filter(
            producer_id__in={k[0] for k in keys}, name_key__in={k[1] for k in keys}
        )
    }
    for index, product in enumerate(products):
        clash = taken.get((product.producer_id, product.name_key))
        if clash is not None:
            raise BatchItemError(index, ValidationError(_duplicate_product_errors(product, clash)))
        taken[(product.producer_id, product.name_key)] = product
        product.search_folded = _product_search(product)
    with transaction.atomic():
        Product.objects.bulk_create(products, batch_size=1000)
        audit.record_many(
            actor=actor,
            entries=[
                {"action": "create", "obj": p, "after": audit.snapshot(p), "area": p.commune}
                for p in products
            ],
        )
    return products


def update_product(actor, product: Product, data: dict[str, Any]) -> Product:
    stored = Product.objects.select_related("commune").get(pk=product.pk)
    _require(actor, "registry.change_product", stored.commune)
    before = audit.snapshot(stored)
    _assign(product, data, tuple(f for f in PRODUCT_FIELDS if f not in ("is_illustrative",)))
    if (
        "producer" in data
        and not Producer.objects.for_user(actor, "view").filter(pk=product.producer_id).exists()
    ):
        raise PermissionDenied(_("That producer is outside your area."))
    validate_product(product)
    _require(actor, "registry.change_product", product.commune)
    with transaction.atomic():
        product.search_folded = _product_search(product)
        product.save()
        audit.record(
            actor=actor,
            action="update",
            obj=product,
            before=before,
            after=audit.snapshot(product),
            area=product.commune,
        )
    return product


def format_product_code(province_code: str, commune_code: str, seq: int, year: int) -> str:
    from django.conf import settings

    return settings.OCOP_PRODUCT_CODE_PATTERN.format(
        province=province_code, commune=commune_code, seq=seq, year=year
    )


def assign_product_code(actor, product: Product, year: int) -> str:
    """Give a product its code (Decision 26/2026: province–commune–sequence kept by the commune–year
    of evaluation). The sequence is per commune and never reused."""
    _require(actor, "registry.change_product", product.commune)
    if product.code:
        raise ValidationError({"code": _("The product already has code %(code)s.") % {"code": product.code}})
    if not (2000 <= year <= timezone.localdate().year + 1):
        raise ValidationError({"year": _("Enter the year of evaluation.")})
    # Codes use the unit codes of Decision 19/2025/QĐ-TTg: a product recorded in a former commune
    # takes the code of the commune that succeeds it.
    commune = product.commune
    if commune.is_legacy and commune.current_path:
        commune = AdminUnit.objects.get(path=commune.current_path)
    with transaction.atomic():
        ProductCodeSequence.objects.get_or_create(commune=commune)
        sequence = ProductCodeSequence.objects.select_for_update().get(commune=commune)
        sequence.last += 1
        sequence.save(update_fields=["last"])
        product.code = format_product_code(commune.province_code, commune.code, sequence.last, year)
        product.search_folded = _product_search(product)
        product.save(update_fields=["code", "search_folded", "updated_at"])
        audit.record(
            actor=actor,
            action="update",
            obj=product,
            changes={"code": [None, product.code]},
            area=product.commune,
        )
    return product.code


def set_lifecycle(actor, product: Product, lifecycle: str, reason: str = "") -> None:
    _require(actor, "registry.change_product", product.commune)
    if lifecycle not in ProductLifecycle.values:
        raise ValidationError({"lifecycle": _("Unknown stage.")})
    if lifecycle == ProductLifecycle.WITHDRAWN and not nfc(reason):
        raise ValidationError({"reason": _("Give the reason the product is withdrawn.")})
    with transaction.atomic():
        old = product.lifecycle
        product.lifecycle = lifecycle
        product.save(update_fields=["lifecycle", "updated_at"])
        audit.record(
            actor=actor,
            action="state",
            obj=product,
            changes={"lifecycle": [old, lifecycle]},
            message=nfc(reason),
            area=product.commune,
        )


# --- A product's standards, intellectual property and marketplace listings ---------------------

_CHILD_MODELS = {
    "standard": (
        ProductStandard,
        ("kind", "name", "certificate_number", "issuer", "issued_on", "expires_on"),
    ),
    "ip": (IntellectualProperty, ("kind", "name", "number", "holder", "granted_on", "expires_on")),
    "listing": (MarketplaceListing, ("platform", "platform_name", "url", "status", "listed_on")),
}


def add_child(actor, product: Product, kind: str, data: dict[str, Any]):
    """Add a standard held, an intellectual-property right or a marketplace listing."""
    _require(actor, "registry.change_product", product.commune)
    model, fields = _CHILD_MODELS[kind]
    child = model(product=product)
    for field in fields:
        if field in data:
            value = data[field]
            setattr(child, field, nfc(value) if isinstance(value, str) else value)
    errors = _full_clean(child, exclude=["product"])
    start = getattr(child, "issued_on", None) or getattr(child, "granted_on", None)
    end = getattr(child, "expires_on", None)
    if start and end and end < start:
        errors["expires_on"] = [_("The expiry date is before the issue date.")]
    if kind == "listing" and MarketplaceListing.objects.filter(product=product, url=child.url).exists():
        errors["url"] = [_("This link is already listed for the product.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        child.save()
        audit.record(
            actor=actor,
            action="update",
            obj=product,
            changes={f"{kind}+": [None, audit.snapshot(child, list(fields))]},
            area=product.commune,
        )
    return child


def remove_child(actor, product: Product, kind: str, child_id: int) -> None:
    _require(actor, "registry.change_product", product.commune)
    model, fields = _CHILD_MODELS[kind]
    child = model.objects.filter(product=product, pk=child_id).first()
    if child is None:
        raise ValidationError({"id": _("Not found.")})
    with transaction.atomic():
        audit.record(
            actor=actor,
            action="update",
            obj=product,
            changes={f"{kind}-": [audit.snapshot(child, list(fields)), None]},
            area=product.commune,
        )
        child.delete()


def categories_for_choice(day: dt.date | None = None):
    """Product sets of the classification in force on `day` (today by default)."""
    from django.db.models import Q

    day = day or timezone.localdate()
    return (
        ProductCategory.objects.filter(level=CategoryLevel.PRODUCT_SET)
        .filter(
            Q(scheme__effective_from__isnull=True) | Q(scheme__effective_from__lte=day),
            Q(scheme__effective_to__isnull=True) | Q(scheme__effective_to__gte=day),
        )
        .select_related("parent", "parent__parent")
    )


# --- Photos -------------------------------------------------------------------------------------

PHOTO_FORMATS = {"JPEG", "PNG", "WEBP"}
PHOTO_MAX_PIXELS = 40_000_000  # refuse decompression bombs long before Pillow's own limit
PHOTO_MAX_SIDE = 2000
THUMB_SIDE = 480


def _read_image(upload):
    """Open an uploaded file as an image, or raise a ValidationError saying why not."""
    from django.conf import settings
    from PIL import Image, UnidentifiedImageError

    limit = settings.OCOP_MAX_PHOTO_MB * 1024 * 1024
    if upload.size > limit:
        raise ValidationError(
            {
                "image": _("The photo is %(size).1f MB; at most %(max)s MB are allowed.")
                % {"size": upload.size / 1024 / 1024, "max": settings.OCOP_MAX_PHOTO_MB}
            }
        )
    try:
        upload.seek(0)
        probe = Image.open(upload)
        image_format = probe.format
        width, height = probe.size
        probe.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(
            {"image": _("The file is not a photo: upload a JPEG, PNG or WebP image.")}
        ) from None
    if image_format not in PHOTO_FORMATS:
        raise ValidationError(
            {
                "image": _("%(format)s images are not accepted: upload a JPEG, PNG or WebP image.")
                % {"format": image_format}
            }
        )
    if width * height > PHOTO_MAX_PIXELS:
        raise ValidationError(
            {"image": _("The photo is too large (%(w)s × %(h)s pixels).") % {"w": width, "h": height}}
        )
    upload.seek(0)
    return Image.open(upload)


def _jpeg(image, side: int):
    import io

    from django.core.files.base import ContentFile
    from PIL import ImageOps

    image = ImageOps.exif_transpose(image)  # keep the orientation, drop the EXIF (GPS and all)
    if image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    image.thumbnail((side, side))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85, optimize=True)
    return ContentFile(buffer.getvalue())


def add_photo(actor, product: Product, upload, caption: str = ""):
    """Validate an uploaded photo (type by content, size, pixels), store a re-encoded JPEG without
    metadata and a thumbnail, audit it."""
    import uuid

    from .models import ProductPhoto

    _require(actor, "registry.change_product", product.commune)
    caption = nfc(caption)
    if len(caption) > 200:
        raise ValidationError({"caption": _("At most %(n)s characters.") % {"n": 200}})
    image = _read_image(upload)
    full, thumb = _jpeg(image, PHOTO_MAX_SIDE), _jpeg(image, THUMB_SIDE)
    name = uuid.uuid4().hex
    with transaction.atomic():
        photo = ProductPhoto(product=product, caption=caption, sort_order=product.photos.count())
        photo.image.save(f"{name}.jpg", full, save=False)
        photo.thumbnail.save(f"{name}.jpg", thumb, save=False)
        photo.save()
        audit.record(
            actor=actor,
            action="update",
            obj=product,
            changes={"photo+": [None, photo.image.name]},
            area=product.commune,
        )
    return photo


def remove_photo(actor, product: Product, photo_id: int) -> None:
    from .models import ProductPhoto

    _require(actor, "registry.change_product", product.commune)
    photo = ProductPhoto.objects.filter(product=product, pk=photo_id).first()
    if photo is None:
        raise ValidationError({"id": _("Not found.")})
    names = (photo.image.name, photo.thumbnail.name)
    with transaction.atomic():
        audit.record(
            actor=actor,
            action="update",
            obj=product,
            changes={"photo-": [names[0], None]},
            area=product.commune,
        )
        photo.delete()
        transaction.on_commit(lambda: [photo.image.storage.delete(n) for n in names if n])
