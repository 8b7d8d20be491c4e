from django_tasks import task

from ocop.core.tasks import progress_reporter


@task(takes_context=True)
def reload_units(context, progress_id: str, force: bool = True) -> dict:
    from .loader import load_units

    with progress_reporter(progress_id) as handle:
        handle.result = load_units(force=force, actor=handle.owner, progress=handle).as_dict()
    return handle.result
