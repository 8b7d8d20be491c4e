"""Funding writes: validation of sources, grants, disbursements (never beyond the approved amount)
and state-funded assets (never deleted, ended with a reason)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ocop.audit.models import AuditEvent
from ocop.funding import services
from ocop.funding.models import Disbursement, StateAsset, SupportGrant
from tests.conftest import CHO_DON, THAI_NGUYEN

from .helpers import grant, make_product, pay, source

pytestmark = pytest.mark.django_db


def test_a_grant_takes_the_producers_commune_and_is_audited(province_admin, product, unit):
    g = grant(province_admin, product.producer, source(province_admin, unit(THAI_NGUYEN)), product=product)
    assert g.commune == product.producer.commune and g.product == product
    assert AuditEvent.objects.filter(object_type="funding.supportgrant", object_id=str(g.pk)).exists()


def test_disbursements_never_exceed_the_approved_amount(province_admin, product):
    g = grant(province_admin, product.producer, source(province_admin), amount=30_000_000)
    pay(province_admin, g, 20_000_000)
    with pytest.raises(ValidationError) as exc:
        pay(province_admin, g, 10_000_001)
    message = " ".join(exc.value.message_dict["amount"])
    assert "30.000.001" in message and "30.000.000" in message and "10.000.000" in message
    assert Disbursement.objects.filter(grant=g).count() == 1
    pay(province_admin, g, 10_000_000)  # exactly the rest
    assert services.disbursed(g) == Decimal(30_000_000)
    with pytest.raises(ValidationError):
        pay(province_admin, g, 1)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"amount": 0}, "amount"),
        ({"amount": -5}, "amount"),
        ({"amount": "1.5"}, "amount"),
        ({"amount": 1000, "date": dt.date(2026, 1, 31)}, "date"),  # before the decision
        ({"amount": 1000, "date": timezone.localdate() + dt.timedelta(days=1)}, "date"),
    ],
)
def test_invalid_disbursements_are_refused(province_admin, product, data, field):
    g = grant(province_admin, product.producer, source(province_admin))
    with pytest.raises(ValidationError) as exc:
        services.add_disbursement(province_admin, g, {"date": dt.date(2026, 3, 1), **data})
    assert field in exc.value.message_dict
    assert not Disbursement.objects.exists()


def test_the_approved_amount_cannot_drop_below_what_was_paid(province_admin, product):
    g = grant(province_admin, product.producer, source(province_admin), amount=30_000_000)
    pay(province_admin, g, 25_000_000)
    with pytest.raises(ValidationError) as exc:
        services.update_grant(province_admin, g, {"approved_amount": Decimal(20_000_000)})
    assert "25.000.000" in str(exc.value.message_dict["approved_amount"])
    assert SupportGrant.objects.get(pk=g.pk).approved_amount == Decimal(30_000_000)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"approved_amount": Decimal(-1)}, "approved_amount"),
        ({"decision_number": ""}, "decision_number"),
        ({"kind": "gift"}, "kind"),
        ({"responsible_unit": ""}, "responsible_unit"),
        ({"day": timezone.localdate() + dt.timedelta(days=2)}, "decision_date"),
    ],
)
def test_invalid_grants_are_refused(province_admin, product, changes, field):
    src = source(province_admin)
    kwargs = dict(changes)
    amount = kwargs.pop("approved_amount", 30_000_000)
    with pytest.raises(ValidationError) as exc:
        grant(province_admin, product.producer, src, amount=amount, **kwargs)
    assert field in exc.value.message_dict
    assert not SupportGrant.objects.exists()


def test_the_product_must_be_the_producers(province_admin, product):
    other = make_product(province_admin, "Mật ong bạc hà", commune=CHO_DON)
    with pytest.raises(ValidationError) as exc:
        grant(province_admin, product.producer, source(province_admin), product=other)
    assert "product" in exc.value.message_dict


def test_a_commune_officer_may_not_grant(nari_officer, province_admin, product):
    src = source(province_admin)
    with pytest.raises(PermissionDenied):
        grant(nari_officer, product.producer, src)


def _asset(office, producer, **extra):
    return services.create_asset(
        office,
        {
            "producer": producer,
            "name": "Máy sấy",
            "value": Decimal(45_000_000),
            "decision_number": "12/QĐ-UBND",
            "handed_on": dt.date(2025, 7, 5),
            **extra,
        },
    )


def test_asset_validation(province_admin, product):
    for extra, field in (
        ({"value": Decimal(-1)}, "value"),
        ({"decision_number": ""}, "decision_number"),
        ({"last_checked_on": dt.date(2025, 7, 1)}, "last_checked_on"),
        ({"decision_date": dt.date(2025, 8, 1)}, "decision_date"),
        ({"quantity": 0}, "quantity"),
    ):
        with pytest.raises(ValidationError) as exc:
            _asset(province_admin, product.producer, **extra)
        assert field in exc.value.message_dict, extra
    assert not StateAsset.objects.exists()


def test_an_asset_is_never_deleted_and_ends_with_a_reason(province_admin, product):
    asset = _asset(province_admin, product.producer)
    with pytest.raises(ValidationError):
        asset.delete()
    services.update_asset(
        province_admin, asset, {"condition": "worn", "last_checked_on": dt.date(2026, 1, 10)}
    )
    with pytest.raises(ValidationError) as exc:
        services.end_asset(province_admin, asset, "written_off", dt.date(2026, 2, 1), "")
    assert "end_reason" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.end_asset(province_admin, asset, "written_off", dt.date(2025, 7, 1), "Hỏng")
    services.end_asset(province_admin, asset, "written_off", dt.date(2026, 2, 1), "Hỏng không sửa được")
    asset.refresh_from_db()
    assert (asset.state, asset.ended_on, asset.end_reason) == (
        "written_off",
        dt.date(2026, 2, 1),
        "Hỏng không sửa được",
    )
    assert asset.condition == "worn"
    with pytest.raises(ValidationError):
        services.update_asset(province_admin, asset, {"condition": "good"})
    assert StateAsset.objects.filter(pk=asset.pk).exists()


def test_a_source_reaches_the_communes_below_its_area(
    nari_officer, chodon_officer, province_admin, admin_user, unit
):
    from ocop.funding.models import FundingSource

    province = source(province_admin, unit(THAI_NGUYEN), name="Nghị quyết HĐND tỉnh")
    with pytest.raises(PermissionDenied):  # a national source is the ministry's
        source(province_admin, None, name="Khuyến công quốc gia", kind="industrial_promotion")
    national = source(admin_user, None, name="Khuyến công quốc gia", kind="industrial_promotion")
    nari = source(province_admin, unit("2025/19/02155/"), name="Nguồn riêng Na Rì")
    seen = set(FundingSource.objects.for_user(chodon_officer, "view").values_list("pk", flat=True))
    assert seen == {province.pk, national.pk}
    assert nari.pk in set(FundingSource.objects.for_user(nari_officer, "view").values_list("pk", flat=True))


def test_every_form_page_opens_and_saves(client, province_admin, product):
    from django.urls import reverse

    src = source(province_admin)
    g = grant(province_admin, product.producer, src)
    asset = _asset(province_admin, product.producer)
    client.force_login(province_admin)
    for url in (
        reverse("funding:source_create"),
        reverse("funding:source_edit", args=[src.pk]),
        reverse("funding:grant_create"),
        reverse("funding:grant_edit", args=[g.pk]),
        reverse("funding:disbursement_add", args=[g.pk]),
        reverse("funding:asset_create"),
        reverse("funding:asset_edit", args=[asset.pk]),
        reverse("funding:asset_end", args=[asset.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200 and 'data-testid="object-form"' in response.content.decode(), url
    response = client.post(
        reverse("funding:disbursement_add", args=[g.pk]), {"date": "2026-03-01", "amount": "40000000"}
    )
    assert response.status_code == 400 and not Disbursement.objects.exists()
    assert "30.000.000" in response.content.decode()
    response = client.post(
        reverse("funding:disbursement_add", args=[g.pk]), {"date": "2026-03-01", "amount": "10000000"}
    )
    assert response.status_code == 302 and services.disbursed(g) == Decimal(10_000_000)
    body = client.get(g.get_absolute_url()).content.decode()
    assert "10.000.000" in body and "20.000.000" in body  # disbursed, remaining
    response = client.post(
        reverse("funding:grant_edit", args=[g.pk]),
        {
            "kind": "equipment",
            "decision_number": "9/QĐ-UBND",
            "decision_date": "2026-02-01",
            "approved_amount": "35000000",
            "source": src.pk,
            "responsible_unit": "Sở Công Thương",
        },
    )
    assert response.status_code == 302
    g.refresh_from_db()
    assert (g.kind, g.approved_amount, g.producer_id) == (
        "equipment",
        Decimal(35_000_000),
        product.producer_id,
    )
    response = client.post(
        reverse("funding:asset_end", args=[asset.pk]),
        {"state": "returned", "ended_on": "2026-01-15", "end_reason": "Chủ thể ngừng sản xuất"},
    )
    assert response.status_code == 302
    asset.refresh_from_db()
    assert asset.state == "returned"
