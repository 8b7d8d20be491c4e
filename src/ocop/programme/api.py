"""API of the programme: cycles, product ideas, business plans, dossiers and what is overdue.

The same services as the screens; every read is limited to the caller's scope (producer accounts
see their own records). Mounted at /api/v1/programme."""

import datetime as dt
from decimal import Decimal

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import create_model

from ocop.api.pagination import PageNumberPagination
from ocop.api.schemas import MAX_ID
from ocop.core.text import search_q
from ocop.evaluation.choices import EvaluationKind

from . import completeness, content, selectors, services
from .choices import (
    DossierState,
    IdeaKind,
    IdeaState,
    PlanState,
    ReturnTarget,
    RoundLevel,
    StageState,
    Step,
)
from .models import BusinessPlan, Dossier, EvaluationRound, ProductIdea, ProgrammeCycle

router = Router(tags=["programme"])


class StepOut(Schema):
    id: int
    step: Step
    order: int
    planned_start: dt.date | None
    planned_end: dt.date | None
    responsible: str
    state: StageState
    started_on: dt.date | None
    closed_on: dt.date | None


class RoundOut(Schema):
    id: int
    level: RoundLevel
    number: int
    name: str
    is_extra: bool
    proposals_before: dt.date
    evaluate_before: dt.date
    basis: str
    council_id: int | None
    state: StageState


class CycleOut(Schema):
    id: int
    year: int
    area_id: int | None
    area_name: str | None = Field(None, alias="area.name")
    name: str
    rule_version: str = Field(..., alias="rule_version.decision")
    state: StageState
    started_on: dt.date | None
    closed_on: dt.date | None


class CycleDetailOut(CycleOut):
    steps: list[StepOut]
    rounds: list[RoundOut]

    @staticmethod
    def resolve_steps(obj):
        return list(obj.steps.all())

    @staticmethod
    def resolve_rounds(obj):
        return list(obj.rounds.all())


class IdeaOut(Schema):
    id: int
    commune_id: int
    commune_name: str = Field(..., alias="commune.name")
    producer_id: int | None
    proposer_name: str
    kind: IdeaKind
    existing_product_id: int | None
    product_name: str
    category_id: int | None
    description: str
    raw_materials: str
    local_labour: str
    market: str
    state: IdeaState
    submitted_at: dt.datetime | None
    return_reason: str
    cycle_id: int | None


class IdeaIn(Schema):
    commune_id: int | None = Field(None, ge=1, le=MAX_ID)
    producer_id: int | None = Field(None, ge=1, le=MAX_ID)
    proposer_name: str = Field("", max_length=200)
    proposer_phone: str = Field("", max_length=20)
    proposer_address: str = Field("", max_length=255)
    kind: IdeaKind = IdeaKind.NEW
    existing_product_id: int | None = Field(None, ge=1, le=MAX_ID)
    product_name: str = Field(..., min_length=1, max_length=255)
    category_id: int | None = Field(None, ge=1, le=MAX_ID)
    description: str = Field(..., min_length=1, max_length=10000)
    raw_materials: str = Field("", max_length=5000)
    local_labour: str = Field("", max_length=5000)
    market: str = Field("", max_length=5000)
    submit: bool = False


class ReviewIn(Schema):
    decision: str = Field(..., pattern="^(accept|return|reject)$")
    reason: str = Field("", max_length=5000)


class PlanOut(Schema):
    id: int
    idea_id: int | None
    commune_id: int
    producer_id: int | None
    product_id: int | None
    title: str
    product_name: str
    category_id: int | None
    summary: str
    market_plan: str
    investment: Decimal | None
    expected_revenue: Decimal | None
    start_on: dt.date | None
    end_on: dt.date | None
    state: PlanState
    return_reason: str


class VersionOut(Schema):
    number: int
    submitted_at: dt.datetime | None
    checksum: str
    sheet_id: int | None
    based_on_id: int | None


class StandingOut(Schema):
    label: str
    who: str
    deadline: dt.date | None
    overdue: bool
    days_left: int | None
    working_days_left: int | None


class ProblemOut(Schema):
    code: str
    message: str
    part: str
    field: str


class ReviewOut(Schema):
    recommendation: str
    report: str
    site_survey_date: dt.date | None
    site_survey_findings: str
    extra_tests_requested: str
    extra_tests_results: str


