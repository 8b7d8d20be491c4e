"""Background tasks of the reporting app: rebuilding summaries, generating a report."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django_tasks import task

from ocop.core.tasks import progress_reporter


@task()
def rebuild_summaries(province_ids: list[int]) -> dict:
    """Rebuild the summary rows of these current provinces (after writes)."""
    from ocop.geo.models import AdminUnit

    from .summaries import rebuild

    built = {}
    for province in AdminUnit.objects.filter(pk__in=province_ids).order_by("path"):
        state = rebuild(province)
        built[province.path] = state.duration_ms
    return built


@task(takes_context=True)
def generate_report(context, progress_id: str, report_id: int, language: str = "") -> dict:
    """Build the .docx, .xlsx and PDF of a requested report and store them."""
    from . import reports

    with progress_reporter(progress_id) as handle, translation.override(language or settings.LANGUAGE_CODE):
        handle.result = reports.run(report_id, handle)
    return handle.result
