"""Producers and products: validation, duplicates, scope, audit, codes."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ocop.audit.models import AuditEvent
from ocop.registry import services
from ocop.registry.models import Producer, Product
from tests.conftest import CHO_DON, CON_MINH_LEGACY, NA_RI, NA_RI_DISTRICT

pytestmark = pytest.mark.django_db


def test_create_producer_is_audited_with_status_history(producer, province_admin):
    assert producer.tax_code == "4700256572"
    assert producer.status_history.get().status == "active"
    event = AuditEvent.objects.get(
        object_type="registry.producer", object_id=str(producer.pk), action="create"
    )
    assert event.actor == province_admin and event.area == producer.commune
    assert event.changes["name"] == [None, "HTX Tài Hoan"]


def test_same_tax_code_is_refused_naming_the_existing_record(producer, province_admin, unit):
    with pytest.raises(ValidationError) as exc:
        services.create_producer(
            province_admin,
            {
                "kind": "enterprise",
                "name": "Công ty khác",
                "tax_code": "4700 256 572",
                "commune": unit(CHO_DON),
            },
        )
    message = exc.value.message_dict["tax_code"][0]
    assert "HTX Tài Hoan" in message and "Xã Na Rì" in message
    assert exc.value.message_dict["duplicate_of"] == [str(producer.pk)]
    assert Producer.objects.count() == 1


def test_same_name_in_the_same_commune_is_refused_even_written_differently(producer, province_admin, unit):
    with pytest.raises(ValidationError) as exc:
        services.create_producer(
            province_admin, {"kind": "cooperative", "name": "Hợp tác xã  tài hoan", "commune": unit(NA_RI)}
        )
    assert "HTX Tài Hoan" in exc.value.message_dict["name"][0]
    # The same name in another commune is another producer.
    other = services.create_producer(
        province_admin, {"kind": "cooperative", "name": "HTX Tài Hoan", "commune": unit(CHO_DON)}
    )
    assert other.pk != producer.pk


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"tax_code": "4700256579"}, "tax_code"),
        ({"commune_path": NA_RI_DISTRICT}, "commune"),  # a district, not a commune
        ({"commune_path": CON_MINH_LEGACY}, "commune"),  # legacy unit, no longer in force today
        ({"name": "  "}, "name"),
        ({"email": "not-mail"}, "email"),
        ({"founded_year": 1700}, "founded_year"),
        ({"local_labour_percent": 130}, "local_labour_percent"),
        ({"kind": "company"}, "kind"),
        ({"registration_date": dt.date(2099, 1, 1)}, "registration_date"),
        ({"name": "x" * 300}, "name"),
    ],
)
def test_bad_producer_input_is_refused_and_nothing_is_written(province_admin, unit, changes, field):
    data = {"kind": "cooperative", "name": "HTX Mới", "commune": unit(NA_RI)}
    path = changes.pop("commune_path", None)
    if path:
        data["commune"] = unit(path)
    data.update(changes)
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.create_producer(province_admin, data)
    assert field in exc.value.message_dict
    assert Producer.objects.count() == 0 and AuditEvent.objects.count() == events


def test_a_legacy_commune_is_accepted_when_registered_before_the_reform(province_admin, unit):
    producer = services.create_producer(
        province_admin,
        {
            "kind": "cooperative",
            "name": "HTX Bảo Châu",
            "commune": unit(CON_MINH_LEGACY),
            "registration_date": dt.date(2019, 3, 1),
        },
    )
    assert producer.commune.is_legacy


def test_commune_officer_registers_only_in_their_commune(nari_officer, chodon_officer, unit):
    assert services.create_producer(
        nari_officer, {"kind": "household", "name": "Hộ Nông Văn A", "commune": unit(NA_RI)}
    )
    with pytest.raises(PermissionDenied):
        services.create_producer(
            chodon_officer, {"kind": "household", "name": "Hộ Nông Văn B", "commune": unit(NA_RI)}
        )


def test_update_records_only_changed_fields(producer, province_admin):
    producer.phone = "0209 3870 000"  # a form may have changed the instance already
    services.update_producer(province_admin, producer, {"phone": "0209 3870 000", "members_count": 12})
    event = AuditEvent.objects.filter(object_type="registry.producer", action="update").latest("seq")
    assert event.changes == {"phone": ["", "0209 3870 000"], "members_count": [None, 12]}


def test_status_change_needs_a_reason_and_keeps_history(producer, province_admin):
    from django.utils import timezone

    today = timezone.localdate()
    with pytest.raises(ValidationError):
        services.change_producer_status(province_admin, producer, "dissolved", today, "")
    with pytest.raises(ValidationError) as exc:  # before it was registered
        services.change_producer_status(
            province_admin, producer, "dissolved", today - dt.timedelta(days=1), "x"
        )
    assert "effective_date" in exc.value.message_dict
    services.change_producer_status(
        province_admin, producer, "dissolved", today, "Quyết định giải thể số 12/QĐ-UBND"
    )
    assert [s.status for s in producer.status_history.all()] == ["dissolved", "active"]


def test_product_must_use_a_product_set_and_a_producer_in_scope(
    province_admin, producer, category, unit, chodon_officer
):
    with pytest.raises(ValidationError) as exc:
        services.create_product(
            province_admin,
            {"name": "Miến", "producer": producer, "commune": unit(NA_RI), "category": category.parent},
        )
    assert "category" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        services.create_product(
            chodon_officer,
            {"name": "Miến", "producer": producer, "commune": unit(CHO_DON), "category": category},
        )
    assert Product.objects.count() == 0


def test_duplicate_product_name_for_the_same_producer(product, province_admin, producer, category, unit):
    with pytest.raises(ValidationError) as exc:
        services.create_product(
            province_admin,
            {
                "name": "MIẾN DONG Tài Hoan",
                "producer": producer,
                "commune": unit(NA_RI),
                "category": category,
            },
        )
    assert "Miến dong Tài Hoan" in exc.value.message_dict["name"][0]


def test_product_code_follows_the_decision_pattern_and_sequence(
    product, province_admin, producer, category, unit
):
    code = services.assign_product_code(province_admin, product, 2026)
    assert code == "19-02155-001-2026"
    second = services.create_product(
        province_admin,
        {"name": "Miến dong khô", "producer": producer, "commune": unit(NA_RI), "category": category},
    )
    assert services.assign_product_code(province_admin, second, 2026) == "19-02155-002-2026"
    with pytest.raises(ValidationError):
        services.assign_product_code(province_admin, product, 2026)


def test_children_are_validated_and_audited(product, province_admin):
    with pytest.raises(ValidationError) as exc:
        services.add_child(
            province_admin,
            product,
            "standard",
            {"kind": "vietgap", "issued_on": dt.date(2025, 5, 1), "expires_on": dt.date(2024, 5, 1)},
        )
    assert "expires_on" in exc.value.message_dict
    standard = services.add_child(
        province_admin,
        product,
        "standard",
        {"kind": "vietgap", "certificate_number": "VG-123", "issued_on": dt.date(2025, 5, 1)},
    )
    listing = services.add_child(
        province_admin, product, "listing", {"platform": "shopee", "url": "https://shopee.vn/mien-dong"}
    )
    with pytest.raises(ValidationError):
        services.add_child(
            province_admin, product, "listing", {"platform": "lazada", "url": "https://shopee.vn/mien-dong"}
        )
    services.remove_child(province_admin, product, "listing", listing.pk)
    assert list(product.standards.all()) == [standard] and not product.listings.exists()
    kinds = [
        next(iter(e.changes))
        for e in AuditEvent.objects.filter(object_type="registry.product", action="update").order_by("seq")
    ]
    assert kinds == ["standard+", "listing+", "listing-"]


def test_withdrawal_needs_a_reason(product, province_admin):
    with pytest.raises(ValidationError):
        services.set_lifecycle(province_admin, product, "withdrawn")
    services.set_lifecycle(province_admin, product, "withdrawn", "Ngừng sản xuất")
    product.refresh_from_db()
    assert product.lifecycle == "withdrawn"


def test_a_legacy_record_can_be_edited_without_moving_it(province_admin, unit):
    producer = services.create_producer(
        province_admin,
        {
            "kind": "cooperative",
            "name": "HTX Bảo Châu",
            "commune": unit(CON_MINH_LEGACY),
            "registration_date": dt.date(2019, 3, 1),
        },
    )
    producer.registration_date = None
    services.update_producer(province_admin, producer, {"phone": "0912 000 111", "registration_date": None})
    producer.refresh_from_db()
    assert producer.phone == "0912 000 111" and producer.commune.is_legacy
    with pytest.raises(ValidationError):  # …but moving a record into a legacy commune today is refused
        services.update_producer(province_admin, producer, {"commune": unit("legacy/06/064/02020/")})


def test_a_product_of_a_former_commune_gets_the_code_of_its_successor(province_admin, unit, category):
    from ocop.registry.models import Producer, Product

    # Records of the former Bắc Kạn (as the demo and imports keep them) sit in legacy communes.
    producer = Producer.objects.create(
        kind="cooperative", name="HTX Cũ", commune=unit(CON_MINH_LEGACY), name_key="htx cu"
    )
    product = Product.objects.create(
        name="Miến cũ",
        producer=producer,
        category=category,
        commune=unit(CON_MINH_LEGACY),
        name_key="mien cu",
    )
    assert services.assign_product_code(province_admin, product, 2026) == "19-02185-001-2026"


def test_linkages_are_validated_audited_and_scoped(client, province_admin, chodon_officer, producer):
    import datetime as dt

    from ocop.registry.models import ProducerLinkage

    with pytest.raises(ValidationError) as exc:
        services.add_linkage(
            province_admin,
            producer,
            {
                "partner": "Cty Bách hóa Xanh",
                "start_date": dt.date(2025, 5, 1),
                "end_date": dt.date(2024, 1, 1),
            },
        )
    assert "end_date" in exc.value.message_dict
    linkage = services.add_linkage(
        province_admin, producer, {"partner": "Cty Bách hóa Xanh", "role": "thu mua", "households": 40}
    )
    with pytest.raises(PermissionDenied):
        services.remove_linkage(chodon_officer, producer, linkage.pk)
    client.force_login(province_admin)
    assert "Cty Bách hóa Xanh" in client.get(f"/registry/producers/{producer.pk}/").content.decode()
    client.post(f"/registry/producers/{producer.pk}/linkages/{linkage.pk}/delete/")
    assert not ProducerLinkage.objects.exists()
    changes = [
        next(iter(e.changes))
        for e in AuditEvent.objects.filter(object_type="registry.producer", action="update").order_by("seq")
    ]
    assert changes == ["linkage+", "linkage-"]
