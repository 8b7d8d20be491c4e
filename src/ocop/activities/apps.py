from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "ocop.activities"
    label = "activities"
    verbose_name = _("Trade promotion, sales points, training and outreach")

    def ready(self):
        from . import indicators  # noqa: F401  (registers the counters)
