"""Plans (kế hoạch, nghị quyết, chỉ thị) with their targets per area and their tasks, and the
indicator library.

An `Indicator` (data, loaded from `data/indicators.json` after every migrate) is either *counted*
from the records (a counter registered in `indicators.py` by the app that owns the records) or
*entered by hand* (`EnteredValue`, with who entered it). A `Target` is a plan's figure for one
indicator in one area: the plan's area or a unit inside it (a former district of a legacy province,
a commune). Actual ÷ target is computed when shown (`selectors.progress`), never stored.

Scope: a plan through its area — and also for the users of an area one of its targets names (they
see the rows of their area only). Entered values through their area.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from ocop.core.links import url_to
from ocop.core.models import TimeStampedModel
from ocop.core.scope import Scope, ScopedModelMixin, ScopedQuerySet

from .choices import Aggregation, Method, PlanKind, PlanState, TaskStatus, UnitKind


class Indicator(models.Model):
    """One indicator of the library (reference data: every signed-in user may read it)."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=255)
    unit = models.CharField(_("unit"), max_length=10, choices=UnitKind.choices, default=UnitKind.COUNT)
    definition = models.TextField(_("definition"), blank=True)
    method = models.CharField(_("method"), max_length=10, choices=Method.choices, default=Method.COUNTED)
    counted_by = models.CharField(
        _("counted by (app)"),
        max_length=30,
        blank=True,
        help_text=_("The app whose counter counts it; empty for an indicator entered by hand."),
    )
    aggregation = models.CharField(
        _("how areas aggregate"), max_length=6, choices=Aggregation.choices, default=Aggregation.SUM
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_counted(self) -> bool:
        return self.method == Method.COUNTED

    @property
    def pro_rata(self) -> bool:
        """Whether the expected figure grows with the time elapsed (not for shares)."""
        return self.unit != UnitKind.PERCENT and self.aggregation == Aggregation.SUM


class PlanQuerySet(ScopedQuerySet):
    pass


class Plan(ScopedModelMixin, TimeStampedModel):
    scope_area_field = "area"

    kind = models.CharField(_("kind"), max_length=12, choices=PlanKind.choices, default=PlanKind.PLAN)
    number = models.CharField(_("number"), max_length=60)
    title = models.CharField(_("title"), max_length=500)
    issuing_body = models.CharField(_("issuing body"), max_length=255)
    issued_on = models.DateField(_("issued on"))
    signer = models.CharField(_("signed by"), max_length=150, blank=True)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    area = models.ForeignKey(
        "geo.AdminUnit",
        on_delete=models.PROTECT,
        related_name="ocop_plans",
        verbose_name=_("area"),
        help_text=_("The province (current or former), district or commune the plan covers."),
    )
    legal_bases = models.TextField(_("legal bases"), blank=True, help_text=_("One per line."))
    state = models.CharField(_("state"), max_length=10, choices=PlanState.choices, default=PlanState.DRAFT)
    note = models.TextField(_("note"), blank=True)
    is_illustrative = models.BooleanField(_("illustrative (demo) record"), default=False)
    search_folded = models.CharField(max_length=900, editable=False, default="")

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["-issued_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.number} — {self.title}" if self.number else self.title

    def get_absolute_url(self) -> str:
        return url_to("planning:plan_detail", self.pk)

    @classmethod
    def scope_filter(cls, scope: Scope) -> Q:
        """Plans of the scope's areas, and plans one of whose targets names an area in scope."""
        if scope.nothing:
            return Q(pk__in=[])
        return scope.area_q("area__") | Q(
            Exists(Target.objects.filter(plan=OuterRef("pk")).filter(scope.area_q("area__")))
        )

    @property
    def legal_basis_list(self) -> list[str]:
        return [line.strip() for line in self.legal_bases.splitlines() if line.strip()]

    @property
    def years(self) -> str:
        a, b = self.period_start.year, self.period_end.year
        return str(a) if a == b else f"{a}–{b}"


class Target(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="targets", verbose_name=_("plan"))
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="targets", verbose_name=_("indicator")
    )
    area = models.ForeignKey(
        "geo.AdminUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("area")
    )
    value = models.DecimalField(
        _("target"), max_digits=16, decimal_places=2, validators=[MinValueValidator(0)]
    )

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["plan", "indicator__order", "area__path"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "indicator", "area"], name="planning_target_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} — {self.area}: {self.value}"


class PlanTask(TimeStampedModel):
    """A task (nội dung, nhiệm vụ) of the plan with the units responsible for it."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("plan"))
    number = models.CharField(_("number"), max_length=20, blank=True)
    title = models.CharField(_("title"), max_length=500)
    content = models.TextField(_("content"), blank=True)
    responsible = models.CharField(_("responsible unit"), max_length=500)
    coordinating = models.TextField(_("coordinating units"), blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED
    )
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["plan", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}" if self.number else self.title

    def get_absolute_url(self) -> str:
        return url_to("planning:plan_detail", self.plan_id) + f"#task-{self.pk}"

    def is_overdue(self, day: dt.date) -> bool:
        """Past its deadline and neither done nor cancelled (computed, never stored)."""
        return (
            self.deadline is not None
            and day > self.deadline
            and self.status not in (TaskStatus.DONE, TaskStatus.CANCELLED)
        )


class TaskReport(models.Model):
    task = models.ForeignKey(
        PlanTask, on_delete=models.CASCADE, related_name="reports", verbose_name=_("task")
    )
    date = models.DateField(_("date"))
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    text = models.TextField(_("report"))
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("reported by")
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.task}: {self.progress}% ({self.date:%d/%m/%Y})"


class EnteredValueQuerySet(ScopedQuerySet):
    pass


class EnteredValue(ScopedModelMixin, models.Model):
    """A figure entered by hand for an indicator that is not counted from the data."""

    scope_area_field = "area"

    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="entered_values", verbose_name=_("indicator")
    )
    area = models.ForeignKey(
        "geo.AdminUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("area")
    )
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=2)
    note = models.CharField(_("note"), max_length=500, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("entered by")
    )
    entered_at = models.DateTimeField(_("entered at"), auto_now_add=True)

    objects = EnteredValueQuerySet.as_manager()

    class Meta:
        verbose_name = _("entered value")
        verbose_name_plural = _("entered values")
        ordering = ["-period_end", "-pk"]

    def __str__(self) -> str:
        return f"{self.indicator} — {self.area}: {self.value}"
