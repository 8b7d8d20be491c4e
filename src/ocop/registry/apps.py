from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _load_taxonomy(sender, **kwargs):
    from .loader import load_taxonomy

    load_taxonomy()


class RegistryConfig(AppConfig):
    name = "ocop.registry"
    label = "registry"
    verbose_name = _("Producers and products")

    def ready(self) -> None:
        post_migrate.connect(_load_taxonomy, sender=self)
