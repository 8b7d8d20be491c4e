"""Rules as data: rule versions (the decision, its star bands, who recognises which star, certificate
validity, council rules) and their score sheets (part → criteria tree → options with fixed points).

A sheet is never edited once published: a correction is a new version of the sheet, so a scorecard
that used a sheet keeps pointing at exactly what its member saw.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ocop.core.links import url_to
from ocop.core.models import TimeStampedModel
from ocop.core.scope import Scope, ScopedModelMixin, ScopedQuerySet

from .choices import (
    ENTRY_OPEN_STATES,
    CouncilLevel,
    EntryState,
    EvaluationKind,
    MemberRole,
    Organisation,
    Recommendation,
    ResultState,
    ScorecardState,
    SessionMode,
    SessionState,
)


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
        from .scoring import stars_for

        return stars_for(self.star_bands, Decimal(str(score)))

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
    star_minimums = models.JSONField(
        _("minimum criteria per star"),
        default=list,
        blank=True,
        help_text=_(
            "A product may not receive a star unless each of its minimum criteria is met: "
            '[{"stars": 3, "criterion": "1.2", "min_points": 1}, …]'
        ),
    )
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
    code = models.CharField(pgettext_lazy("score sheet", "part"), max_length=5)
    title = models.CharField(pgettext_lazy("score sheet", "title"), max_length=255, blank=True)
    max_score = models.DecimalField(_("declared maximum"), max_digits=6, decimal_places=2)
    attainable = models.DecimalField(_("attainable maximum"), max_digits=6, decimal_places=2)

    class Meta:
        verbose_name = pgettext_lazy("score sheet", "part")
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
        SheetPart,
        on_delete=models.CASCADE,
        related_name="criteria",
        verbose_name=pgettext_lazy("score sheet", "part"),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=pgettext_lazy("criterion", "parent"),
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


# --- Councils, sessions, scorecards, results -----------------------------------------------------


def _member_of(user_id, council_lookup: str = "council") -> Q:
    """Rows whose council counts `user_id` among its active members."""
    if not user_id:
        return Q(pk__in=[])
    return Q(
        Exists(
            CouncilMember.objects.filter(council=OuterRef(council_lookup), user_id=user_id, is_active=True)
        )
    )


def _product_in(scope: Scope, lookup: str) -> Q:
    """Rows whose product is produced, or whose producer is registered, in the scope."""
    from ocop.registry.models import Product

    return Q(
        **{
            f"{lookup}__in": Product.objects.filter(
                scope.area_q("commune__") | scope.area_q("producer__commune__")
            )
        }
    )


class CouncilQuerySet(ScopedQuerySet):
    pass


class Council(ScopedModelMixin, TimeStampedModel):
    """An evaluation council (Hội đồng đánh giá, phân hạng sản phẩm OCOP), established by a decision
    and working under its regulation (quy chế), which sets the spread and quorum it applies."""

    scope_area_field = "area"

    name = models.CharField(_("name"), max_length=255)
    level = models.CharField(_("level"), max_length=10, choices=CouncilLevel.choices)
    area = models.ForeignKey(
        "geo.AdminUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="councils",
        verbose_name=_("area"),
        help_text=_("The province (or former district) the council serves; empty for the central council."),
    )
    decision_number = models.CharField(_("establishing decision"), max_length=60, blank=True)
    decision_date = models.DateField(_("date of the decision"), null=True, blank=True)
    decided_by = models.CharField(_("decided by"), max_length=200, blank=True)
    regulation_number = models.CharField(_("regulation (quy chế)"), max_length=60, blank=True)
    regulation_date = models.DateField(_("date of the regulation"), null=True, blank=True)
    max_spread = models.DecimalField(
        _("maximum spread between members' totals"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("As the council's regulation sets it; empty: the rule version's default."),
    )
    quorum = models.DecimalField(
        _("quorum (share of scoring members, chair included)"),
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("As the council's regulation sets it, e.g. 0.75; empty: the rule version's default."),
    )
    active_from = models.DateField(_("active from"), null=True, blank=True)
    active_to = models.DateField(_("active to"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    is_illustrative = models.BooleanField(_("illustrative (demo) record"), default=False)

    objects = CouncilQuerySet.as_manager()

    class Meta:
        verbose_name = _("council")
        verbose_name_plural = _("councils")
        ordering = ["-active_from", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return url_to("evaluation:council_detail", self.pk)

    @classmethod
    def scope_filter(cls, scope: Scope) -> Q:
        """Officers over the council's area, and the council's own members."""
        own = _member_of(scope.user_id, "pk")
        if scope.nothing:
            return own
        return own | scope.area_q("area__")

    def spread_for(self, rule: RuleVersion) -> Decimal:
        return self.max_spread if self.max_spread is not None else rule.council_max_spread

    def quorum_for(self, rule: RuleVersion) -> Decimal:
        return self.quorum if self.quorum is not None else rule.council_quorum


class CouncilMember(TimeStampedModel):
    council = models.ForeignKey(
        Council, on_delete=models.CASCADE, related_name="members", verbose_name=_("council")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="council_memberships",
        verbose_name=_("account"),
    )
    full_name = models.CharField(_("full name"), max_length=150)
    role = models.CharField(_("role in the council"), max_length=12, choices=MemberRole.choices)
    organisation = models.CharField(_("represents"), max_length=20, choices=Organisation.choices)
    position = models.CharField(_("position"), max_length=200, blank=True)
    scores = models.BooleanField(
        _("scores products"), default=True, help_text=_("A secretary who does not score is not counted.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("council member")
        verbose_name_plural = _("council members")
        ordering = ["council", "sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["council", "user"], name="evaluation_member_unique_user"),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.get_role_display()})"


class AdvisoryMember(TimeStampedModel):
    """A member of the council's advisory team (Tổ tư vấn)."""

    council = models.ForeignKey(
        Council, on_delete=models.CASCADE, related_name="advisors", verbose_name=_("council")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="advisory_memberships",
        verbose_name=_("account"),
    )
    full_name = models.CharField(_("full name"), max_length=150)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    is_leader = models.BooleanField(_("team leader"), default=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("advisory team member")
        verbose_name_plural = _("advisory team members")
        ordering = ["council", "-is_leader", "full_name"]

    def __str__(self) -> str:
        return self.full_name


class SessionQuerySet(ScopedQuerySet):
    pass


class EvaluationSession(ScopedModelMixin, TimeStampedModel):
    """One sitting of a council (or one round of written opinions) and the products it evaluates."""

    council = models.ForeignKey(
        Council, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("council")
    )
    name = models.CharField(_("name"), max_length=255)
    round_label = models.CharField(
        _("round"), max_length=100, blank=True, help_text=_("e.g. Round 1 of 2026")
    )
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=255, blank=True)
    mode = models.CharField(_("how the council decides"), max_length=10, choices=SessionMode.choices)
    rule_version = models.ForeignKey(
        RuleVersion,
        on_delete=models.PROTECT,
        related_name="sessions",
        verbose_name=_("rule version"),
        help_text=_("The rules in force on the session date."),
    )
    state = models.CharField(
        _("state"), max_length=10, choices=SessionState.choices, default=SessionState.PLANNED
    )
    opened_at = models.DateTimeField(_("scoring opened at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    is_illustrative = models.BooleanField(_("illustrative (demo) record"), default=False)

    objects = SessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("evaluation session")
        verbose_name_plural = _("evaluation sessions")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.date:%d/%m/%Y})"

    def get_absolute_url(self) -> str:
        return url_to("evaluation:session_detail", self.pk)

    @classmethod
    def scope_filter(cls, scope: Scope) -> Q:
        own = _member_of(scope.user_id, "council")
        if scope.nothing:
            return own
        return own | scope.area_q("council__area__")


