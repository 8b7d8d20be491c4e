"""Funding and support of OCOP producers: the funding sources (the national target programme for
new rural development, industrial promotion, provincial resolutions, producers' own and other
lawful sources), the support granted to producers (a decision, an approved amount, disbursements
that never exceed it) and the state-funded assets handed to producers, tracked until returned or
written off (never deleted). Amounts are whole VND."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from ocop.core.models import TimeStampedModel
from ocop.core.scope import Scope, ScopedModelMixin, ScopedQuerySet

from .choices import AssetCondition, AssetState, SourceKind, SupportKind

AMOUNT = {"max_digits": 18, "decimal_places": 0}


def _own_q(scope: Scope, producer_field: str = "producer_id") -> Q:
    from ocop.registry.models import Producer

    if not scope.user_id:
        return Q(pk__in=[])
    return Q(
        Exists(
            Producer.accounts.through.objects.filter(producer=OuterRef(producer_field), user=scope.user_id)
        )
    )


class FundingQuerySet(ScopedQuerySet):
    pass


class FundingSource(ScopedModelMixin, TimeStampedModel):
    """A source of funds for a year in an area (None: national). Officers of an area see its own
    sources, those of the areas above it (a province's resolution reaches its communes) and the
    national ones."""

    kind = models.CharField(_("kind"), max_length=24, choices=SourceKind.choices)
    name = models.CharField(_("name"), max_length=255)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    year = models.PositiveSmallIntegerField(_("year"))
    area = models.ForeignKey(
        "geo.AdminUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("area"),
        help_text=_("Empty for a national source."),
    )
    allocated_amount = models.DecimalField(_("allocated (VND)"), null=True, blank=True, **AMOUNT)
    responsible_unit = models.CharField(_("responsible unit"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    is_illustrative = models.BooleanField(_("illustrative (demo) record"), default=False)
    search_folded = models.CharField(max_length=800, editable=False, default="")

    objects = FundingQuerySet.as_manager()

    class Meta:
        verbose_name = _("funding source")
        verbose_name_plural = _("funding sources")
        ordering = ["-year", "kind", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"

    def get_absolute_url(self) -> str:
        from ocop.core.links import url_to

        return url_to("funding:source_detail", self.pk)

    @classmethod
    def scope_filter(cls, scope: Scope) -> Q:
        if scope.nothing:
            return Q(pk__in=[])
        ancestors = set()
        for path in scope.paths:
            parts = path.strip("/").split("/")
            for i in range(2, len(parts) + 1):
                ancestors.add("/".join(parts[:i]) + "/")
        return Q(area__isnull=True) | scope.area_q("area__") | Q(area__path__in=sorted(ancestors))


class SupportGrant(ScopedModelMixin, TimeStampedModel):
    """Support given to a producer by a decision (the date of support is `decision_date`)."""

    scope_area_field = "commune"

    producer = models.ForeignKey(
        "registry.Producer",
        on_delete=models.PROTECT,
        related_name="support_grants",
        verbose_name=_("producer"),
    )
    product = models.ForeignKey(
        "registry.Product",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="support_grants",
        verbose_name=_("product"),
    )
    commune = models.ForeignKey(
        "geo.AdminUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("commune")
    )
    kind = models.CharField(_("support"), max_length=24, choices=SupportKind.choices)
    description = models.CharField(_("description"), max_length=500, blank=True)
    decision_number = models.CharField(_("decision number"), max_length=60)
    decision_date = models.DateField(_("date of support (decision)"))
    approved_amount = models.DecimalField(_("approved (VND)"), **AMOUNT)
    source = models.ForeignKey(
        FundingSource, on_delete=models.PROTECT, related_name="grants", verbose_name=_("funding source")
    )
    responsible_unit = models.CharField(_("responsible unit"), max_length=200)
    note = models.TextField(_("note"), blank=True)
    is_illustrative = models.BooleanField(_("illustrative (demo) record"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    search_folded = models.CharField(max_length=900, editable=False, default="")

    objects = FundingQuerySet.as_manager()

    class Meta:
        verbose_name = _("support grant")
        verbose_name_plural = _("support grants")
        ordering = ["-decision_date", "-pk"]
        indexes = [models.Index(fields=["decision_date"], name="funding_grant_date")]

    def __str__(self) -> str:
        return f"{self.producer.name} — {self.get_kind_display()} ({self.decision_date:%d/%m/%Y})"

    def get_absolute_url(self) -> str:
        from ocop.core.links import url_to

        return url_to("funding:grant_detail", self.pk)

    @classmethod
    def scope_filter(cls, scope: Scope) -> Q:
        own = _own_q(scope)
        return own if scope.nothing else own | scope.area_q("commune__")


class Disbursement(models.Model):
    """Money paid out under a grant; their total never exceeds the approved amount."""

    grant = models.ForeignKey(
        SupportGrant, on_delete=models.PROTECT, related_name="disbursements", verbose_name=_("support grant")
    )
    date = models.DateField(_("date"))
    amount = models.DecimalField(_("amount (VND)"), **AMOUNT)
    reference = models.CharField(_("voucher"), max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("disbursement")
        verbose_name_plural = _("disbursements")
        ordering = ["date", "pk"]
        indexes = [models.Index(fields=["date"], name="funding_disbursement_date")]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y}: {self.amount}"


class StateAsset(ScopedModelMixin, TimeStampedModel):
    """A state-funded asset handed to a producer: kept as the handover documents require, checked,
    and ended by a return or a write-off with its reason — never deleted."""

    scope_area_field = "commune"

    producer = models.ForeignKey(
        "registry.Producer", on_delete=models.PROTECT, related_name="state_assets", verbose_name=_("producer")
    )
    commune = models.ForeignKey(
        "geo.AdminUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("commune")
    )
    name = models.CharField(_("asset"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    value = models.DecimalField(_("value (VND)"), **AMOUNT)
    decision_number = models.CharField(_("handover decision"), max_length=60)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    handed_on = models.DateField(_("handed over on"))
    source = models.ForeignKey(
        FundingSource,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assets",
        verbose_name=_("funding source"),
    )
    grant = models.ForeignKey(
        SupportGrant,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assets",
        verbose_name=_("support grant"),
    )
    condition = models.CharField(
        _("condition"), max_length=10, choices=AssetCondition.choices, default=AssetCondition.GOOD
    )
    last_checked_on = models.DateField(_("last checked on"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=12, choices=AssetState.choices, default=AssetState.IN_USE)
    ended_on = models.DateField(_("returned or written off on"), null=True, blank=True)
    end_reason = models.CharField(_("reason"), max_length=500, blank=True)
    responsible_unit = models.CharField(_("responsible unit"), max_length=200, blank=True)
    is_illustrative = models.BooleanField(_("illustrative (demo) record"), default=False)
    search_folded = models.CharField(max_length=800, editable=False, default="")

    objects = FundingQuerySet.as_manager()

    class Meta:
        verbose_name = _("state-funded asset")
        verbose_name_plural = _("state-funded assets")
        ordering = ["-handed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} — {self.producer.name}"

    def get_absolute_url(self) -> str:
        from ocop.core.links import url_to

        return url_to("funding:asset_detail", self.pk)

    @classmethod
    def scope_filter(cls, scope: Scope) -> Q:
        own = _own_q(scope)
        return own if scope.nothing else own | scope.area_q("commune__")

    def delete(self, *args, **kwargs):
        raise ValidationError(_("A state-funded asset is never deleted: record its return or write-off."))
