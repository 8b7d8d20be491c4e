"""The registries: producers (chủ thể OCOP), products, and the product taxonomy."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ocop.core.models import TimeStampedModel
from ocop.core.scope import Scope, ScopedModelMixin, ScopedQuerySet

from .choices import (
    CategoryLevel,
    IPKind,
    ListingStatus,
    Marketplace,
    ProducerKind,
    ProducerStatus,
    ProductLifecycle,
    StandardKind,
)

# --- Taxonomy ----------------------------------------------------------------------------------


class CategoryScheme(models.Model):
    """A versioned product classification, named after the decision that set it."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=200)
    decision = models.CharField(_("legal instrument"), max_length=100)
    decision_date = models.DateField(_("date of the instrument"), null=True, blank=True)
    effective_from = models.DateField(_("effective from"), null=True, blank=True)
    effective_to = models.DateField(_("effective to"), null=True, blank=True)

    class Meta:
        verbose_name = _("product classification")
        verbose_name_plural = _("product classifications")
        ordering = ["-effective_from"]

    def __str__(self) -> str:
        return f"{self.name} ({self.decision})"


class ProductCategory(models.Model):
    """Sector (ngành) → group (nhóm) → product set (bộ sản phẩm / phân nhóm) of one scheme."""

    scheme = models.ForeignKey(
        CategoryScheme, on_delete=models.PROTECT, related_name="categories", verbose_name=_("classification")
    )
    level = models.PositiveSmallIntegerField(_("level"), choices=CategoryLevel.choices)
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=300)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    managing_ministry = models.CharField(_("managing ministry"), max_length=150, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("product category")
        verbose_name_plural = _("product categories")
        ordering = ["scheme", "level", "sort_order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "level", "code"], name="registry_category_unique_code"),
        ]

    def __str__(self) -> str:
        return self.name


# --- Producers ---------------------------------------------------------------------------------


class ProducerQuerySet(ScopedQuerySet):
    pass


class Producer(ScopedModelMixin, TimeStampedModel):
    """A chủ thể OCOP: enterprise, cooperative, cooperative group or household."""

    scope_area_field = "commune"

    kind = models.CharField(_("kind"), max_length=20, choices=ProducerKind.choices)
    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    tax_code = models.CharField(
        _("tax code"),
        max_length=14,
        blank=True,
        db_index=True,
        help_text=_("10 digits, or 10-3 for a branch; 12 digits for a personal ID."),
    )
    registration_number = models.CharField(_("registration number"), max_length=50, blank=True)
    registration_date = models.DateField(_("registration date"), null=True, blank=True)
    legal_representative = models.CharField(_("legal representative"), max_length=150, blank=True)
    representative_title = models.CharField(_("title"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    publish_phone = models.BooleanField(
        _("publish the phone number"),
        default=False,
        help_text=_("Show the phone number on the public catalogue."),
    )
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    address = models.CharField(
        _("address"), max_length=255, blank=True, help_text=_("Village, street; the commune is chosen below.")
    )
    commune = models.ForeignKey(
        "geo.AdminUnit", on_delete=models.PROTECT, related_name="producers", verbose_name=_("commune")
    )
    founded_year = models.PositiveSmallIntegerField(
        _("founded in"), null=True, blank=True, validators=[MinValueValidator(1900), MaxValueValidator(2100)]
    )
    members_count = models.PositiveIntegerField(_("members"), null=True, blank=True)
    employees_count = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    local_labour_percent = models.DecimalField(
        _("local labour (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    women_led = models.BooleanField(_("led by a woman"), default=False)
    ethnic_minority_led = models.BooleanField(_("led by an ethnic-minority person"), default=False)
    status = models.CharField(
        _("status"), max_length=12, choices=ProducerStatus.choices, default=ProducerStatus.ACTIVE
    )
    notes = models.TextField(_("notes"), blank=True)
    is_illustrative = models.BooleanField(
        _("illustrative (demo) record"),
        default=False,
        help_text=_("Made up to complete the demo dataset; never an official record."),
    )
    accounts = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="producers", verbose_name=_("producer accounts")
    )
    name_key = models.CharField(max_length=255, editable=False, db_index=True)
    search_folded = models.CharField(max_length=700, editable=False)

    objects = ProducerQuerySet.as_manager()

    class Meta:
        verbose_name = _("producer")
        verbose_name_plural = _("producers")
        ordering = ["name"]
        indexes = [models.Index(fields=["commune", "name_key"], name="registry_producer_dup")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from ocop.core.links import url_to

        return url_to("registry:producer_detail", self.pk)

    @classmethod
    def scope_filter(cls, scope: Scope) -> Q:
        """Area scope through the producer's commune; producer accounts see their own."""
        own = (
            Q(Exists(Producer.accounts.through.objects.filter(producer=OuterRef("pk"), user=scope.user_id)))
            if scope.user_id
            else Q(pk__in=[])
        )
        if scope.nothing:
            return own
        return own | scope.area_q("commune__")


class ProducerStatusChange(models.Model):
    producer = models.ForeignKey(
        Producer, on_delete=models.CASCADE, related_name="status_history", verbose_name=_("producer")
    )
    status = models.CharField(_("status"), max_length=12, choices=ProducerStatus.choices)
    effective_date = models.DateField(_("effective date"))
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["-effective_date", "-changed_at"]

    def __str__(self) -> str:
        return f"{self.producer}: {self.get_status_display()} ({self.effective_date})"


class ProducerLinkage(models.Model):
    """A production–consumption linkage (liên kết chuỗi) the producer takes part in."""

    producer = models.ForeignKey(
        Producer, on_delete=models.CASCADE, related_name="linkages", verbose_name=_("producer")
    )
    partner = models.CharField(_("partner"), max_length=255)
    role = models.CharField(
        _("partner's role"),
        max_length=150,
        blank=True,
        help_text=_("e.g. supplier of raw materials, buyer, distributor"),
    )
    contract_number = models.CharField(_("contract"), max_length=100, blank=True)
    start_date = models.DateField(_("since"), null=True, blank=True)
    end_date = models.DateField(_("until"), null=True, blank=True)
    households = models.PositiveIntegerField(_("households linked"), null=True, blank=True)

    class Meta:
        verbose_name = _("linkage")
        verbose_name_plural = _("linkages")
        ordering = ["-start_date", "partner"]

    def __str__(self) -> str:
        return self.partner

    def is_active_on(self, day: dt.date) -> bool:
        return (self.start_date is None or self.start_date <= day) and (
            self.end_date is None or self.end_date >= day
        )


# --- Products ----------------------------------------------------------------------------------


class ProductQuerySet(ScopedQuerySet):
    def with_star_on(self, day: dt.date | None = None):
        """Annotate `stars` (the highest valid certificate on `day`, today by default)."""
        from ocop.certification.selectors import stars_subquery

        return self.annotate(stars=stars_subquery(day or timezone.localdate()))


class Product(ScopedModelMixin, TimeStampedModel):
    scope_area_field = "commune"

    code = models.CharField(
        _("product code"),
        max_length=40,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Given when the product is first evaluated."),
    )
    name = models.CharField(_("name"), max_length=255)
    producer = models.ForeignKey(
        Producer, on_delete=models.PROTECT, related_name="products", verbose_name=_("producer")
    )
    category = models.ForeignKey(
        ProductCategory,
        on_delete=models.PROTECT,
        related_name="products",
        verbose_name=_("product set"),
        limit_choices_to={"level": CategoryLevel.PRODUCT_SET},
    )
    commune = models.ForeignKey(
        "geo.AdminUnit",
        on_delete=models.PROTECT,
        related_name="products",
        verbose_name=_("commune where produced"),
    )
    lifecycle = models.CharField(
        _("stage"), max_length=12, choices=ProductLifecycle.choices, default=ProductLifecycle.ACTIVE
    )
    description = models.TextField(_("description"), blank=True)
    story = models.TextField(_("product story"), blank=True)
    ingredients = models.TextField(_("ingredients"), blank=True)
    raw_material_zone = models.CharField(_("raw-material zone"), max_length=255, blank=True)
    raw_material_area_ha = models.DecimalField(
        _("raw-material area (ha)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    raw_material_certified = models.BooleanField(_("raw-material zone certified"), default=False)
    packaging = models.CharField(_("packaging"), max_length=255, blank=True)
    label_info = models.TextField(_("label"), blank=True)
    shelf_life = models.CharField(_("shelf life"), max_length=100, blank=True)
    traceability_system = models.CharField(_("traceability system"), max_length=150, blank=True)
    traceability_url = models.URLField(_("traceability code or URL"), max_length=500, blank=True)
    traceability_since = models.DateField(_("traceable since"), null=True, blank=True)
    is_illustrative = models.BooleanField(_("illustrative (demo) record"), default=False)
    published = models.BooleanField(_("shown on the public catalogue"), default=True)
    name_key = models.CharField(max_length=255, editable=False, db_index=True)
    search_folded = models.CharField(max_length=900, editable=False)

    objects = ProductQuerySet.as_manager()

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["producer", "name_key"], name="registry_product_unique_name"),
        ]
        # Lists sort by name (then id): the database walks this index and stops at the page's
        # end instead of sorting every match (make bench: the catalogue's page 77 → 12 ms).
        indexes = [models.Index(fields=["name", "id"], name="registry_product_name_id")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from ocop.core.links import url_to

        return url_to("registry:product_detail", self.pk)

    @classmethod
    def scope_filter(cls, scope: Scope) -> Q:
        """Where it is produced or where its producer is registered; producers see their own.

        Every branch is a test on one of the product's own columns against a subquery of ids
        (no join to the producer, no per-row EXISTS), so the database filters the products in one
        pass whatever else the query asks (make bench: a province's list page 100 → 40 ms)."""
        own = (
            Q(
                producer_id__in=Producer.accounts.through.objects.filter(user=scope.user_id).values(
                    "producer_id"
                )
            )
            if scope.user_id
            else Q(pk__in=[])
        )
        if scope.nothing:
            return own
        producers_there = Producer.objects.filter(scope.area_q("commune__")).values("pk")
        return own | scope.area_q("commune__") | Q(producer_id__in=producers_there)

    @property
    def has_traceability(self) -> bool:
        return bool(self.traceability_system or self.traceability_url)


class ProductStandard(models.Model):
    """A standard or certification the product (or its producer) holds."""

    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="standards", verbose_name=_("product")
    )
    kind = models.CharField(_("standard"), max_length=20, choices=StandardKind.choices)
    name = models.CharField(_("name"), max_length=150, blank=True, help_text=_("For “other”: which one."))
    certificate_number = models.CharField(_("certificate number"), max_length=100, blank=True)
    issuer = models.CharField(_("issued by"), max_length=200, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)

    class Meta:
        verbose_name = _("standard held")
        verbose_name_plural = _("standards held")
        ordering = ["kind", "-issued_on"]

    def __str__(self) -> str:
        return self.name or self.get_kind_display()

    def is_valid_on(self, day: dt.date) -> bool:
        return (self.issued_on is None or self.issued_on <= day) and (
            self.expires_on is None or self.expires_on >= day
        )


class IntellectualProperty(models.Model):
    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="ip_rights", verbose_name=_("product")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=IPKind.choices)
    name = models.CharField(_("mark or indication"), max_length=200)
    number = models.CharField(_("certificate number"), max_length=100, blank=True)
    holder = models.CharField(_("holder"), max_length=200, blank=True)
    granted_on = models.DateField(_("granted on"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)

    class Meta:
        verbose_name = _("intellectual property")
        verbose_name_plural = _("intellectual property")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class MarketplaceListing(models.Model):
    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="listings", verbose_name=_("product")
    )
    platform = models.CharField(_("platform"), max_length=20, choices=Marketplace.choices)
    platform_name = models.CharField(
        _("platform name"), max_length=100, blank=True, help_text=_("For “other”: which one.")
    )
    url = models.URLField(_("link"), max_length=500)
    status = models.CharField(
        _("status"), max_length=10, choices=ListingStatus.choices, default=ListingStatus.ACTIVE
    )
    listed_on = models.DateField(_("listed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("marketplace listing")
        verbose_name_plural = _("marketplace listings")
        ordering = ["platform"]
        constraints = [models.UniqueConstraint(fields=["product", "url"], name="registry_listing_unique_url")]

    def __str__(self) -> str:
        return self.platform_name or self.get_platform_display()


def photo_path(instance: ProductPhoto, filename: str) -> str:
    return f"products/{instance.product_id}/{filename}"


def thumb_path(instance: ProductPhoto, filename: str) -> str:
    return f"products/{instance.product_id}/thumbs/{filename}"


class ProductPhoto(models.Model):
    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="photos", verbose_name=_("product")
    )
    image = models.ImageField(_("photo"), upload_to=photo_path)
    thumbnail = models.ImageField(_("thumbnail"), upload_to=thumb_path, blank=True)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["sort_order", "pk"]

    def __str__(self) -> str:
        return self.caption or f"#{self.pk}"


class ProductCodeSequence(models.Model):
    """The running number each commune keeps for product codes."""

    commune = models.OneToOneField("geo.AdminUnit", on_delete=models.PROTECT, related_name="+")
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("product code sequence")
        verbose_name_plural = _("product code sequences")

    def __str__(self) -> str:
        return f"{self.commune_id}: {self.last}"


class ChangeRequestQuerySet(ScopedQuerySet):
    pass


class ChangeRequest(ScopedModelMixin, models.Model):
    """A producer's edit to key fields of their own record, waiting for an officer's decision."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    scope_area_field = "commune"

    producer = models.ForeignKey(
        Producer, on_delete=models.CASCADE, related_name="change_requests", verbose_name=_("producer")
    )
    product = models.ForeignKey(
        Product,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="change_requests",
        verbose_name=_("product"),
    )
    commune = models.ForeignKey(
        "geo.AdminUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("commune")
    )
    changes = models.JSONField(_("changes"), help_text=_("{field: [current, proposed]}"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("note"), max_length=500, blank=True)

    objects = ChangeRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("change request")
        verbose_name_plural = _("change requests")
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return str(self.product or self.producer)

    @classmethod
    def scope_filter(cls, scope: Scope) -> Q:
        own = Q(requested_by=scope.user_id) if scope.user_id else Q(pk__in=[])
        return own if scope.nothing else own | scope.area_q("commune__")

    def get_absolute_url(self) -> str:
        from ocop.core.links import url_to

        return url_to("registry:change_request", self.pk)
