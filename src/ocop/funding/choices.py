from django.db import models
from django.utils.translation import gettext_lazy as _


class SourceKind(models.TextChoices):
    NTP_NEW_RURAL = "ntp_new_rural", _("National target programme for new rural development")
    INDUSTRIAL_PROMOTION = "industrial_promotion", _("Industrial promotion (khuyến công)")
    PROVINCIAL_RESOLUTION = "provincial_resolution", _("Provincial resolution")
    PRODUCERS_OWN = "producers_own", _("Producers' own funds")
    OTHER = "other", _("Other lawful sources")


class SupportKind(models.TextChoices):
    PACKAGING_LABEL = "packaging_label", _("Packaging and label design")
    TRACEABILITY_STAMPS = "traceability_stamps", _("Traceability stamps")
    TRADE_FAIR = "trade_fair", _("Trade fairs and promotion")
    EQUIPMENT = "equipment", _("Equipment and machinery")
    TRAINING = "training", _("Training")
    CONSULTING = "consulting", _("Consulting")
    OTHER = "other", _("Other")


class AssetCondition(models.TextChoices):
    GOOD = "good", _("In good use")
    WORN = "worn", _("Worn, still used")
    BROKEN = "broken", _("Broken or unused")


class AssetState(models.TextChoices):
    IN_USE = "in_use", _("Held by the producer")
    RETURNED = "returned", _("Returned")
    WRITTEN_OFF = "written_off", _("Written off")
