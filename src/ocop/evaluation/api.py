"""API of the evaluation: councils, sessions, scoring (the member's own scorecard), results.

The same services as the screens: a member's scores are theirs alone until the chair closes the
product; a closed product's scorecards are readable by everyone who can see the product."""

import datetime as dt
from decimal import Decimal

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from ocop.api.pagination import PageNumberPagination
from ocop.api.schemas import MAX_ID

from . import scoring, selectors, services
from .choices import (
    CouncilLevel,
    EntryState,
    EvaluationKind,
    MemberRole,
    Organisation,
    ResultState,
    ScorecardState,
    SessionMode,
    SessionState,
)
from .models import Council, EvaluationResult, EvaluationSession, Scorecard, SessionProduct

router = Router(tags=["evaluation"])


class MemberOut(Schema):
    id: int
    full_name: str
    role: MemberRole
    organisation: Organisation
    position: str
    scores: bool
    is_active: bool


class CouncilOut(Schema):
    id: int
    name: str
    level: CouncilLevel
    area_id: int | None
    decision_number: str
    decision_date: dt.date | None
    regulation_number: str
    max_spread: Decimal | None
    quorum: Decimal | None
    members: list[MemberOut]


class SessionOut(Schema):
    id: int
    council_id: int
    council_name: str = Field(..., alias="council.name")
    name: str
    round_label: str
    date: dt.date
    place: str
    mode: SessionMode
    state: SessionState
    rule_version: str = Field(..., alias="rule_version.decision")


class ResultOut(Schema):
    id: int
    entry_id: int
    product_id: int
    product_name: str = Field(..., alias="product.name")
    rule_version: str = Field(..., alias="rule_version.decision")
    sheet_id: int
    average: Decimal | None
    part_averages: dict
    member_totals: list
    spread: Decimal | None
    band_stars: int | None
    stars: int | None
    minimum_failures: list
    disqualified: bool
    certifiable: bool
    central_candidate: bool
    recognising_level: str
    state: ResultState
    decision_number: str
    decision_date: dt.date | None


class EntryOut(Schema):
    id: int
    number: int
    product_id: int
    product_name: str = Field(..., alias="product.name")
    kind: EvaluationKind
    sheet_id: int
    state: EntryState
    disqualifier: str
    result: ResultOut | None = None

    @staticmethod
    def resolve_result(obj):
        return getattr(obj, "result", None)  # none until the product is closed


class SessionDetailOut(SessionOut):
    entries: list[EntryOut] = Field(..., alias="entries_out")


class AnswerOut(Schema):
    criterion_id: int
    option_id: int | None
    comment: str
    evidence_url: str


class ScorecardOut(Schema):
    id: int
    entry_id: int
    member_id: int
    sheet_id: int
    state: ScorecardState
    total: Decimal
    part_totals: dict
    answered: int
    open_criteria: list[str]
    submitted_at: dt.datetime | None
    answers: list[AnswerOut]


class MyWorkOut(Schema):
    entry: EntryOut
    session: SessionOut
    scorecard_id: int | None
    scorecard_state: ScorecardState | None
    answered: int
    of: int
    conflict: bool


class AnswerIn(Schema):
    option_id: int | None = Field(None, ge=1, le=MAX_ID)
    comment: str | None = Field(None, max_length=1000)
    evidence_url: str | None = Field(None, max_length=500)


class SubmitIn(Schema):
    comment: str | None = Field(None, max_length=2000)


class DecisionIn(Schema):
    approve: bool
    decision_number: str = Field("", max_length=60)
    decision_date: dt.date | None = None
    note: str = Field("", max_length=2000)


class CloseOut(Schema):
    referred: bool
    result: ResultOut | None
    outliers: list[int] = Field([], description="Scorecard ids of the members whose totals diverge")


class ResultFilters(Schema):
    state: ResultState | None = None
    stars: int | None = Field(None, ge=1, le=5)
    year: int | None = Field(None, ge=2000, le=2100)
    central_candidate: bool | None = None


def _card_out(card: Scorecard) -> dict:
    tree = scoring.SheetTree.load(card.sheet)
    answers = list(card.answers.all())
    tally = scoring.tally(tree, {a.criterion_id: a.option_id for a in answers})
    return {
        "id": card.pk,
        "entry_id": card.entry_id,
        "member_id": card.member_id,
        "sheet_id": card.sheet_id,
        "state": card.state,
        "total": card.total,
        "part_totals": card.part_totals,
        "answered": card.answered,
        "open_criteria": [tree.keys[i] for i in tally.open],
        "submitted_at": card.submitted_at,
        "answers": answers,
    }


def _entry(request, entry_id: int) -> SessionProduct:
    return get_object_or_404(
        SessionProduct.objects.for_user(request.user, "view").select_related(
            "session", "session__council", "session__rule_version", "product", "sheet"
        ),
        pk=entry_id,
    )


def _own_card(request, card_id: int) -> Scorecard:
    card = get_object_or_404(Scorecard.objects.select_related("member", "sheet"), pk=card_id)
    if card.member.user_id != request.user.pk:
        raise Http404
    return card


