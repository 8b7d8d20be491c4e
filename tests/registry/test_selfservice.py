"""Producer self-service: own records only; key fields wait for the commune officer's approval."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ocop.audit.models import AuditEvent
from ocop.certification.models import Certificate
from ocop.registry import selfservice
from ocop.registry.models import ChangeRequest
from tests.conftest import CHO_DON, NA_RI
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(producer):
    user = make_user("htx.taihoan", "producer", NA_RI)
    producer.accounts.add(user)
    return user


def test_ordinary_fields_apply_at_once_key_fields_wait(owner, producer):
    _applied, request = selfservice.submit_producer_edit(
        owner, producer, {"phone": "0209 3888 999", "members_count": 30, "name": "HTX Nông nghiệp Tài Hoan"}
    )
    producer.refresh_from_db()
    assert producer.phone == "0209 3888 999" and producer.members_count == 30
    assert producer.name == "HTX Tài Hoan"  # not yet
    assert request.changes == {"name": ["HTX Tài Hoan", "HTX Nông nghiệp Tài Hoan"]}
    assert AuditEvent.objects.filter(object_type="registry.changerequest", action="create").exists()
    with pytest.raises(ValidationError):  # one pending change of key fields at a time
        selfservice.submit_producer_edit(owner, producer, {"tax_code": "0100109106"})


def test_officer_approves_and_the_change_is_applied(owner, producer, nari_officer):
    _applied, request = selfservice.submit_producer_edit(
        owner, producer, {"name": "HTX Nông nghiệp Tài Hoan"}
    )
    selfservice.decide(nari_officer, request, approve=True)
    producer.refresh_from_db()
    request.refresh_from_db()
    assert producer.name == "HTX Nông nghiệp Tài Hoan" and request.state == "approved"
    with pytest.raises(ValidationError):
        selfservice.decide(nari_officer, request, approve=False, note="x")


def test_rejection_needs_a_reason_and_changes_nothing(owner, producer, nari_officer):
    _applied, request = selfservice.submit_producer_edit(owner, producer, {"tax_code": "0100109106"})
    with pytest.raises(ValidationError):
        selfservice.decide(nari_officer, request, approve=False)
    selfservice.decide(nari_officer, request, approve=False, note="Mã số thuế không khớp giấy phép")
    producer.refresh_from_db()
    assert producer.tax_code == "4700256572"


def test_only_the_communes_officers_decide(owner, producer, chodon_officer):
    _applied, request = selfservice.submit_producer_edit(owner, producer, {"name": "HTX Mới"})
    with pytest.raises(PermissionDenied):
        selfservice.decide(chodon_officer, request, approve=True)


def test_invalid_proposals_are_refused_before_anything_is_written(owner, producer):
    with pytest.raises(ValidationError) as exc:
        selfservice.submit_producer_edit(owner, producer, {"phone": "0209 1", "tax_code": "123"})
    assert "tax_code" in exc.value.message_dict
    producer.refresh_from_db()
    assert producer.phone == "" and not ChangeRequest.objects.exists()


def test_other_producers_cannot_edit(producer, chodon_producer):
    stranger = make_user("htx.khac", "producer", CHO_DON)
    chodon_producer.accounts.add(stranger)
    with pytest.raises(PermissionDenied):
        selfservice.submit_producer_edit(stranger, producer, {"phone": "1"})


def test_product_edit_and_pages(client, owner, product, nari_officer):
    client.force_login(owner)
    page = client.get("/registry/mine/")
    assert product in page.context["products"]
    response = client.post(
        f"/registry/mine/products/{product.pk}/",
        {
            "name": "Miến dong Tài Hoan loại đặc biệt",
            "category": product.category_id,
            "commune": product.commune_id,
            "packaging": "Túi 1 kg",
        },
    )
    assert response.status_code == 302
    product.refresh_from_db()
    assert product.packaging == "Túi 1 kg" and product.name == "Miến dong Tài Hoan"
    request = ChangeRequest.objects.get()
    client.force_login(nari_officer)
    listed = client.get("/registry/changes/").context["rows"]
    assert [r["object"] for r in listed] == [request]
    diff = client.get(f"/registry/changes/{request.pk}/").content.decode()
    assert "Miến dong Tài Hoan loại đặc biệt" in diff
    client.post(f"/registry/changes/{request.pk}/", {"decision": "approve"})
    product.refresh_from_db()
    assert product.name == "Miến dong Tài Hoan loại đặc biệt"


def test_producer_sees_expiring_certificates(client, owner, product):
    from django.utils import timezone

    today = timezone.localdate()
    Certificate.objects.create(
        product=product,
        stars=4,
        issuing_level="province",
        issued_on=today - dt.timedelta(days=1000),
        valid_until=today + dt.timedelta(days=60),
    )
    client.force_login(owner)
    page = client.get("/registry/mine/")
    assert [c.product for c in page.context["expiring"]] == [product]
    assert 'data-testid="expiring"' in page.content.decode()


def test_producer_reads_own_records_but_not_others(client, owner, product, chodon_producer):
    client.force_login(owner)
    assert client.get(f"/registry/products/{product.pk}/").status_code == 200
    assert client.get(f"/registry/producers/{chodon_producer.pk}/").status_code == 404
    assert client.get(f"/registry/mine/producers/{chodon_producer.pk}/").status_code == 404
