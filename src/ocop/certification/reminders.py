"""`ocop remind` (daily): who must be told what today.

- Certificates whose re-evaluation window (180 → 120 days before expiry, Điều 7.6.a) is open: their
  producer's accounts and the officers of the commune are notified once per certificate.
- Certificates that ended yesterday or earlier without a new one: notified once at expiry.
- Overdue steps of dossiers (`programme.services.notify_overdue`), once per step and deadline.
- Standards held by products nearing or past their expiry (`quality.alerts`), once per expiry.
Each notice has a key, so running the command twice (or twice a day) notifies once. The run itself
is recorded in the audit trail with its counts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.utils.translation import gettext as _
from django.utils.translation import override

from ocop.audit import services as audit
from ocop.core.notifications import notify

from .filters import status_q
from .models import Certificate, Status


@dataclass
class Report:
    window: int = 0
    expired: int = 0
    overdue: int = 0
    standards: int = 0
    notices: int = 0
    lines: list[str] = field(default_factory=list)


class CommuneOfficers:
    """Active accounts holding the commune-officer role over a commune (or its successor): every
    such assignment read once, then each commune answered from memory (a run notifies about
    thousands of records in a few thousand communes)."""

    def __init__(self):
        self._by_path: dict[str, dict] | None = None

    def __call__(self, unit) -> list:
        from ocop.accounts.models import RoleAssignment

        if self._by_path is None:
            self._by_path = {}
            assignments = (
                RoleAssignment.objects.active()
                .filter(user__is_active=True, role__code="commune_officer", area__isnull=False)
                .select_related("user")
                .annotate(area_path=F("area__path"))
                .order_by("user_id")
            )
            for a in assignments:
                self._by_path.setdefault(a.area_path, {})[a.user_id] = a.user
        seen = {}
        for path in {p for p in (unit.path, unit.current_path) if p}:
            seen.update(self._by_path.get(path, {}))
        return [seen[pk] for pk in sorted(seen)]


def remind(day: dt.date) -> Report:
    from ocop.programme import selectors as programme_selectors
    from ocop.programme import services as programme

    report = Report()
    with override("vi"), transaction.atomic():
        # Re-evaluation windows (the programme's invitation: skips certificates whose dossier is filed).
        for certificate, sent in programme.invite_reevaluations(day):
            report.window += 1
            report.notices += sent
            report.lines.append(
                f"{certificate.public_id} {certificate.product.name}: {_('file the re-evaluation by')} "
                f"{certificate.window_closes:%d/%m/%Y}, {_('expires')} {certificate.valid_until:%d/%m/%Y}"
            )
        # Certificates that ended in the last 30 days without a newer one (not those re-evaluated
        # in time: a newer certificate follows them).
        newer = Certificate.objects.filter(product=OuterRef("product"), issued_on__gt=OuterRef("issued_on"))
        recently_expired = (
            Certificate.objects.filter(status_q(Status.EXPIRED, day))
            .filter(valid_until__gte=day - dt.timedelta(days=30))
            .exclude(Exists(newer))
            .select_related("product", "product__producer", "product__commune")
            .prefetch_related("product__producer__accounts")
        )
        officers = CommuneOfficers()
        for certificate in recently_expired:
            report.expired += 1
            product = certificate.product
            report.notices += len(
                notify(
                    [*product.producer.accounts.all(), *officers(product.commune)],
                    _("The OCOP certificate of %(product)s has expired") % {"product": product},
                    _("It was valid until %(until)s.") % {"until": f"{certificate.end:%d/%m/%Y}"},
                    url=certificate.get_absolute_url(),
                    key=f"expired-{certificate.public_id}",
                )
            )
        # Dossier steps past their deadline (commune 15 working days, province, 45 days).
        report.overdue = len(programme_selectors.overdue_steps(day))
        report.notices += programme.notify_overdue(day)
        # Standards held by products nearing or past their expiry (quality.alerts), once each.
        from ocop.quality.alerts import notify_standard_expiry

        report.standards, sent = notify_standard_expiry(day)
        report.notices += sent
        audit.record(
            actor=None,
            action="other",
            object_type="certification.reminders",
            object_repr="ocop remind",
            message=(
                f"{day:%d/%m/%Y}: {report.window} in the re-evaluation window, {report.expired} expired, "
                f"{report.overdue} overdue steps, {report.standards} standards near or past expiry; "
                f"{report.notices} notifications sent"
            ),
        )
    return report
