"""What the daily reminder (`ocop remind`) reads and sends: re-evaluation invitations and overdue
steps, each notified once."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ocop.certification.models import CertificateState
from ocop.certification.reminders import remind
from ocop.core.models import Notification
from ocop.programme import services
from ocop.programme.selectors import overdue_steps, reevaluation_invitations
from tests.conftest import CHO_DON

from .helpers import certify, fill, make_product, through_council

pytestmark = pytest.mark.django_db
D = dt.date


def test_invitations_cover_certificates_whose_window_is_open(province_admin, product):
    day = D(2027, 3, 1)
    opening = certify(product, 3, D(2024, 9, 1), day + dt.timedelta(days=180))  # opens today
    closing = certify(make_product(province_admin, "Mơ vàng"), 3, D(2024, 9, 1), day + dt.timedelta(days=120))
    certify(
        make_product(province_admin, "Bánh gio"), 3, D(2024, 9, 1), day + dt.timedelta(days=181)
    )  # not yet
    certify(make_product(province_admin, "Gạo nếp"), 3, D(2024, 9, 1), day + dt.timedelta(days=119))  # closed
    revoked = certify(
        make_product(province_admin, "Tương ớt"), 3, D(2024, 9, 1), day + dt.timedelta(days=150)
    )
    revoked.state, revoked.ended_on = CertificateState.REVOKED, D(2026, 1, 1)
    revoked.save()
    assert list(reevaluation_invitations(day)) == [closing, opening]
    assert opening.window_opens == day and closing.window_closes == day


def test_a_certificate_with_a_filed_reevaluation_is_not_invited_again(owner, product):
    day = timezone.localdate()
    certificate = certify(product, 3, day - dt.timedelta(days=900), day + dt.timedelta(days=150))
    assert list(reevaluation_invitations(day)) == [certificate]
    dossier = services.start_dossier(owner, {"product": product, "kind": "reevaluation"})
    assert list(reevaluation_invitations(day)) == [certificate]  # a draft is not a filing
    fill(owner, dossier)
    services.submit_dossier(owner, dossier)
    assert list(reevaluation_invitations(day)) == []


def test_invite_reevaluations_notifies_once(owner, nari_officer, chodon_officer, product):
    day = timezone.localdate()
    certificate = certify(product, 4, day - dt.timedelta(days=900), day + dt.timedelta(days=170))
    sent = services.invite_reevaluations(day)
    assert sent == [(certificate, 2)]
    notices = Notification.objects.filter(key=f"reeval-{certificate.pk}")
    assert {n.recipient for n in notices} == {owner, nari_officer}
    assert all("Miến dong Tài Hoan" in n.title for n in notices)
    assert f"product={product.pk}" in notices.first().url
    # Run again (the next day too): nobody is notified twice.
    assert services.invite_reevaluations(day) == [(certificate, 0)]
    assert services.invite_reevaluations(day + dt.timedelta(days=1)) == [(certificate, 0)]
    assert Notification.objects.filter(key=f"reeval-{certificate.pk}").count() == 2
    assert not Notification.objects.filter(recipient=chodon_officer).exists()


def _assignment_reads(day) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as ctx:
        report = remind(day)
    return sum('"accounts_roleassignment"' in q["sql"] for q in ctx.captured_queries), report.notices


def test_a_run_reads_the_officers_once_however_many_communes_it_tells(
    owner, nari_officer, chodon_officer, province_admin, product
):
    """`ocop remind` over the country: thousands of certificates in thousands of communes. The
    officers to tell are read once per kind of notice, not once per certificate."""
    day = timezone.localdate()
    start, end = day - dt.timedelta(days=900), day + dt.timedelta(days=150)
    certify(product, 4, start, end)
    certify(make_product(province_admin, "Mơ vàng"), 3, start, end)
    # Expired last week without a newer certificate: the producer and the commune are told.
    certify(make_product(province_admin, "Bánh gio"), 3, start, day - dt.timedelta(days=7))
    few = _assignment_reads(day)
    for name in ("Gạo nếp", "Tương ớt", "Măng khô"):
        certify(make_product(province_admin, name, commune=CHO_DON), 3, start, end)
        certify(
            make_product(province_admin, f"{name} cũ", commune=CHO_DON), 3, start, day - dt.timedelta(days=3)
        )
    many = _assignment_reads(day)
    assert few[1] > 0 and many[1] > 0  # notices went out, to Chợ Đồn's officer too the second time
    assert Notification.objects.filter(recipient=chodon_officer).count() == 6
    assert many[0] == few[0] <= 4


def test_overdue_commune_steps_are_listed_and_notified_once(owner, nari_officer, product):
    dossier = services.start_dossier(owner, {"product": product, "kind": "first"})
    fill(owner, dossier)
    dossier = services.submit_dossier(owner, dossier, day=D(2026, 2, 13))
    assert overdue_steps(D(2026, 3, 13)) == []
    late = overdue_steps(D(2026, 3, 16))
    assert [(o.kind, o.dossier.pk, o.deadline, o.days_late) for o in late] == [
        ("commune", dossier.pk, D(2026, 3, 13), 3)
    ]
    assert services.notify_overdue(D(2026, 3, 16)) == 1
    assert services.notify_overdue(D(2026, 3, 17)) == 0
    notice = Notification.objects.get(key=late[0].key)
    assert notice.recipient == nari_officer and dossier.code in notice.title


def test_a_concluded_dossier_is_never_overdue(owner, nari_officer, province_admin, product):
    dossier = through_council(province_admin, owner, nari_officer, product)
    assert dossier.concluded
    assert overdue_steps(D(dossier.round.cycle.year, 12, 31)) == []
    assert not dossier.is_overdue(D(dossier.round.cycle.year, 12, 31))
