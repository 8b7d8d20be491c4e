"""The audit trail is hash-chained: altering, removing or truncating rows is detected."""

import itertools
import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from ocop.audit import services as audit
from ocop.audit.models import AuditChainHead, AuditEvent


def write(n, actor=None, prefix="event"):
    events = []
    for i in range(n):
        with transaction.atomic():
            events.append(
                audit.record(
                    actor=actor,
                    action="other",
                    object_type="test.thing",
                    object_id=str(i),
                    object_repr=f"{prefix} {i} — Chợ Đồn",
                    changes={"n": [i, i + 1]},
                )
            )
    return events


@pytest.mark.django_db(transaction=True)
def test_record_outside_a_transaction_is_refused(units_loaded):
    with pytest.raises(RuntimeError):
        audit.record(actor=None, action="other", object_type="x")


@pytest.mark.django_db
def test_events_form_an_intact_chain():
    events = write(5)
    for previous, current in itertools.pairwise(events):
        assert current.prev_hash == previous.hash
        assert current.seq == previous.seq + 1
    report = audit.verify()
    assert report.ok and report.checked == AuditEvent.objects.count()


@pytest.mark.django_db
def test_an_altered_event_is_reported():
    events = write(5)
    AuditEvent.objects.filter(pk=events[2].pk).update(object_repr="đã sửa lén")
    report = audit.verify()
    assert not report.ok
    assert report.broken_seq == events[2].seq
    assert "altered" in report.reason


@pytest.mark.django_db
def test_a_removed_event_is_reported():
    events = write(5)
    AuditEvent.objects.filter(pk=events[1].pk).delete()
    report = audit.verify()
    assert not report.ok and report.broken_seq == events[1].seq


@pytest.mark.django_db
def test_removing_the_last_events_is_reported():
    events = write(3)
    AuditEvent.objects.filter(seq__gte=events[1].seq).delete()
    report = audit.verify()
    assert not report.ok and report.broken_seq == events[1].seq


@pytest.mark.django_db
def test_rehashing_an_altered_event_still_breaks_the_next_link():
    events = write(4)
    forged = AuditEvent.objects.get(pk=events[1].pk)
    forged.message = "giả mạo"
    forged.hash = forged.compute_hash()
    forged.save()
    report = audit.verify()
    assert not report.ok and report.broken_seq == events[2].seq


@pytest.mark.django_db
def test_verify_command_exit_status(capsys):
    write(2)
    call_command("audit", "verify")
    assert "intact" in capsys.readouterr().out
    AuditEvent.objects.filter(seq=AuditEvent.objects.order_by("seq").first().seq).update(message="x")
    with pytest.raises(CommandError, match="BROKEN"):
        call_command("audit", "verify")


@pytest.mark.django_db
def test_snapshot_and_diff_mask_secrets_and_keep_changed_fields_only(nari_officer):
    before = audit.snapshot(nari_officer)
    assert before["password"] == "***"
    nari_officer.position = "Chủ tịch"
    assert audit.diff(before, audit.snapshot(nari_officer)) == {"position": ["", "Chủ tịch"]}


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_one_unbroken_chain(units_loaded):
    """Real concurrent connections (PostgreSQL): appends serialise on the chain head."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is exercised on PostgreSQL (SQLite serialises writers itself)")
    start = AuditChainHead.objects.filter(pk=1).values_list("seq", flat=True).first() or 0
    barrier = threading.Barrier(8)
    errors = []

    def worker(k):
        try:
            barrier.wait()
            for i in range(10):
                with transaction.atomic():
                    audit.record(actor=None, action="other", object_type="test.thing", object_id=f"{k}-{i}")
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert AuditEvent.objects.filter(object_type="test.thing").count() == 80
    assert AuditChainHead.objects.get(pk=1).seq == start + 80
    assert audit.verify().ok
