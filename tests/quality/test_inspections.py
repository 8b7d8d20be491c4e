"""Inspections: validation of each write, samples and follow-up actions (overdue computed), the
case a failed inspection opens through the programme and certification services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ocop.audit.models import AuditEvent
from ocop.certification.models import CertificateState, RevocationGround
from ocop.core.models import Notification
from ocop.programme.models import Dossier
from ocop.quality import services
from ocop.quality.choices import CaseState
from ocop.quality.models import FollowUpAction, Inspection, InspectionCase, InspectionSample
from tests.conftest import CHO_DON

from .helpers import certify, inspect, make_product

pytestmark = pytest.mark.django_db


def test_an_inspection_is_recorded_in_the_producers_commune_and_audited(province_admin, product):
    inspection = inspect(province_admin, product, outcome="passed")
    assert inspection.area == product.producer.commune
    assert list(inspection.products.all()) == [product]
    assert AuditEvent.objects.filter(object_type="quality.inspection", object_id=str(inspection.pk)).exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"inspecting_body": ""}, "inspecting_body"),
        ({"responsible_unit": "  "}, "responsible_unit"),
        ({"state": "scheduled", "outcome": "failed"}, "outcome"),
        ({"date": timezone.localdate() + dt.timedelta(days=3)}, "date"),
        ({"kind": "sometimes"}, "kind"),
    ],
)
def test_an_invalid_inspection_is_refused_and_nothing_is_written(province_admin, product, changes, field):
    with pytest.raises(ValidationError) as exc:
        inspect(province_admin, product, **changes)
    assert field in exc.value.message_dict
    assert Inspection.objects.count() == 0


def test_products_must_be_the_producers(province_admin, product):
    other = make_product(province_admin, "Mật ong bạc hà", commune=CHO_DON)
    with pytest.raises(ValidationError) as exc:
        inspect(province_admin, product, products=[product, other])
    assert "Mật ong bạc hà" in str(exc.value.message_dict["products"])


def test_a_scheduled_inspection_may_be_in_the_future(province_admin, product):
    day = timezone.localdate() + dt.timedelta(days=30)
    inspection = inspect(province_admin, product, state="scheduled", outcome="pending", day=day)
    assert inspection.date == day


def test_a_commune_officer_without_the_right_cannot_record(nari_officer, product):
    with pytest.raises(PermissionDenied):
        inspect(nari_officer, product)


def test_follow_up_deadline_cannot_precede_the_inspection(province_admin, product):
    inspection = inspect(province_admin, product)
    with pytest.raises(ValidationError) as exc:
        services.add_action(
            province_admin, inspection, {"action": "Sửa nhãn", "deadline": dt.date(2026, 3, 9)}
        )
    assert "deadline" in exc.value.message_dict
    assert FollowUpAction.objects.count() == 0


def test_follow_up_overdue_until_done(province_admin, product):
    inspection = inspect(province_admin, product)
    action = services.add_action(
        province_admin, inspection, {"action": "Sửa nhãn", "deadline": dt.date(2026, 4, 10)}
    )
    assert action.is_overdue(dt.date(2026, 4, 11)) and not action.is_overdue(dt.date(2026, 4, 10))
    with pytest.raises(ValidationError):
        services.complete_action(province_admin, action, dt.date(2026, 3, 1))  # before the inspection
    services.complete_action(province_admin, action, dt.date(2026, 4, 12))
    action.refresh_from_db()
    assert action.done_on == dt.date(2026, 4, 12) and not action.is_overdue(dt.date(2026, 5, 1))
    with pytest.raises(ValidationError):
        services.complete_action(province_admin, action, dt.date(2026, 4, 13))


def test_a_sample_needs_a_test_and_an_inspected_product(province_admin, product):
    inspection = inspect(province_admin, product)
    other = make_product(province_admin, "Miến khác")
    with pytest.raises(ValidationError) as exc:
        services.add_sample(province_admin, inspection, {"sample": "Mẫu 1", "test": "", "product": other})
    assert set(exc.value.message_dict) == {"test", "product"}
    sample = services.add_sample(
        province_admin,
        inspection,
        {
            "sample": "Mẫu 1",
            "test": "Độ ẩm",
            "result": "14 %",
            "limit": "≤ 12 %",
            "within_limits": False,
            "product": product,
        },
    )
    assert InspectionSample.objects.get().within_limits is False and sample.product == product


@pytest.mark.usefixtures("english")
def test_a_case_needs_a_certificate_in_force(province_admin, product):
    inspection = inspect(province_admin, product)
    with pytest.raises(ValidationError) as exc:
        services.open_case(province_admin, inspection, {"product": product, "kind": "revocation"})
    assert "certificate in force" in str(exc.value.message_dict["product"])
    # An expired certificate is not in force either.
    certify(product, 3, dt.date(2020, 1, 1), dt.date(2022, 12, 31))
    with pytest.raises(ValidationError):
        services.open_case(province_admin, inspection, {"product": product, "kind": "revocation"})
    assert InspectionCase.objects.count() == 0


def test_only_a_failed_inspection_opens_a_case(province_admin, product):
    certify(product, 4, dt.date(2025, 1, 1))
    inspection = inspect(province_admin, product, outcome="passed")
    with pytest.raises(ValidationError):
        services.open_case(province_admin, inspection, {"product": product, "kind": "revocation"})
    assert InspectionCase.objects.count() == 0


def test_a_failed_inspection_opens_a_reevaluation_dossier_and_the_producer_is_told(
    province_admin, product, owner
):
    certificate = certify(product, 4, dt.date(2025, 1, 1))
    inspection = inspect(province_admin, product)
    case = services.open_case(province_admin, inspection, {"product": product, "kind": "reevaluation"})
    assert case.state == CaseState.DOSSIER and case.certificate == certificate
    dossier = Dossier.objects.get(pk=case.dossier_id)
    assert (
        dossier.kind == "reevaluation" and dossier.product == product and dossier.certificate == certificate
    )
    notices = Notification.objects.filter(recipient=owner)
    assert notices.filter(key=f"inspection-case-{case.pk}").exists()
    assert notices.filter(key__startswith="dossier-event-").exists()  # the programme told them too
    # The inspection's outcome cannot be changed back once a case hangs on it.
    with pytest.raises(ValidationError):
        services.update_inspection(province_admin, inspection, {"outcome": "passed"})
    # A second re-evaluation case on the same certificate is refused.
    with pytest.raises(ValidationError):
        services.open_case(province_admin, inspection, {"product": product, "kind": "reevaluation"})


def test_a_revocation_case_waits_for_the_signed_decision_then_revokes(province_admin, product, owner):
    certificate = certify(product, 3, dt.date(2025, 1, 1))
    inspection = inspect(province_admin, product)
    case = services.open_case(
        province_admin, inspection, {"product": product, "kind": "revocation", "note": "Đề nghị thu hồi"}
    )
    certificate.refresh_from_db()
    assert case.state == CaseState.OPEN and certificate.state == CertificateState.VALID
    # The province office (holding certification.revoke_certificate) and the producer are told.
    assert (
        Notification.objects.filter(recipient=province_admin, key=f"inspection-case-{case.pk}").exists()
        is False
    )
    assert Notification.objects.filter(recipient=owner, key=f"inspection-case-{case.pk}").exists()
    with pytest.raises(ValidationError):
        services.record_revocation(
            province_admin, case, {"decision_number": "", "decision_date": dt.date(2026, 3, 20)}
        )
    services.record_revocation(
        province_admin, case, {"decision_number": "15/QĐ-UBND", "decision_date": dt.date(2026, 3, 20)}
    )
    certificate.refresh_from_db()
    case.refresh_from_db()
    assert certificate.state == CertificateState.REVOKED
    assert certificate.revocation_ground == RevocationGround.CRITERIA_NOT_MET
    assert case.revocation_decision == certificate.revocation_decision and case.state == CaseState.REVOKED
    with pytest.raises(ValidationError):
        services.record_revocation(
            province_admin, case, {"decision_number": "16/QĐ-UBND", "decision_date": dt.date(2026, 3, 21)}
        )


def test_revocation_notice_reaches_the_certification_office(province_admin, product, unit):
    from tests.factories import make_user

    office = make_user("tn.vanphong", "province_admin", "2025/19/")
    certify(product, 3, dt.date(2025, 1, 1))
    inspection = inspect(province_admin, product)
    case = services.open_case(province_admin, inspection, {"product": product, "kind": "revocation"})
    assert Notification.objects.filter(recipient=office, key=f"inspection-case-{case.pk}").exists()


def test_a_commune_officer_cannot_open_a_case(nari_officer, province_admin, product):
    certify(product, 3, dt.date(2025, 1, 1))
    inspection = inspect(province_admin, product)
    with pytest.raises(PermissionDenied):
        services.open_case(nari_officer, inspection, {"product": product, "kind": "revocation"})
