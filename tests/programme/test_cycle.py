"""The annual cycle: six steps, the rounds of the rule version, states that move only through the
services and a child never further along than its parent."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ocop.evaluation import services as evaluation
from ocop.programme import services
from ocop.programme.choices import StageState, Step
from ocop.programme.models import EvaluationRound
from tests.conftest import CHO_DON, THAI_NGUYEN
from tests.evaluation.helpers import make_council

from .helpers import open_cycle, to_province

pytestmark = pytest.mark.django_db
D = dt.date


def codes(exc) -> set[str]:
    found = set()
    for error in exc.error_list if hasattr(exc, "error_list") else []:
        found.add(error.code)
    if hasattr(exc, "error_dict"):
        for errors in exc.error_dict.values():
            found |= {e.code for e in errors}
    return found


def test_a_province_cycle_has_six_steps_and_the_rounds_of_26_2026(province_admin, unit):
    cycle = services.create_cycle(province_admin, {"year": 2027, "area": unit(THAI_NGUYEN)})
    assert cycle.rule_version.code == "26-2026"
    assert [s.step for s in cycle.steps.all()] == list(Step)
    assert all(s.state == StageState.PLANNED and s.responsible for s in cycle.steps.all())
    rounds = {(r.level, r.number): (r.proposals_before, r.evaluate_before) for r in cycle.rounds.all()}
    assert rounds == {
        ("province", 1): (D(2027, 4, 30), D(2027, 6, 30)),
        ("province", 2): (D(2027, 10, 30), D(2027, 12, 30)),
        ("ministry", 1): (D(2027, 7, 30), D(2027, 9, 30)),
        ("ministry", 2): (D(2028, 1, 30), D(2028, 3, 30)),
    }
    assert cycle.name == "Chu trình OCOP năm 2027 — Tỉnh Thái Nguyên"
    with pytest.raises(ValidationError):
        services.create_cycle(province_admin, {"year": 2027, "area": unit(THAI_NGUYEN)})


def test_national_and_commune_cycles(admin_user, province_admin, unit):
    national = services.create_cycle(admin_user, {"year": 2027, "area": None})
    assert {r.level for r in national.rounds.all()} == {"ministry"}
    commune = services.create_cycle(province_admin, {"year": 2027, "area": unit(CHO_DON)})
    assert commune.rounds.count() == 0 and commune.steps.count() == 6
    with pytest.raises(PermissionDenied):
        services.create_cycle(province_admin, {"year": 2028, "area": None})


def test_a_commune_officer_cannot_make_or_move_the_province_cycle(chodon_officer, province_admin, unit):
    with pytest.raises(PermissionDenied):
        services.create_cycle(chodon_officer, {"year": 2027, "area": unit(THAI_NGUYEN)})
    cycle = services.create_cycle(province_admin, {"year": 2027, "area": unit(THAI_NGUYEN)})
    with pytest.raises(PermissionDenied):
        services.set_cycle_state(chodon_officer, cycle, StageState.ACTIVE)


def test_a_child_is_never_ahead_of_its_parent(province_admin, unit):
    cycle = services.create_cycle(province_admin, {"year": 2027, "area": unit(THAI_NGUYEN)})
    ideas = cycle.steps.get(step=Step.IDEAS)
    evaluate = cycle.steps.get(step=Step.EVALUATE)
    round_1 = cycle.rounds.get(level="province", number=1)
    # Nothing starts before the cycle.
    with pytest.raises(ValidationError) as exc:
        services.set_step_state(province_admin, ideas, StageState.ACTIVE)
    assert "parent_not_started" in codes(exc.value)
    with pytest.raises(ValidationError) as exc:
        services.set_round_state(province_admin, round_1, StageState.ACTIVE)
    assert "parent_not_started" in codes(exc.value)
    services.set_cycle_state(province_admin, cycle, StageState.ACTIVE)
    # A round opens only once the evaluation step has started.
    with pytest.raises(ValidationError) as exc:
        services.set_round_state(province_admin, round_1, StageState.ACTIVE)
    assert "parent_not_started" in codes(exc.value)
    services.set_step_state(province_admin, evaluate, StageState.ACTIVE)
    services.set_round_state(province_admin, round_1, StageState.ACTIVE)
    # States move one step at a time, forwards only.
    with pytest.raises(ValidationError) as exc:
        services.set_step_state(province_admin, ideas, StageState.CLOSED)
    assert "transition" in codes(exc.value)
    # A parent does not close before its children.
    with pytest.raises(ValidationError) as exc:
        services.set_step_state(province_admin, evaluate, StageState.CLOSED)
    assert "children_open" in codes(exc.value)
    with pytest.raises(ValidationError) as exc:
        services.set_cycle_state(province_admin, cycle, StageState.CLOSED)
    assert "children_open" in codes(exc.value)
    for r in cycle.rounds.all():
        if r.state == StageState.PLANNED:
            services.set_round_state(province_admin, r, StageState.ACTIVE)
        services.set_round_state(province_admin, EvaluationRound.objects.get(pk=r.pk), StageState.CLOSED)
    for step in cycle.steps.all():
        if step.state == StageState.PLANNED:
            services.set_step_state(province_admin, step, StageState.ACTIVE)
        services.set_step_state(province_admin, cycle.steps.get(pk=step.pk), StageState.CLOSED)
    services.set_cycle_state(province_admin, cycle, StageState.CLOSED)
    cycle.refresh_from_db()
    assert cycle.state == StageState.CLOSED and cycle.closed_on is not None
    # A closed parent starts nothing again.
    with pytest.raises(ValidationError):
        services.set_cycle_state(province_admin, cycle, StageState.ACTIVE)


def test_steps_are_planned_and_overdue_when_their_end_passes(province_admin, unit):
    cycle = services.create_cycle(province_admin, {"year": 2027, "area": unit(THAI_NGUYEN)})
    step = cycle.steps.get(step=Step.IDEAS)
    services.update_step(
        province_admin,
        step,
        {"planned_start": D(2027, 4, 1), "planned_end": D(2027, 6, 15), "responsible": "UBND các xã"},
    )
    step.refresh_from_db()
    assert step.responsible == "UBND các xã"
    assert not step.is_overdue(D(2027, 6, 15)) and step.is_overdue(D(2027, 6, 16))
    with pytest.raises(ValidationError):
        services.update_step(
            province_admin, step, {"planned_start": D(2027, 7, 1), "planned_end": D(2027, 6, 1)}
        )


def test_extra_rounds_only_where_the_council_regulation_provides(province_admin, unit):
    cycle = services.create_cycle(province_admin, {"year": 2027, "area": unit(THAI_NGUYEN)})
    council = make_council(province_admin, members=1, secretary=False)
    data = {
        "level": "province",
        "proposals_before": D(2027, 7, 31),
        "evaluate_before": D(2027, 9, 15),
        "council": council,
    }
    with pytest.raises(ValidationError) as exc:
        services.add_round(province_admin, cycle, {**data, "basis": ""})
    assert "basis" in exc.value.message_dict
    # The council has no regulation recorded: no extra round.
    with pytest.raises(ValidationError) as exc:
        services.add_round(province_admin, cycle, {**data, "basis": "Điều 6 Quy chế"})
    assert "council" in exc.value.message_dict
    evaluation.update_council(province_admin, council, {"regulation_number": "1235/QĐ-UBND"})
    extra = services.add_round(
        province_admin, cycle, {**data, "basis": "Điều 6 Quy chế ban hành kèm QĐ 1235/QĐ-UBND"}
    )
    assert extra.is_extra and extra.number == 3 and "bổ sung" in extra.name


def test_a_round_closes_only_when_its_dossiers_are_concluded(province_admin, owner, nari_officer, product):
    from tests.evaluation.helpers import chair, score_to, scorers

    year = timezone.localdate().year + 1
    _cycle, round_ = open_cycle(province_admin, year)
    council = make_council(province_admin, members=1, secretary=False)
    session = evaluation.create_session(
        province_admin, {"council": council, "name": "Phiên 1", "date": D(year, 6, 20), "mode": "meeting"}
    )
    dossier = services.start_dossier(owner, {"product": product, "kind": "first"})
    dossier = to_province(owner, nari_officer, dossier, day=D(year, 3, 2))
    dossier = services.accept_dossier(province_admin, dossier, day=D(year, 3, 5))
    dossier = services.assign_dossier(province_admin, dossier, round_, session)
    with pytest.raises(ValidationError) as exc:
        services.set_round_state(province_admin, round_, StageState.CLOSED)
    assert "children_open" in codes(exc.value)
    evaluation.open_session(province_admin, session)
    for user in scorers(council):
        score_to(user, dossier.entry, 70)
    evaluation.close_product(chair(council), dossier.entry)
    services.set_round_state(province_admin, round_, StageState.CLOSED)