class DossierOut(Schema):
    id: int
    code: str | None
    product_id: int
    product_name: str = Field(..., alias="product.name")
    producer_id: int
    commune_id: int
    kind: EvaluationKind
    state: DossierState
    deadline: dt.date | None
    received_on: dt.date | None
    receipt_number: str
    commune_deadline: dt.date | None
    samples_received: int | None
    proposed_on: dt.date | None
    complete_on: dt.date | None
    province_deadline: dt.date | None
    round_id: int | None
    entry_id: int | None
    certificate_id: int | None
    previous_id: int | None
    return_reason: str
    returned_by: str
    overdue: bool = False

    @staticmethod
    def resolve_overdue(obj):
        return obj.is_overdue(timezone.localdate())


class DossierDetailOut(DossierOut):
    content: dict
    assessment: dict
    versions: list[VersionOut]
    standing: StandingOut
    problems: list[ProblemOut]
    review: ReviewOut | None = None

    @staticmethod
    def resolve_content(obj):
        return obj.detail["version"].content

    @staticmethod
    def resolve_assessment(obj):
        return obj.detail["version"].assessment

    @staticmethod
    def resolve_versions(obj):
        return obj.detail["versions"]

    @staticmethod
    def resolve_standing(obj):
        return obj.detail["standing"].__dict__

    @staticmethod
    def resolve_problems(obj):
        return [p.__dict__ for p in obj.detail["problems"]]

    @staticmethod
    def resolve_review(obj):
        return obj.detail["review"]


_TYPES = {"bool": bool, "int": int, "text": str, "textarea": str, "gender": str}
# What the producer writes in a dossier (the keys of ocop.programme.content.FIELDS), all optional.
DossierContentIn = create_model(
    "DossierContentIn",
    __base__=Schema,
    **{f.key: (_TYPES[f.widget] | None, Field(None, description=str(f.label))) for f in content.FIELDS},
)


class DossierIn(Schema):
    product_id: int = Field(..., ge=1, le=MAX_ID)
    kind: EvaluationKind = EvaluationKind.FIRST
    business_plan_id: int | None = Field(None, ge=1, le=MAX_ID)


class AnswerIn(Schema):
    option_id: int | None = Field(None, ge=1, le=MAX_ID)
    note: str = Field("", max_length=2000)


class AssessmentIn(Schema):
    answers: dict[str, AnswerIn]


class ReasonIn(Schema):
    reason: str = Field(..., min_length=1, max_length=5000)


class ProvinceReturnIn(ReasonIn):
    target: ReturnTarget = ReturnTarget.PRODUCER


class AssignIn(Schema):
    round_id: int | None = Field(None, ge=1, le=MAX_ID, description="Optional for a re-evaluation")
    session_id: int = Field(..., ge=1, le=MAX_ID)


class OverdueOut(Schema):
    kind: str
    dossier_id: int
    code: str | None
    product_name: str
    deadline: dt.date
    days_late: int


class DossierFilters(Schema):
    q: str | None = Field(None, max_length=200)
    state: DossierState | None = None
    kind: EvaluationKind | None = None
    overdue: bool | None = None


# --- cycles --------------------------------------------------------------------------------------


@router.get("/cycles", response=list[CycleOut], summary="OCOP cycles in the caller's scope")
@paginate(PageNumberPagination)
def list_programme_cycles(request, year: int | None = Query(None, ge=2000, le=2100)):
    qs = ProgrammeCycle.objects.for_user(request.user, "view").select_related("area", "rule_version")
    if year:
        qs = qs.filter(year=year)
    return qs.order_by("-year", "pk")


@router.get("/cycles/{id:cycle_id}", response=CycleDetailOut, summary="One cycle with its steps and rounds")
def get_programme_cycle(request, cycle_id: int):
    return get_object_or_404(
        ProgrammeCycle.objects.for_user(request.user, "view")
        .select_related("area", "rule_version")
        .prefetch_related("steps", "rounds"),
        pk=cycle_id,
    )


# --- ideas and plans -----------------------------------------------------------------------------


