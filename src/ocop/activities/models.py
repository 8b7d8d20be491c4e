"""Programme activities: trade promotion (events and the producers taking part), OCOP sales points
and their assessments against the Ministry of Industry and Trade's criteria, training courses and
their attendees, outreach articles.

Every record names its area (the province or commune it belongs to: the scope) and the body
responsible for it (text; the plans assign trade promotion and sales points to the Department of
Industry and Trade, training to the coordination office, outreach to the party and mass
organisations). Child records (participations, attendees, assessments) follow their parent's area.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ocop.core.links import url_to
from ocop.core.models import TimeStampedModel
from ocop.core.scope import ScopedModelMixin, ScopedQuerySet

from .choices import (
    AttendeeKind,
    Audience,
    CourseLevel,
    EventKind,
    EventPlace,
    OutletKind,
    SalesPointKind,
)


class ActivityQuerySet(ScopedQuerySet):
    pass


class ActivityRecord(ScopedModelMixin, TimeStampedModel):
    """What every activity record has: its area (scope), the responsible body, the demo flag."""

    scope_area_field = "area"

    area = models.ForeignKey(
        "geo.AdminUnit",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("area"),
        help_text=_("The province or commune the record belongs to."),
    )
    responsible_unit = models.CharField(
        _("responsible unit"), max_length=255, help_text=_("The body in charge, e.g. Sở Công Thương.")
    )
    notes = models.TextField(_("notes"), blank=True)
    is_illustrative = models.BooleanField(
        _("illustrative (demo) record"),
        default=False,
        help_text=_("Made up to complete the demo dataset; never an official record."),
    )
    search_folded = models.CharField(max_length=900, editable=False, blank=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        abstract = True


# --- trade promotion -------------------------------------------------------------------------------


class PromotionEvent(ActivityRecord):
    """A fair, exhibition, trade-connection conference or OCOP week."""

    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=12, choices=EventKind.choices)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("to"))
    place = models.CharField(_("held"), max_length=8, choices=EventPlace.choices, default=EventPlace.INSIDE)
    venue = models.CharField(_("venue"), max_length=255, help_text=_("Address, city; the country if abroad."))
    organiser = models.CharField(_("organiser"), max_length=255)
    budget = models.DecimalField(
        _("budget (VND)"),
        max_digits=16,
        decimal_places=0,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )

    class Meta:
        verbose_name = _("promotion event")
        verbose_name_plural = _("promotion events")
        ordering = ["-start_date", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return url_to("activities:event_detail", self.pk)


class EventParticipation(TimeStampedModel):
    """A producer taking part in an event: the products shown, booth support, results."""

    event = models.ForeignKey(
        PromotionEvent, on_delete=models.CASCADE, related_name="participations", verbose_name=_("event")
    )
    producer = models.ForeignKey(
        "registry.Producer",
        on_delete=models.PROTECT,
        related_name="event_participations",
        verbose_name=_("producer"),
    )
    products = models.ManyToManyField(
        "registry.Product", blank=True, related_name="event_participations", verbose_name=_("products shown")
    )
    booth_support = models.CharField(
        _("booth support received"), max_length=255, blank=True, help_text=_("E.g. free booth, transport.")
    )
    support_amount = models.DecimalField(
        _("support (VND)"),
        max_digits=16,
        decimal_places=0,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    sales_amount = models.DecimalField(
        _("sales (VND)"),
        max_digits=16,
        decimal_places=0,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    contracts_signed = models.PositiveIntegerField(_("contracts signed"), default=0)
    contracts_value = models.DecimalField(
        _("value of contracts (VND)"),
        max_digits=16,
        decimal_places=0,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("participation in a promotion event")
        verbose_name_plural = _("participations in promotion events")
        ordering = ["event", "producer__name"]
        constraints = [
            models.UniqueConstraint(fields=["event", "producer"], name="activities_participation_unique")
        ]

    def __str__(self) -> str:
        return f"{self.producer} — {self.event}"

    def get_absolute_url(self) -> str:
        return self.event.get_absolute_url()


# --- sales points ----------------------------------------------------------------------------------


class SalesPoint(ActivityRecord):
    """An OCOP sales point or showroom (điểm giới thiệu và bán sản phẩm OCOP)."""

    name = models.CharField(_("name"), max_length=255)
    location_kind = models.CharField(_("location"), max_length=16, choices=SalesPointKind.choices)
    address = models.CharField(_("address"), max_length=255)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    operator = models.CharField(_("operator"), max_length=255)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    opened_on = models.DateField(_("opened on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    products = models.ManyToManyField(
        "registry.Product", blank=True, related_name="sales_points", verbose_name=_("products carried")
    )
    published = models.BooleanField(
        _("shown on the public catalogue"),
        default=True,
        help_text=_("Show the point under “where to buy” of the products it carries."),
    )

    class Meta:
        verbose_name = _("OCOP sales point")
        verbose_name_plural = _("OCOP sales points")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return url_to("activities:salespoint_detail", self.pk)

    def is_open_on(self, day) -> bool:
        return self.opened_on <= day and (self.closed_on is None or self.closed_on > day)


class SalesPointAssessment(TimeStampedModel):
    """A check of a sales point against one version of the ministry's criteria (answers per item)."""

    sales_point = models.ForeignKey(
        SalesPoint, on_delete=models.CASCADE, related_name="assessments", verbose_name=_("sales point")
    )
    checklist_version = models.CharField(_("criteria version"), max_length=40)
    assessed_on = models.DateField(_("assessed on"))
    assessor = models.CharField(_("assessed by"), max_length=255, blank=True)
    answers = models.JSONField(_("answers"), default=dict)
    meets_criteria = models.BooleanField(_("meets the criteria"), default=False)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("sales point assessment")
        verbose_name_plural = _("sales point assessments")
        ordering = ["sales_point", "-assessed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.sales_point} — {self.assessed_on:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return self.sales_point.get_absolute_url()


# --- training --------------------------------------------------------------------------------------


class TrainingCourse(ActivityRecord):
    """A course for officials (province, commune) or producers."""

    title = models.CharField(_("title"), max_length=255)
    topic = models.CharField(_("topic"), max_length=255)
    audience = models.CharField(_("for"), max_length=10, choices=Audience.choices)
    level = models.CharField(_("level"), max_length=10, choices=CourseLevel.choices)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("to"))
    organiser = models.CharField(_("organiser"), max_length=255)
    funding = models.CharField(_("funding source"), max_length=255, blank=True)
    funding_amount = models.DecimalField(
        _("funding (VND)"),
        max_digits=16,
        decimal_places=0,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    materials = models.TextField(_("materials"), blank=True, help_text=_("Titles or links of the materials."))

    class Meta:
        verbose_name = _("training course")
        verbose_name_plural = _("training courses")
        ordering = ["-start_date", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return url_to("activities:course_detail", self.pk)


class CourseAttendee(TimeStampedModel):
    """Someone who attended a course: a user account, a producer, or a name typed in."""

    course = models.ForeignKey(
        TrainingCourse, on_delete=models.CASCADE, related_name="attendees", verbose_name=_("course")
    )
    kind = models.CharField(_("attends as"), max_length=10, choices=AttendeeKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="courses_attended",
        verbose_name=_("official (account)"),
    )
    producer = models.ForeignKey(
        "registry.Producer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="courses_attended",
        verbose_name=_("producer"),
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    organisation = models.CharField(_("organisation"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("course attendee")
        verbose_name_plural = _("course attendees")
        ordering = ["course", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "user"],
                condition=models.Q(user__isnull=False),
                name="activities_attendee_user",
            ),
            models.UniqueConstraint(
                fields=["course", "producer"],
                condition=models.Q(producer__isnull=False, user__isnull=True),
                name="activities_attendee_producer",
            ),
        ]

    def __str__(self) -> str:
        if self.user_id:
            return str(self.user)
        return self.name or (str(self.producer) if self.producer_id else "—")

    def get_absolute_url(self) -> str:
        return self.course.get_absolute_url()


# --- outreach --------------------------------------------------------------------------------------


class OutreachArticle(ActivityRecord):
    """An article, report or broadcast about the programme."""

    title = models.CharField(_("title"), max_length=300)
    outlet = models.CharField(
        _("outlet"), max_length=255, help_text=_("The newspaper, station, site or page.")
    )
    kind = models.CharField(_("kind"), max_length=14, choices=OutletKind.choices)
    published_on = models.DateField(_("published on"))
    url = models.URLField(_("link"), max_length=500, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    public = models.BooleanField(
        _("shown on the public news page"),
        default=False,
        help_text=_("Only the title, outlet, date, link and summary are shown publicly."),
    )

    class Meta:
        verbose_name = _("outreach article")
        verbose_name_plural = _("outreach articles")
        ordering = ["-published_on", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return url_to("activities:article_detail", self.pk)
