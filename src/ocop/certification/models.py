"""Recognition decisions (quyết định công nhận) and certificates (giấy chứng nhận sản phẩm OCOP).

A product's star status is always derived from its certificates on a date (never typed in). A
certificate's status on any day — valid, re-evaluation window open, extended (26/2026 Điều 12.3),
expired, revoked, superseded — is computed from its dates when it is used, not by a nightly job.
Each certificate has a public id; its QR label carries that id and an Ed25519 signature of its
essential fields (see `signing.py`), checked online on /verify/… and offline by `ocop verify`.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ocop.core.models import TimeStampedModel
from ocop.core.scope import Scope, ScopedModelMixin, ScopedQuerySet


class IssuingLevel(models.TextChoices):
    DISTRICT = "district", _("District People's Committee (before 07/2025)")
    PROVINCE = "province", _("Province People's Committee")
    MINISTRY = "ministry", _("Ministry (national)")


class CertificateState(models.TextChoices):
    VALID = "valid", _("In force")
    REVOKED = "revoked", _("Revoked")
    SUPERSEDED = "superseded", _("Superseded")


class RevocationGround(models.TextChoices):
    """The six grounds of 26/2026 Điều 8.1."""

    FALSE_DOSSIER = "false_dossier", _("False or forged information in the dossier (Article 8.1.a)")
    CRITERIA_NOT_MET = (
        "criteria_not_met",
        _("No longer meets the criteria, per an inspection (Article 8.1.b)"),
    )
    LAW_VIOLATION = (
        "law_violation",
        _(
            "Violates the law on quality, food safety, environment, intellectual property or labelling "
            "(Article 8.1.c)"
        ),
    )
    MARK_MISUSE = "mark_misuse", _("Uses the OCOP mark against the rules (Article 8.1.d)")
    STOPPED = "stopped", _("No longer produces the OCOP product (Article 8.1.đ)")
    OTHER = "other", _("Other conclusion of a competent authority (Article 8.1.e)")


class Status(models.TextChoices):
    """A certificate's status on a given day (computed, never stored)."""

    NOT_YET = "not_yet", _("Not yet in force")
    VALID = "valid", _("Valid")
    WINDOW = "window", _("Valid — re-evaluation window open")
    EXTENDED = "extended", _("Valid until the re-evaluation result (extended)")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")
    SUPERSEDED = "superseded", _("Superseded")


# 26/2026 Điều 7.6.a: file a re-evaluation not earlier than 180 and not later than 120 days before expiry.
WINDOW_OPENS_DAYS = 180
WINDOW_CLOSES_DAYS = 120
# Điều 12.3: a certificate whose re-evaluation is pending stays valid until the result, at most 180 days.
MAX_EXTENSION_DAYS = 180


def new_public_id() -> str:
    """12 characters of an unambiguous alphabet (no 0/O, 1/I/L): easy to read aloud or type."""
    alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
    return "".join(secrets.choice(alphabet) for _ in range(12))


class DecisionKind(models.TextChoices):
    RECOGNITION = "recognition", _("Recognition and certificates (3★–5★)")
    APPROVAL = "approval", _("Approval of the result, proposal to the ministry (5★ candidates)")
    REVOCATION = "revocation", _("Revocation of certificates")


class DecisionState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SIGNED = "signed", _("Signed")


class DecisionQuerySet(ScopedQuerySet):
    pass


class RecognitionDecision(ScopedModelMixin, TimeStampedModel):
    """A decision of the competent authority: drafted from approved results, recorded when signed."""

    scope_area_field = "area"

    kind = models.CharField(_("kind"), max_length=12, choices=DecisionKind.choices)
    state = models.CharField(
        _("state"), max_length=8, choices=DecisionState.choices, default=DecisionState.DRAFT
    )
    level = models.CharField(_("issued by (level)"), max_length=10, choices=IssuingLevel.choices)
    area = models.ForeignKey(
        "geo.AdminUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ocop_decisions",
        verbose_name=_("province"),
        help_text=_("Empty for a decision of the ministry."),
    )
    authority = models.CharField(_("issuing authority"), max_length=200)
    number = models.CharField(_("decision number"), max_length=60, blank=True)
    date = models.DateField(_("decision date"), null=True, blank=True)
    signer_name = models.CharField(_("signed by"), max_length=150, blank=True)
    signer_title = models.CharField(_("signer's title"), max_length=150, blank=True)
    rule_version = models.ForeignKey(
        "evaluation.RuleVersion", on_delete=models.PROTECT, related_name="+", verbose_name=_("rule version")
    )
    results = models.ManyToManyField(
        "evaluation.EvaluationResult", blank=True, related_name="decisions", verbose_name=_("results")
    )
    scan = models.FileField(_("signed copy (scan)"), upload_to="decisions/%Y/", blank=True)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("drafted by")
    )
    signed_at = models.DateTimeField(_("recorded as signed at"), null=True, blank=True)

    objects = DecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("recognition decision")
        verbose_name_plural = _("recognition decisions")
        ordering = ["-date", "-created_at"]

    def __str__(self) -> str:
        label = self.number or _("draft")
        return f"{label} ({self.get_kind_display()})"

    def get_absolute_url(self) -> str:
        from ocop.core.links import url_to

        return url_to("certification:decision_detail", self.pk)


