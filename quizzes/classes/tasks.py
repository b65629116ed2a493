"""Background tasks of the classes area (Django's tasks framework; see settings.TASKS)."""

from django.tasks import task

from quizzes.classes import exports


@task()
def build_gradebook_export(export_id: int) -> int:
    """Build one requested gradebook file; returns how many rows it holds."""
    return exports.build_gradebook_export(export_id=export_id).rows
