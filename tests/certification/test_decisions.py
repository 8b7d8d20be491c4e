"""From the council's result to the certificate: draft, record signed, supersede, refuse."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from docx import Document

from ocop.certification import documents, services
from ocop.certification.models import Certificate, RecognitionDecision
from ocop.core.models import Notification
from ocop.evaluation.models import EvaluationResult
from tests.conftest import NA_RI
from tests.factories import make_user

from .conftest import SIGNED_ON

pytestmark = pytest.mark.django_db


def sign(actor, decision, **data):
    return services.record_signed(
        actor,
        decision,
        {"number": "2616/QĐ-UBND", "date": SIGNED_ON, "signer_name": "Nông Quang Nhất", **data},
    )


def test_a_signed_recognition_approves_the_result_and_issues_the_certificate(province_admin, closed_result):
    owner = make_user("htx.taihoan", "producer", NA_RI)
    closed_result.product.producer.accounts.add(owner)
    decision = services.draft_decision(
        province_admin, "recognition", [closed_result], {"signer_title": "CHỦ TỊCH"}
    )
    assert (
        decision.state == "draft"
        and decision.level == "province"
        and decision.area.name == "Tỉnh Thái Nguyên"
    )
    draft = Document(io.BytesIO(documents.decision_docx(decision)))
    text = "\n".join(p.text for p in draft.paragraphs) + "\n".join(
        c.text for t in draft.tables for r in t.rows for c in r.cells
    )
    assert "(DỰ THẢO)" in text and "Miến dong Tài Hoan" in text and "4 sao" in text and "76,00" in text
    sign(province_admin, decision)
    result = EvaluationResult.objects.get(pk=closed_result.pk)
    assert (result.state, result.decision_number) == ("approved", "2616/QĐ-UBND")
    certificate = Certificate.objects.get(result=result)
    assert (certificate.stars, certificate.issued_on, certificate.valid_until) == (
        4,
        SIGNED_ON,
        dt.date(2029, 6, 28),
    )
    assert certificate.decision == decision and certificate.score == Decimal("76.00")
    assert certificate.status_on(SIGNED_ON) == "valid" and certificate.signing_key
    assert Notification.objects.filter(recipient=owner, key=f"certificate-{certificate.public_id}").exists()
    signed = Document(io.BytesIO(documents.decision_docx(RecognitionDecision.objects.get(pk=decision.pk))))
    assert "Số: 2616/QĐ-UBND" in "\n".join(c.text for t in signed.tables for r in t.rows for c in r.cells)


def test_a_new_certificate_supersedes_the_one_in_force(province_admin, closed_result):
    product = closed_result.product
    old = services.record_certificate(
        province_admin,
        product,
        {"stars": 3, "decision_number": "12/QĐ-UBND", "issued_on": dt.date(2024, 1, 15)},
    )
    sign(province_admin, services.draft_decision(province_admin, "recognition", [closed_result]))
    old.refresh_from_db()
    new = Certificate.objects.get(result=closed_result)
    assert (old.state, old.ended_on, old.status_on(SIGNED_ON)) == ("superseded", SIGNED_ON, "superseded")
    assert old.status_on(SIGNED_ON - dt.timedelta(days=1)) == "valid"
    assert list(Certificate.objects.valid_on(SIGNED_ON).filter(product=product)) == [new]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"number": ""}, "number"),
        ({"date": None}, "date"),
        ({"date": dt.date(2099, 1, 1)}, "date"),
        ({"date": dt.date(2026, 6, 19)}, "date"),  # before the session of 20/06/2026
    ],
)
def test_recording_refuses_bad_input_and_changes_nothing(province_admin, closed_result, data, field):
    decision = services.draft_decision(province_admin, "recognition", [closed_result])
    with pytest.raises(ValidationError) as exc:
        sign(province_admin, decision, **data)
    assert field in exc.value.message_dict
    assert not Certificate.objects.exists()
    assert RecognitionDecision.objects.get(pk=decision.pk).state == "draft"
    assert EvaluationResult.objects.get(pk=closed_result.pk).state == "proposed"


def test_drafting_refuses_results_that_cannot_be_recognised(province_admin, closed_result, nari_officer):
    with pytest.raises(ValidationError):
        services.draft_decision(province_admin, "approval", [closed_result])  # not ≥ 90
    with pytest.raises(ValidationError):
        services.draft_decision(province_admin, "recognition", [])
    services.draft_decision(province_admin, "recognition", [closed_result])
    with pytest.raises(ValidationError):  # already in a decision
        services.draft_decision(province_admin, "recognition", [closed_result])
    other = EvaluationResult.objects.get(pk=closed_result.pk)
    with pytest.raises((PermissionDenied, ValidationError)):
        services.draft_decision(nari_officer, "recognition", [other])


def test_overlapping_certificates_are_refused(province_admin, closed_result):
    product = closed_result.product
    services.record_certificate(
        province_admin, product, {"stars": 3, "decision_number": "1/QĐ", "issued_on": dt.date(2024, 1, 15)}
    )
    with pytest.raises(ValidationError):
        services.record_certificate(
            province_admin, product, {"stars": 4, "decision_number": "2/QĐ", "issued_on": dt.date(2025, 3, 1)}
        )
    with pytest.raises(ValidationError):
        services.record_certificate(
            province_admin, product, {"stars": 2, "decision_number": "3/QĐ", "issued_on": dt.date(2020, 1, 1)}
        )
    assert Certificate.objects.filter(product=product).count() == 1
