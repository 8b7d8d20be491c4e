"""Indicators the quality records feed (see ocop.planning.indicators)."""

from __future__ import annotations

from ocop.geo.selectors import within
from ocop.planning.indicators import counter

from .choices import InspectionState
from .models import Inspection


def inspections_in(area, start, end):
    """Inspections carried out (state "carried out") on a date in the period, in the area (the
    inspected producer's commune)."""
    return (
        Inspection.objects.filter(state=InspectionState.DONE, date__gte=start, date__lte=end)
        .filter(within(area, "area__"))
        .select_related("producer", "area")
    )


@counter("inspections_done", records=inspections_in)
def inspections_done(area, start, end) -> int:
    return inspections_in(area, start, end).count()
