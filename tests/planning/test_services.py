"""The planning services: validation first (clear messages, nothing written), permissions, audit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ocop.audit.models import AuditEvent
from ocop.planning import services
from ocop.planning.models import EnteredValue, Plan, PlanTask, Target, TaskReport
from tests.conftest import (
    BAC_KAN_LEGACY,
    CHO_DON,
    CON_MINH_LEGACY,
    HA_NOI,
    NA_RI,
    NA_RI_DISTRICT,
    THAI_NGUYEN,
)
from tests.factories import make_user

from .factories import indicator, make_plan, set_target
from .helpers import unit

pytestmark = pytest.mark.django_db
D = dt.date


def _cho_don_district():
    from ocop.geo.models import AdminUnit

    return AdminUnit.objects.get(parent__path=BAC_KAN_LEGACY, level=2, name__contains="Chợ Đồn")


def test_create_plan_is_audited_and_validated(province_admin):
    plan = make_plan(province_admin, BAC_KAN_LEGACY)
    assert AuditEvent.objects.filter(
        object_type="planning.plan", object_id=str(plan.pk), action="create"
    ).exists()
    assert plan.state == "draft" and plan.legal_basis_list == ["Quyết định số 919/QĐ-TTg ngày 01/8/2022"]
    with pytest.raises(ValidationError) as exc:
        make_plan(province_admin, BAC_KAN_LEGACY, period_start=D(2024, 12, 31), period_end=D(2024, 1, 1))
    assert "The period ends before it starts." in exc.value.message_dict["period_end"]
    assert Plan.objects.count() == 1


def test_only_the_province_office_creates_plans(nari_officer, hanoi_admin):
    with pytest.raises(PermissionDenied):
        make_plan(nari_officer, NA_RI)
    with pytest.raises(PermissionDenied):
        make_plan(hanoi_admin, THAI_NGUYEN)
    assert not Plan.objects.exists()


def test_targets_outside_the_plan_area_are_refused_and_nothing_is_written(province_admin):
    plan = make_plan(province_admin, NA_RI_DISTRICT)
    rows = [
        {"indicator": indicator("new_products_3star"), "area": unit(NA_RI_DISTRICT), "value": 3},
        {"indicator": indicator("new_products_3star"), "area": _cho_don_district(), "value": 2},
        {"indicator": indicator("new_producers"), "area": unit(NA_RI), "value": 1},  # a current unit
    ]
    with pytest.raises(ValidationError) as exc:
        services.set_targets(province_admin, plan, rows)
    text = " ".join(exc.value.messages)
    assert "Chợ Đồn is outside the plan's area (Huyện Na Rì)" in text
    assert "Xã Na Rì is outside the plan's area" in text
    assert not Target.objects.exists()
    # A commune of the district is inside it.
    set_target(province_admin, plan, "new_products_3star", CON_MINH_LEGACY, 1)


def test_a_current_plan_accepts_the_former_units_merged_into_it(province_admin):
    plan = make_plan(province_admin, THAI_NGUYEN)
    set_target(province_admin, plan, "new_products_3star", BAC_KAN_LEGACY, 20)
    set_target(province_admin, plan, "new_products_3star", NA_RI_DISTRICT, 3)
    set_target(province_admin, plan, "new_products_3star", CHO_DON, 1)
    with pytest.raises(ValidationError):
        set_target(province_admin, plan, "new_products_3star", HA_NOI, 1)
    assert plan.targets.count() == 3


def test_duplicate_targets_are_refused(province_admin):
    plan = make_plan(province_admin, BAC_KAN_LEGACY)
    new = indicator("new_products_3star")
    rows = [
        {"indicator": new, "area": unit(BAC_KAN_LEGACY), "value": 20},
        {"indicator": new, "area": unit(BAC_KAN_LEGACY), "value": 25},
    ]
    with pytest.raises(ValidationError) as exc:
        services.set_targets(province_admin, plan, rows)
    assert "the target is given twice" in " ".join(exc.value.messages)
    assert not Target.objects.exists()
    services.add_target(province_admin, plan, new, unit(BAC_KAN_LEGACY), 20)
    with pytest.raises(ValidationError) as exc:
        services.add_target(province_admin, plan, new, unit(BAC_KAN_LEGACY), 30)
    assert "already has a target" in " ".join(exc.value.messages)
    assert plan.targets.get().value == 20


def test_the_grid_is_validated_all_together_and_empty_cells_remove(province_admin):
    plan = make_plan(province_admin, BAC_KAN_LEGACY)
    set_target(province_admin, plan, "new_producers", BAC_KAN_LEGACY, 8)
    bad = [
        {"indicator": indicator("new_products_3star"), "area": unit(BAC_KAN_LEGACY), "value": "20"},
        {"indicator": indicator("products_traceable"), "area": unit(BAC_KAN_LEGACY), "value": "hai mươi"},
        {"indicator": indicator("producers_linked"), "area": unit(BAC_KAN_LEGACY), "value": "-1"},
        {"indicator": indicator("officials_trained_share"), "area": unit(BAC_KAN_LEGACY), "value": "120"},
    ]
    with pytest.raises(ValidationError) as exc:
        services.set_targets(province_admin, plan, bad)
    assert len(exc.value.messages) == 3
    assert list(plan.targets.values_list("indicator__code", flat=True)) == ["new_producers"]
    counts = services.set_targets(
        province_admin,
        plan,
        [
            {"indicator": indicator("new_products_3star"), "area": unit(BAC_KAN_LEGACY), "value": "20"},
            {"indicator": indicator("new_producers"), "area": unit(BAC_KAN_LEGACY), "value": ""},
        ],
    )
    assert counts == {"created": 1, "updated": 0, "deleted": 1}
    assert list(plan.targets.values_list("indicator__code", flat=True)) == ["new_products_3star"]
    event = AuditEvent.objects.filter(object_id=str(plan.pk), action="update").latest("pk")
    assert "new_products_3star@06" in str(event.changes)


def test_other_provinces_cannot_set_targets(province_admin, hanoi_admin, chodon_officer):
    plan = make_plan(province_admin, THAI_NGUYEN)
    for user in (hanoi_admin, chodon_officer):
        with pytest.raises(PermissionDenied):
            set_target(user, plan, "new_products_3star", THAI_NGUYEN, 1)
    assert not plan.targets.exists()


def test_states_and_a_closed_plan(province_admin):
    plan = make_plan(province_admin, BAC_KAN_LEGACY)
    with pytest.raises(ValidationError):
        services.set_plan_state(province_admin, plan, "in_force")  # nothing set yet
    set_target(province_admin, plan, "new_products_3star", BAC_KAN_LEGACY, 20)
    with pytest.raises(ValidationError):
        services.set_plan_state(province_admin, plan, "closed")  # a draft is not closed
    services.set_plan_state(province_admin, plan, "in_force")
    services.set_plan_state(province_admin, plan, "closed")
    with pytest.raises(ValidationError):
        set_target(province_admin, plan, "new_products_3star", BAC_KAN_LEGACY, 25)
    assert plan.targets.get().value == 20
    assert AuditEvent.objects.filter(object_id=str(plan.pk), action="state").count() == 2


def test_moving_the_plan_area_away_from_its_targets_is_refused(province_admin):
    plan = make_plan(province_admin, BAC_KAN_LEGACY)
    set_target(province_admin, plan, "new_products_3star", NA_RI_DISTRICT, 3)
    with pytest.raises(ValidationError) as exc:
        services.update_plan(province_admin, plan, {"area": _cho_don_district()})
    assert "Huyện Na Rì" in " ".join(exc.value.messages)
    plan.refresh_from_db()
    assert plan.area.path == BAC_KAN_LEGACY


def test_tasks_reports_and_overdue(province_admin, unit):
    plan = make_plan(province_admin, THAI_NGUYEN)
    task = services.add_task(
        province_admin,
        plan,
        {
            "number": "1",
            "title": "Tập huấn cán bộ",
            "responsible": "Văn phòng Điều phối",
            "deadline": D(2024, 6, 30),
        },
    )
    assert task.is_overdue(D(2024, 7, 1)) and not task.is_overdue(D(2024, 6, 30))
    with pytest.raises(ValidationError) as exc:
        services.add_task(province_admin, plan, {"title": "", "responsible": ""})
    assert set(exc.value.message_dict) >= {"title", "responsible"}
    department = make_user("so.congthuong", "department_officer", THAI_NGUYEN)
    services.add_report(
        department, task, {"date": D(2024, 5, 1), "progress": 60, "text": "Đã tập huấn 2 lớp."}
    )
    task.refresh_from_db()
    assert (task.progress, task.status) == (60, "in_progress")
    services.add_report(
        province_admin, task, {"date": D(2024, 6, 20), "progress": 100, "text": "Hoàn thành."}
    )
    task.refresh_from_db()
    assert task.status == "done" and not task.is_overdue(D(2024, 7, 1))
    with pytest.raises(ValidationError):
        services.add_report(province_admin, task, {"progress": 100, "text": "  "})
    commune = make_user("xa.khac", "commune_officer", NA_RI)
    with pytest.raises(PermissionDenied):
        services.add_report(commune, task, {"progress": 10, "text": "x"})
    assert TaskReport.objects.filter(task=task).count() == 2
    assert PlanTask.objects.count() == 1


def test_entered_values(nari_officer, chodon_officer):
    data = {
        "indicator": indicator("ocop_revenue"),
        "area": unit(NA_RI),
        "period_start": D(2025, 7, 1),
        "period_end": D(2025, 12, 31),
        "value": 1_500_000_000,
        "note": "Báo cáo của xã",
    }
    entry = services.enter_value(nari_officer, data)
    assert entry.entered_by == nari_officer
    assert AuditEvent.objects.filter(object_type="planning.enteredvalue", action="create").count() == 1
    with pytest.raises(ValidationError) as exc:
        services.enter_value(nari_officer, {**data, "indicator": indicator("new_products_3star")})
    assert "is counted from the data; it cannot be entered by hand" in " ".join(exc.value.messages)
    with pytest.raises(ValidationError) as exc:
        services.enter_value(nari_officer, {**data, "period_end": D(2025, 1, 1)})
    assert "period_end" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.enter_value(nari_officer, {**data, "value": -5})
    with pytest.raises(PermissionDenied):
        services.enter_value(chodon_officer, data)
    assert EnteredValue.objects.count() == 1
