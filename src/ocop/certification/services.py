"""Writes of recognition and certification: drafting a decision from the council's results,
recording it when signed (which approves the results and issues the certificates), revoking
(Điều 8), extending while a re-evaluation is pending (Điều 12.3), and recording certificates issued
before the system. Each validates first, writes in one transaction and audits."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ocop.accounts.selectors import user_scope
from ocop.audit import services as audit
from ocop.core.dates import add_months
from ocop.core.text import nfc

from . import signing
from .models import (
    MAX_EXTENSION_DAYS,
    Certificate,
    CertificateState,
    DecisionKind,
    DecisionState,
    IssuingLevel,
    RecognitionDecision,
    RevocationGround,
    Status,
)

# Điều 8.4: the revocation is decided within 15 days of the competent authority's conclusion.
REVOCATION_DAYS = 15
MAX_SCAN_MB = 20


def valid_until(issued_on: dt.date, months: int) -> dt.date:
    """The last day of a certificate valid `months` months from `issued_on` (Điều 4.3: 36 months)."""
    return add_months(issued_on, months) - dt.timedelta(days=1)


def may(actor, permission: str, area) -> bool:
    scope = user_scope(actor, permission)
    return scope.everything if area is None else scope.covers_unit(area)


def _require(actor, permission: str, area) -> None:
    if not may(actor, permission, area):
        raise PermissionDenied(_("You may not do this here."))


def _authority_level(results) -> str:
    levels = {r.recognising_level for r in results}
    return levels.pop() if len(levels) == 1 else ""


# --- decisions -----------------------------------------------------------------------------------


def draft_decision(
    actor, kind: str, results: list, data: dict[str, Any] | None = None
) -> RecognitionDecision:
    """A draft decision over council results still to be decided (proposed, not yet in another
    decision). Recognition: certifiable results recognised by one level. Approval: the province's
    approval of ≥ 90 results proposed to the ministry for 5★."""
    from ocop.evaluation.choices import ResultState

    data = data or {}
    errors: dict[str, list[str]] = {}
    results = list(results)
    if kind not in (DecisionKind.RECOGNITION, DecisionKind.APPROVAL):
        errors["kind"] = [_("Choose the kind of decision.")]
    if not results:
        errors["results"] = [_("Choose at least one result.")]
    for r in results:
        label = str(r.product)
        if r.state != ResultState.PROPOSED or r.disqualified:
            errors.setdefault("results", []).append(
                _("%(p)s: the result is not awaiting a decision.") % {"p": label}
            )
        elif r.decisions.exists():
            errors.setdefault("results", []).append(_("%(p)s is already in a decision.") % {"p": label})
        elif kind == DecisionKind.RECOGNITION and not (r.certifiable and not r.central_candidate):
            errors.setdefault("results", []).append(
                _("%(p)s: its result does not lead to recognition by this level.") % {"p": label}
            )
        elif kind == DecisionKind.APPROVAL and not r.central_candidate:
            errors.setdefault("results", []).append(
                _("%(p)s did not score 90 or more: it is not proposed to the ministry.") % {"p": label}
            )
    rules = {r.rule_version_id for r in results}
    if len(rules) > 1:
        errors.setdefault("results", []).append(_("The results were scored under different rule versions."))
    councils = {r.entry.session.council for r in results}
    areas = {c.area_id for c in councils}
    if len(areas) > 1:
        errors.setdefault("results", []).append(_("The results come from councils of different areas."))
    if errors:
        raise ValidationError(errors)
    council = next(iter(councils))
    if kind == DecisionKind.APPROVAL:
        level = IssuingLevel.PROVINCE
    else:
        level = _authority_level(results) or IssuingLevel.PROVINCE
        if level not in IssuingLevel.values:
            raise ValidationError({"results": [_("The results are recognised by different levels.")]})
    area = council.area if level != IssuingLevel.MINISTRY else None
    _require(actor, "certification.add_recognitiondecision", area)
    default_authority = (
        _("Ministry of Agriculture and Environment")
        if level == IssuingLevel.MINISTRY
        else _("People's Committee of %(area)s")
        % {"area": (area.name[:1].lower() + area.name[1:]) if area else ""}
    )
    decision = RecognitionDecision(
        kind=kind,
        level=level,
        area=area,
        authority=nfc(data.get("authority") or default_authority)[:200],
        signer_name=nfc(data.get("signer_name") or "")[:150],
        signer_title=nfc(data.get("signer_title") or "")[:150],
        rule_version_id=rules.pop(),
        note=nfc(data.get("note") or ""),
        created_by=actor,
    )
    with transaction.atomic():
        decision.save()
        decision.results.set(results)
        audit.record(
            actor=actor,
            action="create",
            obj=decision,
            after=audit.snapshot(decision),
            changes={"results": [None, [r.pk for r in results]]},
            area=area,
        )
    return decision


def _check_scan(scan) -> list[str]:
    if scan is None:
        return []
    problems = []
    if scan.size > MAX_SCAN_MB * 1024 * 1024:
        problems.append(_("The scan is larger than %(mb)s MB.") % {"mb": MAX_SCAN_MB})
    head = scan.read(8)
    scan.seek(0)
    if not (head.startswith(b"%PDF") or head.startswith(b"\xff\xd8\xff") or head.startswith(b"\x89PNG")):
        problems.append(_("The scan must be a PDF, JPEG or PNG file."))
    return problems


def record_signed(actor, decision: RecognitionDecision, data: dict[str, Any]) -> RecognitionDecision:
    """The decision is signed: its number and date are recorded, its results approved and — for a
    recognition — one certificate issued per product (valid `certificate_months` from the date,
    superseding the product's certificate in force)."""
    from ocop.evaluation.choices import ResultState

    _require(actor, "certification.change_recognitiondecision", decision.area)
    number = nfc(data.get("number") or "").strip()
    date = data.get("date")
    errors: dict[str, list[str]] = {}
    if decision.state != DecisionState.DRAFT:
        raise ValidationError(_("This decision is already recorded as signed."))
    if not number:
        errors["number"] = [_("Enter the number of the decision.")]
    elif (
        RecognitionDecision.objects.filter(number__iexact=number, area=decision.area)
        .exclude(pk=decision.pk)
        .exists()
    ):
        errors["number"] = [_("Another decision already has this number.")]
    if date is None:
        errors["date"] = [_("Enter the date of the decision.")]
    elif date > timezone.localdate():
        errors["date"] = [_("The date is in the future.")]
    results = list(decision.results.select_related("product", "entry", "entry__session", "rule_version"))
    if date is not None and any(date < r.entry.session.date for r in results):
        errors.setdefault("date", []).append(_("The decision cannot precede the council's session."))
    scan_problems = _check_scan(data.get("scan"))
    if scan_problems:
        errors["scan"] = scan_problems
    stale = [str(r.product) for r in results if r.state != ResultState.PROPOSED]
    if stale:
        errors.setdefault("results", []).append(
            _("These results were decided meanwhile: %(names)s.") % {"names": ", ".join(stale)}
        )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        decision = RecognitionDecision.objects.select_for_update(no_key=True).get(pk=decision.pk)
        before = audit.snapshot(decision)
        decision.number = number
        decision.date = date
        decision.signer_name = nfc(data.get("signer_name") or decision.signer_name)[:150]
        decision.signer_title = nfc(data.get("signer_title") or decision.signer_title)[:150]
        if data.get("scan") is not None:
            decision.scan = data["scan"]
        decision.state = DecisionState.SIGNED
        decision.signed_at = timezone.now()
        decision.save()
        audit.record(
            actor=actor,
            action="approve",
            obj=decision,
            before=before,
            after=audit.snapshot(decision),
            area=decision.area,
        )
        for result in results:
            result.state = ResultState.APPROVED
            result.decision_number = number
            result.decision_date = date
            result.decided_by = actor
            result.decided_at = timezone.now()
            result.save(
                update_fields=[
                    "state",
                    "decision_number",
                    "decision_date",
                    "decided_by",
                    "decided_at",
                    "updated_at",
                ]
            )
            audit.record(
                actor=actor,
                action="approve",
                obj=result,
                changes={"state": ["proposed", "approved"], "decision_number": [None, number]},
                area=decision.area,
            )
            if decision.kind == DecisionKind.RECOGNITION:
                _issue(actor, decision, result)
    return decision


def _issue(actor, decision: RecognitionDecision, result) -> Certificate:
    product = result.product
    rule = result.rule_version
    issued_on = decision.date
    until = valid_until(issued_on, rule.certificate_months)
    certificate = Certificate(
        product=product,
        stars=result.stars,
        score=result.average,
        decision_number=decision.number,
        decision_date=decision.date,
        issuing_level=decision.level,
        authority=decision.authority,
        issued_on=issued_on,
        valid_until=until,
        rule_version=rule.decision,
        decision=decision,
        result=result,
        signing_key=signing.current_key_id(),
        is_illustrative=product.is_illustrative,
    )
    _supersede_in_force(actor, product, issued_on, decision.area)
    _refuse_overlap(certificate)
    certificate.save()
    audit.record(
        actor=actor, action="create", obj=certificate, after=audit.snapshot(certificate), area=decision.area
    )
    from ocop.core.notifications import notify

    notify(
        product.producer.accounts.all(),
        _("%(product)s is recognised as a %(stars)s★ OCOP product")
        % {"product": product, "stars": result.stars},
        _("Decision %(number)s of %(date)s; the certificate is valid until %(until)s.")
        % {"number": decision.number, "date": f"{decision.date:%d/%m/%Y}", "until": f"{until:%d/%m/%Y}"},
        url=certificate.get_absolute_url(),
        key=f"certificate-{certificate.public_id}",
    )
    return certificate


def _supersede_in_force(actor, product, from_day: dt.date, area) -> None:
    """A new certificate (re-rating, upgrade) ends the product's certificate still in force."""
    for old in (
        Certificate.objects.select_for_update(no_key=True)
        .filter(product=product, state=CertificateState.VALID)
        .filter(Q(valid_until__gte=from_day) | Q(extended_until__gte=from_day))
    ):
        if old.issued_on >= from_day:
            continue
        before = audit.snapshot(old)
        old.state = CertificateState.SUPERSEDED
        old.ended_on = from_day
        old.save(update_fields=["state", "ended_on", "updated_at"])
        audit.record(
            actor=actor, action="state", obj=old, before=before, after=audit.snapshot(old), area=area
        )


def _refuse_overlap(certificate: Certificate) -> None:
    """Two certificates of one product may not be in force on the same day."""
    end = certificate.extended_until or certificate.valid_until
    overlapping = (
        Certificate.objects.filter(product=certificate.product)
        .exclude(pk=certificate.pk)
        .filter(issued_on__lte=end)
        .filter(Q(valid_until__gte=certificate.issued_on) | Q(extended_until__gte=certificate.issued_on))
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=certificate.issued_on))
        .first()
    )
    if overlapping is not None:
        raise ValidationError(
            _("The product already has a certificate in force over this period: %(c)s.") % {"c": overlapping}
        )


