"""Recognition decisions and certificates (giấy chứng nhận sản phẩm OCOP).

This first version holds what the registries need: each certificate's product, stars, dates and
the decision that issued it, so that a product's star status is always derived from certificates
(never typed in) and historical counts can be reproduced by date. The full lifecycle (drafted
decisions, signed QR, revocation, renewal) builds on it.
"""

from __future__ import annotations

import datetime as dt

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


class CertificateQuerySet(ScopedQuerySet):
    def valid_on(self, day: dt.date):
        """Certificates in force on `day`: issued, not expired, not ended early."""
        return self.filter(issued_on__lte=day, valid_until__gte=day).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gt=day)
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

    def is_valid_on(self, day: dt.date) -> bool:
        return self.issued_on <= day <= self.valid_until and (self.ended_on is None or self.ended_on > day)
