"""Every indicator the planning app counts, against hand-built records: what counts, what does not
(outside the period, the area, the star, the validity), and the 2025 successions."""

from __future__ import annotations

import datetime as dt

import pytest

from ocop.planning import indicators
from ocop.registry.models import MarketplaceListing, ProducerLinkage, ProductStandard
from tests.conftest import BAC_KAN_LEGACY, CHO_DON, CON_MINH_LEGACY, CON_MINH_NEW, NA_RI, THAI_NGUYEN

from .conftest import Y2024, Y2025
from .helpers import certify, producer, product, supersede, unit

pytestmark = pytest.mark.django_db

D = dt.date


def names(code, area, period):
    counter = indicators.get(code)
    return sorted(str(r) for r in counter.records(area, *period))


def count(code, area, period):
    return indicators.count(code, area, *period)


def test_every_planning_code_has_a_counter_with_records():
    from ocop.planning.models import Indicator

    planning_codes = set(Indicator.objects.filter(counted_by="planning").values_list("code", flat=True))
    assert planning_codes == {
        "new_products_3star",
        "producers_strengthened",
        "new_producers",
        "products_traceable",
        "producers_linked",
        "products_advanced_quality",
        "upgraded_3_to_4",
        "upgraded_4_to_5",
        "communes_with_product",
        "communes_without_product",
        "new_economic_organisations",
        "products_tourism",
        "products_listed_online",
    }
    for code in planning_codes:
        assert indicators.get(code) is not None and indicators.get(code).records is not None, code


def test_new_products_3star(nari_district, cho_don_legacy_commune):
    a = producer(CON_MINH_LEGACY)
    new = product(a, "Mới 2024")
    certify(new, 3, D(2024, 3, 1))
    renewed = product(a, "Công nhận lại 2024")
    old = certify(renewed, 3, D(2021, 12, 29), D(2024, 12, 28))
    certify(renewed, 3, D(2024, 12, 29))
    assert old.product_id == renewed.pk
    later = product(a, "Năm sau")
    certify(later, 4, D(2025, 1, 10))
    two_star = product(a, "Hai sao")
    certify(two_star, 2, D(2024, 6, 1))
    elsewhere = product(producer(cho_don_legacy_commune.path), "Chợ Đồn 2024")
    certify(elsewhere, 3, D(2024, 5, 5))

    assert names("new_products_3star", nari_district, Y2024) == ["Mới 2024"]
    assert count("new_products_3star", nari_district, Y2024) == 1
    assert count("new_products_3star", unit(BAC_KAN_LEGACY), Y2024) == 2
    # The new Thái Nguyên includes the former Bắc Kạn; Na Rì commune (2025) does not hold Côn Minh.
    assert count("new_products_3star", unit(THAI_NGUYEN), Y2024) == 2
    assert count("new_products_3star", unit(NA_RI), Y2024) == 0
    assert count("new_products_3star", None, Y2024) == 2


def test_a_former_district_target_counts_products_of_its_successor_communes(nari_district):
    """A product registered after 01/07/2025 in the new Côn Minh (successor of the legacy Côn Minh of
    Na Rì district) counts for a target set for the former district of Na Rì."""
    successor = unit(CON_MINH_NEW)
    assert unit(CON_MINH_LEGACY).current_path == successor.path
    owner = producer(CON_MINH_NEW, registration_date=D(2025, 8, 1))
    item = product(owner, "Sau sáp nhập")
    certify(item, 3, D(2025, 9, 1))
    assert names("new_products_3star", nari_district, Y2025) == ["Sau sáp nhập"]
    assert count("new_producers", nari_district, Y2025) == 1
    assert count("new_products_3star", unit(BAC_KAN_LEGACY), Y2025) == 1


