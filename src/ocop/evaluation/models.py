"""Rules as data: rule versions (the decision, its star bands, who recognises which star, certificate
validity, council rules) and their score sheets (part → criteria tree → options with fixed points).

A sheet is never edited once published: a correction is a new version of the sheet, so a scorecard
that used a sheet keeps pointing at exactly what its member saw.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class RuleVersion(models.Model):
    """One legal instrument's evaluation rules (1048/2019, 148/2023, 26/2026 …)."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=255)
    decision = models.CharField(_("legal instrument"), max_length=100)
    decision_date = models.DateField(_("date of the instrument"))
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective to"), null=True, blank=True)
    part_maxima = models.JSONField(_("maximum per part"), help_text=_('e.g. {"A": 40, "B": 25, "C": 35}'))
    star_bands = models.JSONField(
        _("star bands"), help_text=_('Lowest score of each star, e.g. [{"stars": 5, "min": 90}, …]')
    )
    certified_stars = models.JSONField(_("stars that get a decision and certificate"), default=list)
    province_stars = models.JSONField(_("stars recognised by the province"), default=list)
    ministry_stars = models.JSONField(_("stars recognised by the ministry"), default=list)
    ministry_min_province_score = models.DecimalField(
        _("province score needed to go to the ministry"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
    )
    certificate_months = models.PositiveSmallIntegerField(_("certificate validity (months)"), default=36)
    council_max_spread = models.DecimalField(
        _("default maximum spread between members' totals"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(10),
    )
    council_quorum = models.DecimalField(
        _("default quorum (share of members, chair included)"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("0.75"),
    )
    category_scheme = models.ForeignKey(
        "registry.CategoryScheme",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rule_versions",
        verbose_name=_("product classification"),
    )
    source = models.TextField(_("source"), blank=True)

    class Meta:
        verbose_name = _("rule version")
        verbose_name_plural = _("rule versions")
        ordering = ["-effective_from"]

    def __str__(self) -> str:
        return self.decision

    def stars_for(self, score: Decimal | float | int) -> int:
        """The star band a total falls in: the highest band whose lowest score it reaches."""
        score = Decimal(str(score))
        for band in sorted(self.star_bands, key=lambda b: -b["min"]):
            if score >= Decimal(str(band["min"])):
                return int(band["stars"])
        return 0

    @property
    def total_max(self) -> Decimal:
        return sum((Decimal(str(v)) for v in self.part_maxima.values()), Decimal(0))


class ScoreSheet(models.Model):
    """The score sheet (phiếu đánh giá) of one product set under one rule version."""

    rule_version = models.ForeignKey(
        RuleVersion, on_delete=models.PROTECT, related_name="sheets", verbose_name=_("rule version")
    )
    code = models.SlugField(_("code"), max_length=60)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    name = models.CharField(_("product set"), max_length=300)
    product_set = models.ForeignKey(
        "registry.ProductCategory",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="score_sheets",
        verbose_name=_("product set"),
    )
    disqualifiers = models.JSONField(_("grounds for rejecting a dossier"), default=list, blank=True)
    discrepancies = models.JSONField(
        _("discrepancies"),
        default=list,
        blank=True,
        help_text=_("Differences between the sheet's declared and attainable maxima, kept as found."),
    )
    published_at = models.DateTimeField(_("published at"), auto_now_add=True)
    superseded_by = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("superseded by"),
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    checksum = models.CharField(max_length=64, editable=False)

    class Meta:
        verbose_name = _("score sheet")
        verbose_name_plural = _("score sheets")
        ordering = ["rule_version", "product_set__sort_order", "code", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule_version", "code", "version"], name="evaluation_sheet_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.rule_version}, v{self.version})"


class SheetPart(models.Model):
    sheet = models.ForeignKey(
        ScoreSheet, on_delete=models.CASCADE, related_name="parts", verbose_name=_("score sheet")
    )
    code = models.CharField(_("part"), max_length=5)
    title = models.CharField(_("title"), max_length=255, blank=True)
    max_score = models.DecimalField(_("declared maximum"), max_digits=6, decimal_places=2)
    attainable = models.DecimalField(_("attainable maximum"), max_digits=6, decimal_places=2)

    class Meta:
        verbose_name = _("part")
        verbose_name_plural = _("parts")
        ordering = ["sheet", "code"]
        constraints = [models.UniqueConstraint(fields=["sheet", "code"], name="evaluation_part_unique")]

    def __str__(self) -> str:
        return f"{self.code}. {self.title}"


class Criterion(models.Model):
    sheet = models.ForeignKey(
        ScoreSheet, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("score sheet")
    )
    part = models.ForeignKey(
        SheetPart, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("part")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    code = models.CharField(_("number"), max_length=20)
    label = models.TextField(_("criterion"))
    max_score = models.DecimalField(_("maximum"), max_digits=6, decimal_places=2)
    requirement_note = models.TextField(_("requirement"), blank=True)
    is_scorable = models.BooleanField(
        _("scored"), default=False, help_text=_("A scored criterion takes exactly one of its options.")
    )
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["sheet", "sort_order"]

    def __str__(self) -> str:
        return f"{self.code} {self.label[:80]}"


class CriterionOption(models.Model):
    criterion = models.ForeignKey(
        Criterion, on_delete=models.CASCADE, related_name="options", verbose_name=_("criterion")
    )
    label = models.TextField(_("option"))
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("option")
        verbose_name_plural = _("options")
        ordering = ["criterion", "sort_order"]

    def __str__(self) -> str:
        return f"{self.label[:80]} ({self.points})"
