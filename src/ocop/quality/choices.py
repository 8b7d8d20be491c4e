from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class InspectionKind(models.TextChoices):
    PLANNED = "planned", _("Planned (in the year's inspection plan)")
    AD_HOC = "ad_hoc", _("Ad hoc (unannounced, on a complaint or a sign of violation)")


class InspectionState(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    DONE = "done", _("Carried out")
    CANCELLED = "cancelled", _("Cancelled")


class Outcome(models.TextChoices):
    PENDING = "pending", _("Pending (results awaited)")
    PASSED = "passed", pgettext_lazy("inspection outcome", "Passed")
    FAILED = "failed", pgettext_lazy("inspection outcome", "Failed")


class CaseKind(models.TextChoices):
    REVOCATION = "revocation", _("Revocation of the OCOP certificate (Article 8.1.b)")
    REEVALUATION = "reevaluation", _("Re-evaluation of the product")


class CaseState(models.TextChoices):
    OPEN = "open", _("Open (awaiting the authority's decision)")
    DOSSIER = "dossier", _("Re-evaluation dossier started")
    REVOKED = "revoked", _("Certificate revoked")
