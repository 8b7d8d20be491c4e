"""`ocop rebuild-summaries [--area CODE]`: rebuild the dashboards' summary rows."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from ocop.geo.models import AdminUnit


class Command(BaseCommand):
    help = "Rebuild the dashboards' summary rows (every province, or the provinces of one area)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--area",
            help="a unit's path (2025/19/) or a current province's code (19); default: every province",
        )

    def handle(self, *args, area=None, **options):
        from ocop.reporting.summaries import provinces_for, rebuild

        unit = None
        if area:
            unit = (
                AdminUnit.objects.filter(path=area).first()
                or AdminUnit.objects.filter(edition="2025", level=1, code=area).first()
            )
            if unit is None:
                raise CommandError(
                    f"No administrative unit {area!r} (give a path such as 2025/19/ or a province code)"
                )
        provinces = provinces_for(unit)
        for province in provinces:
            state = rebuild(province)
            self.stdout.write(f"{province.name}: {len(state.days)} days in {state.duration_ms} ms")
        self.stdout.write(f"{len(provinces)} provinces rebuilt.")
