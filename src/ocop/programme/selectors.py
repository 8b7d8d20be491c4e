"""Reads of the programme: lists (scoped, with what their columns show), a dossier's standing,
the re-evaluation invitations and the overdue steps the daily reminder reads."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ocop.evaluation.choices import EntryState, EvaluationKind

from .choices import DOSSIER_RUNNING, DossierState, StageState
from .models import BusinessPlan, Dossier, DossierEvidence, DossierVersion, ProductIdea, ProgrammeCycle

CONCLUDED = [EntryState.CLOSED, EntryState.DISQUALIFIED]


def cycles_for_list(user):
    return (
        ProgrammeCycle.objects.for_user(user, "view")
        .select_related("area", "rule_version")
        .annotate(
            n_rounds=Count("rounds", distinct=True),
            n_open_steps=Count("steps", filter=Q(steps__state=StageState.ACTIVE), distinct=True),
        )
    )


def ideas_for_list(user):
    return ProductIdea.objects.for_user(user, "view").select_related(
        "commune", "producer", "category", "cycle"
    )


def plans_for_list(user):
    return BusinessPlan.objects.for_user(user, "view").select_related(
        "commune", "producer", "product", "idea"
    )


def overdue_q(day: dt.date) -> Q:
    """Dossiers whose current step is past its deadline (and not concluded by a council)."""
    return Q(state__in=DOSSIER_RUNNING, deadline__lt=day) & ~Q(entry__state__in=CONCLUDED)


def dossiers_for_list(user, day: dt.date | None = None):
    day = day or timezone.localdate()
    return (
        Dossier.objects.for_user(user, "view")
        .select_related(
            "product", "producer", "commune", "commune__parent", "round", "entry", "entry__result"
        )
        .annotate(n_versions=Count("versions", distinct=True))
    )


def own_dossiers(user):
    """The dossiers of the user's own producers (Producer.accounts), whatever their area."""
    return (
        Dossier.objects.filter(producer__accounts=user)
        .select_related("product", "producer", "commune", "round", "entry", "entry__result")
        .order_by("-created_at")
    )


def own_ideas(user):
    return (
        ProductIdea.objects.filter(Q(producer__accounts=user) | Q(filed_by=user))
        .distinct()
        .select_related("commune", "producer")
        .order_by("-created_at")
    )


def own_plans(user):
    return (
        BusinessPlan.objects.filter(Q(producer__accounts=user) | Q(filed_by=user))
        .distinct()
        .select_related("commune", "producer", "product")
        .order_by("-created_at")
    )


# --- one dossier ---------------------------------------------------------------------------------


@dataclass
class Standing:
    """Where a dossier stands: the step expected, by whom, until when."""

    label: str
    who: str
    deadline: dt.date | None
    overdue: bool
    days_left: int | None
    working_days_left: int | None = None


def standing(dossier: Dossier, day: dt.date | None = None) -> Standing:
    from .workdays import working_days_between

    day = day or timezone.localdate()
    state = dossier.state
    overdue = dossier.is_overdue(day)
    left = (dossier.deadline - day).days if dossier.deadline else None
    if state == DossierState.DRAFT:
        return Standing(_("Being prepared"), _("the producer"), None, False, None)
    if state == DossierState.RETURNED:
        who = _("the producer")
        return Standing(_("Returned for completion"), who, None, False, None)
    if state == DossierState.AT_COMMUNE:
        wd = working_days_between(day, dossier.deadline) if dossier.deadline else None
        return Standing(
            _("Checked by the commune (15 working days)"),
            _("the commune"),
            dossier.deadline,
            overdue,
            left,
            wd,
        )
    if state == DossierState.AT_PROVINCE:
        return Standing(
            _("Checked by the province's OCOP advisory body"),
            _("the province"),
            dossier.deadline,
            overdue,
            left,
        )
    if state == DossierState.ACCEPTED:
        return Standing(
            _("Complete: waiting for a council session"), _("the province"), dossier.deadline, overdue, left
        )
    if state == DossierState.ASSIGNED:
        if dossier.concluded:
            return Standing(_("Concluded by the council"), "", None, False, None)
        return Standing(_("Before the council"), _("the council"), dossier.deadline, overdue, left)
    return Standing(dossier.get_state_display(), "", None, False, None)


