from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CouncilLevel(models.TextChoices):
    DISTRICT = "district", _("District (before 07/2025)")
    PROVINCE = "province", _("Province")
    CENTRAL = "central", _("Central (ministry)")


class MemberRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    VICE_CHAIR = "vice_chair", _("Vice-chair")
    MEMBER = "member", _("Member")
    SECRETARY = "secretary", _("Secretary")


class Organisation(models.TextChoices):
    """The bodies a provincial council's members come from (26/2026 Điều 7.3.b)."""

    PEOPLES_COMMITTEE = "peoples_committee", _("Province People's Committee")
    AGRICULTURE = "agriculture", _("Department of Agriculture and Environment")
    INDUSTRY_TRADE = "industry_trade", _("Department of Industry and Trade")
    HEALTH = "health", _("Department of Health")
    SCIENCE = "science", _("Department of Science and Technology")
    CULTURE = "culture", _("Department of Culture, Sports and Tourism")
    FOOD_SAFETY = "food_safety", _("Department of Food Safety")
    OCOP_OFFICE = "ocop_office", _("OCOP advisory body (coordination office)")
    SPECIALISED = "specialised", _("Specialised unit of the Department of Agriculture and Environment")
    MINISTRY = "ministry", _("Ministry")
    EXPERT = "expert", _("Expert")
    OTHER = "other", _("Other")


class SessionMode(models.TextChoices):
    MEETING = "meeting", _("Meeting")
    WRITTEN = "written", _("Written opinions")


class SessionState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    OPEN = "open", _("Scoring open")
    CLOSED = "closed", pgettext_lazy("session", "Closed")


class EvaluationKind(models.TextChoices):
    FIRST = "first", _("First evaluation")
    UPGRADE = "upgrade", _("Upgrade")
    REEVALUATION = "reevaluation", _("Re-evaluation")


class EntryState(models.TextChoices):
    SCORING = "scoring", _("Being scored")
    REFERRED = "referred", _("Opinions diverge: to be discussed in a meeting")
    CLOSED = "closed", pgettext_lazy("evaluation", "Closed")
    DISQUALIFIED = "disqualified", _("Rejected without scoring")
    WITHDRAWN = "withdrawn", _("Withdrawn")


ENTRY_OPEN_STATES = (EntryState.SCORING, EntryState.REFERRED)


class ScorecardState(models.TextChoices):
    DRAFT = "draft", _("Being filled in")
    SUBMITTED = "submitted", _("Submitted")


class ResultState(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class Recommendation(models.TextChoices):
    PROPOSE = "propose", _("Propose for scoring")
    COMPLETE = "complete", _("Ask for the dossier to be completed")
    NOT_PROPOSE = "not_propose", _("Do not propose")