def record_certificate(actor, product, data: dict[str, Any]) -> Certificate:
    """A certificate issued before the system (or outside it), typed in from the paper decision."""
    stars = data.get("stars")
    issued_on = data.get("issued_on")
    until = data.get("valid_until")
    level = data.get("issuing_level") or IssuingLevel.PROVINCE
    errors: dict[str, list[str]] = {}
    if stars not in (3, 4, 5):
        errors["stars"] = [_("Only 3★, 4★ and 5★ products receive a certificate.")]
    if issued_on is None:
        errors["issued_on"] = [_("Enter the date it takes effect.")]
    if until is None and issued_on is not None:
        until = valid_until(issued_on, 36)
    if issued_on and until and until < issued_on:
        errors["valid_until"] = [_("The end is before the start.")]
    if level not in IssuingLevel.values:
        errors["issuing_level"] = [_("Choose who issued it.")]
    if not (data.get("decision_number") or "").strip():
        errors["decision_number"] = [_("Enter the number of the decision that recognised it.")]
    if errors:
        raise ValidationError(errors)
    _require(actor, "certification.change_certificate", product.commune)
    certificate = Certificate(
        product=product,
        stars=stars,
        score=data.get("score"),
        decision_number=nfc(data.get("decision_number"))[:60],
        decision_date=data.get("decision_date") or issued_on,
        issuing_level=level,
        authority=nfc(data.get("authority") or "")[:200],
        issued_on=issued_on,
        valid_until=until,
        rule_version=nfc(data.get("rule_version") or "")[:40],
        note=nfc(data.get("note") or "")[:500],
        signing_key=signing.current_key_id(),
    )
    with transaction.atomic():
        _refuse_overlap(certificate)
        certificate.save()
        audit.record(
            actor=actor,
            action="create",
            obj=certificate,
            after=audit.snapshot(certificate),
            area=product.commune,
        )
    return certificate


