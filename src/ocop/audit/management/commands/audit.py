from django.core.management.base import BaseCommand, CommandError

from ocop.audit.services import verify


class Command(BaseCommand):
    help = "Audit trail tools. `ocop audit verify` checks the hash chain and reports the first broken link."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        sub.add_parser("verify", help="Verify the hash chain of the audit trail.")

    def handle(self, *args, subcommand=None, **options):
        if subcommand == "verify":
            report = verify()
            if report.ok:
                self.stdout.write(
                    self.style.SUCCESS(f"Audit trail intact: {report.checked} events verified.")
                )
                return
            raise CommandError(
                f"Audit trail BROKEN at event #{report.broken_seq}: {report.reason} "
                f"({report.checked} events verified before it)."
            )
