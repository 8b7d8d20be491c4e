"""The annual OCOP cycle and the path of a product to evaluation.

A cycle (chu trình OCOP thường niên) per year and area holds its six steps and its evaluation
rounds. A product idea (phiếu đăng ký ý tưởng sản phẩm) goes to the commune; an accepted idea
becomes a business plan (phương án sản xuất kinh doanh); a product then files a dossier (hồ sơ
sản phẩm) of one of three kinds. A dossier in the system has the legal value of paper (Decision
26/2026 Điều 7.1): each filing seals a version — its content, self-assessment and evidence — which
is never changed again; any change afterwards is a new version.

Scope: ideas, plans and dossiers through their commune (and the producer's commune); producer
accounts see their own through `Producer.accounts`; cycles through their area, and the cycle of a
province is visible to the communes inside it.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ocop.core.models import TimeStampedModel
from ocop.core.scope import Scope, ScopedModelMixin, ScopedQuerySet
from ocop.evaluation.choices import EvaluationKind

from .choices import (
    DossierAction,
    DossierState,
    EvidenceKind,
    IdeaKind,
    IdeaOrigin,
    IdeaState,
    LegalPaper,
    PlanState,
    ReturnLevel,
    RoundLevel,
    StageState,
    Step,
)


def _ancestor_paths(scope: Scope) -> set[str]:
    """The paths of the units above each of the scope's areas ("2025/19/" above a commune)."""
    out = set()
    for path in scope.paths:
        parts = path.strip("/").split("/")
        for i in range(2, len(parts)):
            out.add("/".join(parts[:i]) + "/")
    return out


def _own_producer(user_id, lookup: str) -> Q:
    """Rows whose producer (reached through `lookup`) has `user_id` among its accounts."""
    from ocop.registry.models import Producer

    if not user_id:
        return Q(pk__in=[])
    return Q(Exists(Producer.accounts.through.objects.filter(producer=OuterRef(lookup), user=user_id)))


# --- the cycle -------------------------------------------------------------------------------------


class CycleQuerySet(ScopedQuerySet):
    pass