class Attendance(models.Model):
    session = models.ForeignKey(
        EvaluationSession, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("session")
    )
    member = models.ForeignKey(
        CouncilMember, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("member")
    )
    present = models.BooleanField(_("present"), default=True)
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["session", "member"], name="evaluation_attendance_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.member.full_name}: {self.present}"


class SessionProductQuerySet(ScopedQuerySet):
    pass


class SessionProduct(ScopedModelMixin, TimeStampedModel):
    """A product (its dossier) assigned to a session, with the score sheet it is scored on."""

    session = models.ForeignKey(
        EvaluationSession, on_delete=models.PROTECT, related_name="entries", verbose_name=_("session")
    )
    product = models.ForeignKey(
        "registry.Product", on_delete=models.PROTECT, related_name="evaluations", verbose_name=_("product")
    )
    kind = models.CharField(_("kind of evaluation"), max_length=14, choices=EvaluationKind.choices)
    sheet = models.ForeignKey(
        ScoreSheet, on_delete=models.PROTECT, related_name="entries", verbose_name=_("score sheet")
    )
    number = models.PositiveSmallIntegerField(_("no."), default=0)
    state = models.CharField(
        _("state"), max_length=14, choices=EntryState.choices, default=EntryState.SCORING
    )
    disqualifier = models.TextField(_("ground for rejection"), blank=True)
    state_reason = models.TextField(_("reason"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )

    objects = SessionProductQuerySet.as_manager()

    class Meta:
        verbose_name = _("product in a session")
        verbose_name_plural = _("products in sessions")
        ordering = ["session", "number", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "product"], name="evaluation_entry_unique_product"),
        ]

    def __str__(self) -> str:
        return f"{self.product} — {self.session}"

    def get_absolute_url(self) -> str:
        return url_to("evaluation:entry_detail", self.pk)

    @classmethod
    def scope_filter(cls, scope: Scope) -> Q:
        """Officers over the council's area or the product's place; the council's members."""
        own = _member_of(scope.user_id, "session__council")
        if scope.nothing:
            return own
        return own | scope.area_q("session__council__area__") | _product_in(scope, "product")

    @property
    def is_open(self) -> bool:
        return self.state in ENTRY_OPEN_STATES


