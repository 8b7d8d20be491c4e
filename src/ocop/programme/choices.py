from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class StageState(models.TextChoices):
    """The state of a cycle, of one of its steps and of an evaluation round."""

    PLANNED = "planned", pgettext_lazy("cycle", "Planned")
    ACTIVE = "active", pgettext_lazy("cycle", "In progress")
    CLOSED = "closed", pgettext_lazy("cycle", "Closed")


# A child (step, round) is never further along than its parent (cycle, evaluation step).
STATE_RANK = {StageState.PLANNED: 0, StageState.ACTIVE: 1, StageState.CLOSED: 2}


class Step(models.TextChoices):
    """The six steps of the annual OCOP cycle (chu trình OCOP thường niên)."""

    PUBLICISE = "publicise", _("Publicise and guide")
    IDEAS = "ideas", _("Receive product ideas")
    PLANS = "plans", _("Receive business plans")
    IMPLEMENT = "implement", _("Implement the business plans")
    EVALUATE = "evaluate", _("Evaluate and rate products")
    PROMOTE = "promote", _("Promote trade")


STEP_ORDER = [s.value for s in Step]


class RoundLevel(models.TextChoices):
    PROVINCE = "province", _("Province (3★, 4★)")
    MINISTRY = "ministry", _("Ministry (5★)")


class IdeaKind(models.TextChoices):
    NEW = "new", _("New product")
    EXISTING = "existing", _("Existing product")


class IdeaState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("idea", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("idea", "Submitted to the commune")
    ACCEPTED = "accepted", pgettext_lazy("idea", "Accepted")
    RETURNED = "returned", pgettext_lazy("idea", "Returned for changes")
    REJECTED = "rejected", pgettext_lazy("idea", "Not taken forward")


class PlanState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("plan", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("plan", "Submitted to the commune")
    ACCEPTED = "accepted", pgettext_lazy("plan", "Accepted")
    RETURNED = "returned", pgettext_lazy("plan", "Returned for changes")


class DossierState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("dossier", "Being prepared")
    AT_COMMUNE = "at_commune", _("At the commune")
    RETURNED = "returned", pgettext_lazy("dossier", "Returned for completion")
    AT_PROVINCE = "at_province", _("At the province")
    ACCEPTED = "accepted", _("Complete, waiting for a council")
    ASSIGNED = "assigned", _("Assigned to a council session")
    WITHDRAWN = "withdrawn", pgettext_lazy("dossier", "Withdrawn")


# States in which somebody (the commune, the province, a council) is expected to act by a deadline.
DOSSIER_RUNNING = (
    DossierState.AT_COMMUNE,
    DossierState.AT_PROVINCE,
    DossierState.ACCEPTED,
    DossierState.ASSIGNED,
)
# The dossier has passed the province's check: what an upgrade or re-evaluation starts from.
DOSSIER_ACCEPTED = (DossierState.ACCEPTED, DossierState.ASSIGNED)


class ReturnLevel(models.TextChoices):
    COMMUNE = "commune", _("the commune")
    PROVINCE = "province", _("the province")


class ReturnTarget(models.TextChoices):
    PRODUCER = "producer", _("The producer (the dossier needs changes)")
    COMMUNE = "commune", _("The commune (its report or letter needs changes)")


class EvidenceKind(models.TextChoices):
    CRITERION = "criterion", _("Evidence for a criterion")
    LEGAL = "legal", _("Legal paper")
    OTHER = "other", _("Other attachment")


class LegalPaper(models.TextChoices):
    """The legal papers of Mẫu 02 (Part I, item 7, and the evidence table)."""

    BUSINESS_REGISTRATION = "business_registration", _("Business registration")
    FOOD_SAFETY = "food_safety", _("Food-safety certificate of the facility")
    PRODUCTION_CONDITIONS = "production_conditions", _("Certificate of production conditions")
    QUALITY_DECLARATION = "quality_declaration", _("Quality declaration")
    TEST_REPORT = "test_report", _("Laboratory test report")
    TRADEMARK = "trademark", _("Trademark registration certificate")
    COLLECTIVE_MARK = "collective_mark", _("Geographical indication, collective or certification mark")
    PATENT = "patent", _("Patent")
    DESIGN = "design", _("Industrial design")
    COPYRIGHT = "copyright", _("Copyright certificate")
    ENVIRONMENT = "environment", _("Environmental papers")
    OTHER = "other", _("Other")


class IdeaOrigin(models.TextChoices):
    TRADITIONAL = "traditional", _("Traditional product of the locality")
    NEW = "new", _("New product")


class DossierAction(models.TextChoices):
    CREATE = "create", _("Started")
    EDIT = "edit", _("Edited")
    SUBMIT = "submit", _("Filed with the commune")
    RECALL = "recall", _("Taken back for changes")
    NEW_VERSION = "new_version", _("New version started")
    SAMPLES = "samples", _("Samples received")
    COMMUNE_REPORT = "commune_report", _("Commune report recorded")
    COMMUNE_RETURN = "commune_return", _("Returned by the commune")
    PROPOSE = "propose", _("Proposed to the province")
    PROVINCE_RETURN = "province_return", _("Returned by the province")
    ACCEPT = "accept", _("Found complete by the province")
    ASSIGN = "assign", _("Assigned to a council session")
    WITHDRAW = "withdraw", _("Withdrawn")
