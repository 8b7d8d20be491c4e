"""`ocop remind [--date YYYY-MM-DD]`: the daily reminders (run it from cron or a systemd timer)."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ocop.certification.reminders import remind


class Command(BaseCommand):
    help = (
        "Notify producers and commune officers of certificates entering their re-evaluation window or "
        "expired, of overdue dossier steps and of standards nearing expiry — each notice once. "
        "Records the run in the audit trail."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="The day to remind for (default: today).")

    def handle(self, *args, date=None, **options):
        try:
            day = dt.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError as exc:
            raise CommandError("--date must be YYYY-MM-DD") from exc
        report = remind(day)
        for line in report.lines[:50]:
            self.stdout.write(f"  {line}")
        self.stdout.write(
            f"{day:%d/%m/%Y}: {report.window} certificates in their re-evaluation window, {report.expired} "
            f"expired, {report.overdue} overdue dossier steps, {report.standards} standards near or past "
            f"expiry; {report.notices} notifications sent."
        )
