"""The administrative-unit trees and the 2025 successions, as loaded from vietnamadminunits."""

import datetime as dt

import pytest

from ocop.audit.models import AuditEvent
from ocop.geo.choices import Edition, Kind, Level
from ocop.geo.loader import load_units
from ocop.geo.models import AdminUnit, UnitSuccession
from tests.conftest import BAC_KAN_LEGACY, CON_MINH_LEGACY, CON_MINH_NEW, THAI_NGUYEN

pytestmark = pytest.mark.django_db


def test_bac_kan_legacy_has_8_districts_and_108_communes(unit):
    bac_kan = unit(BAC_KAN_LEGACY)
    assert bac_kan.name == "Tỉnh Bắc Kạn"
    assert bac_kan.code == "06"
    assert bac_kan.valid_to == dt.date(2025, 6, 30)
    districts = AdminUnit.objects.filter(path__startswith=bac_kan.path, level=Level.DISTRICT)
    assert districts.count() == 8
    assert {d.short_name for d in districts} == {
        "Bắc Kạn",
        "Pác Nặm",
        "Ba Bể",
        "Ngân Sơn",
        "Bạch Thông",
        "Chợ Đồn",
        "Chợ Mới",
        "Na Rì",
    }
    assert AdminUnit.objects.filter(path__startswith=bac_kan.path, level=Level.COMMUNE).count() == 108


def test_new_thai_nguyen_has_92_communes(unit):
    thai_nguyen = unit(THAI_NGUYEN)
    assert thai_nguyen.name == "Tỉnh Thái Nguyên"
    assert thai_nguyen.valid_from == dt.date(2025, 7, 1)
    assert thai_nguyen.valid_to is None
    assert AdminUnit.objects.filter(parent=thai_nguyen, level=Level.COMMUNE).count() == 92


def test_every_legacy_bac_kan_commune_maps_into_new_thai_nguyen(unit):
    thai_nguyen = unit(THAI_NGUYEN)
    communes = AdminUnit.objects.filter(path__startswith=BAC_KAN_LEGACY, level=Level.COMMUNE)
    mapped = set(
        UnitSuccession.objects.filter(predecessor__in=communes, successor__parent=thai_nguyen).values_list(
            "predecessor_id", flat=True
        )
    )
    assert mapped == set(communes.values_list("pk", flat=True))
    # …and the current path of each points into Thái Nguyên, so scope and reports follow them.
    assert not communes.exclude(current_path__startswith=THAI_NGUYEN).exists()


def test_34_provinces_and_3321_communes_are_current_on_2026_01_01():
    day = dt.date(2026, 1, 1)
    assert AdminUnit.objects.valid_on(day).filter(level=Level.PROVINCE).count() == 34
    assert AdminUnit.objects.valid_on(day).filter(level=Level.COMMUNE).count() == 3321
    assert not AdminUnit.objects.valid_on(day).filter(level=Level.DISTRICT).exists()


def test_on_a_legacy_date_the_63_province_tree_is_in_force():
    day = dt.date(2024, 12, 31)
    assert AdminUnit.objects.valid_on(day).filter(level=Level.PROVINCE).count() == 63
    assert AdminUnit.objects.valid_on(day).filter(level=Level.DISTRICT).count() == 696
    assert not AdminUnit.objects.valid_on(day).filter(edition=Edition.Y2025).exists()


def test_each_legacy_commune_has_exactly_one_main_successor():
    communes = AdminUnit.objects.filter(edition=Edition.LEGACY, level=Level.COMMUNE)
    with_default = UnitSuccession.objects.filter(predecessor__in=communes, is_default=True)
    assert with_default.count() == communes.count()
    assert with_default.values("predecessor").distinct().count() == communes.count()


def test_con_minh_commune_and_its_successor(unit):
    legacy = unit(CON_MINH_LEGACY)
    assert legacy.name == "Xã Côn Minh"
    assert legacy.parent.name == "Huyện Na Rì"
    assert legacy.kind == Kind.COMMUNE
    assert legacy.current_path == CON_MINH_NEW
    assert [a.name for a in legacy.ancestors()] == ["Tỉnh Bắc Kạn", "Huyện Na Rì"]


def test_districts_kinds_and_names_are_normalised(unit):
    city = unit("legacy/06/058/")
    assert city.name == "Thành phố Bắc Kạn"  # the package writes "Thành Phố"
    assert city.kind == Kind.PROVINCIAL_CITY
    assert unit("legacy/01/").kind == Kind.CITY  # Thành phố Hà Nội
    assert unit("legacy/06/066/").kind == Kind.DISTRICT


def test_loading_again_is_skipped_and_forced_reload_changes_nothing():
    before = AdminUnit.objects.count(), UnitSuccession.objects.count()
    assert load_units().skipped
    report = load_units(force=True)
    assert (report.created, report.updated, report.successions_created, report.successions_updated) == (
        0,
        0,
        0,
        0,
    )
    assert (AdminUnit.objects.count(), UnitSuccession.objects.count()) == before


def test_reload_repairs_a_changed_unit_and_is_audited(unit):
    tampered = unit(CON_MINH_LEGACY)
    AdminUnit.objects.filter(pk=tampered.pk).update(name="Xã Sai Tên", current_path="")
    report = load_units(force=True)
    assert report.updated == 1 and report.created == 0
    tampered.refresh_from_db()
    assert tampered.name == "Xã Côn Minh"
    assert tampered.current_path == CON_MINH_NEW
    event = AuditEvent.objects.filter(object_type="geo.adminunit", action="import").latest("seq")
    assert event.changes["updated"] == 1
