from django.db import models
from django.utils.translation import gettext_lazy as _


class ProducerKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise")
    COOPERATIVE = "cooperative", _("Cooperative")
    COOPERATIVE_GROUP = "cooperative_group", _("Cooperative group")
    HOUSEHOLD = "household", _("Household business / production household")


class ProducerStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    DISSOLVED = "dissolved", _("Dissolved")


class ProductLifecycle(models.TextChoices):
    """What officers set. Certified/expired are not typed in: they follow from certificates."""

    IDEA = "idea", _("Idea")
    DEVELOPMENT = "development", _("In development")
    ACTIVE = "active", _("In production")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ProductStatus(models.TextChoices):
    """The status shown: the lifecycle, or certified/expired from the product's certificates."""

    IDEA = "idea", _("Idea")
    DEVELOPMENT = "development", _("In development")
    ACTIVE = "active", _("In production, not certified")
    CERTIFIED = "certified", _("Certified")
    EXPIRED = "expired", _("Certificate expired")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class CategoryLevel(models.IntegerChoices):
    SECTOR = 1, _("Sector")
    GROUP = 2, _("Group")
    PRODUCT_SET = 3, _("Product set")


class StandardKind(models.TextChoices):
    VIETGAP = "vietgap", "VietGAP"
    GLOBALGAP = "globalgap", "GlobalGAP"
    ORGANIC = "organic", _("Organic")
    ISO22000 = "iso22000", "ISO 22000"
    HACCP = "haccp", "HACCP"
    GACP_WHO = "gacp_who", "GACP-WHO"
    ISO9001 = "iso9001", "ISO 9001"
    FSSC22000 = "fssc22000", "FSSC 22000"
    QUALITY_DECLARATION = "declaration", _("Published quality declaration")
    FOOD_SAFETY = "food_safety", _("Food safety certificate")
    OTHER = "other", _("Other")


# Standards counted as advanced quality management (hệ thống quản lý chất lượng tiên tiến).
ADVANCED_QUALITY = {
    StandardKind.VIETGAP,
    StandardKind.GLOBALGAP,
    StandardKind.ORGANIC,
    StandardKind.ISO22000,
    StandardKind.HACCP,
    StandardKind.GACP_WHO,
    StandardKind.ISO9001,
    StandardKind.FSSC22000,
}


class IPKind(models.TextChoices):
    TRADEMARK = "trademark", _("Trademark")
    COLLECTIVE_MARK = "collective_mark", _("Collective mark")
    CERTIFICATION_MARK = "certification_mark", _("Certification mark")
    GEOGRAPHICAL_INDICATION = "gi", _("Geographical indication")


class Marketplace(models.TextChoices):
    SHOPEE = "shopee", "Shopee"
    LAZADA = "lazada", "Lazada"
    SENDO = "sendo", "Sendo"
    TIKI = "tiki", "Tiki"
    VOSO = "voso", "Voso"
    POSTMART = "postmart", "Postmart"
    TIKTOK = "tiktok", "TikTok Shop"
    OTHER = "other", _("Other")


class ListingStatus(models.TextChoices):
    ACTIVE = "active", _("Selling")
    PAUSED = "paused", _("Paused")
    CLOSED = "closed", _("Closed")
