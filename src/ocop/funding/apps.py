from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    name = "ocop.funding"
    label = "funding"
    verbose_name = _("Funding and support")

    def ready(self):
        from . import indicators  # noqa: F401
