"""Quality inspections (kiểm tra, hậu kiểm) of OCOP producers and products: the inspecting body,
the samples taken and their test results, the follow-up actions with their deadlines, and the
cases a failed inspection opens on a product's certificate (a revocation on the ground of
Article 8.1.b, or a re-evaluation dossier) — each through the certification and programme
services. Standards held and traceability stay in the registry (ProductStandard, Product); this
app only reads them."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ocop.core.models import TimeStampedModel
from ocop.core.scope import Scope, ScopedModelMixin, ScopedQuerySet

from .choices import CaseKind, CaseState, InspectionKind, InspectionState, Outcome


class InspectionQuerySet(ScopedQuerySet):
    pass


class Inspection(ScopedModelMixin, TimeStampedModel):
    """One inspection of a producer (and some of its products) on a date. Its area is the
    producer's commune; the producer's own accounts see their inspections."""

    scope_area_field = "area"

    kind = models.CharField(_("kind"), max_length=10, choices=InspectionKind.choices)
    state = models.CharField(
        _("state"), max_length=10, choices=InspectionState.choices, default=InspectionState.SCHEDULED
    )
    reference = models.CharField(
        _("reference"), max_length=100, blank=True, help_text=_("The plan or decision ordering it.")
    )
    inspecting_body = models.CharField(_("inspecting body"), max_length=200)
    responsible_unit = models.CharField(_("responsible unit"), max_length=200)
    date = models.DateField(_("date"))
    producer = models.ForeignKey(
        "registry.Producer", on_delete=models.PROTECT, related_name="inspections", verbose_name=_("producer")
    )
    products = models.ManyToManyField(
        "registry.Product", blank=True, related_name="inspections", verbose_name=_("products")
    )
    area = models.ForeignKey(
        "geo.AdminUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("commune")
    )
    subject = models.CharField(
        _("subject"), max_length=300, blank=True, help_text=_("Food safety, labelling, OCOP mark, criteria…")
    )
    findings = models.TextField(_("findings"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.PENDING)
    is_illustrative = models.BooleanField(_("illustrative (demo) record"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    search_folded = models.CharField(max_length=900, editable=False, default="")

    objects = InspectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("quality inspection")
        verbose_name_plural = _("quality inspections")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.producer.name} — {self.date:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        from ocop.core.links import url_to

        return url_to("quality:inspection_detail", self.pk)

    @classmethod
    def scope_filter(cls, scope: Scope) -> Q:
        from ocop.registry.models import Producer

        own = (
            Q(
                Exists(
                    Producer.accounts.through.objects.filter(
                        producer=OuterRef("producer_id"), user=scope.user_id
                    )
                )
            )
            if scope.user_id
            else Q(pk__in=[])
        )
        if scope.nothing:
            return own
        return own | scope.area_q("area__")


class InspectionSample(models.Model):
    """A sample taken during the inspection and the test done on it."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="samples", verbose_name=_("inspection")
    )
    product = models.ForeignKey(
        "registry.Product",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("product"),
    )
    sample = models.CharField(_("sample"), max_length=200)
    test = models.CharField(_("test (indicator)"), max_length=200)
    lab = models.CharField(_("laboratory"), max_length=200, blank=True)
    result = models.CharField(_("result"), max_length=200, blank=True)
    limit = models.CharField(_("permitted limit"), max_length=200, blank=True)
    within_limits = models.BooleanField(_("within limits"), null=True, blank=True)

    class Meta:
        verbose_name = _("sample")
        verbose_name_plural = _("samples")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.sample}: {self.test}"


class FollowUpAction(models.Model):
    """What the producer (or an office) must do after the inspection, by a deadline."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="actions", verbose_name=_("inspection")
    )
    action = models.CharField(_("action"), max_length=500)
    responsible = models.CharField(_("who"), max_length=200, blank=True)
    deadline = models.DateField(_("deadline"))
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        verbose_name = _("follow-up action")
        verbose_name_plural = _("follow-up actions")
        ordering = ["deadline", "pk"]

    def __str__(self) -> str:
        return self.action

    def is_overdue(self, day: dt.date | None = None) -> bool:
        return self.done_on is None and self.deadline < (day or timezone.localdate())


class InspectionCase(TimeStampedModel):
    """A case a failed inspection opened on a product's certificate in force. A re-evaluation case
    starts a dossier (programme.services.start_dossier); a revocation case waits for the
    competent authority's signed decision, then records it (certification.services.revoke)."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.PROTECT, related_name="cases", verbose_name=_("inspection")
    )
    product = models.ForeignKey(
        "registry.Product", on_delete=models.PROTECT, related_name="+", verbose_name=_("product")
    )
    certificate = models.ForeignKey(
        "certification.Certificate", on_delete=models.PROTECT, related_name="+", verbose_name=_("certificate")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=CaseKind.choices)
    state = models.CharField(_("state"), max_length=10, choices=CaseState.choices, default=CaseState.OPEN)
    note = models.TextField(_("note"), blank=True)
    dossier = models.ForeignKey(
        "programme.Dossier",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("re-evaluation dossier"),
    )
    revocation_decision = models.ForeignKey(
        "certification.RecognitionDecision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revocation decision"),
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("opened by"),
    )

    class Meta:
        verbose_name = _("inspection case")
        verbose_name_plural = _("inspection cases")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.product}"