class CertificateQuerySet(ScopedQuerySet):
    def valid_on(self, day: dt.date):
        """Certificates in force on `day`: issued, not expired (an extension under Điều 12.3
        included), not ended early."""
        return (
            self.filter(issued_on__lte=day)
            .filter(Q(valid_until__gte=day) | Q(extended_until__gte=day))
            .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=day))
        )


class Certificate(ScopedModelMixin, TimeStampedModel):
    product = models.ForeignKey(
        "registry.Product", on_delete=models.PROTECT, related_name="certificates", verbose_name=_("product")
    )
    stars = models.PositiveSmallIntegerField(_("stars"), choices=[(n, f"{n}★") for n in range(1, 6)])
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2, null=True, blank=True)
    number = models.CharField(_("certificate number"), max_length=50, blank=True)
    decision_number = models.CharField(_("decision number"), max_length=60, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    issuing_level = models.CharField(_("issued by (level)"), max_length=10, choices=IssuingLevel.choices)
    authority = models.CharField(_("issuing authority"), max_length=200, blank=True)
    issued_on = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    state = models.CharField(
        _("state"), max_length=12, choices=CertificateState.choices, default=CertificateState.VALID
    )
    ended_on = models.DateField(
        _("ended on"), null=True, blank=True, help_text=_("Revoked or superseded from this date.")
    )
    rule_version = models.CharField(
        _("criteria applied"),
        max_length=40,
        blank=True,
        help_text=_("The decision whose criteria the product was evaluated under."),
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    is_illustrative = models.BooleanField(_("illustrative (demo) record"), default=False)
    public_id = models.CharField(
        _("public id"), max_length=16, unique=True, default=new_public_id, editable=False
    )
    decision = models.ForeignKey(
        RecognitionDecision,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="certificates",
        verbose_name=_("recognition decision"),
    )
    result = models.OneToOneField(
        "evaluation.EvaluationResult",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="certificate",
        verbose_name=_("evaluation result"),
    )
    superseded_by = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("superseded by"),
    )
    revocation_ground = models.CharField(
        _("ground for revocation"), max_length=20, choices=RevocationGround.choices, blank=True
    )
    revocation_decision = models.ForeignKey(
        RecognitionDecision,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="revoked_certificates",
        verbose_name=_("revocation decision"),
    )
    extended_until = models.DateField(
        _("extended until"),
        null=True,
        blank=True,
        help_text=_("Article 12.3: valid until the re-evaluation result, at most 180 days past expiry."),
    )
    signing_key = models.CharField(_("signing key"), max_length=40, blank=True, editable=False)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_on"]
        indexes = [models.Index(fields=["product", "issued_on", "valid_until"], name="cert_product_dates")]

    def __str__(self) -> str:
        return f"{self.product} — {self.stars}★ ({self.issued_on:%d/%m/%Y})"

    @classmethod
    def scope_filter(cls, scope: Scope) -> Q:
        from ocop.registry.models import Product

        return Q(product__in=Product.objects.filter(Product.scope_filter(scope)))

    def get_absolute_url(self) -> str:
        from ocop.core.links import url_to

        return url_to("certification:certificate_detail", self.pk)

    @property
    def end(self) -> dt.date:
        """The last day it is in force: its validity, or the Điều 12.3 extension."""
        return max(self.valid_until, self.extended_until or self.valid_until)

    @property
    def window_opens(self) -> dt.date:
        return self.valid_until - dt.timedelta(days=WINDOW_OPENS_DAYS)

    @property
    def window_closes(self) -> dt.date:
        return self.valid_until - dt.timedelta(days=WINDOW_CLOSES_DAYS)

    def is_valid_on(self, day: dt.date) -> bool:
        return self.issued_on <= day <= self.end and (self.ended_on is None or self.ended_on > day)

    def status_on(self, day: dt.date) -> str:
        """The status on `day`, from the dates alone."""
        if self.ended_on is not None and self.ended_on <= day:
            return Status.REVOKED if self.state == CertificateState.REVOKED else Status.SUPERSEDED
        if day < self.issued_on:
            return Status.NOT_YET
        if day > self.end:
            return Status.EXPIRED
        if day > self.valid_until:
            return Status.EXTENDED
        if day >= self.window_opens:
            return Status.WINDOW
        return Status.VALID
