"""Gradebooks too large to stream in one request: built by a background task, then offered
for download with their length known.

    gradebook_download(*, classroom) -> GradebookDownload
    request_gradebook_export(*, classroom, instructor, now=None) -> GradebookExport
    build_gradebook_export(*, export_id, now=None) -> GradebookExport

The task is `quizzes.classes.tasks.build_gradebook_export`, run by Django's tasks framework
(settings.TASKS: the django-tasks-db database backend with `manage.py db_worker` in
production, the immediate backend in development).
"""

import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from quizzes.classes.gradebook import gradebook_csv, gradebook_size
from quizzes.classes.models import Classroom, GradebookExport


@dataclass(frozen=True)
class GradebookDownload:
    """What the class page offers: the file's size, and whether it streams or is built."""

    rows: int
    streams: bool  # small enough to stream within a request
    export: GradebookExport | None  # the latest built (or being built) file, if any


def gradebook_download(*, classroom: Classroom) -> GradebookDownload:
    rows = gradebook_size(classroom=classroom)
    return GradebookDownload(
        rows=rows,
        streams=rows <= settings.GRADEBOOK_STREAM_ROWS,
        export=classroom.gradebook_exports.defer("content").first(),
    )


def request_gradebook_export(*, classroom: Classroom, instructor, now=None) -> GradebookExport:
    """Queue a build of the class's gradebook (one at a time per class: a second request
    while one is queued or building gets that one)."""
    from quizzes.classes.tasks import build_gradebook_export as build_task

    with transaction.atomic():
        Classroom.objects.select_for_update().filter(pk=classroom.pk).first()
        pending = classroom.gradebook_exports.filter(
            status__in=[GradebookExport.Status.QUEUED, GradebookExport.Status.BUILDING]
        ).defer("content").first()
        if pending is not None:
            return pending
        export = GradebookExport.objects.create(
            classroom=classroom, requested_by=instructor, requested_at=now or timezone.now(),
            time_zone=timezone.get_current_timezone_name(),
        )
        # Once the row is committed, so a worker on another server can find it.
        transaction.on_commit(lambda: build_task.enqueue(export_id=export.pk))
    return export


def build_gradebook_export(*, export_id: int, now=None) -> GradebookExport:
    """Build the file into its row; a build that fails is marked so, never left running."""
    export = GradebookExport.objects.select_related("classroom").get(pk=export_id)
    if export.status == GradebookExport.Status.READY:
        return export  # a task run twice builds once
    GradebookExport.objects.filter(pk=export.pk).update(status=GradebookExport.Status.BUILDING)
    try:
        tz = zoneinfo.ZoneInfo(export.time_zone)
        lines = list(gradebook_csv(classroom=export.classroom, now=now, tz=tz))
    except Exception:
        GradebookExport.objects.filter(pk=export.pk).update(
            status=GradebookExport.Status.FAILED, finished_at=timezone.now()
        )
        raise
    export.content = "".join(lines)
    export.rows = len(lines) - 2  # the header and the end line
    export.status = GradebookExport.Status.READY
    export.finished_at = timezone.now()
    export.save(update_fields=["content", "rows", "status", "finished_at"])
    return export
