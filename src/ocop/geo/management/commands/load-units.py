from django.core.management.base import BaseCommand

from ocop.geo.loader import load_units


class Command(BaseCommand):
    help = "Load or update administrative units (legacy and 2025 trees) and their successions."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Reload even if the source is unchanged.")

    def handle(self, *args, force=False, **options):
        def progress(done, total, message):
            if options["verbosity"] > 1:
                self.stdout.write(f"  [{done}/{total}] {message}")

        report = load_units(force=force, progress=progress)
        if report.skipped:
            self.stdout.write("Administrative units are up to date (source unchanged).")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Administrative units: {report.created} created, {report.updated} updated, "
                f"{report.unchanged} unchanged; successions: {report.successions_created} created, "
                f"{report.successions_updated} updated, {report.successions_deleted} removed."
            )
        )
        for warning in report.warnings[:20]:
            self.stdout.write(self.style.WARNING(f"  {warning}"))
        if len(report.warnings) > 20:
            self.stdout.write(self.style.WARNING(f"  … and {len(report.warnings) - 20} more warnings"))