def test_new_producers_and_producers_strengthened():
    new = producer(CON_MINH_LEGACY, "HTX mới")
    certify(product(new), 3, D(2024, 4, 1))
    added = producer(CON_MINH_LEGACY, "HTX thêm sản phẩm")
    certify(product(added), 3, D(2020, 6, 1))
    certify(product(added), 3, D(2024, 7, 1))
    upgraded = producer(CON_MINH_LEGACY, "HTX nâng hạng")
    first = certify(product(upgraded), 3, D(2022, 6, 1))
    supersede(first, 4, D(2024, 8, 1))
    renewed = producer(CON_MINH_LEGACY, "HTX công nhận lại")
    item = product(renewed)
    certify(item, 3, D(2021, 12, 29), D(2024, 12, 28))
    certify(item, 3, D(2024, 12, 29))
    idle = producer(CON_MINH_LEGACY, "HTX không đổi")
    certify(product(idle), 4, D(2023, 1, 1))

    area = unit(BAC_KAN_LEGACY)
    assert names("new_producers", area, Y2024) == ["HTX mới"]
    assert names("producers_strengthened", area, Y2024) == ["HTX nâng hạng", "HTX thêm sản phẩm"]
    assert count("producers_strengthened", area, Y2024) == 2


def test_upgrades():
    owner = producer(CON_MINH_LEGACY)
    three_four = product(owner, "3 lên 4")
    supersede(certify(three_four, 3, D(2021, 1, 1)), 4, D(2024, 2, 1))
    four_five = product(owner, "4 lên 5")
    supersede(certify(four_five, 4, D(2022, 1, 1)), 5, D(2024, 3, 1))
    jump = product(owner, "3 lên 5")
    supersede(certify(jump, 3, D(2022, 1, 1)), 5, D(2024, 3, 1))
    same = product(owner, "4 giữ 4")
    supersede(certify(same, 4, D(2021, 6, 1)), 4, D(2024, 6, 1))
    down = product(owner, "4 xuống 3")
    supersede(certify(down, 4, D(2021, 6, 1)), 3, D(2024, 6, 1))
    early = product(owner, "3 lên 4 năm 2023")
    supersede(certify(early, 3, D(2020, 6, 1)), 4, D(2023, 6, 1))

    area = unit(BAC_KAN_LEGACY)
    assert names("upgraded_3_to_4", area, Y2024) == ["3 lên 4"]
    assert names("upgraded_4_to_5", area, Y2024) == ["4 lên 5"]
    assert count("upgraded_3_to_4", area, (D(2023, 1, 1), D(2023, 12, 31))) == 1


def test_products_traceable():
    owner = producer(CON_MINH_LEGACY)
    yes = product(owner, "Có truy xuất", traceability_system="iCheck", traceability_since=D(2024, 5, 1))
    certify(yes, 3, D(2023, 1, 1))
    by_url = product(owner, "Có mã QR", traceability_url="https://truyxuat.vn/sp/1")
    certify(by_url, 3, D(2023, 1, 1))
    late = product(owner, "Truy xuất từ 2025", traceability_system="iCheck", traceability_since=D(2025, 2, 1))
    certify(late, 3, D(2023, 1, 1))
    none = product(owner, "Không truy xuất")
    certify(none, 3, D(2023, 1, 1))
    expired = product(owner, "Hết hạn", traceability_system="iCheck")
    certify(expired, 3, D(2021, 1, 1), D(2023, 12, 31))
    revoked = product(owner, "Bị thu hồi", traceability_system="iCheck")
    certify(revoked, 3, D(2023, 1, 1), state="revoked", ended_on=D(2024, 10, 1))
    uncertified = product(owner, "Chưa chứng nhận", traceability_system="iCheck")
    assert uncertified.pk

    assert names("products_traceable", unit(BAC_KAN_LEGACY), Y2024) == ["Có mã QR", "Có truy xuất"]


def test_products_advanced_quality():
    owner = producer(CON_MINH_LEGACY)
    vietgap = product(owner, "VietGAP")
    certify(vietgap, 3, D(2023, 1, 1))
    ProductStandard.objects.create(
        product=vietgap, kind="vietgap", issued_on=D(2023, 5, 1), expires_on=D(2025, 5, 1)
    )
    lapsed = product(owner, "VietGAP hết hạn")
    certify(lapsed, 3, D(2023, 1, 1))
    ProductStandard.objects.create(
        product=lapsed, kind="vietgap", issued_on=D(2021, 5, 1), expires_on=D(2024, 5, 1)
    )
    declared = product(owner, "Tự công bố")
    certify(declared, 3, D(2023, 1, 1))
    ProductStandard.objects.create(product=declared, kind="declaration")
    uncertified = product(owner, "HACCP chưa OCOP")
    ProductStandard.objects.create(product=uncertified, kind="haccp")

    assert names("products_advanced_quality", unit(BAC_KAN_LEGACY), Y2024) == ["VietGAP"]


