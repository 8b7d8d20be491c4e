"""Summary rows read by the dashboards, and the periodic reports.

Dashboards never aggregate raw records per page view: they read the rows below, rebuilt per
(current) province by `ocop.reporting.summaries.rebuild` after every audited write (debounced to
once per transaction) or by `ocop rebuild-summaries`. Any area is then summed from the rows of
the units it contains with `ocop.geo.selectors.within(area, "unit__")`, by legacy or current
units. Rows are reference-free counts (no names), so showing them never leaks a record; the
dashboard still limits the areas a user may pick to their scope.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils.functional import LazyObject
from django.utils.translation import gettext_lazy as _

from ocop.core.models import TimeStampedModel
from ocop.core.scope import ScopedModelMixin, ScopedQuerySet


class SummaryState(models.Model):
    """When the summary of one current province was last rebuilt, and for which days."""

    province = models.OneToOneField(
        "geo.AdminUnit", on_delete=models.CASCADE, related_name="+", verbose_name=_("province")
    )
    built_at = models.DateTimeField(_("built at"), null=True, blank=True)
    built_for = models.DateField(_("built for the day"), null=True, blank=True)
    days = models.JSONField(_("days summarised"), default=list)
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("summary state")
        verbose_name_plural = _("summary states")

    def __str__(self) -> str:
        return f"{self.province} @ {self.built_at}"

    @property
    def day_list(self) -> list[dt.date]:
        return [dt.date.fromisoformat(d) for d in self.days]


class ProductFigure(models.Model):
    """Products with a certificate valid on `day`, in one commune-level unit (the product's own,
    legacy or current), of one product set, at one star (their highest valid certificate)."""

    province = models.ForeignKey("geo.AdminUnit", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    unit = models.ForeignKey("geo.AdminUnit", on_delete=models.CASCADE, related_name="+")
    category = models.ForeignKey("registry.ProductCategory", on_delete=models.CASCADE, related_name="+")
    stars = models.PositiveSmallIntegerField()
    products = models.PositiveIntegerField()
    producers = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["province", "day"], name="reporting_pf_day"),
            # The whole country's dashboard reads one day of every province.
            models.Index(fields=["day"], name="reporting_pf_day_all"),
        ]

    def __str__(self) -> str:
        return f"{self.day}: {self.products} × {self.stars}★"


class UnitFigure(models.Model):
    """Today's counts of one kind in one unit: certificates ending within
    OCOP_DASHBOARD_EXPIRING_DAYS, open dossiers by state (unit = the dossier's commune), open
    evaluation sessions by state (unit = the council's area)."""

    class Key(models.TextChoices):
        EXPIRING = "certificates_expiring", _("Certificates ending soon")
        DOSSIER = "dossiers", _("Open dossiers")
        SESSION = "sessions", _("Open evaluation sessions")

    province = models.ForeignKey("geo.AdminUnit", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("geo.AdminUnit", on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=30, choices=Key.choices)
    state = models.CharField(max_length=20, blank=True)
    value = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["province", "key"], name="reporting_uf_key")]

    def __str__(self) -> str:
        return f"{self.key} {self.state}: {self.value}"


class CounterFigure(models.Model):
    """A registered indicator counter (activities, quality, funding) for one area, over the year
    to `day` (01/01 to `day`), computed when the province is rebuilt."""

    province = models.ForeignKey("geo.AdminUnit", on_delete=models.CASCADE, related_name="+")
    area = models.ForeignKey("geo.AdminUnit", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    code = models.CharField(max_length=60)
    value = models.DecimalField(max_digits=20, decimal_places=2)

    class Meta:
        indexes = [models.Index(fields=["area", "day"], name="reporting_cf_area_day")]

    def __str__(self) -> str:
        return f"{self.code} {self.day}: {self.value}"


class TargetFigure(models.Model):
    """A target of a plan in force (planning.selectors.progress) on the day of the rebuild."""

    province = models.ForeignKey("geo.AdminUnit", on_delete=models.CASCADE, related_name="+")
    plan_ref = models.PositiveIntegerField()
    plan_label = models.CharField(max_length=600)
    plan_area_path = models.CharField(max_length=64)
    order = models.PositiveIntegerField()
    area = models.ForeignKey("geo.AdminUnit", on_delete=models.CASCADE, related_name="+")
    indicator_code = models.CharField(max_length=60)
    indicator_name = models.CharField(max_length=500)
    target = models.DecimalField(max_digits=20, decimal_places=2)
    actual = models.DecimalField(max_digits=20, decimal_places=2, null=True)
    expected = models.DecimalField(max_digits=20, decimal_places=2, null=True)
    ratio = models.DecimalField(max_digits=12, decimal_places=4, null=True)
    light = models.CharField(max_length=10)
    records_url = models.CharField(max_length=1000, blank=True)

    def __str__(self) -> str:
        return f"{self.indicator_code} {self.area_id}: {self.actual}/{self.target}"


# --- periodic reports -----------------------------------------------------------------------------


class ReportKind(models.TextChoices):
    QUARTERLY = "quarterly", _("Quarterly report")
    SIX_MONTH = "six_month", _("Six-month report")
    ANNUAL = "annual", _("Annual report")
    REVIEW = "review", _("Review report (sơ kết / tổng kết)")


class ReportState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class _ReportStorage(LazyObject):
    def _setup(self):
        self._wrapped = FileSystemStorage(location=str(reports_dir()))


def reports_dir() -> Path:
    """Where generated reports are kept (OCOP_REPORTS_DIR, default var/reports): private, never
    under MEDIA_ROOT; files are streamed by a scoped view."""
    configured = getattr(settings, "OCOP_REPORTS_DIR", "")
    return Path(configured) if configured else Path(settings.VAR_DIR) / "reports"


report_storage = _ReportStorage()


def get_report_storage():
    """The storage of report files, as a callable so that migrations don't record a path."""
    return report_storage


class ReportQuerySet(ScopedQuerySet):
    pass


class Report(ScopedModelMixin, TimeStampedModel):
    scope_area_field = "area"

    kind = models.CharField(_("kind"), max_length=12, choices=ReportKind.choices)
    title = models.CharField(_("title"), max_length=300)
    area = models.ForeignKey(
        "geo.AdminUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("area")
    )
    start = models.DateField(_("period from"))
    end = models.DateField(_("period to"))
    plan_id_ref = models.PositiveIntegerField(_("plan"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    state = models.CharField(
        _("state"), max_length=10, choices=ReportState.choices, default=ReportState.QUEUED
    )
    task = models.ForeignKey(
        "core.TaskProgress", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    generated_at = models.DateTimeField(_("generated at"), null=True, blank=True)
    docx = models.FileField(storage=get_report_storage, blank=True)
    xlsx = models.FileField(storage=get_report_storage, blank=True)
    pdf = models.FileField(storage=get_report_storage, blank=True)
    error = models.TextField(blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from ocop.core.links import url_to

        return url_to("reporting:report_detail", self.pk)
