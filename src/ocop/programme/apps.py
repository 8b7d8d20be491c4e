from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammeConfig(AppConfig):
    name = "ocop.programme"
    label = "programme"
    verbose_name = _("OCOP cycle: ideas, business plans, dossiers")