# --- revocation and extension --------------------------------------------------------------------


def revoke(actor, certificate: Certificate, data: dict[str, Any]) -> Certificate:
    """Revoke a certificate on one of the six grounds of Điều 8.1, by the competent authority (the
    province for 3★/4★, the ministry for 5★), from the decision's date."""
    ground = data.get("ground") or ""
    number = nfc(data.get("decision_number") or "").strip()
    date = data.get("decision_date")
    finding = data.get("finding_date")
    errors: dict[str, list[str]] = {}
    if ground not in RevocationGround.values:
        errors["ground"] = [_("Choose one of the grounds of Article 8.1.")]
    if not number:
        errors["decision_number"] = [_("Enter the number of the revocation decision.")]
    if date is None:
        errors["decision_date"] = [_("Enter the date of the revocation decision.")]
    elif date > timezone.localdate():
        errors["decision_date"] = [_("The date is in the future.")]
    if finding and date and finding > date:
        errors["finding_date"] = [_("The finding cannot come after the decision.")]
    if date and date < certificate.issued_on:
        errors["decision_date"] = [_("The certificate was not yet in force on that date.")]
    if errors:
        raise ValidationError(errors)
    ministry = certificate.stars == 5 or certificate.issuing_level == IssuingLevel.MINISTRY
    if ministry:
        # Điều 8.2.b: only the ministry revokes 5★ (a user whose scope is the whole country).
        _require(actor, "certification.revoke_certificate", None)
    else:
        _require(actor, "certification.revoke_certificate", certificate.product.commune)
    note = nfc(data.get("note") or "")
    late = finding is not None and (date - finding).days > REVOCATION_DAYS
    with transaction.atomic():
        certificate = (
            Certificate.objects.select_for_update(no_key=True)
            .select_related("product")
            .get(pk=certificate.pk)
        )
        if certificate.state != CertificateState.VALID:
            raise ValidationError(_("Only a certificate in force can be revoked."))
        if certificate.status_on(date) == Status.EXPIRED:
            raise ValidationError(_("The certificate had already expired on that date."))
        decision = RecognitionDecision.objects.create(
            kind=DecisionKind.REVOCATION,
            state=DecisionState.SIGNED,
            level=IssuingLevel.MINISTRY if ministry else IssuingLevel.PROVINCE,
            area=None if ministry else _province_of(certificate.product.commune),
            authority=nfc(data.get("authority") or certificate.authority)[:200],
            number=number,
            date=date,
            rule_version=_rule_of(certificate),
            note=note,
            created_by=actor,
            signed_at=timezone.now(),
        )
        before = audit.snapshot(certificate)
        certificate.state = CertificateState.REVOKED
        certificate.ended_on = date
        certificate.revocation_ground = ground
        certificate.revocation_decision = decision
        certificate.save()
        message = str(RevocationGround(ground).label)
        if late:
            message += " — " + _("decided %(days)s days after the finding (Article 8.4 allows 15)") % {
                "days": (date - finding).days
            }
        audit.record(
            actor=actor,
            action="revocation",
            obj=certificate,
            before=before,
            after=audit.snapshot(certificate),
            message=message,
            area=certificate.product.commune,
        )
        from ocop.core.notifications import notify

        notify(
            certificate.product.producer.accounts.all(),
            _("The OCOP certificate of %(product)s is revoked") % {"product": certificate.product},
            _("Decision %(number)s of %(date)s: %(ground)s.")
            % {"number": number, "date": f"{date:%d/%m/%Y}", "ground": str(RevocationGround(ground).label)},
            url=certificate.get_absolute_url(),
            key=f"revoked-{certificate.public_id}",
        )
    return certificate


