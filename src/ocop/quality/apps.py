from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QualityConfig(AppConfig):
    name = "ocop.quality"
    label = "quality"
    verbose_name = _("Quality: standards, traceability and inspections")

    def ready(self):
        from . import indicators  # noqa: F401