def versions_of(dossier: Dossier) -> list[DossierVersion]:
    return list(dossier.versions.select_related("created_by", "submitted_by", "sheet").order_by("number"))


def evidence_of(version: DossierVersion) -> list[DossierEvidence]:
    return list(version.evidence.select_related("uploaded_by").order_by("kind", "criterion_key", "pk"))


def last_reevaluation_dossier(certificate):
    return (
        Dossier.objects.filter(certificate=certificate, kind=EvaluationKind.REEVALUATION)
        .exclude(state__in=[DossierState.DRAFT, DossierState.WITHDRAWN])
        .order_by("-created_at")
        .first()
    )


def pending_reevaluation_dossier(product) -> Dossier | None:
    """A re-evaluation dossier of the product filed and not yet concluded by a council (for
    certification's Article 12.3 extension)."""
    return (
        Dossier.objects.filter(product=product, kind=EvaluationKind.REEVALUATION, state__in=DOSSIER_RUNNING)
        .exclude(entry__state__in=[*CONCLUDED, EntryState.WITHDRAWN])
        .first()
    )


# --- reminders -----------------------------------------------------------------------------------


def reevaluation_invitations(day: dt.date):
    """Certificates whose re-evaluation filing window (Điều 7.6.a: 180 to 120 days before expiry) is
    open on `day`, in force and not ended, for which no re-evaluation dossier has been filed yet.

    A certificate stays in the list every day of its window until a dossier is filed; the
    notification key ("reeval-<certificate id>") makes the invitation go out once."""
    from ocop.certification.models import WINDOW_CLOSES_DAYS, WINDOW_OPENS_DAYS, Certificate, CertificateState

    filed = Dossier.objects.filter(certificate=OuterRef("pk"), kind=EvaluationKind.REEVALUATION).exclude(
        state__in=[DossierState.DRAFT, DossierState.WITHDRAWN]
    )
    return (
        Certificate.objects.filter(
            state=CertificateState.VALID,
            ended_on__isnull=True,
            issued_on__lte=day,
            valid_until__gte=day + dt.timedelta(days=WINDOW_CLOSES_DAYS),
            valid_until__lte=day + dt.timedelta(days=WINDOW_OPENS_DAYS),
        )
        .exclude(Exists(filed))
        .select_related("product", "product__producer", "product__commune")
        .order_by("valid_until", "pk")
    )


@dataclass(frozen=True)
class OverdueStep:
    kind: str  # "commune" (Điều 7.2, 15 working days), "province" (the round), "reevaluation" (45 days)
    dossier: Dossier
    deadline: dt.date
    days_late: int

    @property
    def label(self) -> str:
        return {
            "commune": _("The commune's check and proposal (15 working days)"),
            "province": _("The province's evaluation in its round"),
            "reevaluation": _("The re-evaluation (45 days from the complete dossier)"),
        }[self.kind]

    @property
    def key(self) -> str:
        return f"overdue-{self.kind}-{self.dossier.pk}-{self.deadline.isoformat()}"


def overdue_steps(day: dt.date, queryset=None) -> list[OverdueStep]:
    """Commune and province steps past their deadline on `day`, oldest deadline first (of all
    dossiers, or of `queryset`, e.g. those a user may see)."""
    rows = (
        (Dossier.objects.all() if queryset is None else queryset)
        .filter(overdue_q(day))
        .select_related("product", "producer", "commune", "entry")
        .order_by("deadline", "pk")
    )
    out = []
    for dossier in rows:
        if dossier.state == DossierState.AT_COMMUNE:
            kind = "commune"
        elif dossier.kind == EvaluationKind.REEVALUATION and dossier.complete_on:
            kind = "reevaluation"
        else:
            kind = "province"
        out.append(OverdueStep(kind, dossier, dossier.deadline, (day - dossier.deadline).days))
    return out


def overdue_cycle_steps(day: dt.date, user=None):
    """Steps of cycles past their planned end and not closed."""
    from .models import CycleStep

    cycles = (
        ProgrammeCycle.objects.for_user(user, "view") if user is not None else ProgrammeCycle.objects.all()
    )
    return (
        CycleStep.objects.filter(cycle__in=cycles, planned_end__lt=day)
        .exclude(state=StageState.CLOSED)
        .select_related("cycle", "cycle__area")
        .order_by("planned_end")
    )