def _refs(data: dict) -> dict:
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext

    from ocop.geo.models import AdminUnit
    from ocop.registry.models import Producer, Product, ProductCategory

    models = {
        "commune_id": AdminUnit,
        "producer_id": Producer,
        "existing_product_id": Product,
        "category_id": ProductCategory,
        "product_id": Product,
        "business_plan_id": BusinessPlan,
    }
    errors = {}
    for key, model in models.items():
        if key not in data:
            continue
        value = data.pop(key)
        if value is None:
            continue
        obj = model.objects.filter(pk=value).first()
        if obj is None:
            errors[key] = gettext("No record has this id.")
        else:
            data[key[:-3]] = obj
    if errors:
        raise ValidationError(errors)
    return data


@router.get("/ideas", response=list[IdeaOut], summary="Product ideas in the caller's scope")
@paginate(PageNumberPagination)
def list_product_ideas(request, state: IdeaState | None = None, q: str | None = Query(None, max_length=200)):
    qs = selectors.ideas_for_list(request.user).filter(search_q("search_folded", q))
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("-created_at", "pk")


def _idea(request, idea_id: int) -> ProductIdea:
    return get_object_or_404(selectors.ideas_for_list(request.user), pk=idea_id)


@router.get("/ideas/{id:idea_id}", response=IdeaOut, summary="One product idea")
def get_product_idea(request, idea_id: int):
    return _idea(request, idea_id)


@router.post("/ideas", response={201: IdeaOut}, summary="File a product idea")
def create_product_idea(request, payload: IdeaIn):
    data = payload.dict()
    submit = data.pop("submit")
    idea = services.create_idea(request.user, _refs(data), submit=submit)
    return Status(201, _idea(request, idea.pk))


@router.post("/ideas/{id:idea_id}/submit", response=IdeaOut, summary="Submit an idea to the commune")
def submit_product_idea(request, idea_id: int):
    services.submit_idea(request.user, _idea(request, idea_id))
    return _idea(request, idea_id)


@router.post("/ideas/{id:idea_id}/review", response=IdeaOut, summary="The commune's decision on an idea")
def review_product_idea(request, idea_id: int, payload: ReviewIn):
    services.review_idea(request.user, _idea(request, idea_id), payload.decision, payload.reason)
    return _idea(request, idea_id)


@router.get("/plans", response=list[PlanOut], summary="Business plans in the caller's scope")
@paginate(PageNumberPagination)
def list_business_plans(request, state: PlanState | None = None):
    qs = selectors.plans_for_list(request.user)
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("-created_at", "pk")


@router.get("/plans/{id:plan_id}", response=PlanOut, summary="One business plan")
def get_business_plan(request, plan_id: int):
    return get_object_or_404(selectors.plans_for_list(request.user), pk=plan_id)


# --- dossiers ------------------------------------------------------------------------------------


@router.get(
    "/dossiers", response=list[DossierOut], summary="Dossiers in the caller's scope, with state and deadline"
)
@paginate(PageNumberPagination)
def list_dossiers(request, filters: Query[DossierFilters]):
    from .selectors import overdue_q

    qs = selectors.dossiers_for_list(request.user).filter(search_q("search_folded", filters.q))
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.overdue is not None:
        q = overdue_q(timezone.localdate())
        qs = qs.filter(q) if filters.overdue else qs.exclude(q)
    return qs.order_by("-created_at", "pk")


def _dossier(request, dossier_id: int) -> Dossier:
    return get_object_or_404(
        Dossier.objects.for_user(request.user, "view").select_related(
            "product",
            "product__category__parent__parent",
            "producer",
            "commune",
            "entry",
            "previous",
            "certificate",
        ),
        pk=dossier_id,
    )


def _detail(request, dossier_id: int) -> Dossier:
    from ocop.evaluation.models import AdvisoryReview

    dossier = _dossier(request, dossier_id)
    today = timezone.localdate()
    versions = selectors.versions_of(dossier)
    dossier.detail = {
        "version": versions[-1],
        "versions": versions,
        "standing": selectors.standing(dossier, today),
        "problems": completeness.problems(dossier, versions[-1], today),
        "review": AdvisoryReview.objects.filter(entry_id=dossier.entry_id).first()
        if dossier.entry_id
        else None,
    }
    return dossier


@router.get(
    "/dossiers/{id:dossier_id}",
    response=DossierDetailOut,
    summary="One dossier: where it stands, what is missing",
)
def get_dossier(request, dossier_id: int):
    return _detail(request, dossier_id)


