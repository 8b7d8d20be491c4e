from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "ocop.reporting"
    label = "reporting"
    verbose_name = _("Dashboards, maps and reports")

    def ready(self) -> None:
        from . import signals  # noqa: F401