@router.get("/councils", response=list[CouncilOut], summary="Councils in the caller's scope")
@paginate(PageNumberPagination)
def list_councils(request):
    return Council.objects.for_user(request.user, "view").prefetch_related("members").order_by("name", "pk")


@router.get("/sessions", response=list[SessionOut], summary="Evaluation sessions in the caller's scope")
@paginate(PageNumberPagination)
def list_sessions(
    request, state: SessionState | None = None, year: int | None = Query(None, ge=2000, le=2100)
):
    qs = EvaluationSession.objects.for_user(request.user, "view").select_related("council", "rule_version")
    if state:
        qs = qs.filter(state=state)
    if year:
        qs = qs.filter(date__year=year)
    return qs.order_by("-date", "-pk")


@router.get("/sessions/{id:session_id}", response=SessionDetailOut, summary="A session and its products")
def get_session(request, session_id: int):
    session = get_object_or_404(
        EvaluationSession.objects.for_user(request.user, "view").select_related("council", "rule_version"),
        pk=session_id,
    )
    session.entries_out = list(
        session.entries.select_related(
            "product", "result", "result__product", "result__rule_version"
        ).order_by("number", "pk")
    )
    return session


@router.get(
    "/my-work", response=list[MyWorkOut], summary="The products the caller scores as a council member"
)
def my_work(request):
    out = []
    for item in selectors.my_work(request.user):
        entry, card = item["entry"], item["card"]
        out.append(
            {
                "entry": entry,
                "session": entry.session,
                "scorecard_id": card.pk if card else None,
                "scorecard_state": card.state if card else None,
                "answered": card.answered if card else 0,
                "of": item["of"],
                "conflict": item["conflict"],
            }
        )
    return out


@router.post(
    "/products/{id:entry_id}/scorecard", response=ScorecardOut, summary="The caller's scorecard for a product"
)
def open_scorecard(request, entry_id: int):
    card = services.scorecard_for(request.user, _entry(request, entry_id))
    return _card_out(card)


@router.get(
    "/scorecards/{id:card_id}", response=ScorecardOut, summary="A scorecard (own, or of a closed product)"
)
def get_scorecard(request, card_id: int):
    card = get_object_or_404(Scorecard.objects.select_related("member", "sheet", "entry"), pk=card_id)
    if card.member.user_id != request.user.pk:
        visible = SessionProduct.objects.for_user(request.user, "view").filter(pk=card.entry_id).exists()
        if not visible or card.entry.is_open:
            raise Http404
    return _card_out(card)


@router.put(
    "/scorecards/{id:card_id}/answers/{id:criterion_id}",
    response=ScorecardOut,
    summary="Save the answer to one criterion of the caller's scorecard",
)
def save_answer(request, card_id: int, criterion_id: int, payload: AnswerIn):
    card = _own_card(request, card_id)
    card, _tally = services.save_answer(
        request.user,
        card,
        criterion_id,
        payload.option_id,
        comment=payload.comment,
        evidence_url=payload.evidence_url,
    )
    return _card_out(card)


@router.post(
    "/scorecards/{id:card_id}/submit", response=ScorecardOut, summary="Submit the caller's scorecard"
)
def submit(request, card_id: int, payload: SubmitIn):
    card = services.submit_scorecard(request.user, _own_card(request, card_id), payload.comment)
    return _card_out(card)


@router.post("/products/{id:entry_id}/close", response=CloseOut, summary="Close a product (the chair)")
def close(request, entry_id: int):
    try:
        outcome = services.close_product(request.user, _entry(request, entry_id))
    except services.SpreadExceeded as exc:
        from ocop.api.api import api

        return api.create_response(
            request,
            {
                "detail": " ".join(exc.messages),
                "errors": [
                    {"field": "outliers", "message": f"{c.member.full_name}: {c.total}", "code": str(c.pk)}
                    for c in exc.outliers
                ],
            },
            status=409,
        )
    return {
        "referred": outcome.referred,
        "result": outcome.result,
        "outliers": [c.pk for c in outcome.outliers or []],
    }


@router.get("/results", response=list[ResultOut], summary="Evaluation results in the caller's scope")
@paginate(PageNumberPagination)
def list_results(request, filters: Query[ResultFilters]):
    qs = EvaluationResult.objects.for_user(request.user, "view").select_related("product", "rule_version")
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.stars:
        qs = qs.filter(stars=filters.stars)
    if filters.year:
        qs = qs.filter(entry__session__date__year=filters.year)
    if filters.central_candidate is not None:
        qs = qs.filter(central_candidate=filters.central_candidate)
    return qs.order_by("-created_at", "-pk")


@router.post(
    "/results/{id:result_id}/decision", response=ResultOut, summary="Record the authority's decision"
)
def decide(request, result_id: int, payload: DecisionIn):
    result = get_object_or_404(
        EvaluationResult.objects.for_user(request.user, "view").select_related(
            "product", "product__commune", "entry", "entry__session"
        ),
        pk=result_id,
    )
    return services.decide_result(
        request.user,
        result,
        approve=payload.approve,
        decision_number=payload.decision_number,
        decision_date=payload.decision_date,
        note=payload.note,
    )
