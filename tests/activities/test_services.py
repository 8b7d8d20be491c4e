"""Validation, permissions and audit of the activities' services: bad input is refused with a
message on the field and nothing is written; a commune officer acts only inside their commune."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ocop.activities import checklist, services
from ocop.activities.models import (
    CourseAttendee,
    EventParticipation,
    OutreachArticle,
    PromotionEvent,
    SalesPoint,
    SalesPointAssessment,
)
from ocop.audit.models import AuditEvent
from tests.conftest import CHO_DON, NA_RI, THAI_NGUYEN
from tests.factories import make_user

from .helpers import HANOI_COMMUNE, area, article, course, event, make_product, sales_point

pytestmark = pytest.mark.django_db


def errors_of(exc) -> dict:
    return exc.value.message_dict


def test_an_event_with_reversed_dates_is_refused(province_admin):
    with pytest.raises(ValidationError) as exc:
        event(province_admin, start_date=dt.date(2026, 3, 14), end_date=dt.date(2026, 3, 10))
    assert "end_date" in errors_of(exc)
    assert PromotionEvent.objects.count() == 0


def test_a_record_needs_its_area_and_responsible_unit(province_admin):
    with pytest.raises(ValidationError) as exc:
        event(province_admin, area=None, responsible_unit="  ")
    assert {"area", "responsible_unit"} <= set(errors_of(exc))


def test_creating_an_event_is_audited_with_its_area(province_admin):
    e = event(province_admin)
    audit = AuditEvent.objects.get(object_type="activities.promotionevent", object_id=str(e.pk))
    assert audit.action == "create" and audit.area_id == e.area_id
    assert audit.changes["name"][1] == "Hội chợ OCOP tỉnh Thái Nguyên 2026"
    assert "hoi cho" in e.search_folded


def test_a_commune_officer_records_only_in_their_commune(chodon_officer):
    with pytest.raises(PermissionDenied):
        event(chodon_officer, NA_RI)
    with pytest.raises(PermissionDenied):
        event(chodon_officer, THAI_NGUYEN)  # the province is above the commune, not inside it
    own = event(chodon_officer, CHO_DON, name="Phiên chợ OCOP xã Chợ Đồn")
    assert own.area.path == CHO_DON
    # and cannot move it out of the commune
    with pytest.raises(PermissionDenied):
        services.update_event(chodon_officer, own, {"area": area(NA_RI)})
    own.refresh_from_db()
    assert own.area.path == CHO_DON


def test_participants_must_be_producers_of_the_events_area(province_admin, hanoi_admin):
    nari = make_product(province_admin, "Miến dong Tài Hoan")
    hanoi = make_product(hanoi_admin, "Chè Hà Nội", commune=HANOI_COMMUNE)
    e = event(province_admin)
    with pytest.raises(ValidationError) as exc:
        services.add_participation(province_admin, e, {"producer": hanoi.producer})
    assert "producer" in errors_of(exc) and "not a producer of" in errors_of(exc)["producer"][0]
    p = services.add_participation(
        province_admin, e, {"producer": nari.producer, "products": [nari], "sales_amount": 15_000_000}
    )
    assert list(p.products.all()) == [nari]
    assert EventParticipation.objects.count() == 1


def test_a_producer_takes_part_once_and_shows_only_its_own_products(province_admin):
    nari = make_product(province_admin, "Miến dong Tài Hoan")
    other = make_product(province_admin, "Mật ong Côn Minh")
    e = event(province_admin)
    with pytest.raises(ValidationError) as exc:
        services.add_participation(province_admin, e, {"producer": nari.producer, "products": [other]})
    assert "products" in errors_of(exc)
    services.add_participation(province_admin, e, {"producer": nari.producer, "products": [nari]})
    with pytest.raises(ValidationError) as exc:
        services.add_participation(province_admin, e, {"producer": nari.producer})
    assert "already takes part" in errors_of(exc)["producer"][0]
    assert EventParticipation.objects.count() == 1


def test_the_commune_cannot_add_participants_to_the_provinces_event(province_admin, nari_officer):
    nari = make_product(province_admin)
    e = event(province_admin)
    with pytest.raises(PermissionDenied):
        services.add_participation(nari_officer, e, {"producer": nari.producer})
    assert not EventParticipation.objects.exists()


def test_removing_a_participation_is_audited(province_admin):
    nari = make_product(province_admin)
    e = event(province_admin)
    p = services.add_participation(province_admin, e, {"producer": nari.producer})
    services.remove_participation(province_admin, p)
    assert not EventParticipation.objects.exists()
    assert (
        AuditEvent.objects.filter(object_type="activities.eventparticipation", action="delete").count() == 1
    )


def test_a_sales_point_closed_before_it_opened_is_refused(province_admin):
    with pytest.raises(ValidationError) as exc:
        sales_point(province_admin, closed_on=dt.date(2025, 8, 1))
    assert "closed_on" in errors_of(exc)
    with pytest.raises(ValidationError) as exc:
        sales_point(province_admin, latitude=22.1)
    assert "longitude" in errors_of(exc)
    assert not SalesPoint.objects.exists()


def test_a_sales_point_keeps_its_products_and_audits_changes(province_admin):
    one = make_product(province_admin, "Miến dong Tài Hoan")
    two = make_product(province_admin, "Mật ong Côn Minh")
    point = sales_point(province_admin, products=[one])
    services.update_sales_point(province_admin, point, {"products": [one, two]})
    assert set(point.products.all()) == {one, two}
    update = AuditEvent.objects.get(object_type="activities.salespoint", action="update")
    assert update.changes["products"] == [[one.pk], sorted([one.pk, two.pk])]


def _answers(version_code: str, value=True, **override) -> dict:
    version = checklist.get(version_code)
    return {**dict.fromkeys(version.item_codes(), value), **override}


def test_an_assessment_stores_its_version_and_reads_the_required_items(province_admin):
    point = sales_point(province_admin)
    ok = services.assess_sales_point(
        province_admin,
        point,
        {
            "checklist_version": "950-2023",
            "assessed_on": dt.date(2025, 10, 1),
            "answers": _answers("950-2023", staff=False),
        },
    )
    assert ok.checklist_version == "950-2023" and ok.meets_criteria  # "staff" is not required
    failed = services.assess_sales_point(
        province_admin,
        point,
        {
            "checklist_version": "950-2023",
            "assessed_on": dt.date(2025, 11, 1),
            "answers": _answers("950-2023", signage=False),
        },
    )
    assert not failed.meets_criteria


def test_answers_for_another_versions_items_are_refused(province_admin):
    point = sales_point(province_admin)
    # "display" is an item of 920-2019, not of 950-2023.
    answers = {**_answers("950-2023"), "display": True}
    with pytest.raises(ValidationError) as exc:
        services.assess_sales_point(
            province_admin,
            point,
            {"checklist_version": "950-2023", "assessed_on": dt.date(2025, 10, 1), "answers": answers},
        )
    assert "display" in errors_of(exc)["answers"][0]
    with pytest.raises(ValidationError) as exc:
        services.assess_sales_point(
            province_admin,
            point,
            {
                "checklist_version": "950-2023",
                "assessed_on": dt.date(2025, 10, 1),
                "answers": _answers("920-2019"),
            },
        )
    assert "answers" in errors_of(exc)
    with pytest.raises(ValidationError) as exc:
        services.assess_sales_point(
            province_admin,
            point,
            {"checklist_version": "9999", "assessed_on": dt.date(2025, 10, 1), "answers": {}},
        )
    assert "checklist_version" in errors_of(exc)
    with pytest.raises(ValidationError) as exc:
        services.assess_sales_point(
            province_admin,
            point,
            {
                "checklist_version": "950-2023",
                "assessed_on": dt.date(2025, 1, 1),
                "answers": _answers("950-2023"),
            },
        )
    assert "assessed_on" in errors_of(exc)  # before the point opened
    assert not SalesPointAssessment.objects.exists()


def test_the_checklist_names_its_legal_basis_and_versions_in_force():
    assert "950/QĐ-BCT" in checklist.get("950-2023").basis
    assert checklist.in_force(dt.date(2020, 1, 1)).code == "920-2019"
    assert checklist.in_force(dt.date(2026, 1, 1)).code == "950-2023"
    for version in checklist.versions().values():
        codes = version.item_codes()
        assert len(codes) == len(set(codes)) and any(i.required for i in version.items)


def test_attendees_must_belong_to_the_courses_area(province_admin, nari_officer, hanoi_admin):
    c = course(province_admin)
    services.add_attendee(province_admin, c, {"kind": "official", "user": nari_officer})
    with pytest.raises(ValidationError) as exc:
        services.add_attendee(province_admin, c, {"kind": "official", "user": nari_officer})
    assert "already an attendee" in errors_of(exc)["user"][0]
    with pytest.raises(ValidationError) as exc:
        services.add_attendee(province_admin, c, {"kind": "official", "user": hanoi_admin})
    assert "holds no role in" in errors_of(exc)["user"][0]
    hanoi = make_product(hanoi_admin, "Chè Hà Nội", commune=HANOI_COMMUNE)
    with pytest.raises(ValidationError) as exc:
        services.add_attendee(province_admin, c, {"kind": "producer", "producer": hanoi.producer})
    assert "producer" in errors_of(exc)
    with pytest.raises(ValidationError) as exc:
        services.add_attendee(province_admin, c, {"kind": "other"})
    assert "name" in errors_of(exc)
    typed = services.add_attendee(
        province_admin, c, {"kind": "other", "name": "Lương Văn Tú", "organisation": "Hội Nông dân xã"}
    )
    assert str(typed) == "Lương Văn Tú"
    assert CourseAttendee.objects.filter(course=c).count() == 2


def test_a_producer_attends_once(province_admin):
    product = make_product(province_admin)
    c = course(province_admin, audience="producers")
    services.add_attendee(
        province_admin, c, {"kind": "producer", "producer": product.producer, "name": "Triệu Thị Hoan"}
    )
    with pytest.raises(ValidationError):
        services.add_attendee(province_admin, c, {"kind": "producer", "producer": product.producer})


def test_a_course_with_reversed_dates_is_refused(province_admin):
    with pytest.raises(ValidationError) as exc:
        course(province_admin, start_date=dt.date(2026, 4, 3), end_date=dt.date(2026, 4, 2))
    assert "end_date" in errors_of(exc)


def test_an_article_needs_a_valid_link_and_outlet_kind(province_admin):
    with pytest.raises(ValidationError) as exc:
        article(province_admin, url="not a link", kind="gossip")
    assert {"url", "kind"} <= set(errors_of(exc))
    assert not OutreachArticle.objects.exists()
    a = article(province_admin, public=True)
    assert a.public


def test_a_hanoi_officer_cannot_edit_thai_nguyens_article(province_admin, hanoi_admin):
    a = article(province_admin)
    with pytest.raises(PermissionDenied):
        services.update_article(hanoi_admin, a, {"title": "Sửa trái phép"})
    a.refresh_from_db()
    assert a.title == "Sản phẩm OCOP Na Rì vươn ra thị trường"


def test_department_officers_record_trade_promotion():
    officer = make_user("sct", "department_officer", THAI_NGUYEN)
    e = event(officer)
    assert e.pk and e.responsible_unit == "Sở Công Thương"
