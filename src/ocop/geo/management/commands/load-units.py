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
        inferred = [w for w in report.warnings if w.startswith("inferred")]
        other = [w for w in report.warnings if not w.startswith("inferred")]
        if inferred:
            self.stdout.write(
                f"  {len(inferred)} legacy communes missing from the package's conversion data were given an "
                "inferred successor (same name, else nearest centroid); -v 2 lists them."
            )
        for warning in (inferred if options["verbosity"] > 1 else []) + other:
            self.stdout.write(self.style.WARNING(f"  {warning}"))
