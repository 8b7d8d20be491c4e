"""Demo of the reporting app: no records of its own, only the dashboards' summary rows of the
home province, rebuilt after the other demos wrote theirs (`ocop demo load`)."""

from __future__ import annotations


def load() -> str:
    from ocop.geo.selectors import home_area

    from .summaries import provinces_for, rebuild

    states = [rebuild(p) for p in provinces_for(home_area())]
    return f"Dashboards: summaries of {len(states)} province(s) rebuilt."


def reset() -> None:
    from .models import CounterFigure, ProductFigure, SummaryState, UnitFigure

    for model in (ProductFigure, UnitFigure, CounterFigure, SummaryState):
        model.objects.all().delete()
