"""The demo registry: real Bắc Kạn rows completed with illustrative records so that the counts by
date reproduce the published totals (ocop.registry.demo)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from ocop.audit.models import AuditEvent
from ocop.audit.services import verify
from ocop.certification.models import Certificate, IssuingLevel
from ocop.geo.models import AdminUnit
from ocop.registry import demo
from ocop.registry.models import Producer, Product, ProductCategory
from tests.factories import make_user

BAC_KAN = "legacy/06/"


def stars_by_product(day: dt.date) -> dict[int, int]:
    """The definition the totals use: products of the former Bắc Kạn with a certificate valid on
    `day`, each counted at its highest star."""
    best: dict[int, int] = {}
    rows = Certificate.objects.valid_on(day).filter(product__commune__path__startswith=BAC_KAN)
    for product_id, stars in rows.values_list("product_id", "stars"):
        best[product_id] = max(best.get(product_id, 0), stars)
    return best


def star_counts(day: dt.date) -> dict[int, int]:
    counts = Counter(stars_by_product(day).values())
    return {5: counts[5], 4: counts[4], 3: counts[3]}


def producer_kinds(day: dt.date) -> Counter:
    return Counter(
        Producer.objects.filter(products__in=list(stars_by_product(day)))
        .distinct()
        .values_list("kind", flat=True)
    )


def snapshot() -> list[tuple]:
    return sorted(
        Certificate.objects.values_list(
            "product__producer__name",
            "product__producer__kind",
            "product__producer__commune__path",
            "product__name",
            "product__commune__path",
            "product__category__code",
            "stars",
            "issued_on",
            "valid_until",
            "ended_on",
            "decision_number",
            "is_illustrative",
        )
    )


@pytest.fixture
def loaded(db):
    return demo.load_registry_demo()


CHECKPOINTS = [
    (dt.date(2018, 12, 31), {5: 0, 4: 5, 3: 32}),
    (dt.date(2021, 12, 31), {5: 1, 4: 11, 3: 143}),
    (dt.date(2023, 6, 30), {5: 1, 4: 18, 3: 163}),
    (dt.date(2023, 11, 30), {5: 1, 4: 18, 3: 165}),
]


@pytest.mark.parametrize(("day", "expected"), CHECKPOINTS)
def test_products_by_star_reproduce_the_totals(loaded, day, expected):
    assert star_counts(day) == expected
    assert sum(expected.values()) == len(stars_by_product(day))
    # The annotation the dashboards use agrees with the definition.
    annotated = Counter(
        Product.objects.filter(commune__path__startswith=BAC_KAN)
        .with_star_on(day)
        .filter(stars__isnull=False)
        .values_list("stars", flat=True)
    )
    assert {s: annotated[s] for s in (5, 4, 3)} == expected


@pytest.mark.parametrize("day", [dt.date(2023, 6, 30), dt.date(2023, 11, 30)])
def test_producers_by_kind_in_2023(loaded, day):
    assert producer_kinds(day) == {
        "cooperative": 73,
        "cooperative_group": 10,
        "household": 22,
        "enterprise": 5,
    }


def test_2018_products_come_from_the_reported_number_of_producers(loaded):
    """ "5 four-star products from 4 producers; 32 three-star from 28 producers"."""
    best = stars_by_product(dt.date(2018, 12, 31))
    producers = dict(Product.objects.filter(pk__in=list(best)).values_list("pk", "producer"))
    for stars, expected in ((4, 4), (3, 28)):
        assert len({producers[pk] for pk, s in best.items() if s == stars}) == expected


def test_58_of_108_communes_have_no_product_at_the_end_of_2021(loaded):
    communes = set(AdminUnit.objects.filter(path__startswith=BAC_KAN, level=3).values_list("pk", flat=True))
    assert len(communes) == 108
    with_product = set(
        Product.objects.filter(pk__in=list(stars_by_product(dt.date(2021, 12, 31)))).values_list(
            "commune", flat=True
        )
    )
    assert with_product <= communes
    assert len(communes - with_product) == 58


def test_every_real_row_is_present_as_the_source_gives_it(loaded):
    rows = demo.read_rows()
    assert len(rows) == 36
    for row in rows:
        product = Product.objects.select_related("producer", "commune__parent", "category__scheme").get(
            name=row["product"], producer__name=row["producer"]
        )
        assert not product.is_illustrative and not product.producer.is_illustrative, row["product"]
        assert product.producer.kind == row["producer_kind"]
        assert product.commune.path.startswith(BAC_KAN) and product.commune.level == 3
        assert product.commune.parent.name == (row["district_legacy"] or "Thành phố Bắc Kạn")
        if row["commune_legacy"]:
            assert product.commune.name == row["commune_legacy"]
        else:
            assert "không được nêu trong nguồn" in product.description
        assert product.category.scheme.code == "26-2026" and product.category.level == 3
        # Its real star, on a day after its recognition.
        day = dt.date(int(row["year_recognised"]) + 1, 6, 30)
        assert stars_by_product(day).get(product.pk) == int(row["stars"] or 3), row["product"]
        # The decision the source gives, and no decision number it does not give.
        numbers = set(
            product.certificates.exclude(decision_number="").values_list("decision_number", flat=True)
        )
        source_numbers = {
            n for n in ("2890/QĐ-BNN-VPĐP", "2616/QĐ-UBND") if n in row["decision"] + row["note"]
        }
        assert numbers == source_numbers, row["product"]


def test_the_five_star_product_and_its_history(loaded):
    product = Product.objects.get(name="Miến dong Tài Hoan")
    certificates = list(product.certificates.order_by("issued_on"))
    assert [(c.stars, c.issued_on) for c in certificates] == [
        (4, dt.date(2018, 12, 13)),
        (5, dt.date(2021, 6, 30)),
        (5, dt.date(2024, 6, 25)),
    ]
    national = certificates[1]
    assert national.decision_number == "2890/QĐ-BNN-VPĐP"
    assert national.issuing_level == IssuingLevel.MINISTRY
    assert national.valid_until == dt.date(2024, 6, 29)
    assert product.commune.path == "legacy/06/066/02173/"  # Xã Côn Minh, Huyện Na Rì


def test_certificates_last_36_months_under_the_rule_of_their_date(loaded):
    for c in Certificate.objects.all():
        end = demo.add_months(c.issued_on, 36) - dt.timedelta(days=1)
        assert c.valid_until == end
        assert c.rule_version == demo.rule_for(c.issued_on)
        assert c.rule_version in ("1048/QĐ-TTg", "148/QĐ-TTg", "26/2026/QĐ-TTg")
        assert c.issuing_level == (IssuingLevel.MINISTRY if c.stars == 5 else IssuingLevel.PROVINCE)


def test_illustrative_records_are_flagged_and_never_look_official(loaded):
    real_products = {(r["producer"], r["product"]) for r in demo.read_rows()}
    real_producers = {p for p, _ in real_products}
    for producer in Producer.objects.all():
        assert producer.is_illustrative == (producer.name not in real_producers), producer.name
        if producer.is_illustrative:
            assert "minh họa" in producer.name
            assert "minh họa" in producer.legal_representative
            assert producer.tax_code == ""
    for product in Product.objects.select_related("producer"):
        assert product.is_illustrative == ((product.producer.name, product.name) not in real_products)
        if product.is_illustrative:
            assert product.name.startswith("Sản phẩm minh họa ")
    illustrative = Certificate.objects.filter(is_illustrative=True)
    assert illustrative.exists()
    for certificate in illustrative:
        assert certificate.decision_number == "" and certificate.number == ""
        assert "minh họa" in certificate.note.lower()
    # Illustrative products only ever have illustrative certificates.
    assert not Certificate.objects.filter(product__is_illustrative=True, is_illustrative=False).exists()


def test_illustrative_re_evaluations_keep_products_in_force_today(loaded):
    """Certificates ending after the last published total were mostly renewed the next day."""
    renewals = Certificate.objects.filter(
        is_illustrative=True, note__contains="đánh giá lại minh họa khi hết 36"
    )
    assert renewals.count() == 113
    assert all(c.issued_on > dt.date(2023, 11, 30) for c in renewals)
    in_force = Certificate.objects.valid_on(dt.date(2026, 12, 1)).values("product").distinct().count()
    assert in_force > 80


def test_sizes(loaded):
    assert loaded.producers == Producer.objects.count() == 117
    assert loaded.products == Product.objects.count() == 199
    assert loaded.certificates == Certificate.objects.count() == 353
    assert Producer.objects.filter(is_illustrative=False).count() == 25
    assert Product.objects.filter(is_illustrative=False).count() == 36
    assert Certificate.objects.filter(is_illustrative=False).count() == 40


def test_every_write_is_audited(loaded):
    events = {e.object_type: e for e in AuditEvent.objects.filter(action="import")}
    assert events["registry.producer"].changes["count"] == Producer.objects.count()
    assert events["registry.product"].changes["count"] == Product.objects.count()
    assert events["certification.certificate"].changes["count"] == Certificate.objects.count()
    assert sorted(events["registry.product"].changes["ids"]) == sorted(
        Product.objects.values_list("pk", flat=True)
    )
    assert verify().ok


def test_plan_is_deterministic(db):
    units = demo.Units.load()
    assert demo.build_plan(units) == demo.build_plan(units)


def test_second_load_creates_nothing(db):
    out = StringIO()
    call_command("demo", "load", stdout=out)
    assert "117 producers, 199 products, 353 certificates created" in out.getvalue()
    before, events = snapshot(), AuditEvent.objects.count()
    out = StringIO()
    call_command("demo", "load", stdout=out)
    assert "0 producers, 0 products, 0 certificates created" in out.getvalue()
    assert snapshot() == before
    assert AuditEvent.objects.count() == events


def test_load_links_the_demo_producer_account(db):
    user = make_user("htx.taihoan", "producer", "2025/19/02185/")
    report = demo.load_registry_demo()
    assert report.linked == 1
    assert list(user.producers.values_list("name", flat=True)) == ["HTX Tài Hoan"]
    assert demo.load_registry_demo().linked == 0


def test_reset_rebuilds_the_same_data_and_keeps_other_records(db, province_admin, unit):
    from ocop.registry import services

    demo.load_registry_demo()
    before = snapshot()
    # Records that are not the demo's survive a reset.
    own = services.create_producer(
        province_admin,
        {"kind": "household", "name": "Hộ kinh doanh Người dùng", "commune": unit("2025/19/02155/")},
    )
    tai_hoan = Producer.objects.get(name="HTX Tài Hoan")
    category = ProductCategory.objects.get(scheme__code="26-2026", level=3, code="7")
    Product.objects.create(
        name="Sản phẩm người dùng thêm", producer=tai_hoan, category=category, commune=tai_hoan.commune
    )

    out = StringIO()
    call_command("demo", "reset", stdout=out)
    assert "199 products, 353 certificates deleted" in out.getvalue()
    assert Producer.objects.filter(pk=own.pk).exists()
    assert Producer.objects.filter(pk=tai_hoan.pk).exists()  # kept: it has a product the demo did not make
    assert Product.objects.filter(name="Sản phẩm người dùng thêm").exists()
    assert snapshot() == before
    for day, expected in CHECKPOINTS:
        assert star_counts(day) == expected
    assert producer_kinds(dt.date(2023, 6, 30))["enterprise"] == 5
    assert AuditEvent.objects.filter(action="delete", object_type="registry.product").exists()
    assert verify().ok


def test_refuses_to_run_in_production(db, settings):
    settings.PRODUCTION = True
    for sub in ("load", "reset"):
        with pytest.raises(CommandError, match="production"):
            call_command("demo", sub, stdout=StringIO())
    assert not Producer.objects.exists()
