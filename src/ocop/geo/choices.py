from django.db import models
from django.utils.translation import gettext_lazy as _


class Edition(models.TextChoices):
    """A generation of the administrative map. Each unit belongs to one."""

    LEGACY = "legacy", _("Before 01/07/2025 (63 provinces)")
    Y2025 = "2025", _("From 01/07/2025 (34 provinces)")


class Level(models.IntegerChoices):
    PROVINCE = 1, _("Province level")
    DISTRICT = 2, _("District level")
    COMMUNE = 3, _("Commune level")


class Kind(models.TextChoices):
    PROVINCE = "province", _("Province")
    CITY = "city", _("Centrally-governed city")
    URBAN_DISTRICT = "urban_district", _("Urban district")
    DISTRICT = "district", _("Rural district")
    TOWN = "town", _("District-level town")
    PROVINCIAL_CITY = "provincial_city", _("Provincial city")
    COMMUNE = "commune", _("Commune")
    WARD = "ward", _("Ward")
    TOWNSHIP = "township", _("Township")
    SPECIAL_ZONE = "special_zone", _("Special zone")


KIND_LEVEL = {
    Kind.PROVINCE: Level.PROVINCE,
    Kind.CITY: Level.PROVINCE,
    Kind.URBAN_DISTRICT: Level.DISTRICT,
    Kind.DISTRICT: Level.DISTRICT,
    Kind.TOWN: Level.DISTRICT,
    Kind.PROVINCIAL_CITY: Level.DISTRICT,
    Kind.COMMUNE: Level.COMMUNE,
    Kind.WARD: Level.COMMUNE,
    Kind.TOWNSHIP: Level.COMMUNE,
    Kind.SPECIAL_ZONE: Level.COMMUNE,
}

# The Vietnamese word that prefixes a unit's name, by kind.
KIND_PREFIX = {
    "Tỉnh": Kind.PROVINCE,
    "Thành phố": Kind.CITY,
    "Quận": Kind.URBAN_DISTRICT,
    "Huyện": Kind.DISTRICT,
    "Thị xã": Kind.TOWN,
    "Xã": Kind.COMMUNE,
    "Phường": Kind.WARD,
    "Thị trấn": Kind.TOWNSHIP,
    "Đặc khu": Kind.SPECIAL_ZONE,
}
