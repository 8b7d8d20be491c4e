"""A certificate's status on any day, from its dates; revocation; the Article 12.3 extension;
`ocop remind` notifying once."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ocop.audit.models import AuditEvent
from ocop.certification import services
from ocop.certification.filters import status_q
from ocop.certification.models import Certificate, Status
from ocop.certification.reminders import remind
from ocop.core.models import Notification
from ocop.evaluation import services as evaluation
from tests.conftest import NA_RI, THAI_NGUYEN
from tests.evaluation.helpers import make_council, make_product, make_session
from tests.factories import make_user

pytestmark = pytest.mark.django_db
ISSUED = dt.date(2023, 7, 1)


def cert(**fields) -> Certificate:
    return Certificate(
        stars=4, issued_on=ISSUED, valid_until=dt.date(2026, 6, 30), issuing_level="province", **fields
    )


@pytest.mark.parametrize(
    ("day", "status"),
    [
        (dt.date(2023, 6, 30), Status.NOT_YET),
        (ISSUED, Status.VALID),
        (dt.date(2025, 12, 31), Status.VALID),
        (dt.date(2026, 1, 1), Status.WINDOW),  # 180 days before 30/06/2026: the re-evaluation window opens
        (dt.date(2026, 1, 2), Status.WINDOW),
        (dt.date(2026, 6, 30), Status.WINDOW),
        (dt.date(2026, 7, 1), Status.EXPIRED),
    ],
)
def test_status_around_the_boundaries(day, status):
    c = cert()
    assert c.window_opens == dt.date(2026, 1, 1) and c.window_closes == dt.date(2026, 3, 2)
    assert c.status_on(day) == status


def test_extension_revocation_and_supersession_by_date():
    extended = cert(extended_until=dt.date(2026, 12, 27))
    assert extended.status_on(dt.date(2026, 7, 1)) == Status.EXTENDED
    assert extended.status_on(dt.date(2026, 12, 28)) == Status.EXPIRED
    revoked = cert(state="revoked", ended_on=dt.date(2025, 3, 1))
    assert revoked.status_on(dt.date(2025, 2, 28)) == Status.VALID
    assert revoked.status_on(dt.date(2025, 3, 1)) == Status.REVOKED
    superseded = cert(state="superseded", ended_on=dt.date(2025, 3, 1))
    assert superseded.status_on(dt.date(2026, 1, 1)) == Status.SUPERSEDED


@pytest.fixture
def product(province_admin):
    return make_product(province_admin, name="Chè Shan tuyết")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(offset=st.integers(min_value=-400, max_value=1600))
def test_the_list_filter_agrees_with_status_on(product, offset):
    """The database filter of the certificate list and the Python status are the same rule."""
    certificates = [
        Certificate.objects.get_or_create(
            product=product,
            public_id=f"TEST{i:08d}"[:12].replace("0", "2").replace("1", "3"),
            defaults=dict(**f),
        )[0]
        for i, f in enumerate(
            [
                {
                    "stars": 3,
                    "issued_on": ISSUED,
                    "valid_until": dt.date(2026, 6, 30),
                    "issuing_level": "province",
                },
                {
                    "stars": 4,
                    "issued_on": ISSUED,
                    "valid_until": dt.date(2026, 6, 30),
                    "extended_until": dt.date(2026, 12, 27),
                    "issuing_level": "province",
                },
                {
                    "stars": 3,
                    "issued_on": ISSUED,
                    "valid_until": dt.date(2026, 6, 30),
                    "state": "revoked",
                    "ended_on": dt.date(2025, 3, 1),
                    "issuing_level": "province",
                },
            ]
        )
    ]
    day = ISSUED + dt.timedelta(days=offset)
    for status in Status.values:
        by_filter = set(
            Certificate.objects.filter(pk__in=[c.pk for c in certificates]).filter(status_q(status, day))
        )
        by_python = {c for c in certificates if c.status_on(day) == status}
        assert by_filter == by_python, (status, day)


def record(actor, product, stars=4, issued=dt.date(2024, 1, 15)):
    return services.record_certificate(
        actor, product, {"stars": stars, "decision_number": "15/QĐ-UBND", "issued_on": issued}
    )


def test_revocation_by_the_competent_level_with_a_ground(province_admin, product, nari_officer, admin_user):
    certificate = record(province_admin, product)
    data = {"ground": "stopped", "decision_number": "88/QĐ-UBND", "decision_date": dt.date(2026, 3, 20)}
    with pytest.raises(PermissionDenied):
        services.revoke(nari_officer, certificate, data)
    with pytest.raises(ValidationError):
        services.revoke(province_admin, certificate, {**data, "ground": "because"})
    services.revoke(province_admin, certificate, {**data, "finding_date": dt.date(2026, 2, 1)})
    certificate.refresh_from_db()
    assert certificate.status_on(dt.date(2026, 3, 20)) == Status.REVOKED
    assert certificate.revocation_decision.number == "88/QĐ-UBND"
    event = AuditEvent.objects.filter(action="revocation").get()
    assert "47" in event.message  # decided 47 days after the finding, beyond the 15 of Article 8.4
    five = record(province_admin, make_product(province_admin, name="Miến dong"), stars=5)
    with pytest.raises(PermissionDenied):  # 5★ is revoked by the ministry (Article 8.2.b)
        services.revoke(province_admin, five, data)
    services.revoke(admin_user, five, data)


def test_extension_only_while_a_re_evaluation_is_pending(province_admin, product):
    certificate = record(province_admin, product, issued=dt.date(2023, 7, 1))  # until 30/06/2026
    with pytest.raises(ValidationError):
        services.extend(province_admin, certificate, dt.date(2026, 9, 1), "Đang đánh giá lại")
    council = make_council(province_admin, members=1, secretary=False)
    make_session(province_admin, council, [product], kind="reevaluation")
    with pytest.raises(ValidationError):  # more than 180 days past expiry
        services.extend(province_admin, certificate, dt.date(2027, 1, 1), "Đang đánh giá lại")
    services.extend(province_admin, certificate, dt.date(2026, 12, 27), "Đang đánh giá lại")
    certificate.refresh_from_db()
    assert certificate.status_on(dt.date(2026, 12, 1)) == Status.EXTENDED
    assert list(Certificate.objects.valid_on(dt.date(2026, 12, 1))) == [certificate]
    assert evaluation  # the session module is what makes it pending


def test_remind_notifies_once_per_window(province_admin, product):
    owner = make_user("htx.chu", "producer", NA_RI)
    product.producer.accounts.add(owner)
    officer = make_user("xa.nari2", "commune_officer", NA_RI)
    record(province_admin, product, issued=dt.date(2023, 7, 1))  # window from 01/01/2026
    day = dt.date(2026, 2, 1)
    first = remind(day)
    second = remind(day)
    assert (first.window, first.notices) == (1, 2) and (second.window, second.notices) == (1, 0)
    assert Notification.objects.filter(recipient__in=[owner, officer]).count() == 2
    assert AuditEvent.objects.filter(object_type="certification.reminders").count() == 2
    call_command("remind", "--date", "2026-07-05")  # expired after the window: notified once more
    assert Notification.objects.filter(recipient=owner).count() == 2
    assert not Notification.objects.filter(recipient__username="hn.admin").exists()
    assert THAI_NGUYEN