def test_products_listed_online():
    owner = producer(CON_MINH_LEGACY)
    selling = product(owner, "Đang bán")
    certify(selling, 3, D(2023, 1, 1))
    MarketplaceListing.objects.create(
        product=selling, platform="shopee", url="https://shopee.vn/a", listed_on=D(2024, 2, 1)
    )
    paused = product(owner, "Tạm dừng")
    certify(paused, 3, D(2023, 1, 1))
    MarketplaceListing.objects.create(
        product=paused, platform="tiki", url="https://tiki.vn/a", status="paused"
    )
    later = product(owner, "Lên sàn 2025")
    certify(later, 3, D(2023, 1, 1))
    MarketplaceListing.objects.create(
        product=later, platform="voso", url="https://voso.vn/a", listed_on=D(2025, 3, 1)
    )

    assert names("products_listed_online", unit(BAC_KAN_LEGACY), Y2024) == ["Đang bán"]


def test_products_tourism():
    owner = producer(CON_MINH_LEGACY)
    tour = product(owner, "Du lịch cộng đồng", set_code="26")
    certify(tour, 3, D(2023, 1, 1))
    food = product(owner, "Miến dong", set_code="7")
    certify(food, 3, D(2023, 1, 1))
    uncertified = product(owner, "Homestay chưa OCOP", set_code="26")
    assert uncertified.category.parent.parent.name.lower().count("du lịch")

    assert names("products_tourism", unit(BAC_KAN_LEGACY), Y2024) == ["Du lịch cộng đồng"]


def test_producers_linked():
    linked = producer(CON_MINH_LEGACY, "HTX liên kết")
    certify(product(linked), 3, D(2023, 1, 1))
    ProducerLinkage.objects.create(producer=linked, partner="Siêu thị A", start_date=D(2023, 6, 1))
    ended = producer(CON_MINH_LEGACY, "HTX hết liên kết")
    certify(product(ended), 3, D(2023, 1, 1))
    ProducerLinkage.objects.create(
        producer=ended, partner="Cty B", start_date=D(2022, 1, 1), end_date=D(2023, 12, 31)
    )
    uncertified = producer(CON_MINH_LEGACY, "HTX chưa có OCOP")
    product(uncertified)
    ProducerLinkage.objects.create(producer=uncertified, partner="Cty C")

    assert names("producers_linked", unit(BAC_KAN_LEGACY), Y2024) == ["HTX liên kết"]


def test_new_economic_organisations():
    coop = producer(CON_MINH_LEGACY, "HTX thành lập 2024", registration_date=D(2024, 5, 2))
    product(coop)
    firm = producer(CON_MINH_LEGACY, "Công ty TNHH 2024", kind="enterprise", registration_date=D(2024, 9, 9))
    product(firm)
    household = producer(
        CON_MINH_LEGACY, "Hộ kinh doanh 2024", kind="household", registration_date=D(2024, 3, 3)
    )
    product(household)
    old = producer(CON_MINH_LEGACY, "HTX 2023", registration_date=D(2023, 5, 2))
    product(old)
    producer(CON_MINH_LEGACY, "HTX chưa có sản phẩm", registration_date=D(2024, 6, 6))

    assert names("new_economic_organisations", unit(BAC_KAN_LEGACY), Y2024) == [
        "Công ty TNHH 2024",
        "HTX thành lập 2024",
    ]


def test_communes_with_and_without_a_product(nari_district):
    from ocop.geo.models import AdminUnit

    legacy_communes = AdminUnit.objects.filter(parent=nari_district, level=3).count()
    owner = producer(CON_MINH_LEGACY)
    certify(product(owner), 3, D(2023, 1, 1))
    lapsed = producer(CON_MINH_LEGACY)
    certify(product(lapsed), 3, D(2020, 1, 1), D(2022, 12, 31))

    assert names("communes_with_product", nari_district, Y2024) == [unit(CON_MINH_LEGACY).name]
    assert count("communes_without_product", nari_district, Y2024) == legacy_communes - 1
    # For a current area, the legacy commune's product counts for its successor commune.
    current = AdminUnit.objects.filter(parent__path=THAI_NGUYEN, level=3).count()
    assert names("communes_with_product", unit(THAI_NGUYEN), Y2024) == [unit(CON_MINH_NEW).name]
    assert count("communes_without_product", unit(THAI_NGUYEN), Y2024) == current - 1
    # Nothing valid at the end of 2026 (the 2023 certificate ends on 31/12/2025).
    assert count("communes_with_product", nari_district, (D(2026, 1, 1), D(2026, 12, 31))) == 0