@router.post("/dossiers", response={201: DossierDetailOut}, summary="Start a dossier")
def start_product_dossier(request, payload: DossierIn):
    dossier = services.start_dossier(request.user, _refs(payload.dict()))
    return Status(201, _detail(request, dossier.pk))


@router.patch(
    "/dossiers/{id:dossier_id}/content", response=DossierDetailOut, summary="Change the draft's content"
)
def update_dossier_content(request, dossier_id: int, payload: DossierContentIn):
    services.update_draft(request.user, _dossier(request, dossier_id), payload.dict(exclude_unset=True))
    return _detail(request, dossier_id)


@router.put(
    "/dossiers/{id:dossier_id}/self-assessment",
    response=DossierDetailOut,
    summary="Answer the self-assessment",
)
def set_dossier_assessment(request, dossier_id: int, payload: AssessmentIn):
    answers = {key: (a.option_id, a.note) for key, a in payload.answers.items()}
    services.set_assessment(request.user, _dossier(request, dossier_id), answers)
    return _detail(request, dossier_id)


@router.post(
    "/dossiers/{id:dossier_id}/submit", response=DossierDetailOut, summary="File the dossier with the commune"
)
def submit_product_dossier(request, dossier_id: int):
    services.submit_dossier(request.user, _dossier(request, dossier_id))
    return _detail(request, dossier_id)


@router.post(
    "/dossiers/{id:dossier_id}/new-version", response=DossierDetailOut, summary="Start a new version"
)
def new_dossier_version(request, dossier_id: int):
    services.new_version(request.user, _dossier(request, dossier_id))
    return _detail(request, dossier_id)


@router.post(
    "/dossiers/{id:dossier_id}/commune-return", response=DossierDetailOut, summary="The commune returns it"
)
def return_dossier_to_producer(request, dossier_id: int, payload: ReasonIn):
    services.commune_return(request.user, _dossier(request, dossier_id), payload.reason)
    return _detail(request, dossier_id)


@router.post(
    "/dossiers/{id:dossier_id}/propose", response=DossierDetailOut, summary="The commune proposes it"
)
def propose_dossier(request, dossier_id: int):
    services.propose(request.user, _dossier(request, dossier_id))
    return _detail(request, dossier_id)


@router.post(
    "/dossiers/{id:dossier_id}/province-return", response=DossierDetailOut, summary="The province returns it"
)
def return_dossier_for_completion(request, dossier_id: int, payload: ProvinceReturnIn):
    services.province_return(request.user, _dossier(request, dossier_id), payload.reason, payload.target)
    return _detail(request, dossier_id)


@router.post(
    "/dossiers/{id:dossier_id}/accept", response=DossierDetailOut, summary="The province finds it complete"
)
def accept_product_dossier(request, dossier_id: int):
    services.accept_dossier(request.user, _dossier(request, dossier_id))
    return _detail(request, dossier_id)


@router.post(
    "/dossiers/{id:dossier_id}/assign", response=DossierDetailOut, summary="Assign it to a council session"
)
def assign_dossier_to_session(request, dossier_id: int, payload: AssignIn):
    from ocop.evaluation.models import EvaluationSession

    dossier = _dossier(request, dossier_id)
    cycles = ProgrammeCycle.objects.for_user(request.user, "view")
    round_ = None
    if payload.round_id is not None:
        round_ = get_object_or_404(
            EvaluationRound.objects.filter(cycle__in=cycles).select_related("cycle"), pk=payload.round_id
        )
    session = get_object_or_404(
        EvaluationSession.objects.for_user(request.user, "view").select_related("council"),
        pk=payload.session_id,
    )
    services.assign_dossier(request.user, dossier, round_, session)
    return _detail(request, dossier_id)


@router.get(
    "/overdue", response=list[OverdueOut], summary="Overdue commune and province steps in the caller's scope"
)
def list_overdue_steps(request):
    today = timezone.localdate()
    return [
        {
            "kind": item.kind,
            "dossier_id": item.dossier.pk,
            "code": item.dossier.code,
            "product_name": item.dossier.product.name,
            "deadline": item.deadline,
            "days_late": item.days_late,
        }
        for item in selectors.overdue_steps(today, Dossier.objects.for_user(request.user, "view"))
    ]