def _province_of(unit):
    """The current province of a commune (legacy communes through their successor)."""
    from ocop.geo.models import AdminUnit

    edition, code = (unit.current_path or unit.path).split("/")[:2]
    return AdminUnit.objects.filter(path=f"{edition}/{code}/").first()


def _rule_of(certificate: Certificate):
    from ocop.evaluation.models import RuleVersion
    from ocop.evaluation.services import rule_in_force

    if certificate.result_id:
        return certificate.result.rule_version
    return rule_in_force(certificate.issued_on) or RuleVersion.objects.order_by("-effective_from").first()


def pending_reevaluation(product) -> bool:
    """Is a re-evaluation of the product under way (in a council session not yet concluded)?"""
    from ocop.evaluation.choices import ENTRY_OPEN_STATES
    from ocop.evaluation.models import SessionProduct

    return SessionProduct.objects.filter(
        product=product, kind="reevaluation", state__in=ENTRY_OPEN_STATES
    ).exists()


def extend(actor, certificate: Certificate, until: dt.date | None, reason: str) -> Certificate:
    """Điều 12.3: a certificate whose re-evaluation is pending stays valid until the result, at most
    180 days past its expiry."""
    reason = nfc(reason or "").strip()
    errors: dict[str, list[str]] = {}
    limit = certificate.valid_until + dt.timedelta(days=MAX_EXTENSION_DAYS)
    if until is None:
        errors["until"] = [_("Enter the date.")]
    elif until <= certificate.valid_until:
        errors["until"] = [_("An extension ends after the certificate's own end.")]
    elif until > limit:
        errors["until"] = [_("At most 180 days past expiry: %(d)s.") % {"d": f"{limit:%d/%m/%Y}"}]
    if not reason:
        errors["reason"] = [_("Give the reason.")]
    if not pending_reevaluation(certificate.product):
        errors.setdefault("until", []).append(_("No re-evaluation of this product is under way."))
    if errors:
        raise ValidationError(errors)
    _require(actor, "certification.change_certificate", certificate.product.commune)
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update(no_key=True).get(pk=certificate.pk)
        if certificate.state != CertificateState.VALID:
            raise ValidationError(_("Only a certificate in force can be extended."))
        before = audit.snapshot(certificate)
        certificate.extended_until = until
        certificate.save(update_fields=["extended_until", "updated_at"])
        audit.record(
            actor=actor,
            action="update",
            obj=certificate,
            before=before,
            after=audit.snapshot(certificate),
            message=reason,
            area=certificate.product.commune,
        )
    return certificate
