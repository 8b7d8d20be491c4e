"""What a dossier version holds (forms Mẫu 01 and Mẫu 02 of Decision 26/2026, Phụ lục III), how it
is sealed, and how two versions differ.

A version's `content` is a flat dict. Identity fields (the producer, its representative, the
product) are copied from the registries when the version is started and again when it is filed —
the registries are where they are kept; the rest is what the producer writes. Keeping the content
as data makes a new version a plain copy and a difference a key-by-key comparison.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from ocop.evaluation.choices import EvaluationKind

ALL = frozenset(EvaluationKind.values)
FIRST = frozenset({EvaluationKind.FIRST})
UPGRADE = frozenset({EvaluationKind.UPGRADE})
REEVALUATION = frozenset({EvaluationKind.REEVALUATION})


@dataclass(frozen=True)
class FieldSpec:
    key: str
    label: object  # a lazy translation
    part: str  # "01", "02-I", "02-II", "02-III", "02-IV", "update"
    widget: str = "text"  # text, textarea, bool, int, gender
    required: frozenset = frozenset()  # the kinds of dossier that must fill it in
    shown: frozenset = ALL  # the kinds of dossier that show it


# What the producer writes (the identity fields below come from the registries).
FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("representative_title", _("Title of the legal representative"), "01", required=ALL),
    FieldSpec("samples_declared", _("Samples sent with the dossier (number)"), "01", "int"),
    FieldSpec("representative_gender", _("Gender of the legal representative"), "02-I", "gender"),
    FieldSpec("representative_ethnicity", _("Ethnicity of the legal representative"), "02-I"),
    FieldSpec("representative_address", _("Permanent address of the legal representative"), "02-I"),
    FieldSpec(
        "product_description",
        _("Product or service: description, specification, standards"),
        "02-I",
        "textarea",
        required=ALL,
    ),
    FieldSpec("has_business_registration", _("Business registration"), "02-I", "bool"),
    FieldSpec("quality_declared", _("Product quality declared as the law requires"), "02-I", "bool"),
    FieldSpec("food_safety_certified", _("Food-safety certificate of the facility"), "02-I", "bool"),
    FieldSpec(
        "production_conditions_certified",
        _("Certificate of production conditions (where the law requires it)"),
        "02-I",
        "bool",
    ),
    FieldSpec("ip_trademark", _("Trademark registration certificate"), "02-I", "bool"),
    FieldSpec(
        "ip_collective",
        _("Right to a geographical indication, collective or certification mark"),
        "02-I",
        "bool",
    ),
    FieldSpec("ip_patent", _("Patent"), "02-I", "bool"),
    FieldSpec("ip_design", _("Industrial design"), "02-I", "bool"),
    FieldSpec("ip_copyright", _("Copyright certificate"), "02-I", "bool"),
    FieldSpec("ip_other", _("Other intellectual property (which)"), "02-I"),
    FieldSpec("history", _("History of the producer"), "02-I", "textarea", required=ALL),
    FieldSpec("organisation", _("Organisation of the producer"), "02-I", "textarea", required=ALL),
    FieldSpec(
        "raw_materials",
        _("Raw materials and raw-material zone"),
        "02-II",
        "textarea",
        required=ALL,
    ),
    FieldSpec(
        "technology",
        _("Technology: production, preliminary processing, processing, packing"),
        "02-II",
        "textarea",
        required=ALL,
    ),
    FieldSpec(
        "packaging",
        _("Packaging and labels"),
        "02-II",
        "textarea",
        required=REEVALUATION,
    ),
    FieldSpec(
        "quality_changes",
        _("Changes in quality (standards, packaging, labels, presentation)"),
        "02-II",
        "textarea",
    ),
    FieldSpec("markets", _("Markets where the product is sold"), "02-II", "textarea", required=ALL),
    FieldSpec("output", _("Output"), "02-II", "textarea", required=REEVALUATION),
    FieldSpec("revenue", _("Revenue"), "02-II", "textarea", required=ALL),
    FieldSpec("profit", _("Profit"), "02-II", "textarea"),
    FieldSpec(
        "quality_declaration_update",
        _("Quality declaration since recognition"),
        "update",
        "textarea",
        required=REEVALUATION,
        shown=REEVALUATION,
    ),
    FieldSpec(
        "periodic_tests",
        _("Periodic laboratory tests since recognition"),
        "update",
        "textarea",
        required=REEVALUATION,
        shown=REEVALUATION,
    ),
    FieldSpec(
        "changes_summary",
        _("What changed compared with the recognised OCOP product"),
        "update",
        "textarea",
        required=UPGRADE,
        shown=UPGRADE | REEVALUATION,
    ),
    FieldSpec("plan_ahead", _("Production and business plan ahead"), "02-IV", "textarea", required=ALL),
)
FIELD_BY_KEY = {f.key: f for f in FIELDS}

# Copied from the registries (read-only in the dossier; changed in the registry).
IDENTITY_LABELS = {
    "producer_name": _("Producer"),
    "producer_kind": _("Kind of organisation"),
    "producer_address": _("Address"),
    "producer_phone": _("Phone"),
    "producer_email": _("E-mail"),
    "representative_name": _("Legal representative"),
    "registration_number": _("Registration number"),
    "registration_date": _("Founded or registered on"),
    "product_name": _("Product"),
    "product_code": _("Product code"),
    "product_set_code": _("Product set code"),
    "product_set": _("Product set"),
    "product_group": _("Group"),
    "product_sector": _("Sector"),
}
IDENTITY_KEYS = tuple(IDENTITY_LABELS)

PARTS = {
    "01": _("Registration form (Mẫu 01)"),
    "02-I": _("Self-assessment report, Part I: general information (Mẫu 02)"),
    "02-II": _("Part II: results of the business plan"),
    "update": _("Changes since recognition"),
    "02-IV": _("Part IV: production and business plan"),
}


def fields_for(kind: str) -> list[FieldSpec]:
    return [f for f in FIELDS if kind in f.shown]


def label_of(key: str) -> str:
    if key == "self_assessment":
        return str(_("Self-assessment: criteria answered"))
    if key in FIELD_BY_KEY:
        return str(FIELD_BY_KEY[key].label)
    if key in IDENTITY_LABELS:
        return str(IDENTITY_LABELS[key])
    return key


def identity(product) -> dict:
    """The identity fields of a version, from the registries (product with producer and category)."""
    producer = product.producer
    category = product.category
    group = category.parent if category.parent_id else None
    sector = group.parent if group is not None and group.parent_id else None
    address = ", ".join(
        x for x in (producer.address, producer.commune.name if producer.commune_id else "") if x
    )
    return {
        "producer_name": producer.name,
        "producer_kind": producer.kind,
        "producer_address": address,
        "producer_phone": producer.phone,
        "producer_email": producer.email,
        "representative_name": producer.legal_representative,
        "registration_number": producer.registration_number,
        "registration_date": producer.registration_date.isoformat() if producer.registration_date else "",
        "product_name": product.name,
        "product_code": product.code or "",
        "product_set_code": category.code,
        "product_set": category.name,
        "product_group": group.name if group else "",
        "product_sector": sector.name if sector else "",
    }


def initial_content(product) -> dict:
    """A new first-evaluation dossier: the identity, and what the registry already knows."""
    producer = product.producer
    content = identity(product)
    content.update(
        {
            "representative_title": producer.representative_title,
            "product_description": product.description,
            "raw_materials": ", ".join(x for x in (product.raw_material_zone, product.ingredients) if x),
            "packaging": product.packaging,
            "has_business_registration": bool(producer.registration_number),
        }
    )
    return content


def clean_value(spec: FieldSpec, value):
    if spec.widget == "bool":
        return bool(value)
    if spec.widget == "int":
        if value in (None, ""):
            return None
        return int(value)
    from ocop.core.text import nfc

    return nfc(str(value or ""))[:20000]


def is_filled(value) -> bool:
    if isinstance(value, str):
        return bool(value.strip())
    return value is not None and value is not False


def canonical(data) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def checksum(version, evidence) -> str:
    """SHA-256 over the version's content, self-assessment, sheet and the evidence it refers to."""
    payload = {
        "dossier": version.dossier_id,
        "number": version.number,
        "content": version.content,
        "assessment": version.assessment,
        "sheet": version.sheet_id,
        "evidence": sorted(
            [
                e.kind,
                e.criterion_key,
                e.paper,
                e.title,
                e.sha256,
                e.url,
                e.issued_on.isoformat() if e.issued_on else "",
                e.expires_on.isoformat() if e.expires_on else "",
            ]
            for e in evidence
        ),
    }
    return hashlib.sha256(canonical(payload).encode()).hexdigest()


