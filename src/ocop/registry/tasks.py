"""Background tasks of the registries: checking and writing large imports (see `importer`)."""

from django.conf import settings
from django.utils import translation
from django_tasks import task

from ocop.core.tasks import progress_reporter


def _stored(token: str, owner, progress_id: str):
    from .importer import StoredImport

    stored = StoredImport.load(token, owner)
    if stored is None:
        raise RuntimeError("the uploaded file is no longer available")
    stored.update(progress_id=progress_id)
    return stored


@task(takes_context=True)
def validate_import(context, progress_id: str, token: str, language: str = "") -> dict:
    """Check every row of an uploaded file and keep the preview."""
    from .importer import run_validation

    with progress_reporter(progress_id) as handle, translation.override(language or settings.LANGUAGE_CODE):
        stored = _stored(token, handle.owner, progress_id)
        result = run_validation(stored, handle.owner, handle)
        handle.result = result.counts() if result is not None else {"error": stored.state.get("error", "")}
    return handle.result


@task(takes_context=True)
def write_import(context, progress_id: str, token: str, language: str = "") -> dict:
    """Check the file again and, if it is still clean, create its producers and products (all or nothing)."""
    from .importer import run_write

    with progress_reporter(progress_id) as handle, translation.override(language or settings.LANGUAGE_CODE):
        stored = _stored(token, handle.owner, progress_id)
        handle.result = run_write(stored, handle.owner, handle)
        if not handle.result.get("written"):
            handle.result["error"] = stored.state.get("error", "")
    return handle.result
