"""Background tasks with progress.

Tasks use Django's task API (the `django-tasks` backport; the ORM backend of `django-tasks-db`
runs them in `ocop worker`). `start()` records a `TaskProgress` owned by the user and enqueues
the task; inside, `progress_reporter()` updates it, and the UI polls it as a progress bar.
Tests use the immediate backend, so a task has finished when `start()` returns.
"""

from __future__ import annotations

import contextlib
import logging

from django.utils.module_loading import import_string

from .models import TaskProgress

log = logging.getLogger(__name__)


def start(task_path: str, owner, *, label: str, **kwargs) -> TaskProgress:
    progress = TaskProgress.objects.create(owner=owner, label=label)
    task = import_string(task_path)
    result = task.enqueue(progress_id=str(progress.pk), **kwargs)
    TaskProgress.objects.filter(pk=progress.pk).update(task_result_id=str(result.id))
    progress.refresh_from_db()
    return progress


class ProgressHandle:
    """Passed to the task body: call it to report progress, set `result` to keep a summary."""

    def __init__(self, progress: TaskProgress):
        self.progress = progress
        self.owner = progress.owner
        self.result: dict = {}

    def __call__(self, done: int, total: int, message: str = "") -> None:
        TaskProgress.objects.filter(pk=self.progress.pk).update(done=done, total=total, message=message[:500])


@contextlib.contextmanager
def progress_reporter(progress_id: str):
    progress = TaskProgress.objects.select_related("owner").get(pk=progress_id)
    progress.state = TaskProgress.State.RUNNING
    progress.save(update_fields=["state", "updated_at"])
    handle = ProgressHandle(progress)
    try:
        yield handle
    except Exception as exc:
        log.exception("task %s failed", progress.label)
        TaskProgress.objects.filter(pk=progress.pk).update(
            state=TaskProgress.State.FAILED, message=str(exc)[:500]
        )
        raise
    else:
        TaskProgress.objects.filter(pk=progress.pk).update(
            state=TaskProgress.State.DONE, result=handle.result
        )
