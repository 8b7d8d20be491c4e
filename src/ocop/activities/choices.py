from django.db import models
from django.utils.translation import gettext_lazy as _

# The bodies the plans name for each activity (shown as suggestions; any text is accepted).
RESPONSIBLE_UNITS = (
    "Sở Công Thương",
    "Văn phòng Điều phối nông thôn mới tỉnh",
    "Sở Nông nghiệp và Môi trường",
    "Sở Văn hóa, Thể thao và Du lịch",
    "Sở Khoa học và Công nghệ",
    "Trung tâm Xúc tiến Đầu tư, Thương mại và Du lịch",
    "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh",
    "Hội Liên hiệp Phụ nữ tỉnh",
    "Hội Nông dân tỉnh",
    "Tỉnh đoàn",
    "Liên minh Hợp tác xã tỉnh",
    "UBND xã",
)


class EventKind(models.TextChoices):
    FAIR = "fair", _("Fair")
    EXHIBITION = "exhibition", _("Exhibition")
    CONNECTION = "connection", _("Trade-connection conference")
    OCOP_WEEK = "ocop_week", _("OCOP week")
    OTHER = "other", _("Other promotion event")


class EventPlace(models.TextChoices):
    """Where an event is held, as the evaluation criteria score it."""

    INSIDE = "inside", _("Inside the province")
    OUTSIDE = "outside", _("Outside the province")
    ABROAD = "abroad", _("Abroad")


class SalesPointKind(models.TextChoices):
    """Locations of an OCOP sales point (Ministry of Industry and Trade criteria, section II.1)."""

    STATION = "station", _("Station, airport, bus station or port")
    REST_STOP = "rest_stop", _("Rest stop on an expressway or national road")
    MARKET = "market", _("Commercial centre, supermarket or market")
    TOURISM = "tourism", _("Tourist area, restaurant or hotel")
    CRAFT_VILLAGE = "craft_village", _("Craft village")
    TRADE_CENTRE = "trade_centre", _("Local trade-service centre or industrial cluster")
    FAIR_CENTRE = "fair_centre", _("Fair, exhibition or product-showcase centre")
    POST_OFFICE = "post_office", _("Post office or commune cultural post office")
    OTHER = "other", _("Other location")


class Audience(models.TextChoices):
    OFFICIALS = "officials", _("Officials")
    PRODUCERS = "producers", _("Producers")
    MIXED = "mixed", _("Officials and producers")


class CourseLevel(models.TextChoices):
    PROVINCE = "province", _("Province")
    COMMUNE = "commune", _("Commune")


class AttendeeKind(models.TextChoices):
    OFFICIAL = "official", _("Official")
    PRODUCER = "producer", _("Producer")
    OTHER = "other", _("Other")


class OutletKind(models.TextChoices):
    CENTRAL_PRESS = "central_press", _("Central press")
    LOCAL_PRESS = "local_press", _("Local press")
    RADIO_TV = "radio_tv", _("Radio or television")
    WEB = "web", _("Website")
    SOCIAL = "social", _("Social media")
