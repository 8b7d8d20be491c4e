"""Reads of the evaluation. Scores are shown to their own member until the chair closes the
product; before that everyone else (secretary, office) sees progress only."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q

from .choices import ENTRY_OPEN_STATES, MemberRole, ScorecardState, SessionState
from .models import (
    Attendance,
    ConflictOfInterest,
    Council,
    CouncilMember,
    Criterion,
    EvaluationResult,
    EvaluationSession,
    Scorecard,
    SessionProduct,
)


def membership(user, council_id: int) -> CouncilMember | None:
    if not getattr(user, "is_authenticated", False):
        return None
    cache = user.__dict__.setdefault("_ocop_memberships", {})
    if council_id not in cache:
        cache[council_id] = CouncilMember.objects.filter(
            council_id=council_id, user=user, is_active=True
        ).first()
    return cache[council_id]


def is_council_member(user) -> bool:
    """Is the user an active member of any council (cached on the user for the request)?"""
    if not getattr(user, "is_authenticated", False):
        return False
    if "_ocop_council_member" not in user.__dict__:
        user._ocop_council_member = CouncilMember.objects.filter(user=user, is_active=True).exists()
    return user._ocop_council_member


def councils_for_list(user):
    return (
        Council.objects.for_user(user, "view")
        .select_related("area")
        .annotate(
            n_members=Count("members", filter=Q(members__is_active=True), distinct=True),
            n_sessions=Count("sessions", distinct=True),
        )
    )


def sessions_for_list(user):
    return (
        EvaluationSession.objects.for_user(user, "view")
        .select_related("council", "council__area", "rule_version")
        .annotate(
            n_products=Count("entries", distinct=True),
            n_open=Count("entries", filter=Q(entries__state__in=ENTRY_OPEN_STATES), distinct=True),
        )
    )


def entries_of(session: EvaluationSession):
    return (
        session.entries.select_related(
            "product",
            "product__producer",
            "product__commune",
            "product__commune__parent",
            "product__category",
            "sheet",
            "result",
            "review",
        )
        .prefetch_related(Prefetch("conflicts", queryset=ConflictOfInterest.objects.select_related("member")))
        .order_by("number", "pk")
    )


def scorable_counts(sheet_ids) -> dict[int, int]:
    return dict(
        Criterion.objects.filter(sheet_id__in=set(sheet_ids), is_scorable=True)
        .values_list("sheet_id")
        .annotate(n=Count("pk"))
        .values_list("sheet_id", "n")
    )


@dataclass
class Cell:
    """One member × one product: progress always; the total only once the product is closed."""

    member: CouncilMember
    state: str  # "" (not started), draft, submitted, conflict, absent
    answered: int
    of: int
    total: object = None
    card_id: int | None = None


def progress(session: EvaluationSession, entries: list[SessionProduct], members: list[CouncilMember]):
    """{entry id: [Cell per scoring member]} with a fixed number of queries."""
    cards = {
        (c.entry_id, c.member_id): c
        for c in Scorecard.objects.filter(entry__session=session).only(
            "pk", "entry_id", "member_id", "state", "answered", "total"
        )
    }
    absent = set(
        Attendance.objects.filter(session=session, present=False).values_list("member_id", flat=True)
    )
    counts = scorable_counts(e.sheet_id for e in entries)
    out = {}
    for entry in entries:
        conflicted = {c.member_id for c in entry.conflicts.all()}
        closed = not entry.is_open
        row = []
        for member in members:
            card = cards.get((entry.pk, member.pk))
            if member.pk in conflicted:
                state = "conflict"
            elif member.pk in absent:
                state = "absent"
            else:
                state = card.state if card else ""
            row.append(
                Cell(
                    member=member,
                    state=state,
                    answered=card.answered if card else 0,
                    of=counts.get(entry.sheet_id, 0),
                    total=card.total
                    if (card and closed and card.state == ScorecardState.SUBMITTED)
                    else None,
                    card_id=card.pk if card else None,
                )
            )
        out[entry.pk] = row
    return out


def my_work(user):
    """The products the user scores: open sessions of councils they are a scoring member of."""
    members = CouncilMember.objects.filter(user=user, is_active=True, scores=True)
    entries = list(
        SessionProduct.objects.filter(
            session__council__members__in=members,
            session__state=SessionState.OPEN,
        )
        .select_related(
            "session", "session__council", "product", "product__producer", "product__commune", "sheet"
        )
        .order_by("session__date", "session_id", "number")
        .distinct()
    )
    cards = {
        c.entry_id: c
        for c in Scorecard.objects.filter(member__in=members, entry__in=[e.pk for e in entries]).only(
            "pk", "entry_id", "state", "answered", "total"
        )
    }
    conflicts = set(
        ConflictOfInterest.objects.filter(member__in=members, entry__in=[e.pk for e in entries]).values_list(
            "entry_id", flat=True
        )
    )
    counts = scorable_counts(e.sheet_id for e in entries)
    return [
        {"entry": e, "card": cards.get(e.pk), "conflict": e.pk in conflicts, "of": counts.get(e.sheet_id, 0)}
        for e in entries
    ]


def results_for_list(user):
    return EvaluationResult.objects.for_user(user, "view").select_related(
        "product",
        "product__producer",
        "product__commune",
        "entry",
        "entry__session",
        "entry__session__council",
        "rule_version",
    )


def council_roles(user, council) -> set[str]:
    member = membership(user, council.pk)
    return {member.role} if member else set()


def is_presiding(user, session: EvaluationSession) -> bool:
    from .services import presiding_member

    member = presiding_member(session)
    return member is not None and member.user_id == getattr(user, "pk", None)


def is_secretary(user, council) -> bool:
    member = membership(user, council.pk)
    return member is not None and member.role == MemberRole.SECRETARY
