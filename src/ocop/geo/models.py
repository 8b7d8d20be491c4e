"""Places: the effective-dated tree of Vietnam's administrative units.

Two editions live side by side: the legacy map (63 provinces with their districts and
communes, valid until 30/06/2025) and the map from 01/07/2025 (34 provinces, communes directly
under them). `UnitSuccession` maps each legacy unit forward. Records keep the unit they were
made in; scope and reports reach them through `current_path`, the path of the unit's current
successor.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Case, Q, Value, When
from django.utils.translation import gettext_lazy as _

from ocop.core.scope import ScopedModelMixin, ScopedQuerySet
from ocop.core.text import fold_words, search_q, search_text

from .choices import Edition, Kind, Level


class AdminUnitQuerySet(ScopedQuerySet):
    def valid_on(self, day: dt.date):
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_to__isnull=True) | Q(valid_to__gte=day),
        )

    def current(self):
        from django.utils import timezone

        return self.valid_on(timezone.localdate())

    def search(self, query: str):
        """Units whose name, code or parent's name contain every word of `query` (diacritics
        optional), those whose own name matches first (order with `.ranked()`)."""
        if not fold_words(query):  # nothing searchable (e.g. only punctuation): no filter, no rank
            return self.annotate(name_rank=Value(1))
        return self.filter(search_q("search_folded", query)).annotate(
            name_rank=Case(When(search_q("name_folded", query), then=Value(0)), default=Value(1))
        )

    def ranked(self):
        return self.order_by("name_rank", "level", "name", "path")

    def subtree(self, unit: AdminUnit, include_self: bool = True):
        qs = self.filter(path__startswith=unit.path)
        return qs if include_self else qs.exclude(pk=unit.pk)


class AdminUnit(ScopedModelMixin, models.Model):
    # Places are reference data: every signed-in user may read them; only global
    # administrators change them (through `ocop load-units`).
    scope_area_field = ""

    code = models.CharField(_("code"), max_length=10)
    name = models.CharField(_("name"), max_length=150)
    short_name = models.CharField(_("short name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    edition = models.CharField(_("edition"), max_length=10, choices=Edition.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    path = models.CharField(_("path"), max_length=64, unique=True)
    current_path = models.CharField(
        _("current path"),
        max_length=64,
        blank=True,
        help_text=_("Path of the unit that succeeds this one today (its own path if it is current)."),
    )
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    area_km2 = models.DecimalField(_("area (km²)"), max_digits=10, decimal_places=2, null=True, blank=True)
    source_key = models.CharField(_("source key"), max_length=150, blank=True, db_index=True)
    name_folded = models.CharField(max_length=150, editable=False, db_index=True)
    search_folded = models.CharField(max_length=400, editable=False)

    objects = AdminUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "level", "code"], name="geo_unit_unique_code"),
        ]
        indexes = [
            models.Index(fields=["edition", "level"], name="geo_unit_edition_level"),
            models.Index(fields=["current_path"], name="geo_unit_current_path"),
            # Scopes and area filters test `current_path LIKE '2025/19/%'`: on PostgreSQL a prefix
            # LIKE needs the pattern operator class (ignored elsewhere). make bench: 4 ms → 0.2 ms
            # per scoped query.
            models.Index(
                fields=["current_path"], name="geo_unit_current_path_like", opclasses=["varchar_pattern_ops"]
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name_folded = search_text(self.name)
        self.search_folded = search_text(self.name, self.code, self.parent.name if self.parent_id else "")
        super().save(*args, **kwargs)

    @property
    def is_legacy(self) -> bool:
        return self.edition == Edition.LEGACY

    def is_valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or self.valid_to >= day
        )

    def ancestors(self) -> list[AdminUnit]:
        """Ancestors from the province down, in one query."""
        parts = self.path.strip("/").split("/")
        prefixes = ["/".join(parts[:i]) + "/" for i in range(2, len(parts))]
        by_path = {u.path: u for u in AdminUnit.objects.filter(path__in=prefixes)}
        return [by_path[p] for p in prefixes if p in by_path]

    @property
    def province_code(self) -> str:
        return self.path.strip("/").split("/")[1]

    def get_absolute_url(self) -> str:
        from ocop.core.links import url_to

        return url_to("geo:unit_detail", self.pk)


class UnitSuccession(models.Model):
    """A legacy unit (predecessor) continued, wholly or in part, by a unit of a later edition."""

    predecessor = models.ForeignKey(
        AdminUnit, on_delete=models.CASCADE, related_name="successions", verbose_name=_("predecessor")
    )
    successor = models.ForeignKey(
        AdminUnit, on_delete=models.CASCADE, related_name="predecessions", verbose_name=_("successor")
    )
    effective_date = models.DateField(_("effective date"))
    is_default = models.BooleanField(
        _("main successor"),
        default=True,
        help_text=_("Where a unit was divided, the successor its records move to by default."),
    )
    partial = models.BooleanField(
        _("part only"), default=False, help_text=_("Only part of the unit went here.")
    )
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("unit succession")
        verbose_name_plural = _("unit successions")
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="geo_succession_unique"),
        ]
        ordering = ["predecessor__path", "-is_default", "successor__path"]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor}"
