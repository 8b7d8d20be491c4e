from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _load_indicators(sender, **kwargs):
    from .loader import load_indicators

    load_indicators()


class PlanningConfig(AppConfig):
    name = "ocop.planning"
    label = "planning"
    verbose_name = _("Plans, targets and indicators")

    def ready(self) -> None:
        from . import counters  # noqa: F401  (registers the planning app's counters)

        post_migrate.connect(_load_indicators, sender=self)
