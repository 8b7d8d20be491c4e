"""The batch services behind the import: the same checks as one by one, written in bulk, all or
nothing, one audit event per record in an unbroken chain."""

import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models.signals import post_save

from ocop.audit import services as audit
from ocop.audit.models import AuditEvent
from ocop.registry import services
from ocop.registry.models import Producer, ProducerStatusChange, Product
from tests.conftest import CHO_DON, NA_RI

pytestmark = pytest.mark.django_db


def rows(unit, *names, commune=NA_RI):
    return [{"kind": "cooperative", "name": n, "commune": unit(commune)} for n in names]


def test_producers_are_written_with_status_history_and_one_audit_event_each(province_admin, unit):
    before = AuditEvent.objects.count()
    heard = []

    def listen(sender, instance, created, **kwargs):
        heard.append(instance.object_id)

    post_save.connect(listen, sender=AuditEvent)
    try:
        made = services.create_producers(province_admin, rows(unit, "HTX Một", "HTX Hai", "HTX Ba"))
    finally:
        post_save.disconnect(listen, sender=AuditEvent)
    assert [p.name for p in Producer.objects.order_by("pk")] == ["HTX Một", "HTX Hai", "HTX Ba"]
    assert ProducerStatusChange.objects.filter(producer__in=made).count() == 3
    events = list(AuditEvent.objects.order_by("seq")[before:])
    assert [e.object_id for e in events] == [str(p.pk) for p in made]
    assert all(e.action == "create" and e.area == unit(NA_RI) for e in events)
    assert heard == [str(p.pk) for p in made]  # receivers hear of every event, as of a saved one
    assert made[0].search_folded and made[0].name_key
    assert audit.verify().ok


def test_the_chain_is_the_same_as_one_by_one(province_admin, unit):
    with transaction.atomic():
        audit.record(actor=province_admin, action="create", object_type="x", object_id="1", message="a")
        audit.record_many(
            actor=province_admin,
            entries=[
                {"action": "update", "object_type": "x", "object_id": "1", "changes": {"n": [1, 2]}},
                {"action": "update", "object_type": "x", "object_id": "1", "changes": {"n": [2, 3]}},
            ],
        )
        audit.record(actor=province_admin, action="delete", object_type="x", object_id="1")
    events = list(AuditEvent.objects.filter(object_type="x").order_by("seq"))
    assert [e.seq for e in events] == list(range(events[0].seq, events[0].seq + 4))
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(events))
    assert audit.verify().ok


@pytest.mark.parametrize(
    ("names", "index", "field"),
    [
        (["HTX Một", "Hợp tác xã một"], 1, "name"),  # the same name key inside the batch
        (["HTX Một", ""], 1, "name"),  # a field check
    ],
)
def test_a_bad_item_stops_the_batch_and_nothing_is_written(province_admin, unit, names, index, field):
    events = AuditEvent.objects.count()
    with pytest.raises(services.BatchItemError) as exc:
        services.create_producers(province_admin, rows(unit, *names))
    assert exc.value.index == index
    assert field in exc.value.error.message_dict
    assert Producer.objects.count() == 0 and AuditEvent.objects.count() == events


def test_a_producer_already_registered_is_named(province_admin, unit):
    old = services.create_producer(province_admin, rows(unit, "HTX Tài Hoan")[0])
    with pytest.raises(services.BatchItemError) as exc:
        services.create_producers(province_admin, rows(unit, "HTX Mới", "Hợp tác xã Tài Hoan"))
    assert exc.value.index == 1
    assert exc.value.error.message_dict["duplicate_of"] == [str(old.pk)]
    assert Producer.objects.count() == 1


def test_a_commune_outside_the_actors_area_is_refused(nari_officer, unit):
    with pytest.raises(services.BatchItemError) as exc:
        services.create_producers(
            nari_officer, rows(unit, "HTX Na Rì") + rows(unit, "HTX Chợ Đồn", commune=CHO_DON)
        )
    assert exc.value.index == 1 and isinstance(exc.value.error, PermissionDenied)
    assert Producer.objects.count() == 0


def test_products_in_bulk(province_admin, nari_officer, unit, category):
    mine, theirs = services.create_producers(
        province_admin, rows(unit, "HTX Na Rì") + rows(unit, "HTX Chợ Đồn", commune=CHO_DON)
    )
    made = services.create_products(
        province_admin,
        [
            {"name": "Miến dong", "producer": mine, "category": category, "commune": unit(NA_RI)},
            {"name": "Miến dong", "producer": theirs, "category": category, "commune": unit(CHO_DON)},
        ],
    )
    assert {p.producer_id for p in made} == {mine.pk, theirs.pk}
    assert all(p.search_folded for p in made)
    # The same name twice for one producer, or a producer outside the officer's area: refused.
    with pytest.raises(services.BatchItemError) as exc:
        services.create_products(
            province_admin,
            [{"name": "Mien dong", "producer": mine, "category": category, "commune": unit(NA_RI)}],
        )
    assert exc.value.index == 0 and isinstance(exc.value.error, ValidationError)
    with pytest.raises(services.BatchItemError) as exc:
        services.create_products(
            nari_officer,
            [{"name": "Măng", "producer": theirs, "category": category, "commune": unit(CHO_DON)}],
        )
    assert isinstance(exc.value.error, PermissionDenied)
    assert Product.objects.count() == 2