class ConflictOfInterest(models.Model):
    """A member's declaration that they cannot score a product (kinship, work, interest)."""

    entry = models.ForeignKey(
        SessionProduct, on_delete=models.CASCADE, related_name="conflicts", verbose_name=_("product")
    )
    member = models.ForeignKey(
        CouncilMember, on_delete=models.CASCADE, related_name="conflicts", verbose_name=_("member")
    )
    reason = models.CharField(_("reason"), max_length=500)
    declared_at = models.DateTimeField(_("declared at"), auto_now_add=True)

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        constraints = [
            models.UniqueConstraint(fields=["entry", "member"], name="evaluation_conflict_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.member.full_name}: {self.reason[:60]}"


class AdvisoryReview(TimeStampedModel):
    """The advisory team's review of one dossier (site survey, extra lab tests, report to the chair)."""

    entry = models.OneToOneField(
        SessionProduct, on_delete=models.CASCADE, related_name="review", verbose_name=_("product")
    )
    site_survey_date = models.DateField(_("site survey on"), null=True, blank=True)
    site_survey_findings = models.TextField(_("site survey findings"), blank=True)
    extra_tests_requested = models.TextField(_("extra laboratory tests requested"), blank=True)
    extra_tests_results = models.TextField(_("results of the extra tests"), blank=True)
    report = models.TextField(_("report to the chair"))
    recommendation = models.CharField(_("recommendation"), max_length=12, choices=Recommendation.choices)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        verbose_name = _("advisory review")
        verbose_name_plural = _("advisory reviews")


class Scorecard(TimeStampedModel):
    """One member's score sheet for one product. It keeps the sheet version it was filled on."""

    entry = models.ForeignKey(
        SessionProduct, on_delete=models.PROTECT, related_name="scorecards", verbose_name=_("product")
    )
    member = models.ForeignKey(
        CouncilMember, on_delete=models.PROTECT, related_name="scorecards", verbose_name=_("member")
    )
    sheet = models.ForeignKey(
        ScoreSheet, on_delete=models.PROTECT, related_name="scorecards", verbose_name=_("score sheet")
    )
    state = models.CharField(
        _("state"), max_length=10, choices=ScorecardState.choices, default=ScorecardState.DRAFT
    )
    total = models.DecimalField(_("total"), max_digits=6, decimal_places=2, default=Decimal(0))
    part_totals = models.JSONField(_("totals per part"), default=dict)
    answered = models.PositiveSmallIntegerField(_("criteria answered"), default=0)
    comment = models.TextField(_("general comment"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)

    class Meta:
        verbose_name = _("scorecard")
        verbose_name_plural = _("scorecards")
        ordering = ["entry", "member__sort_order", "member_id"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "member"], name="evaluation_scorecard_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.member.full_name} — {self.entry.product}"

    @property
    def is_submitted(self) -> bool:
        return self.state == ScorecardState.SUBMITTED


class Answer(models.Model):
    scorecard = models.ForeignKey(
        Scorecard, on_delete=models.CASCADE, related_name="answers", verbose_name=_("scorecard")
    )
    criterion = models.ForeignKey(
        Criterion, on_delete=models.PROTECT, related_name="+", verbose_name=_("criterion")
    )
    option = models.ForeignKey(
        CriterionOption,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("option"),
    )
    comment = models.CharField(_("comment"), max_length=1000, blank=True)
    evidence_url = models.URLField(_("evidence link"), max_length=500, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["scorecard", "criterion"], name="evaluation_answer_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion.code}: {self.option_id}"


class ResultQuerySet(ScopedQuerySet):
    pass


class EvaluationResult(ScopedModelMixin, TimeStampedModel):
    """What the council concluded for one product: computed when the chair closes the product and
    never recomputed afterwards (a newer criteria set changes nothing here)."""

    entry = models.OneToOneField(
        SessionProduct, on_delete=models.PROTECT, related_name="result", verbose_name=_("product in session")
    )
    product = models.ForeignKey(
        "registry.Product",
        on_delete=models.PROTECT,
        related_name="evaluation_results",
        verbose_name=_("product"),
    )
    rule_version = models.ForeignKey(
        RuleVersion, on_delete=models.PROTECT, related_name="results", verbose_name=_("rule version")
    )
    sheet = models.ForeignKey(
        ScoreSheet, on_delete=models.PROTECT, related_name="results", verbose_name=_("score sheet")
    )
    average = models.DecimalField(_("score"), max_digits=5, decimal_places=2, null=True, blank=True)
    part_averages = models.JSONField(_("average per part"), default=dict, blank=True)
    member_totals = models.JSONField(_("members' totals"), default=list, blank=True)
    spread = models.DecimalField(_("spread"), max_digits=5, decimal_places=2, null=True, blank=True)
    band_stars = models.PositiveSmallIntegerField(_("star band of the score"), null=True, blank=True)
    stars = models.PositiveSmallIntegerField(_("stars"), null=True, blank=True)
    minimum_failures = models.JSONField(_("minimum criteria not met"), default=list, blank=True)
    disqualified = models.BooleanField(_("rejected without scoring"), default=False)
    certifiable = models.BooleanField(_("gets a decision and certificate"), default=False)
    central_candidate = models.BooleanField(_("proposed for central evaluation"), default=False)
    recognising_level = models.CharField(_("recognised by"), max_length=10, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=ResultState.choices, default=ResultState.PROPOSED
    )
    decision_number = models.CharField(_("decision number"), max_length=60, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    decision_note = models.TextField(_("note on the decision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    decided_at = models.DateTimeField(_("recorded at"), null=True, blank=True)

    objects = ResultQuerySet.as_manager()

    class Meta:
        verbose_name = _("evaluation result")
        verbose_name_plural = _("evaluation results")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        stars = f"{self.stars}★" if self.stars else "—"
        return f"{self.product} — {stars}"

    def get_absolute_url(self) -> str:
        return url_to("evaluation:entry_detail", self.entry_id)

    def outcome_label(self) -> str:
        """What the council's result means for the product, in words."""
        from django.utils.translation import gettext

        if self.disqualified:
            return gettext("Rejected without scoring")
        if self.central_candidate:
            return gettext("Proposed to the ministry for 5★ evaluation")
        if self.certifiable:
            return gettext("Proposed for recognition as %(stars)s★") % {"stars": self.stars}
        return gettext("Not eligible for recognition (%(stars)s★)") % {"stars": self.stars}

    @classmethod
    def scope_filter(cls, scope: Scope) -> Q:
        """Officers over the product's place; the council's members."""
        own = _member_of(scope.user_id, "entry__session__council")
        if scope.nothing:
            return own
        return own | _product_in(scope, "product")
