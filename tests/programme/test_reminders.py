"""What the daily reminder (`ocop remind`) reads and sends: re-evaluation invitations and overdue
steps, each notified once."""

import datetime as dt

import pytest
from django.utils import timezone

from ocop.certification.models import CertificateState
from ocop.core.models import Notification
from ocop.programme import services
from ocop.programme.selectors import overdue_steps, reevaluation_invitations

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