def test_communes_of_a_former_district_count_products_made_after_the_merger(nari_district):
    owner = producer(CON_MINH_NEW, registration_date=D(2025, 8, 1))
    certify(product(owner), 3, D(2025, 9, 1))
    with_product = names("communes_with_product", nari_district, Y2025)
    assert unit(CON_MINH_LEGACY).name in with_product
    # Only the legacy communes that the new Côn Minh succeeds.
    from ocop.geo.models import AdminUnit

    merged = AdminUnit.objects.filter(parent=nari_district, current_path=CON_MINH_NEW).count()
    assert count("communes_with_product", nari_district, Y2025) == merged


def test_a_support_grant_strengthens_a_producer():
    from django.apps import apps

    try:
        grant_model = apps.get_model("funding", "SupportGrant")
        source_model = apps.get_model("funding", "FundingSource")
    except LookupError:
        pytest.skip("the funding app has no SupportGrant")
    supported = producer(CON_MINH_LEGACY, "HTX được hỗ trợ")
    certify(product(supported), 3, D(2022, 1, 1))
    late = producer(CON_MINH_LEGACY, "HTX hỗ trợ năm sau")
    certify(product(late), 3, D(2022, 1, 1))
    source = source_model.objects.create(kind="ntp_new_rural", name="Chương trình MTQG", year=2024)
    for owner, day in ((supported, D(2024, 5, 1)), (late, D(2025, 2, 1))):
        grant_model.objects.create(
            producer=owner,
            commune=owner.commune,
            kind="packaging_label",
            decision_number="1/QĐ",
            decision_date=day,
            approved_amount=50_000_000,
            source=source,
            responsible_unit="VPĐP",
        )
    assert names("producers_strengthened", unit(BAC_KAN_LEGACY), Y2024) == ["HTX được hỗ trợ"]


def _records_in_three_communes():
    """Certified, upgraded, traceable and linked records in Na Rì, Chợ Đồn and — through the former
    Côn Minh, registered before the merger — the new Côn Minh; one outside the period."""
    for path, n in ((NA_RI, 1), (CHO_DON, 2), (CON_MINH_LEGACY, 3)):
        for i in range(n):
            owner = producer(path, kind="enterprise", registration_date=D(2024, 2, 1))
            certify(product(owner, traceability_system="iCheck"), 3, D(2024, 3, 1 + i))
            old = certify(product(owner), 3, D(2020, 5, 1))
            supersede(old, 4, D(2024, 6, 1))
            ProducerLinkage.objects.create(producer=owner, partner="Siêu thị", start_date=D(2023, 1, 1))
    certify(product(producer(NA_RI)), 3, D(2023, 3, 1))  # the year before


def test_communes_are_counted_together_as_each_alone(django_assert_max_num_queries):
    """count_in_communes gives every commune what count() gives it, in one grouped query per
    province, for each counter that declares how its records are placed."""
    _records_in_three_communes()
    communes = [unit(NA_RI), unit(CHO_DON), unit(CON_MINH_NEW)]
    grouped = [code for code, c in indicators.registered().items() if c.placed_by]
    assert {"new_products_3star", "products_traceable", "producers_strengthened"} <= set(grouped)
    seen_nonzero = set()
    for code in grouped:
        alone = {u.pk: count(code, u, Y2024) for u in communes}
        with django_assert_max_num_queries(3):
            together = indicators.count_in_communes(code, communes, *Y2024)
        assert together == alone, code
        seen_nonzero |= {code for n in together.values() if n}
    assert {
        "new_products_3star",
        "products_traceable",
        "upgraded_3_to_4",
        "producers_strengthened",
        "producers_linked",
        "new_economic_organisations",
    } <= seen_nonzero
    assert indicators.count_in_communes("new_products_3star", communes, *Y2024) == {
        communes[0].pk: 1,
        communes[1].pk: 2,
        communes[2].pk: 3,
    }
    # Not for former units, nor for counters that do not declare how their records are placed.
    assert indicators.count_in_communes("new_products_3star", [unit(CON_MINH_LEGACY)], *Y2024) is None
    assert indicators.count_in_communes("communes_with_product", communes, *Y2024) is None