class ProgrammeCycle(ScopedModelMixin, TimeStampedModel):
    """One year's OCOP cycle in an area (a province, a commune; empty: the national cycle)."""

    year = models.PositiveSmallIntegerField(_("year"))
    area = models.ForeignKey(
        "geo.AdminUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ocop_cycles",
        verbose_name=_("area"),
        help_text=_("The province or commune; empty for the national cycle of the ministry."),
    )
    name = models.CharField(_("name"), max_length=255)
    rule_version = models.ForeignKey(
        "evaluation.RuleVersion",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("rule version"),
        help_text=_("The decision whose procedure and rounds the cycle follows."),
    )
    state = models.CharField(
        _("state"), max_length=10, choices=StageState.choices, default=StageState.PLANNED
    )
    started_on = models.DateField(_("started on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    plan_reference = models.CharField(
        _("plan (kế hoạch)"),
        max_length=200,
        blank=True,
        help_text=_("The plan that sets the cycle, e.g. 180/KH-UBND."),
    )
    notes = models.TextField(_("notes"), blank=True)

    objects = CycleQuerySet.as_manager()

    class Meta:
        verbose_name = _("OCOP cycle")
        verbose_name_plural = _("OCOP cycles")
        ordering = ["-year", "area__path"]
        constraints = [
            models.UniqueConstraint(fields=["year", "area"], name="programme_cycle_year_area"),
            models.UniqueConstraint(
                fields=["year"], condition=Q(area__isnull=True), name="programme_cycle_year_national"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("programme:cycle_detail", args=[self.pk])

    @classmethod
    def scope_filter(cls, scope: Scope) -> Q:
        """Cycles in the scope's areas, those of the areas above them, and the national cycle."""
        if scope.nothing:
            return Q(pk__in=[])
        q = scope.area_q("area__") | Q(area__isnull=True)
        above = _ancestor_paths(scope)
        if above:
            q |= Q(area__path__in=sorted(above))
        return q


class CycleStep(TimeStampedModel):
    cycle = models.ForeignKey(
        ProgrammeCycle, on_delete=models.CASCADE, related_name="steps", verbose_name=_("cycle")
    )
    step = models.CharField(_("step"), max_length=12, choices=Step.choices)
    order = models.PositiveSmallIntegerField(_("order"))
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    responsible = models.CharField(_("responsible unit"), max_length=255, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=StageState.choices, default=StageState.PLANNED
    )
    started_on = models.DateField(_("started on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("step of the cycle")
        verbose_name_plural = _("steps of the cycle")
        ordering = ["cycle", "order"]
        constraints = [models.UniqueConstraint(fields=["cycle", "step"], name="programme_step_unique")]

    def __str__(self) -> str:
        return f"{self.order}. {self.get_step_display()}"

    def is_overdue(self, day) -> bool:
        return self.state != StageState.CLOSED and self.planned_end is not None and day > self.planned_end


class EvaluationRound(TimeStampedModel):
    """An evaluation round (đợt đánh giá) of the cycle: the regular ones of the rule version, and
    extra ones the council's regulation provides for."""

    cycle = models.ForeignKey(
        ProgrammeCycle, on_delete=models.CASCADE, related_name="rounds", verbose_name=_("cycle")
    )
    level = models.CharField(_("level"), max_length=10, choices=RoundLevel.choices)
    number = models.PositiveSmallIntegerField(_("round"))
    name = models.CharField(_("name"), max_length=255)
    is_extra = models.BooleanField(_("extra round"), default=False)
    proposals_before = models.DateField(
        _("for dossiers proposed before"), help_text=_("The commune's (or the province's) proposal cut-off.")
    )
    evaluate_before = models.DateField(_("to be evaluated before"))
    basis = models.CharField(
        _("legal basis"),
        max_length=300,
        help_text=_(
            "The article of the decision, or the council regulation that provides for an extra round."
        ),
    )
    council = models.ForeignKey(
        "evaluation.Council",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("council"),
    )
    state = models.CharField(
        _("state"), max_length=10, choices=StageState.choices, default=StageState.PLANNED
    )
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("evaluation round")
        verbose_name_plural = _("evaluation rounds")
        ordering = ["cycle", "level", "evaluate_before", "number"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "level", "number"], name="programme_round_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def last_day(self):
        """The last day the round's evaluation may take place ("before 30/06": 29/06)."""
        import datetime as dt

        return self.evaluate_before - dt.timedelta(days=1)


# --- ideas and business plans -------------------------------------------------------------------


class IdeaQuerySet(ScopedQuerySet):
    pass


class ProductIdea(ScopedModelMixin, TimeStampedModel):
    """A product idea registration (phiếu đăng ký ý tưởng sản phẩm), filed with the commune."""

    cycle = models.ForeignKey(
        ProgrammeCycle,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ideas",
        verbose_name=_("cycle"),
    )
    commune = models.ForeignKey(
        "geo.AdminUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("commune")
    )
    producer = models.ForeignKey(
        "registry.Producer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ideas",
        verbose_name=_("producer"),
        help_text=_("Empty when the proposer is not yet a registered producer."),
    )
    proposer_name = models.CharField(_("proposed by"), max_length=200, blank=True)
    proposer_phone = models.CharField(_("phone"), max_length=20, blank=True)
    proposer_address = models.CharField(_("address"), max_length=255, blank=True)
    kind = models.CharField(_("kind of idea"), max_length=10, choices=IdeaKind.choices, default=IdeaKind.NEW)
    existing_product = models.ForeignKey(
        "registry.Product",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ideas",
        verbose_name=_("existing product"),
    )
    product_name = models.CharField(_("product name"), max_length=255)
    category = models.ForeignKey(
        "registry.ProductCategory",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("product set"),
    )
    description = models.TextField(
        _("the idea"), help_text=_("The product, what makes it special, who buys it.")
    )
    raw_materials = models.TextField(_("raw materials and where they come from"), blank=True)
    local_labour = models.TextField(_("local labour"), blank=True)
    market = models.TextField(_("market"), blank=True)
    state = models.CharField(_("state"), max_length=10, choices=IdeaState.choices, default=IdeaState.DRAFT)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    return_reason = models.TextField(_("reason"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("entered by")
    )
    search_folded = models.CharField(max_length=700, editable=False, default="")

    objects = IdeaQuerySet.as_manager()

    class Meta:
        verbose_name = _("product idea")
        verbose_name_plural = _("product ideas")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.product_name

    def get_absolute_url(self) -> str:
        return reverse("programme:idea_detail", args=[self.pk])

    @classmethod
    def scope_filter(cls, scope: Scope) -> Q:
        own = (
            (Q(filed_by=scope.user_id) | _own_producer(scope.user_id, "producer_id"))
            if scope.user_id
            else Q(pk__in=[])
        )
        if scope.nothing:
            return own
        return own | scope.area_q("commune__") | scope.area_q("producer__commune__")


class PlanQuerySet(ScopedQuerySet):
    pass


class BusinessPlan(ScopedModelMixin, TimeStampedModel):
    """A production and business plan (phương án / dự án sản xuất kinh doanh) for an idea."""

    idea = models.OneToOneField(
        ProductIdea,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan",
        verbose_name=_("idea"),
    )
    commune = models.ForeignKey(
        "geo.AdminUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("commune")
    )
    producer = models.ForeignKey(
        "registry.Producer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="business_plans",
        verbose_name=_("producer"),
    )
    product = models.ForeignKey(
        "registry.Product",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="business_plans",
        verbose_name=_("product"),
        help_text=_("Registered when the plan is accepted."),
    )
    title = models.CharField(pgettext_lazy("document", "title"), max_length=255)
    product_name = models.CharField(_("product name"), max_length=255)
    category = models.ForeignKey(
        "registry.ProductCategory",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("product set"),
    )
    summary = models.TextField(_("summary"), blank=True)
    raw_materials = models.TextField(_("raw materials"), blank=True)
    technology = models.TextField(_("technology and equipment"), blank=True)
    market_plan = models.TextField(_("market and sales"), blank=True)
    investment = models.DecimalField(
        _("investment (VND)"), max_digits=16, decimal_places=0, null=True, blank=True
    )
    funding = models.TextField(_("sources of funding"), blank=True)
    expected_output = models.CharField(_("expected output"), max_length=255, blank=True)
    expected_revenue = models.DecimalField(
        _("expected revenue a year (VND)"), max_digits=16, decimal_places=0, null=True, blank=True
    )
    start_on = models.DateField(_("from"), null=True, blank=True)
    end_on = models.DateField(_("until"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=PlanState.choices, default=PlanState.DRAFT)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    return_reason = models.TextField(_("reason"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("entered by")
    )
    search_folded = models.CharField(max_length=700, editable=False, default="")

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("business plan")
        verbose_name_plural = _("business plans")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("programme:plan_detail", args=[self.pk])

    @classmethod
    def scope_filter(cls, scope: Scope) -> Q:
        own = (
            (Q(filed_by=scope.user_id) | _own_producer(scope.user_id, "producer_id"))
            if scope.user_id
            else Q(pk__in=[])
        )
        if scope.nothing:
            return own
        return own | scope.area_q("commune__") | scope.area_q("producer__commune__")


def attachment_path(instance, filename: str) -> str:
    return f"programme/plans/{instance.plan_id}/{filename}"


def evidence_path(instance, filename: str) -> str:
    return f"programme/dossiers/{instance.version.dossier_id}/{filename}"


class StoredFileMixin(models.Model):
    """A checked upload: its type detected from the content, its size and SHA-256."""

    title = models.CharField(pgettext_lazy("document", "title"), max_length=255)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    content_type = models.CharField(_("type"), max_length=100, blank=True)
    size = models.PositiveIntegerField(_("size"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        abstract = True


class PlanAttachment(StoredFileMixin):
    plan = models.ForeignKey(
        BusinessPlan, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("business plan")
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.title


# --- dossiers ------------------------------------------------------------------------------------


class DossierQuerySet(ScopedQuerySet):
    pass


class Dossier(ScopedModelMixin, TimeStampedModel):
    """A product's dossier for one evaluation (hồ sơ sản phẩm) and where it stands."""

    code = models.CharField(_("dossier number"), max_length=30, unique=True, null=True, blank=True)
    product = models.ForeignKey(
        "registry.Product", on_delete=models.PROTECT, related_name="dossiers", verbose_name=_("product")
    )
    producer = models.ForeignKey(
        "registry.Producer", on_delete=models.PROTECT, related_name="dossiers", verbose_name=_("producer")
    )
    commune = models.ForeignKey(
        "geo.AdminUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("commune")
    )
    kind = models.CharField(_("kind of evaluation"), max_length=14, choices=EvaluationKind.choices)
    business_plan = models.ForeignKey(
        BusinessPlan,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dossiers",
        verbose_name=_("business plan"),
    )
    certificate = models.ForeignKey(
        "certification.Certificate",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="programme_dossiers",
        verbose_name=_("certificate"),
        help_text=_("For an upgrade or a re-evaluation: the certificate in force."),
    )
    previous = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started from"),
        help_text=_("The product's last accepted dossier, whose content this one reuses."),
    )
    state = models.CharField(
        _("state"), max_length=12, choices=DossierState.choices, default=DossierState.DRAFT
    )
    # The commune's step (Điều 7.2).
    received_on = models.DateField(_("received by the commune on"), null=True, blank=True)
    receipt_number = models.CharField(_("receipt number (commune)"), max_length=60, blank=True)
    commune_deadline = models.DateField(_("commune's deadline"), null=True, blank=True)
    samples_received = models.PositiveSmallIntegerField(_("samples received"), null=True, blank=True)
    samples_received_on = models.DateField(_("samples received on"), null=True, blank=True)
    proposed_on = models.DateField(_("proposed to the province on"), null=True, blank=True)
    # The province's step (Điều 7.3, 7.6).
    province_receipt_number = models.CharField(_("receipt number (province)"), max_length=60, blank=True)
    complete_on = models.DateField(_("found complete on"), null=True, blank=True)
    province_deadline = models.DateField(_("province's deadline"), null=True, blank=True)
    round = models.ForeignKey(
        EvaluationRound,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dossiers",
        verbose_name=_("evaluation round"),
    )
    entry = models.ForeignKey(
        "evaluation.SessionProduct",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="programme_dossiers",
        verbose_name=_("product in a council session"),
    )
    accepted_version = models.ForeignKey(
        "DossierVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted version"),
    )
    # The step currently expected and its deadline (for lists, filters and reminders).
    deadline = models.DateField(_("deadline"), null=True, blank=True, db_index=True)
    return_reason = models.TextField(_("reason for the return"), blank=True)
    returned_by = models.CharField(_("returned by"), max_length=10, choices=ReturnLevel.choices, blank=True)
    late_filing_basis = models.CharField(_("basis for filing outside the window"), max_length=300, blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("started by")
    )
    search_folded = models.CharField(max_length=900, editable=False, default="")

    objects = DossierQuerySet.as_manager()

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["state", "deadline"], name="programme_dossier_due")]

    def __str__(self) -> str:
        return f"{self.code} — {self.product}" if self.code else str(self.product)

    def get_absolute_url(self) -> str:
        return reverse("programme:dossier_detail", args=[self.pk])

    @classmethod
    def scope_filter(cls, scope: Scope) -> Q:
        """Where the product is made or its producer registered; producer accounts see their own."""
        own = _own_producer(scope.user_id, "producer_id")
        if scope.nothing:
            return own
        return own | scope.area_q("commune__") | scope.area_q("producer__commune__")

    def is_overdue(self, day) -> bool:
        from .choices import DOSSIER_RUNNING

        if self.state not in DOSSIER_RUNNING or self.deadline is None or day <= self.deadline:
            return False
        return not self.concluded

    @property
    def concluded(self) -> bool:
        """Has the council concluded on it (closed or rejected the product)?"""
        from ocop.evaluation.choices import EntryState

        entry = self.entry if self.entry_id else None
        return entry is not None and entry.state in (EntryState.CLOSED, EntryState.DISQUALIFIED)


class ImmutableVersion(ValidationError):
    pass


class DossierVersion(models.Model):
    """One version of a dossier's content. Once filed (`submitted_at`), it never changes."""

    dossier = models.ForeignKey(
        Dossier, on_delete=models.PROTECT, related_name="versions", verbose_name=_("dossier")
    )
    number = models.PositiveSmallIntegerField(_("version"))
    based_on = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("copied from"),
    )
    content = models.JSONField(_("content"), default=dict)
    assessment = models.JSONField(_("self-assessment"), default=dict, blank=True)
    sheet = models.ForeignKey(
        "evaluation.ScoreSheet",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("score sheet"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("started by")
    )
    created_at = models.DateTimeField(_("started at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("filed at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("filed by"),
    )
    checksum = models.CharField(_("checksum"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("dossier version")
        verbose_name_plural = _("dossier versions")
        ordering = ["dossier", "number"]
        constraints = [models.UniqueConstraint(fields=["dossier", "number"], name="programme_version_unique")]

    def __str__(self) -> str:
        return f"v{self.number}"

    @property
    def sealed(self) -> bool:
        return self.submitted_at is not None

    def save(self, *args, **kwargs):
        if self.pk and DossierVersion.objects.filter(pk=self.pk, submitted_at__isnull=False).exists():
            raise ImmutableVersion(_("A filed version never changes: start a new version."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableVersion(_("Dossier versions are never deleted."))


class DossierEvidence(StoredFileMixin):
    """A document of a version: evidence for a criterion, a legal paper, another attachment. A new
    version copies the references (the stored file is shared, never copied or removed)."""

    version = models.ForeignKey(
        DossierVersion, on_delete=models.PROTECT, related_name="evidence", verbose_name=_("version")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=EvidenceKind.choices)
    criterion_key = models.CharField(_("criterion"), max_length=30, blank=True)
    paper = models.CharField(_("legal paper"), max_length=24, choices=LegalPaper.choices, blank=True)
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=300, blank=True)
    url = models.URLField(_("link"), max_length=500, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    expires_on = models.DateField(_("valid until"), null=True, blank=True)
    inherited_from = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reused from"),
    )

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["version", "kind", "criterion_key", "pk"]

    def __str__(self) -> str:
        return self.title

    def _sealed(self) -> bool:
        return DossierVersion.objects.filter(pk=self.version_id, submitted_at__isnull=False).exists()

    def save(self, *args, **kwargs):
        if self._sealed():
            raise ImmutableVersion(_("A filed version never changes: start a new version."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self._sealed():
            raise ImmutableVersion(_("A filed version never changes: start a new version."))
        return super().delete(*args, **kwargs)


class CommuneReport(TimeStampedModel):
    """The commune's report (Mẫu 03) and its proposal letter to the province (Điều 7.2)."""

    dossier = models.OneToOneField(
        Dossier, on_delete=models.PROTECT, related_name="commune_report", verbose_name=_("dossier")
    )
    raw_materials = models.TextField(_("use of local raw materials"), blank=True)
    local_labour = models.TextField(_("use of local labour"), blank=True)
    idea_origin = models.CharField(
        _("origin of the product idea"), max_length=12, choices=IdeaOrigin.choices, blank=True
    )
    idea_origin_note = models.TextField(_("on the origin of the idea"), blank=True)
    local_identity = models.TextField(_("local identity and knowledge"), blank=True)
    meeting_held = models.BooleanField(_("the chair held a meeting with the units concerned"), default=False)
    report_number = models.CharField(_("report number"), max_length=60, blank=True)
    report_date = models.DateField(_("report date"), null=True, blank=True)
    letter_number = models.CharField(_("proposal letter number"), max_length=60, blank=True)
    letter_date = models.DateField(_("proposal letter date"), null=True, blank=True)
    signer_name = models.CharField(_("signed by"), max_length=150, blank=True)
    signer_title = models.CharField(_("signer's title"), max_length=150, blank=True)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("prepared by")
    )

    class Meta:
        verbose_name = _("commune report")
        verbose_name_plural = _("commune reports")

    def __str__(self) -> str:
        return self.report_number or str(self.dossier)


class DossierEvent(models.Model):
    """The dossier's path as its producer reads it: each move, by whom, and the reason."""

    dossier = models.ForeignKey(
        Dossier, on_delete=models.CASCADE, related_name="events", verbose_name=_("dossier")
    )
    version = models.ForeignKey(
        DossierVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("version"),
    )
    action = models.CharField(_("action"), max_length=16, choices=DossierAction.choices)
    from_state = models.CharField(
        pgettext_lazy("state", "from"), max_length=12, choices=DossierState.choices, blank=True
    )
    to_state = models.CharField(
        pgettext_lazy("state", "to"), max_length=12, choices=DossierState.choices, blank=True
    )
    reason = models.TextField(_("reason"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("dossier event")
        verbose_name_plural = _("dossier events")
        ordering = ["dossier", "at", "pk"]

    def __str__(self) -> str:
        return self.get_action_display()


class NumberSequence(models.Model):
    """Running numbers a unit keeps per year (receipt numbers of registration forms, dossier codes)."""

    kind = models.CharField(max_length=20)
    unit = models.ForeignKey(
        "geo.AdminUnit", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("number sequence")
        verbose_name_plural = _("number sequences")
        constraints = [
            models.UniqueConstraint(fields=["kind", "unit", "year"], name="programme_sequence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.unit_id} {self.year}: {self.last}"