# --- differences -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    key: str
    label: str
    before: object
    after: object


@dataclass
class VersionDiff:
    content: list[Change]
    assessment: list[Change]  # criterion key → points before/after
    evidence_added: list
    evidence_removed: list

    @property
    def empty(self) -> bool:
        return not (self.content or self.assessment or self.evidence_added or self.evidence_removed)

    @property
    def count(self) -> int:
        return (
            len(self.content) + len(self.assessment) + len(self.evidence_added) + len(self.evidence_removed)
        )


def _evidence_key(e) -> tuple:
    return (e.kind, e.criterion_key, e.paper, e.sha256 or e.url, e.title)


def diff_versions(old, new, old_evidence=None, new_evidence=None) -> VersionDiff:
    """What changed from `old` to `new` (any two versions, of one dossier or of the dossier reused)."""
    from .assessment import points_by_key

    keys = [*IDENTITY_KEYS, *(f.key for f in FIELDS)]
    extra = sorted((set(old.content) | set(new.content)) - set(keys))
    content = []
    for key in [*keys, *extra]:
        before, after = old.content.get(key), new.content.get(key)
        if (before in (None, "", False)) and (after in (None, "", False)):
            continue
        if before != after:
            content.append(Change(key, label_of(key), before, after))
    old_points, new_points = points_by_key(old), points_by_key(new)
    assessment = []
    for key in sorted(set(old_points) | set(new_points), key=_natural):
        if old_points.get(key) != new_points.get(key):
            assessment.append(Change(key, key, old_points.get(key), new_points.get(key)))
    old_evidence = list(old.evidence.all()) if old_evidence is None else old_evidence
    new_evidence = list(new.evidence.all()) if new_evidence is None else new_evidence
    old_keys = {_evidence_key(e) for e in old_evidence}
    new_keys = {_evidence_key(e) for e in new_evidence}
    return VersionDiff(
        content=content,
        assessment=assessment,
        evidence_added=[e for e in new_evidence if _evidence_key(e) not in old_keys],
        evidence_removed=[e for e in old_evidence if _evidence_key(e) not in new_keys],
    )


def _natural(key: str):
    import re

    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", key)]
