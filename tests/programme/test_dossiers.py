"""The dossier: completeness, sealed versions, the commune and province steps, reuse for an upgrade
or a re-evaluation, the re-evaluation window and its 45 days, and the assignment to a session."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ocop.evaluation import services as evaluation
from ocop.evaluation.models import SessionProduct
from ocop.programme import content, services
from ocop.programme.choices import DossierState
from ocop.programme.models import DossierEvidence, DossierVersion, ImmutableVersion
from tests.evaluation.helpers import make_council

from .helpers import (
    certify,
    commune_complete,
    fill,
    make_product,
    open_cycle,
    pdf,
    through_council,
    to_province,
)

pytestmark = pytest.mark.django_db
D = dt.date
TODAY = timezone.localdate


def codes(exc) -> set[str]:
    out = set()
    if hasattr(exc, "error_dict"):
        for errors in exc.error_dict.values():
            out |= {e.code for e in errors}
    else:
        out |= {e.code for e in exc.error_list}
    return out


@pytest.fixture
def dossier(owner, product):
    return services.start_dossier(owner, {"product": product, "kind": "first"})


# --- completeness ----------------------------------------------------------------------------------


def test_an_incomplete_dossier_cannot_be_filed_and_every_gap_is_named(owner, dossier):
    with pytest.raises(ValidationError) as exc:
        services.submit_dossier(owner, dossier)
    assert {"field", "assessment", "business_registration"} <= codes(exc.value)
    fill(owner, dossier, papers=False)
    with pytest.raises(ValidationError) as exc:
        services.submit_dossier(owner, dossier)
    assert codes(exc.value) == {"business_registration"}
    services.add_evidence(
        owner,
        dossier,
        {"kind": "legal", "paper": "business_registration", "title": "Đăng ký HTX"},
        upload=pdf(),
    )
    dossier = services.submit_dossier(owner, dossier)
    assert dossier.state == DossierState.AT_COMMUNE


def test_the_commune_needs_five_samples_its_report_and_letter(owner, nari_officer, dossier):
    fill(owner, dossier)
    dossier = services.submit_dossier(owner, dossier)
    with pytest.raises(ValidationError) as exc:
        services.propose(nari_officer, dossier)
    assert {"samples", "commune_report", "letter"} <= codes(exc.value)
    commune_complete(nari_officer, dossier, samples=4)
    with pytest.raises(ValidationError) as exc:
        services.propose(nari_officer, dossier)
    assert codes(exc.value) == {"samples"}
    services.record_samples(nari_officer, dossier, 5)
    dossier = services.propose(nari_officer, dossier)
    assert dossier.state == DossierState.AT_PROVINCE and dossier.proposed_on == TODAY()


def test_community_tourism_needs_no_samples(owner, nari_officer, province_admin):
    product = make_product(province_admin, "Du lịch cộng đồng Bản Pác Ngòi", set_code="26")
    product.producer.accounts.add(owner)
    dossier = services.start_dossier(owner, {"product": product, "kind": "first"})
    fill(owner, dossier)
    dossier = services.submit_dossier(owner, dossier)
    commune_complete(nari_officer, dossier, samples=0)
    dossier = services.propose(nari_officer, dossier)
    dossier = services.accept_dossier(province_admin, dossier)
    assert dossier.state == DossierState.ACCEPTED


def test_an_incomplete_dossier_cannot_go_to_a_council(owner, nari_officer, province_admin, dossier, unit):
    year = TODAY().year + 1
    _cycle, round_ = open_cycle(province_admin, year)
    council = make_council(province_admin, members=1, secretary=False)
    session = evaluation.create_session(
        province_admin, {"council": council, "name": "Phiên 1", "date": D(year, 6, 20), "mode": "meeting"}
    )
    # Not yet found complete by the province.
    with pytest.raises(ValidationError) as exc:
        services.assign_dossier(province_admin, dossier, round_, session)
    assert "state" in codes(exc.value)
    dossier = to_province(owner, nari_officer, dossier, day=D(year, 3, 2))
    # The business registration expires before the session: the province finds it on the day it checks.
    paper = dossier.accepted_version or dossier.versions.get()
    DossierEvidence.objects.filter(version=paper, paper="business_registration").update(
        expires_on=D(year, 3, 3)
    )
    with pytest.raises(ValidationError) as exc:
        services.accept_dossier(province_admin, dossier, day=D(year, 3, 5))
    assert "expired" in codes(exc.value)
    dossier = services.accept_dossier(province_admin, dossier, day=D(year, 3, 3))
    if TODAY() > D(year, 3, 3):  # pragma: no cover — the suite runs before then
        pytest.skip("the paper has expired today")
    assert SessionProduct.objects.count() == 0
    dossier = services.assign_dossier(province_admin, dossier, round_, session)
    assert dossier.state == DossierState.ASSIGNED


def test_a_producer_of_another_producer_or_an_outsider_cannot_file(
    owner, chodon_officer, dossier, province_admin
):
    with pytest.raises(PermissionDenied):
        services.update_draft(chodon_officer, dossier, {"history": "x"})
    other = make_product(province_admin, "Gạo nếp Khẩu Nua Lếch")
    with pytest.raises(PermissionDenied):
        services.start_dossier(owner, {"product": other, "kind": "first"})
    # Only one dossier of a product on its way at a time.
    with pytest.raises(ValidationError) as exc:
        services.start_dossier(owner, {"product": dossier.product, "kind": "first"})
    assert "product" in exc.value.message_dict


# --- sealed versions -------------------------------------------------------------------------------


def test_a_filed_version_never_changes_and_a_change_is_a_new_version(owner, nari_officer, dossier):
    fill(owner, dossier)
    dossier = services.submit_dossier(owner, dossier)
    v1 = dossier.versions.get(number=1)
    assert v1.sealed and len(v1.checksum) == 64
    assert content.checksum(v1, list(v1.evidence.all())) == v1.checksum
    # The model refuses to change a filed version or its evidence, whatever the caller.
    v1.content = {**v1.content, "history": "Sửa lén"}
    with pytest.raises(ImmutableVersion):
        v1.save()
    evidence = v1.evidence.first()
    evidence.title = "Đổi tên"
    with pytest.raises(ImmutableVersion):
        evidence.save()
    with pytest.raises(ImmutableVersion):
        evidence.delete()
    with pytest.raises(ImmutableVersion):
        v1.delete()
    # At the commune the dossier cannot be edited in place.
    with pytest.raises(ValidationError) as exc:
        services.update_draft(owner, dossier, {"history": "Bổ sung"})
    assert "state" in codes(exc.value)
    services.commune_return(nari_officer, dossier, "Bổ sung lịch sử hình thành giai đoạn 2015–2020.")
    dossier.refresh_from_db()
    assert dossier.state == DossierState.RETURNED and dossier.returned_by == "commune"
    assert dossier.return_reason == "Bổ sung lịch sử hình thành giai đoạn 2015–2020."
    v2 = services.update_draft(owner, dossier, {"history": "Thành lập năm 2015; mở rộng năm 2020."})
    assert v2.number == 2 and v2.based_on_id == v1.pk and not v2.sealed
    # The evidence is reused by reference: the same stored file, not a copy.
    assert v2.evidence.get().file.name == v1.evidence.get().file.name
    assert v2.evidence.get().inherited_from_id == v1.evidence.get().pk
    v1 = DossierVersion.objects.get(pk=v1.pk)
    assert v1.content["history"] == "Thành lập năm 2015 từ tổ hợp tác làm miến truyền thống."
    assert content.checksum(v1, list(v1.evidence.all())) == v1.checksum
    diff = content.diff_versions(v1, v2)
    assert [c.key for c in diff.content] == ["history"]
    # Removing a reused reference keeps the file of the filed version.
    services.remove_evidence(owner, dossier, v2.evidence.get().pk)
    assert v1.evidence.get().file.storage.exists(v1.evidence.get().file.name)
    services.add_evidence(
        owner,
        dossier,
        {"kind": "legal", "paper": "business_registration", "title": "Đăng ký HTX (cấp lại)"},
        upload=pdf(),
    )
    dossier = services.submit_dossier(owner, dossier)
    assert dossier.state == DossierState.AT_COMMUNE and dossier.versions.count() == 2


def test_taking_a_filed_dossier_back_from_the_commune(owner, nari_officer, dossier):
    fill(owner, dossier)
    dossier = services.submit_dossier(owner, dossier)
    with pytest.raises(PermissionDenied):  # the commune returns it, with a reason, instead
        services.new_version(nari_officer, dossier)
    version = services.new_version(owner, dossier, "Cập nhật doanh thu")
    dossier.refresh_from_db()
    assert version.number == 2 and dossier.state == DossierState.DRAFT and dossier.deadline is None
    with pytest.raises(ValidationError) as exc:
        services.submit_dossier(owner, dossier)
    assert codes(exc.value) == {"unchanged"}
    services.update_draft(owner, dossier, {"revenue": "2,3 tỷ đồng năm 2025"})
    dossier = services.submit_dossier(owner, dossier)
    assert dossier.receipt_number.endswith(f"-{TODAY().year}") and "/PĐK-19-02155-" in dossier.receipt_number


def test_self_assessment_on_the_councils_sheet(owner, dossier):
    from ocop.evaluation.scoring import SheetTree
    from ocop.programme import assessment

    version = dossier.versions.get()
    assert version.sheet is not None and version.sheet.product_set == dossier.product.category
    tree = SheetTree.load(version.sheet)
    first = tree.scorable[0]
    key = tree.keys[first.id]
    best = max(first.options, key=lambda o: o[2])
    worst = min(first.options, key=lambda o: o[2])
    services.set_assessment(owner, dossier, {key: (worst[0], "Chưa có")})
    result = assessment.evaluate(dossier.versions.get())
    assert not result.complete and result.tally.total == worst[2]
    assert result.missing[0].missing == max(r.missing for r in result.missing)
    assert any(r.key == key and r.missing == first.max_score - worst[2] for r in result.missing)
    services.set_assessment(owner, dossier, {key: (best[0], "Đã có minh chứng")})
    assert dossier.versions.get().assessment[key] == {
        "option": best[0],
        "points": str(best[2]),
        "note": "Đã có minh chứng",
    }
    other = tree.scorable[1]
    with pytest.raises(ValidationError):
        services.set_assessment(owner, dossier, {key: (other.options[0][0], "")})


# --- reuse for an upgrade or a re-evaluation -------------------------------------------------------


def test_an_upgrade_starts_from_the_last_accepted_dossier_and_shows_what_changed(
    owner, nari_officer, province_admin, product
):
    first = through_council(province_admin, owner, nari_officer, product, total=60)
    assert first.concluded and first.entry.result.stars == 3
    certify(product, 3, TODAY() - dt.timedelta(days=30), result=first.entry.result)
    upgrade = services.start_dossier(owner, {"product": product, "kind": "upgrade"})
    assert upgrade.previous == first and upgrade.certificate.stars == 3
    v1 = upgrade.versions.get()
    accepted = first.accepted_version
    assert v1.based_on == accepted and v1.content["history"] == accepted.content["history"]
    assert v1.assessment == accepted.assessment
    assert [e.file.name for e in v1.evidence.all()] == [e.file.name for e in accepted.evidence.all()]
    # Nothing changed yet: an upgrade must show what changed.
    with pytest.raises(ValidationError) as exc:
        services.submit_dossier(owner, upgrade)
    assert {"no_change", "field"} <= codes(exc.value)
    services.update_draft(
        owner,
        upgrade,
        {
            "changes_summary": "Đạt chứng nhận HACCP, mở rộng thị trường xuất khẩu.",
            "markets": "Siêu thị toàn quốc; xuất khẩu Nhật Bản.",
        },
    )
    services.add_evidence(
        owner,
        upgrade,
        {"kind": "legal", "paper": "other", "title": "Chứng nhận HACCP"},
        upload=pdf("haccp.pdf"),
    )
    diff = content.diff_versions(accepted, upgrade.versions.get())
    assert {c.key for c in diff.content} == {"changes_summary", "markets"}
    assert [e.title for e in diff.evidence_added] == ["Chứng nhận HACCP"] and not diff.evidence_removed
    upgrade = services.submit_dossier(owner, upgrade)
    assert upgrade.state == DossierState.AT_COMMUNE


def test_a_reevaluation_reuses_the_dossier_and_needs_its_updates(
    owner, nari_officer, province_admin, product
):
    first = through_council(province_admin, owner, nari_officer, product, total=75)
    certificate = certify(product, 4, TODAY() - dt.timedelta(days=900), TODAY() + dt.timedelta(days=150))
    dossier = services.start_dossier(owner, {"product": product, "kind": "reevaluation"})
    assert dossier.previous == first and dossier.certificate == certificate
    with pytest.raises(ValidationError) as exc:
        services.submit_dossier(owner, dossier)
    assert {"field", "periodic_tests"} <= codes(exc.value)
    fill(owner, dossier)
    dossier = services.submit_dossier(owner, dossier)
    assert dossier.state == DossierState.AT_COMMUNE and dossier.late_filing_basis == ""


# --- the re-evaluation window and its 45 days ------------------------------------------------------


@pytest.fixture
def reevaluation(owner, product):
    def make(days_to_expiry: int, **extra):
        certificate = certify(
            product,
            3,
            TODAY() - dt.timedelta(days=1000),
            TODAY() + dt.timedelta(days=days_to_expiry),
            **extra,
        )
        dossier = services.start_dossier(owner, {"product": product, "kind": "reevaluation"})
        fill(owner, dossier)
        return certificate, dossier

    return make


@pytest.mark.parametrize("days, ok", [(181, False), (180, True), (150, True), (120, True), (119, False)])
def test_the_filing_window_runs_from_180_to_120_days_before_expiry(owner, reevaluation, days, ok):
    _certificate, dossier = reevaluation(days)
    if ok:
        assert services.submit_dossier(owner, dossier).state == DossierState.AT_COMMUNE
    else:
        with pytest.raises(ValidationError) as exc:
            services.submit_dossier(owner, dossier)
        assert codes(exc.value) == {"window_not_open" if days > 180 else "window_closed"}


def test_the_article_12_3_case_allows_a_late_filing(owner, reevaluation, settings):
    certificate, dossier = reevaluation(60)
    with pytest.raises(ValidationError):
        services.submit_dossier(owner, dossier)
    # The certification office extended the certificate (Điều 12.3): the filing is accepted.
    certificate.extended_until = certificate.valid_until + dt.timedelta(days=90)
    certificate.save()
    dossier = services.submit_dossier(owner, dossier)
    assert "Khoản 3 Điều 12" in dossier.late_filing_basis
    assert dossier.events.filter(action="submit").get().reason == dossier.late_filing_basis


def test_the_late_filing_hook_is_replaceable(owner, reevaluation, settings):
    settings.OCOP_REEVALUATION_LATE_FILING = "tests.programme.test_dossiers.province_rule"
    _certificate, dossier = reevaluation(100)
    assert services.submit_dossier(owner, dossier).late_filing_basis == "Quy chế của tỉnh"


def province_rule(certificate, day):
    return "Quy chế của tỉnh"


def test_a_reevaluation_is_done_within_45_days_of_the_complete_dossier(
    owner, nari_officer, province_admin, reevaluation
):
    from ocop.programme.selectors import overdue_steps

    _certificate, dossier = reevaluation(150)
    dossier = services.submit_dossier(owner, dossier)
    commune_complete(nari_officer, dossier)
    dossier = services.propose(nari_officer, dossier)
    assert dossier.province_deadline is None  # the 45 days start when the dossier is complete
    dossier = services.accept_dossier(province_admin, dossier)
    assert dossier.complete_on == TODAY() and dossier.province_deadline == TODAY() + dt.timedelta(days=45)
    assert dossier.deadline == dossier.province_deadline
    assert not dossier.is_overdue(TODAY() + dt.timedelta(days=45))
    assert dossier.is_overdue(TODAY() + dt.timedelta(days=46))
    late = overdue_steps(TODAY() + dt.timedelta(days=46))
    assert [(o.kind, o.dossier.pk, o.days_late) for o in late] == [("reevaluation", dossier.pk, 1)]


# --- the province step and the council -------------------------------------------------------------


def test_the_province_returns_with_reasons_to_the_producer_or_the_commune(
    owner, nari_officer, province_admin, dossier
):
    dossier = to_province(owner, nari_officer, dossier)
    with pytest.raises(PermissionDenied):
        services.province_return(nari_officer, dossier, "x")
    dossier = services.province_return(
        province_admin, dossier, "Báo cáo của xã chưa đánh giá lao động.", "commune"
    )
    assert dossier.state == DossierState.AT_COMMUNE and dossier.returned_by == "province"
    assert dossier.commune_deadline is not None
    dossier = services.propose(nari_officer, dossier)
    dossier = services.province_return(province_admin, dossier, "Phiếu kiểm nghiệm đã hết hạn.", "producer")
    assert dossier.state == DossierState.RETURNED and dossier.return_reason == "Phiếu kiểm nghiệm đã hết hạn."
    events = list(dossier.events.values_list("action", "reason"))
    assert ("province_return", "Báo cáo của xã chưa đánh giá lao động.") in events
    assert ("province_return", "Phiếu kiểm nghiệm đã hết hạn.") in events


def test_assignment_to_a_session_creates_the_product_in_the_session_and_shows_the_review(
    client, owner, nari_officer, province_admin, dossier
):
    year = TODAY().year + 1
    _cycle, round_ = open_cycle(province_admin, year)
    council = make_council(province_admin, members=2, secretary=False)
    session = evaluation.create_session(
        province_admin,
        {"council": council, "name": "Phiên đánh giá đợt 1", "date": D(year, 6, 20), "mode": "meeting"},
    )
    late_session = evaluation.create_session(
        province_admin, {"council": council, "name": "Phiên muộn", "date": D(year, 7, 2), "mode": "meeting"}
    )
    dossier = to_province(owner, nari_officer, dossier, day=D(year, 3, 2))
    dossier = services.accept_dossier(province_admin, dossier, day=D(year, 3, 5))
    # The session must fall in the round.
    with pytest.raises(ValidationError) as exc:
        services.assign_dossier(province_admin, dossier, round_, late_session)
    assert "session" in exc.value.message_dict
    dossier = services.assign_dossier(province_admin, dossier, round_, session)
    entry = SessionProduct.objects.get()
    assert dossier.entry == entry and dossier.round == round_ and dossier.state == DossierState.ASSIGNED
    assert entry.product == dossier.product and entry.kind == "first" and entry.session == session
    assert dossier.deadline == D(year, 6, 29)  # round 1: evaluated before 30/06
    evaluation.record_review(
        province_admin,
        entry,
        {
            "report": "Hồ sơ đầy đủ, sản phẩm đạt yêu cầu để chấm điểm.",
            "recommendation": "propose",
            "site_survey_date": D(year, 6, 1),
        },
    )
    client.force_login(owner)
    page = client.get(dossier.get_absolute_url()).content.decode()
    assert "Hồ sơ đầy đủ, sản phẩm đạt yêu cầu để chấm điểm." in page


def test_a_round_takes_only_dossiers_proposed_before_its_cut_off(
    owner, nari_officer, province_admin, dossier
):
    year = TODAY().year + 1
    _cycle, round_ = open_cycle(province_admin, year)
    council = make_council(province_admin, members=1, secretary=False)
    session = evaluation.create_session(
        province_admin, {"council": council, "name": "Phiên 1", "date": D(year, 6, 20), "mode": "meeting"}
    )
    dossier = to_province(owner, nari_officer, dossier, day=D(year, 5, 4))
    assert dossier.province_deadline == D(year, 12, 29)  # proposed after 30/04: round 2
    dossier = services.accept_dossier(province_admin, dossier, day=D(year, 5, 5))
    with pytest.raises(ValidationError) as exc:
        services.assign_dossier(province_admin, dossier, round_, session)
    assert "round" in exc.value.message_dict


def test_a_reevaluation_goes_to_a_session_without_a_round(owner, nari_officer, province_admin, reevaluation):
    _certificate, dossier = reevaluation(150)
    dossier = services.submit_dossier(owner, dossier)
    commune_complete(nari_officer, dossier)
    dossier = services.propose(nari_officer, dossier)
    dossier = services.accept_dossier(province_admin, dossier)
    council = make_council(province_admin, members=1, secretary=False)
    session = evaluation.create_session(
        province_admin,
        {
            "council": council,
            "name": "Lấy ý kiến",
            "date": TODAY() + dt.timedelta(days=60),
            "mode": "written",
        },
    )
    dossier = services.assign_dossier(province_admin, dossier, None, session)
    assert dossier.state == DossierState.ASSIGNED and dossier.round is None
    assert dossier.entry.kind == "reevaluation" and dossier.deadline == TODAY() + dt.timedelta(days=45)
    # The session is after the 45 days: the assignment records it.
    assert "\n" in dossier.events.get(action="assign").reason


def test_a_first_evaluation_needs_a_round(owner, nari_officer, province_admin, dossier):
    dossier = to_province(owner, nari_officer, dossier)
    dossier = services.accept_dossier(province_admin, dossier)
    council = make_council(province_admin, members=1, secretary=False)
    session = evaluation.create_session(
        province_admin, {"council": council, "name": "Phiên", "date": TODAY(), "mode": "meeting"}
    )
    with pytest.raises(ValidationError) as exc:
        services.assign_dossier(province_admin, dossier, None, session)
    assert "round" in exc.value.message_dict


def test_demo_reset_removes_the_records_of_demo_products(owner, nari_officer, province_admin, product):
    from ocop.programme.demo import reset_for_products
    from ocop.programme.models import Dossier, DossierVersion

    first = through_council(province_admin, owner, nari_officer, product, total=60)
    certify(product, 3, timezone.localdate() - dt.timedelta(days=30), result=first.entry.result)
    upgrade = services.start_dossier(owner, {"product": product, "kind": "upgrade"})
    assert upgrade.previous == first
    assert reset_for_products([product.pk]) == 2
    assert not Dossier.objects.exists() and not DossierVersion.objects.exists()
